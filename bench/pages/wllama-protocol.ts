/**
 * Bench page for suites 8–12: the protocol on real llama.cpp engines (wllama, WASM, one agent worker per model),
 * built in production mode like an app using the library. Playwright drives it through `window.bench` and gets
 * plain data back: per call the page's times, the engine's own time (measured in the worker around llama.cpp) and
 * the prompt tokens computed and reused; per run the wall time and when the first visible answer text appeared (a
 * draft or the answer). Analysis happens in the suites, in Node.
 */
import { AttentionMoA, EnginePool, type AttentionMoAError, type AttentionMoAOptions, type AttentionMoAResult, type EngineSpec, type PromptTemplates } from '@attention-moa/core';
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
        const timings = (c.usage?.extra?.timings ?? {}) as { prompt_ms?: number };
        return {
          id: c.id, role: c.role, layer: c.layer, agent: c.agent, ...(c.target ? { target: c.target } : {}),
          startedAt: c.startedAt, endedAt: c.endedAt, ...(c.firstTokenAt !== undefined ? { firstTokenAt: c.firstTokenAt } : {}),
          engineMs: Number(c.usage?.extra?.e2e_latency_s ?? NaN) * 1000,
          promptTokens: c.usage?.prompt_tokens ?? c.promptTokens,
          cachedTokens: c.usage?.prompt_tokens_details?.cached_tokens ?? 0,
          completionTokens: c.usage?.completion_tokens ?? 0,
          promptMs: timings.prompt_ms ?? NaN,
          finishReason: c.finishReason,
          engine: keyOf.get(c.agent) ?? c.agent,
        };
      }),
    };
  },

  async dispose() {
    await pool?.dispose();
    pool = undefined;
  },
};

export type WllamaBench = typeof bench;
(window as unknown as { bench: WllamaBench }).bench = bench;
document.getElementById('status')!.textContent = 'ready';
