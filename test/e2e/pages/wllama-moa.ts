// The full protocol with real llama.cpp agents: the runtime's EnginePool starts one agent worker per tiny GGUF
// model (kind 'wllama'), and AttentionMoA runs over them. The harness records what tests assert on: the trace,
// the streamed answer, pool events, and how long every worker takes to go idle after an abort or a kill.
import {
  AttentionMoA,
  EnginePool,
  deleteWllamaCached,
  type AttentionMoAEvent,
  type CallRecord,
  type PoolEvent,
} from '@attention-moa/core';

const KEYS = ['a', 'b', 'c', 'agg'] as const;
const FILES: Record<(typeof KEYS)[number], string> = {
  a: 'tiny-agent-a.gguf',
  b: 'tiny-agent-b.gguf',
  c: 'tiny-agent-c.gguf',
  agg: 'tiny-aggregator.gguf',
};
const url = (key: (typeof KEYS)[number]) => new URL(`/test/fixtures/generated/${FILES[key]}`, location.href).href;

let pool: EnginePool | undefined;
const workers = new Map<string, Worker>();
const poolEvents: { type: string; model?: string; at: number; code?: string }[] = [];

export interface CallSummary extends Pick<CallRecord, 'id' | 'role' | 'layer' | 'agent' | 'target' | 'output' | 'finishReason' | 'startedAt' | 'endedAt'> {
  error?: { name: string; code?: string };
  completionTokens?: number;
  /** The engine's own time for the call (measured in the worker, around llama.cpp), ms. */
  engineMs?: number;
}

export interface RunSummary {
  answer: string;
  streamedAnswer: string;
  calls: CallSummary[];
  dropped: { agent: string; role: string; reason: string }[];
  error?: { name: string; message: string; code?: string };
  tokenEvents: number;
  durationMs: number;
  /** abort()/kill → every engine idle (no request in the pool or in llama.cpp), ms. */
  idleAfterMs?: number;
}

async function allIdle(): Promise<boolean> {
  if (pool!.status().some((s) => s.inFlight > 0 || s.queued > 0)) return false;
  for (const key of KEYS) {
    const stats = await pool!.stats(key);
    const engine = stats?.engine as { pendingRequests?: number } | undefined;
    if (stats && ((stats.active ?? 0) > 0 || (engine?.pendingRequests ?? 0) > 0)) return false;
  }
  return true;
}

