// Attention-MoA on real, trained models: SmolLM2 135M Instruct and Gemma 3 270M (two families, two tokenizers), each
// in its own agent worker of the runtime's EnginePool, run by llama.cpp in WebAssembly. The files come from
// `npm run models` (models/, served by the dev server). The harness returns what the specs assert on: every call's
// prompt, raw output, cleaned text, finish reason and llama.cpp's own token counts, and the answer as streamed.
import { AttentionMoA, EnginePool, type AttentionMoAEvent, type AttentionMoAOptions, type CallRecord } from '@attention-moa/core';

export const REAL = {
  smol: { file: 'SmolLM2-135M-Instruct.Q4_1.gguf', name: 'SmolLM2' },
  gemma: { file: 'gemma-3-270m-q4_k_m.gguf', name: 'Gemma' },
} as const;
type Key = keyof typeof REAL;
const KEYS = Object.keys(REAL) as Key[];

let pool: EnginePool | undefined;

export interface RealEngineInfo {
  key: Key;
  modelId: string;
  contextWindow: number;
  trainingContext: number;
  architecture?: string;
  chatTemplate: boolean;
  chatTemplateSource?: string;
  noSystemRole?: boolean;
  exactTokenCounts?: boolean;
  loadSeconds: number;
}

export interface RealCall {
  id: number;
  role: CallRecord['role'];
  layer: number;
  agent: string;
  target?: string;
  messages: CallRecord['messages'];
  output: string;
  text: string;
  finishReason: CallRecord['finishReason'];
  /** The trace's mark of an answer cut at its token limit. */
  cut?: boolean;
  /** The protocol's count of the prompt (what it fitted the window with). */
  promptTokens: number;
  /** llama.cpp's own counts (the model's tokenizer, the chat template applied). */
  usage?: { prompt: number; completion: number };
  maxTokens: number;
  cuts: number;
  error?: { name: string; message: string; code?: string };
  ms: number;
}

export interface RealRun {
  /** The options the protocol resolved: windows and system roles from the engines. */
  resolved: {
    agents: { name: string; contextWindow: number; noSystemRole: boolean; maxTokens: { propose: number; critique: number; refine: number } }[];
    aggregator: { contextWindow: number; noSystemRole: boolean };
  };
  answer: string;
  streamedAnswer: string;
  layerOutputs: string[];
  layersRun: number;
  earlyStop?: { layer: number; mode: string; reason: string; similarity?: number };
  calls: RealCall[];
  dropped: { agent: string; role: string; reason: string }[];
  error?: { name: string; message: string; code?: string };
  durationMs: number;
}

