/**
 * Bench page for suites 8–12: the protocol on real llama.cpp engines (wllama, WASM, one agent worker per model),
 * built in production mode like an app using the library. Playwright drives it through `window.bench` and gets
 * plain data back: per call the page's times, the engine's own time (measured in the worker around llama.cpp) and
 * the prompt tokens computed and reused; per run the wall time and when the first visible answer text appeared (a
 * draft or the answer). Analysis happens in the suites, in Node.
 */
import { AttentionMoA, EnginePool, type AttentionMoAError, type AttentionMoAOptions, type AttentionMoAResult, type CompletionUsage, type EngineSpec, type PromptTemplates } from '@attention-moa/core';
import type { CostedCall } from '../lib/call-costs.js';
import type { TracedCall } from '../lib/critical-path.js';
import { legacyCritiquePrompt, legacyRefinePrompt } from '../lib/legacy-prompts.js';

export interface ModelSetup {
  /** GGUF URL, resolved against the page. */
  url: string;
  modelId?: string;
  seed?: number;
  parallel?: number;
  contextWindow?: number;
  /** llama.cpp threads (more than 1 needs a cross-origin isolated page). */
  threads?: number;
}

export interface AgentSetup {
  name: string;
  /** Pool key. */
  key: string;
  system?: string;
  noSystemRole?: boolean;
  concurrency?: number;
}

export interface RunSetup {
  mode: 'single' | 'classic-moa' | 'attention-moa';
  question: string;
  agents: AgentSetup[];
  aggregator: AgentSetup;
  layers?: number;
  maxTokens: Required<NonNullable<AttentionMoAOptions['maxTokens']>>;
  temperature?: number;
  contextWindow: number;
  /** The critique/refine layout before the KV-cache one (bench/lib/legacy-prompts.ts). */
  legacyPrompts?: boolean;
  drafts?: boolean;
  /** Abort the run once the first answer text (draft or answer) is visible: measures only that, cheaply. */
  stopAtFirstVisible?: boolean;
  /** Abort the run when the first call of this role starts (e.g. 'refine': measure proposals and critiques only). */
  stopAtRole?: CallRow['role'];
}

/** One call of a run: what the critical path and the call costs read (engineMs: llama.cpp's own time, measured in
 *  the worker), and the rest of the trace. */
export interface CallRow extends TracedCall, CostedCall {
  firstTokenAt?: number;
  completionTokens: number;
  finishReason: string | null;
  /** Pool key of the engine that served the call. */
  engine: string;
}

export interface DecodeResult {
  wallMs: number;
  /** Per request; `pageMs`: from the page's create() call to its stream's end. */
  requests: { completionTokens: number; promptTokens: number; engineMs: number; promptMs: number; decodeMs: number; pageMs: number; transport?: CallRow['transport'] }[];
}

export interface RunResult {
  wallMs: number;
  /** First draft or answer text on screen, ms after the run started. */
  firstVisibleMs: number;
  firstDraftMs?: number;
  firstAnswerMs?: number;
  drafts: number;
  answer: string;
  usage: { calls: number; promptTokens: number; processedPromptTokens: number; reusedPromptTokens: number; completionTokens: number };
  calls: CallRow[];
}

let pool: EnginePool | undefined;

/** What a call's usage says of the engine's own work, in ms (NaN when not reported): llama.cpp's time measured in the
 *  worker, its prompt and decode times, and the worker clock WorkerEngine adds (seconds in `usage.extra`). */
function engineCostOf(usage: CompletionUsage | undefined): { engineMs: number; promptMs: number; decodeMs: number; transport?: CallRow['transport'] } {
  const extra = usage?.extra;
  const ms = (key: string) => Number(extra?.[key] ?? NaN) * 1000;
  const timings = (extra?.timings ?? {}) as { prompt_ms?: number; predicted_ms?: number };
  const transport = { toWorker: ms('to_worker_s'), workerQueue: ms('worker_queue_s'), inWorker: ms('in_worker_s'), fromWorker: ms('from_worker_s') };
  return {
    engineMs: ms('e2e_latency_s'),
    promptMs: timings.prompt_ms ?? NaN,
    decodeMs: timings.predicted_ms ?? NaN,
    ...(Object.values(transport).every(Number.isFinite) ? { transport } : {}),
  };
}