async function idleAfter(since: number): Promise<number> {
  while (!(await allIdle())) {
    if (performance.now() - since > 10_000) return Infinity;
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - since;
}

const harness = {
  /** Starts the pool: 4 workers, each loading one tiny model (from the browser cache when it is there). */
  async setup(options: { clearCache?: boolean } = {}) {
    if (options.clearCache) for (const key of KEYS) await deleteWllamaCached(url(key));
    const started = performance.now();
    pool = new EnginePool({
      // The aggregator's URL is relative to this page: the pool resolves it against the page, not the worker.
      models: Object.fromEntries(KEYS.map((key) => [key, { kind: 'wllama' as const, model: key === 'agg' ? `../../fixtures/generated/${FILES[key]}` : url(key), modelId: FILES[key] }])),
      // A killed worker is noticed by an unanswered ping.
      pingIntervalMs: 200,
      pingTimeoutMs: 1500,
      createWorker: (workerUrl, workerOptions) => {
        const worker = new Worker(workerUrl, workerOptions);
        const key = KEYS.find((k) => workerOptions.name?.includes(`(${FILES[k]})`));
        if (key) workers.set(key, worker);
        return worker;
      },
      onEvent: (event: PoolEvent) => {
        const model = 'model' in event ? event.model : undefined;
        const code = 'error' in event ? (event.error as { code?: string }).code : undefined;
        poolEvents.push({ type: event.type, ...(model ? { model } : {}), at: performance.now(), ...(code ? { code } : {}) });
      },
    });
    await pool.load();
    const stats = await Promise.all(KEYS.map(async (key) => (await pool!.stats(key))?.engine as Record<string, unknown>));
    return { loadMs: performance.now() - started, engines: stats.map((s) => ({ modelId: s.modelId, fromCache: s.fromCache, threads: s.threads, loadSeconds: s.loadSeconds })) };
  },

  /**
   * One Attention-MoA run (3 agents + aggregator, 1 layer, greedy). `abortAt` / `killAt`: when the first token of a
   * call with that role arrives, abort the run / terminate that agent's worker.
   */
  async run(options: { question?: string; abortAt?: string; kill?: { key: 'a' | 'b' | 'c'; at: string } } = {}): Promise<RunSummary> {
    const moa = new AttentionMoA({
      agents: (['a', 'b', 'c'] as const).map((key) => ({ name: key.toUpperCase(), engine: pool!.engine(key), contextWindow: 2048 })),
      aggregator: { name: 'aggregator', engine: pool!.engine('agg'), contextWindow: 2048 },
      temperature: 0,
      maxTokens: { propose: 24, critique: 12, refine: 24, aggregate: 32, residual: 32 },
    });
    const controller = new AbortController();
    const started = performance.now();
    let streamedAnswer = '';
    let tokenEvents = 0;
    let eventAt: number | undefined;
    let result: Extract<AttentionMoAEvent, { type: 'done' }>['result'] | undefined;
    let error: Error | undefined;
    for await (const event of moa.run(options.question ?? 'Why is the sky blue?', { signal: controller.signal })) {
      if (event.type === 'answer-token') streamedAnswer += event.token;
      if (event.type === 'call-token') {
        tokenEvents += 1;
        if (eventAt === undefined && options.abortAt === event.role) {
          eventAt = performance.now();
          controller.abort();
        }
        if (eventAt === undefined && options.kill && options.kill.at === event.role) {
          eventAt = performance.now();
          workers.get(options.kill.key)!.terminate();
        }
      }
      if (event.type === 'done') result = event.result;
      if (event.type === 'error') error = event.error;
    }
    const durationMs = performance.now() - started;
    const idleAfterMs = eventAt === undefined ? undefined : await idleAfter(eventAt);
    const trace = result?.trace ?? ((error as { trace?: CallRecord[] } | undefined)?.trace ?? []);
    return {
      answer: result?.answer ?? '',
      streamedAnswer,
      calls: trace.map((c): CallSummary => ({
        id: c.id,
        startedAt: c.startedAt,
        endedAt: c.endedAt,
        role: c.role,
        layer: c.layer,
        agent: c.agent,
        ...(c.target ? { target: c.target } : {}),
        output: c.output,
        finishReason: c.finishReason,
        ...(c.error ? { error: { name: c.error.name, ...(c.error.code ? { code: c.error.code } : {}) } } : {}),
        ...(c.usage ? { completionTokens: c.usage.completion_tokens, engineMs: Number(c.usage.extra?.e2e_latency_s ?? 0) * 1000 } : {}),
      })),
      dropped: (result?.dropped ?? []).map((d) => ({ agent: d.agent, role: d.role, reason: d.reason })),
      ...(error ? { error: { name: error.name, message: error.message, ...((error as { code?: string }).code ? { code: (error as { code?: string }).code } : {}) } } : {}),
      tokenEvents,
      durationMs,
      ...(idleAfterMs !== undefined ? { idleAfterMs } : {}),
    };
  },

  /** One greedy call straight to a pool engine (no protocol). */
  async chat(key: (typeof KEYS)[number], content: string, maxTokens: number) {
    let text = '';
    const stream = await pool!.engine(key).chat.completions.create({ messages: [{ role: 'user', content }], stream: true, max_tokens: maxTokens, temperature: 0 });
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    return text;
  },

  /**
   * A pool given one model per backend ({ webgpu, wasm }): it chooses, says why, loads the choice and answers.
   * `backend` is the pool-wide preference.
   */
  async backendChoice(backend?: 'webgpu' | 'wasm' | 'auto') {
    const events: PoolEvent[] = [];
    const choosing = new EnginePool({
      models: { agent: { webgpu: { model: 'Qwen2.5-0.5B-Instruct' }, wasm: { model: url('a'), bytes: 726_048 } } },
      ...(backend ? { backend } : {}),
      onEvent: (event) => events.push(event),
    });
    try {
      const plan = await choosing.load();
      let text = '';
      const stream = await choosing.engine('agent').chat.completions.create({ messages: [{ role: 'user', content: 'Why is the sky blue?' }], stream: true, max_tokens: 6, temperature: 0 });
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      const chosen = events.find((e): e is Extract<PoolEvent, { type: 'backend' }> => e.type === 'backend');
      return { choice: chosen?.choice, planned: plan.models[0], wasmThreads: plan.wasmThreads, text, adapter: plan.capabilities?.adapter ?? null };
    } catch (error) {
      return { error: { name: (error as Error).name, code: (error as { code?: string }).code, message: (error as Error).message } };
    } finally {
      await choosing.dispose();
    }
  },

  poolEvents: () => poolEvents.slice(),
  status: () => pool!.status(),
  async dispose() {
    await pool?.dispose();
    pool = undefined;
  },
};

declare global {
  interface Window {
    moa: typeof harness;
  }
}
window.moa = harness;
document.getElementById('status')!.textContent = 'ready';