const harness = {
  /** Starts one worker per model and loads it (no browser cache: the files are local, and OPFS copies would cost time);
   *  `contextWindow` sets both engines' n_ctx. */
  async setup(options: { contextWindow?: number } = {}): Promise<{ loadMs: number; engines: RealEngineInfo[] }> {
    const started = performance.now();
    const window = options.contextWindow ? { contextWindow: options.contextWindow } : {};
    pool = new EnginePool({
      models: Object.fromEntries(KEYS.map((key) => [key, { kind: 'wllama' as const, model: `/models/${REAL[key].file}`, cache: false, ...window }])),
    });
    await pool.load();
    const engines = await Promise.all(
      KEYS.map(async (key) => {
        const e = (await pool!.stats(key))?.engine as Record<string, unknown>;
        return {
          key,
          modelId: String(e.modelId),
          contextWindow: Number(e.contextWindow),
          trainingContext: Number(e.trainingContext),
          ...(typeof e.architecture === 'string' ? { architecture: e.architecture } : {}),
          chatTemplate: !!e.chatTemplate,
          ...(typeof e.chatTemplateSource === 'string' ? { chatTemplateSource: e.chatTemplateSource } : {}),
          ...(typeof e.noSystemRole === 'boolean' ? { noSystemRole: e.noSystemRole } : {}),
          ...(typeof e.exactTokenCounts === 'boolean' ? { exactTokenCounts: e.exactTokenCounts } : {}),
          loadSeconds: Number(e.loadSeconds),
        };
      }),
    );
    return { loadMs: performance.now() - started, engines };
  },

  /**
   * One run: SmolLM2 and Gemma as agents, SmolLM2 (the instruct model) as the aggregator. Windows, system roles and
   * token caps not given here come from the models, as the engines report them.
   */
  async run(options: {
    question: string;
    layers?: number;
    maxTokens?: NonNullable<AttentionMoAOptions['maxTokens']>;
    /** Log each call as it ends to the console (the spec prints it: a slow machine shows progress). */
    verbose?: boolean;
  }): Promise<RealRun> {
    const agents = KEYS.map((key) => ({ name: REAL[key].name, engine: pool!.engine(key) }));
    const moa = new AttentionMoA({
      agents,
      aggregator: { engine: pool!.engine('smol') },
      layers: options.layers ?? 2,
      earlyStop: 'judge',
      temperature: 0,
      ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
    });
    const resolved = {
      agents: moa.options.agents.map((a) => ({ name: a.name, contextWindow: a.contextWindow, noSystemRole: a.noSystemRole, maxTokens: a.maxTokens })),
      aggregator: { contextWindow: moa.options.aggregator.contextWindow, noSystemRole: moa.options.aggregator.noSystemRole },
    };
    const started = performance.now();
    let streamedAnswer = '';
    let result: Extract<AttentionMoAEvent, { type: 'done' }>['result'] | undefined;
    let error: Error | undefined;
    for await (const event of moa.run(options.question)) {
      if (event.type === 'answer-reset') streamedAnswer = '';
      if (event.type === 'answer-token') streamedAnswer += event.token;
      if (event.type === 'done') result = event.result;
      if (event.type === 'error') error = event.error;
      if (options.verbose && event.type === 'call-end') {
        const r = event.record;
        console.log(`[call] L${r.layer} ${r.role} ${r.agent}${r.target ? `→${r.target}` : ''} ${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s, ${r.finishReason}, prompt ${r.promptTokens}/${r.usage?.prompt_tokens ?? '?'}: ${JSON.stringify(r.output)}`);
      }
    }
    const trace = result?.trace ?? (error as { trace?: CallRecord[] } | undefined)?.trace ?? [];
    return {
      resolved,
      answer: result?.answer ?? '',
      streamedAnswer,
      layerOutputs: result?.layerOutputs ?? [],
      layersRun: result?.layersRun ?? 0,
      ...(result?.earlyStop ? { earlyStop: result.earlyStop } : {}),
      calls: trace.map((c): RealCall => ({
        id: c.id,
        role: c.role,
        layer: c.layer,
        agent: c.agent,
        ...(c.target ? { target: c.target } : {}),
        messages: c.messages,
        output: c.output,
        text: c.text,
        finishReason: c.finishReason,
        ...(c.cut !== undefined ? { cut: c.cut } : {}),
        promptTokens: c.promptTokens,
        ...(c.usage ? { usage: { prompt: c.usage.prompt_tokens, completion: c.usage.completion_tokens } } : {}),
        maxTokens: c.maxTokens ?? NaN,
        cuts: c.cuts.length,
        ...(c.error ? { error: { name: c.error.name, message: c.error.message, ...(c.error.code ? { code: c.error.code } : {}) } } : {}),
        ms: c.endedAt - c.startedAt,
      })),
      dropped: (result?.dropped ?? []).map((d) => ({ agent: d.agent, role: d.role, reason: d.reason })),
      ...(error ? { error: { name: error.name, message: error.message, ...((error as { code?: string }).code ? { code: (error as { code?: string }).code } : {}) } } : {}),
      durationMs: performance.now() - started,
    };
  },

  /** One greedy chat call straight to a model (no protocol): llama.cpp's prompt-token count of `content`. */
  async chat(key: Key, messages: { role: 'system' | 'user' | 'assistant'; content: string }[], maxTokens: number) {
    let text = '';
    let finish: string | null = null;
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    const stream = await pool!.engine(key).chat.completions.create({ messages, stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens, temperature: 0 });
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    return { text, finish, usage };
  },

  /** Tokens of each text by the pool engine's countTokens (the model's own tokenizer, counted in its worker). */
  async count(key: Key, texts: string[]) {
    return Promise.all(texts.map(async (t) => (await pool!.engine(key).countTokens?.(t)) ?? null));
  },

  async dispose() {
    await pool?.dispose();
    pool = undefined;
  },
};

declare global {
  interface Window {
    real: typeof harness;
  }
}
window.real = harness;
document.getElementById('status')!.textContent = 'ready';