const bench = {
  async setup(models: Record<string, ModelSetup>) {
    await pool?.dispose();
    const started = performance.now();
    const specs: Record<string, EngineSpec> = {};
    for (const [key, m] of Object.entries(models)) {
      specs[key] = {
        kind: 'wllama',
        model: m.url,
        modelId: m.modelId ?? key,
        cache: false,
        ...(m.seed !== undefined ? { seed: m.seed } : {}),
        ...(m.parallel !== undefined ? { parallel: m.parallel } : {}),
        ...(m.contextWindow !== undefined ? { contextWindow: m.contextWindow } : {}),
        ...(m.threads !== undefined ? { threads: m.threads } : {}),
      };
    }
    pool = new EnginePool({ models: specs });
    await pool.load();
    return { loadMs: performance.now() - started, slots: pool.status().map((s) => ({ keys: s.keys, parallel: s.parallel })) };
  },

  async run(setup: RunSetup): Promise<RunResult> {
    const p = pool!;
    const agent = (a: AgentSetup) => ({
      name: a.name,
      engine: p.engine(a.key),
      contextWindow: setup.contextWindow,
      ...(a.system ? { system: a.system } : {}),
      ...(a.noSystemRole ? { noSystemRole: true } : {}),
      ...(a.concurrency ? { concurrency: a.concurrency } : {}),
    });
    const keyOf = new Map<string, string>([...setup.agents.map((a) => [a.name, a.key] as const), [setup.aggregator.name, setup.aggregator.key]]);
    const prompts: PromptTemplates | undefined = setup.legacyPrompts ? { critique: legacyCritiquePrompt, refine: legacyRefinePrompt } : undefined;
    const common = {
      aggregator: { ...agent(setup.aggregator), name: setup.aggregator.name },
      temperature: setup.temperature ?? 0,
      maxTokens: setup.maxTokens,
      layers: setup.layers ?? 1,
      residual: (setup.layers ?? 1) > 1,
      earlyStop: 'off' as const,
      drafts: setup.drafts ?? true,
      ...(prompts ? { prompts } : {}),
    };
    const options: AttentionMoAOptions =
      setup.mode === 'single'
        ? { ...common, agents: [agent({ ...setup.aggregator, name: 'single' })], attention: 'none' }
        : { ...common, agents: setup.agents.map(agent), attention: setup.mode === 'attention-moa' ? 'full' : 'none' };
    if (setup.mode === 'single') keyOf.set('single', setup.aggregator.key);
    const moa = new AttentionMoA(options);
    const started = performance.now();
    let firstDraftMs: number | undefined;
    let firstAnswerMs: number | undefined;
    let drafts = 0;
    const controller = new AbortController();
    const seen = (at: number | undefined) => {
      if (setup.stopAtFirstVisible && at !== undefined) controller.abort();
    };
    let result: AttentionMoAResult;
    try {
      result = await moa.complete(setup.question, {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'draft-token' && e.token) seen((firstDraftMs ??= performance.now() - started));
          if (e.type === 'draft-start') drafts++;
          if (e.type === 'call-start' && e.role === setup.stopAtRole) controller.abort();
          if (e.type === 'answer-token' && e.token) seen((firstAnswerMs ??= performance.now() - started));
        },
      });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      const e = error as AttentionMoAError;
      result = { answer: '', layerOutputs: [], layersRun: 0, trace: e.trace ?? [], dropped: [], usage: { calls: 0, promptTokens: 0, processedPromptTokens: 0, reusedPromptTokens: 0, completionTokens: 0 }, durationMs: 0 };
    }
    const wallMs = setup.stopAtFirstVisible || setup.stopAtRole ? NaN : performance.now() - started;
    return {
      wallMs,
      firstVisibleMs: Math.min(firstDraftMs ?? Infinity, firstAnswerMs ?? Infinity),
      ...(firstDraftMs !== undefined ? { firstDraftMs } : {}),
      ...(firstAnswerMs !== undefined ? { firstAnswerMs } : {}),
      drafts,
      answer: result.answer,
      usage: result.usage,
      calls: result.trace.map((c) => {
        const { engineMs, promptMs, transport } = engineCostOf(c.usage);
        return {
          id: c.id, role: c.role, layer: c.layer, agent: c.agent, ...(c.target ? { target: c.target } : {}),
          startedAt: c.startedAt, endedAt: c.endedAt, ...(c.firstTokenAt !== undefined ? { firstTokenAt: c.firstTokenAt } : {}),
          engineMs,
          promptTokens: c.usage?.prompt_tokens ?? c.promptTokens,
          cachedTokens: c.usage?.prompt_tokens_details?.cached_tokens ?? 0,
          completionTokens: c.usage?.completion_tokens ?? 0,
          promptMs,
          ...(transport ? { transport } : {}),
          finishReason: c.finishReason,
          engine: keyOf.get(c.agent) ?? c.agent,
        };
      }),
    };
  },

  /**
   * The engine alone, no protocol: the same requests on one pool engine all at once or one after another. Each
   * writes `maxTokens` tokens when the model does not end its turn first. Returns the wall time and per request the
   * tokens written and llama.cpp's own prompt and decode times.
   */
  async decode(setup: { key: string; prompts: string[]; maxTokens: number; together: boolean }): Promise<DecodeResult> {
    const engine = pool!.engine(setup.key);
    const one = async (prompt: string): Promise<DecodeResult['requests'][number]> => {
      const sent = performance.now();
      const stream = await engine.chat.completions.create({
        messages: [{ role: 'user', content: prompt }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: setup.maxTokens,
        temperature: 0,
      });
      let usage: CompletionUsage | undefined;
      for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
      const pageMs = performance.now() - sent;
      return { completionTokens: usage?.completion_tokens ?? 0, promptTokens: usage?.prompt_tokens ?? 0, pageMs, ...engineCostOf(usage) };
    };
    const started = performance.now();
    const requests: DecodeResult['requests'] = [];
    if (setup.together) requests.push(...(await Promise.all(setup.prompts.map(one))));
    else for (const prompt of setup.prompts) requests.push(await one(prompt));
    return { wallMs: performance.now() - started, requests };
  },

  async dispose() {
    await pool?.dispose();
    pool = undefined;
  },
};

export type WllamaBench = typeof bench;
(window as unknown as { bench: WllamaBench }).bench = bench;
document.getElementById('status')!.textContent = 'ready';
