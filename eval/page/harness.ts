// The eval's page: real GGUF models, one agent worker each (the runtime's EnginePool, WASM engine), and one
// protocol run per call of `run()`. Node drives it (eval/run.mjs, the recorder); everything a run produced comes
// back as plain JSON: the answer, every call of the trace, usage and time.
import { AttentionMoA, EnginePool, type AttentionMoAOptions, type CallRecord } from '@attention-moa/core';

export interface HarnessModel {
  /** Pool key, also the agent's name. */
  key: string;
  /** URL of the GGUF file (served by the eval's dev server). */
  url: string;
  contextWindow: number;
  noSystemRole: boolean;
  /** For a GGUF file without a chat template: llama.cpp's built-in template to use (see WllamaSpec.chatTemplate). */
  chatTemplate?: string;
}

export interface HarnessRun {
  question: string;
  /** Model keys of the agents (each agent is named after its model). */
  agents: string[];
  /** Model key of the aggregator: it shares that model's engine and waits its turn on it. */
  aggregator: string;
  layers: number;
  attention: NonNullable<AttentionMoAOptions['attention']>;
  residual: boolean;
  earlyStop: NonNullable<AttentionMoAOptions['earlyStop']>;
  maxTokens: NonNullable<AttentionMoAOptions['maxTokens']>;
  temperature: number;
}

export interface HarnessCall {
  id: number;
  role: CallRecord['role'];
  layer: number;
  agent: string;
  target?: string;
  model: string;
  messages: CallRecord['messages'];
  output: string;
  text: string;
  finishReason: CallRecord['finishReason'];
  /** The prompt's size in the model's own tokens (llama.cpp's count). */
  promptTokens: number;
  /** Of those, tokens llama.cpp reused from its cache (a shared prompt prefix), not processed again. */
  cachedPromptTokens: number;
  completionTokens: number;
  /** ms since the run started. */
  startedAt: number;
  endedAt: number;
  ms: number;
  error?: string;
  [extra: string]: unknown;
}

export interface HarnessResult {
  answer: string;
  layerOutputs: string[];
  earlyStop?: { layer: number; mode: string; reason: string; similarity?: number };
  calls: HarnessCall[];
  usage: { calls: number; promptTokens: number; completionTokens: number };
  wallMs: number;
  error?: string;
}

let pool: EnginePool | undefined;
let models: HarnessModel[] = [];
let progress = false;

const harness = {
  async setup(list: HarnessModel[], options: { progress?: boolean } = {}) {
    models = list;
    progress = options.progress ?? false;
    const started = performance.now();
    pool = new EnginePool({
      models: Object.fromEntries(
        list.map((m) => [m.key, { kind: 'wllama' as const, model: m.url, modelId: m.key, contextWindow: m.contextWindow, cache: false, ...(m.chatTemplate ? { chatTemplate: m.chatTemplate } : {}) }]),
      ),
      // The models are loaded once, one after the other (one core each would fight over two cores while loading).
      loading: 'sequential',
    });
    await pool.load();
    const stats = await Promise.all(list.map(async (m) => (await pool!.stats(m.key))?.engine as Record<string, unknown>));
    return { loadMs: performance.now() - started, engines: stats };
  },

  async run(r: HarnessRun): Promise<HarnessResult> {
    const byKey = new Map(models.map((m) => [m.key, m]));
    const spec = (key: string) => {
      const m = byKey.get(key);
      if (!m) throw new Error(`eval page: no model "${key}"; loaded: ${[...byKey.keys()].join(', ')}`);
      return m;
    };
    const agg = spec(r.aggregator);
    const moa = new AttentionMoA({
      agents: r.agents.map((key) => ({ name: key, engine: pool!.engine(key), model: key, contextWindow: spec(key).contextWindow, noSystemRole: spec(key).noSystemRole })),
      aggregator: { name: 'aggregator', engine: pool!.engine(agg.key), model: agg.key, contextWindow: agg.contextWindow, noSystemRole: agg.noSystemRole },
      layers: r.layers,
      attention: r.attention,
      residual: r.residual,
      earlyStop: r.earlyStop,
      maxTokens: r.maxTokens,
      temperature: r.temperature,
    });
    const started = performance.now();
    try {
      const result = await moa.complete(r.question, {
        onEvent: (event) => {
          if (event.type === 'call-end' && progress) {
            const c = event.record;
            console.log(`[progress] ${c.role} L${c.layer} ${c.agent}${c.target ? `→${c.target}` : ''} ${Math.round(c.endedAt - c.startedAt)} ms ${c.usage?.completion_tokens ?? '?'} tok ${c.finishReason}`);
          }
        },
      });
      return {
        answer: result.answer,
        layerOutputs: result.layerOutputs,
        ...(result.earlyStop ? { earlyStop: result.earlyStop } : {}),
        calls: result.trace.map(summarize),
        usage: result.usage,
        wallMs: performance.now() - started,
      };
    } catch (error) {
      const trace = ((error as { trace?: CallRecord[] }).trace ?? []).map(summarize);
      return {
        answer: '',
        layerOutputs: [],
        calls: trace,
        usage: { calls: trace.length, promptTokens: trace.reduce((s, c) => s + c.promptTokens, 0), completionTokens: trace.reduce((s, c) => s + c.completionTokens, 0) },
        wallMs: performance.now() - started,
        error: `${(error as Error).name}: ${(error as Error).message}`,
      };
    }
  },

  async dispose() {
    await pool?.dispose();
    pool = undefined;
  },
};

function summarize(c: CallRecord): HarnessCall {
  const { id, role, layer, agent, target, model, messages, output, text, finishReason, usage, startedAt, endedAt, error, ...rest } = c;
  return {
    id,
    role,
    layer,
    agent,
    ...(target ? { target } : {}),
    model: model ?? agent,
    messages,
    output,
    text,
    finishReason,
    // The engine's own counts (llama.cpp's tokenizer); the protocol's estimate only where an engine gave none.
    promptTokens: usage?.prompt_tokens ?? c.promptTokens,
    cachedPromptTokens: Number(usage?.extra?.cached_prompt_tokens ?? 0),
    completionTokens: usage?.completion_tokens ?? 0,
    startedAt,
    endedAt,
    ms: endedAt - startedAt,
    ...(error ? { error: `${error.name}: ${error.message}` } : {}),
    // Fields the trace gains later (role checks, cut marks) come along as they are.
    ...Object.fromEntries(Object.entries(rest).filter(([k]) => !['promptTokens', 'cuts', 'queuedAt', 'firstTokenAt'].includes(k))),
  };
}

declare global {
  interface Window {
    evalHarness: typeof harness;
  }
}
window.evalHarness = harness;
document.getElementById('status')!.textContent = 'ready';
