// Harness for the reliability specs (issue 9): faults injected on cue into scripted engines running in agent
// workers, driven through the public API (EnginePool + AttentionMoA), reported as plain data.
import {
  AttentionMoA,
  EnginePool,
  listCachedModels,
  listRegistry,
  recordModelUse,
  type AttentionMoAError,
  type AttentionMoAEvent,
  type AttentionMoAResult,
} from '@attention-moa/core';
import { EXPECTED_ANSWER, QUESTION, errorInfo, makeCast, script, type Cast, type FaultKind } from './reliability-cast.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const json = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as Json;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- unhandled errors: counted for every spec ------------------------------------------------
const unhandled: string[] = [];
addEventListener('unhandledrejection', (event) => unhandled.push(`unhandledrejection: ${errorInfo(event.reason).name}: ${errorInfo(event.reason).message}`));
addEventListener('error', (event) => unhandled.push(`error: ${event.message}`));

export interface RunSummary {
  answer: string | null;
  streamed: string;
  error: ReturnType<typeof errorInfo> | null;
  dropped: Json;
  aggregatorFallback: Json;
  layerOutputs: string[];
  calls: { id: number; role: string; layer: number; agent: string; target: string | null; finish: string | null; error: Json; text: string }[];
  eventTypes: string[];
  ms: number;
}

function summarize(source: { trace: AttentionMoAResult['trace']; dropped: AttentionMoAResult['dropped']; layerOutputs: string[] }) {
  return {
    dropped: json(source.dropped),
    layerOutputs: source.layerOutputs,
    calls: source.trace.map((c) => ({ id: c.id, role: c.role, layer: c.layer, agent: c.agent, target: c.target ?? null, finish: c.finishReason, error: json(c.error ?? null), text: c.text })),
  };
}

async function runOnce(moa: AttentionMoA, options: { signal?: AbortSignal; onEvent?: (event: AttentionMoAEvent) => void } = {}): Promise<RunSummary> {
  const t0 = performance.now();
  let streamed = '';
  const eventTypes: string[] = [];
  let summary: RunSummary | undefined;
  for await (const event of moa.run(QUESTION, options.signal ? { signal: options.signal } : {})) {
    options.onEvent?.(event);
    if (event.type !== 'call-token' && event.type !== 'answer-token') eventTypes.push(event.type);
    if (event.type === 'answer-token') streamed += event.token;
    if (event.type === 'answer-reset') streamed = '';
    if (event.type === 'done') {
      const r = event.result;
      summary = { answer: r.answer, streamed, error: null, aggregatorFallback: json(r.aggregatorFallback ?? null), eventTypes, ms: 0, ...summarize(r) };
    }
    if (event.type === 'error') {
      const e = event.error as AttentionMoAError;
      summary = { answer: null, streamed, error: errorInfo(e), aggregatorFallback: null, eventTypes, ms: 0, ...summarize(e) };
    }
  }
  summary!.ms = performance.now() - t0;
  return summary!;
}

/** Waits until every worker is loaded again (or given up) after a crash. */
async function settle(pool: EnginePool): Promise<void> {
  for (let i = 0; i < 100 && !pool.status().every((s) => s.state === 'loaded' || s.state === 'failed'); i++) await sleep(50);
}

const rel = {
  QUESTION,
  EXPECTED_ANSWER,
  unhandled: () => unhandled.slice(),

  /** One fault on cue in the first run; the second run, on the same pool and instance, must be healthy. */
  async faultRun(kind: FaultKind) {
    const cast = makeCast({ kind, ...(kind === 'hang' || kind === 'stuck' ? { callTimeoutMs: 1500 } : {}), ...(kind === 'terminate' ? { tokenDelayMs: 10 } : {}) });
    await cast.pool.load();
    let bTokens = 0;
    const first = await runOnce(cast.moa, {
      onEvent: (event) => {
        // 'terminate': B's worker is killed from outside while it streams its proposal.
        if (kind === 'terminate' && event.type === 'call-token' && event.agent === 'B' && event.role === 'propose' && ++bTokens === 3) {
          cast.workers.find((w) => w.label.includes(' B ') && !w.terminated)?.worker.terminate();
        }
      },
    });
    await settle(cast.pool);
    const second = await runOnce(cast.moa);
    const stats = await Promise.all(['A', 'B', 'C', 'Agg'].map((key) => cast.pool.stats(key).then((s) => ({ key, active: s?.active ?? null, queued: s?.queued ?? null }), (e) => ({ key, error: errorInfo(e) }))));
    const status = json(cast.pool.status());
    await cast.pool.dispose();
    return { first, second, stats: json(stats), status, poolEvents: cast.poolEvents, workersCreated: cast.workers.length, unhandled: unhandled.slice() };
  },

  /** B's engine gets stuck mid-proposal (deaf to every signal); the user presses Stop after its 2nd token. The next
   *  run, on the same pool and instance, must have every agent back once the watchdog restarted B's worker. */
  async stuckThenStop() {
    const cast = makeCast({ kind: 'stuck' });
    await cast.pool.load();
    const controller = new AbortController();
    let bTokens = 0;
    const t0 = performance.now();
    let stoppedAt = 0;
    const first = await runOnce(cast.moa, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'call-token' && event.agent === 'B' && ++bTokens === 2) setTimeout(() => {
          stoppedAt = performance.now();
          controller.abort();
        }, 100);
      },
    });
    const firstEndedMs = performance.now() - stoppedAt;
    const second = await runOnce(cast.moa);
    const status = json(cast.pool.status());
    await cast.pool.dispose();
    return { first, firstEndedMs, second, secondMs: second.ms, totalMs: performance.now() - t0, status, poolEvents: cast.poolEvents, workersCreated: cast.workers.length, unhandled: unhandled.slice() };
  },

  /**
   * Two runs at once on one ensemble (the same pool engines): `first` starts, `second` starts while the first is
   * still proposing (its requests queue in the workers behind the first's), and one of them is stopped mid-run.
   * `instances`: one AttentionMoA for both runs (shared permit queues) or one each (as two components, or the
   * demo's comparison runs, would have). The run left alone must finish whole.
   */
  async concurrentRuns(options: { instances: 1 | 2; stop: 'first' | 'second' }) {
    const cast = makeCast({ tokenDelayMs: 15 });
    await cast.pool.load();
    const other = options.instances === 1 ? cast.moa : new AttentionMoA({ agents: cast.agents, aggregator: cast.aggregator, ...cast.protocol });
    const controllers = { first: new AbortController(), second: new AbortController() };
    let secondTokens = 0;
    const first = runOnce(cast.moa, { signal: controllers.first.signal });
    await sleep(60);
    const second = runOnce(other, {
      signal: controllers.second.signal,
      onEvent: (event) => {
        // Stop once the second run is under way: its calls are streaming or waiting in the workers.
        if (event.type === 'call-start' && ++secondTokens === 2) setTimeout(() => controllers[options.stop].abort(), 30);
      },
    });
    const [a, b] = await Promise.all([first, second]);
    await settle(cast.pool);
    const after = await runOnce(cast.moa);
    const stats = await Promise.all(['A', 'B', 'C', 'Agg'].map((key) => cast.pool.stats(key).then((s) => ({ key, active: s?.active ?? null, queued: s?.queued ?? null }))));
    await cast.pool.dispose();
    return { first: a, second: b, after, stats, poolEvents: cast.poolEvents, unhandled: unhandled.slice() };
  },

  // ---- a run left running while the test does something to the page (freeze, hide) ----------------
  current: undefined as undefined | { cast: Cast; run: Promise<RunSummary>; tokens: number },

  async startRun(options: { tokenDelayMs?: number; pingTimeoutMs?: number } = {}) {
    const cast = makeCast({ tokenDelayMs: options.tokenDelayMs ?? 30, ...(options.pingTimeoutMs ? { pingTimeoutMs: options.pingTimeoutMs } : {}) });
    await cast.pool.load();
    const state = { cast, tokens: 0, run: undefined as unknown as Promise<RunSummary> };
    state.run = runOnce(cast.moa, { onEvent: (e) => { if (e.type === 'call-token') state.tokens++; } });
    rel.current = state;
    return true;
  },
  tokensSoFar: () => rel.current?.tokens ?? 0,
  /** The page's own thread stops for `ms` (a long task, a debugger pause, a frozen or throttled tab). */
  blockPage(ms: number) {
    const until = performance.now() + ms;
    while (performance.now() < until) { /* the page is stuck; its workers are not */ }
    return true;
  },
  async finishRun() {
    const { cast, run } = rel.current!;
    const first = await run;
    await settle(cast.pool);
    const second = await runOnce(cast.moa);
    await cast.pool.dispose();
    rel.current = undefined;
    return { first, second, poolEvents: cast.poolEvents, unhandled: unhandled.slice() };
  },

  // ---- storage: the model registry under a full disk or a refused IndexedDB ------------------------

  async registryQuota() {
    const row = (id: string) => ({ model: `https://models.example/${id}/resolve/main/`, model_id: id, model_lib: `https://libs.example/${id}.wasm` });
    await recordModelUse(row('Kept-Model-q4f32_1-MLC'), 1000);
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    let error: ReturnType<typeof errorInfo> | null = null;
    try {
      await recordModelUse(row('New-Model-q4f32_1-MLC'), 2000);
    } catch (e) {
      error = errorInfo(e);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    const after = (await listRegistry()).map((r) => r.modelId);
    // With room again, the same write works.
    await recordModelUse(row('New-Model-q4f32_1-MLC'), 3000);
    const later = (await listRegistry()).map((r) => r.modelId);
    return { error, after, later, unhandled: unhandled.slice() };
  },

  /** indexedDB.open throws (as in sandboxed frames) or fails asynchronously (as when the browser refuses it). */
  async storageRefused(how: 'throw' | 'error') {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function () {
      if (how === 'throw') throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      // A request that fails asynchronously with an error event, as a refused open does.
      const fake = new EventTarget() as IDBOpenDBRequest & { error: DOMException };
      Object.defineProperty(fake, 'error', { value: new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError') });
      Object.defineProperty(fake, 'result', { get: () => { throw new DOMException('no result', 'InvalidStateError'); } });
      setTimeout(() => {
        (fake as { onerror?: ((e: Event) => void) | null }).onerror?.(new Event('error'));
        fake.dispatchEvent(new Event('error'));
      }, 0);
      return fake;
    };
    const results: Record<string, Json> = {};
    const attempt = async (name: string, fn: () => Promise<unknown>) => {
      try {
        results[name] = { ok: json(await fn()) };
      } catch (e) {
        results[name] = { error: errorInfo(e) };
      }
    };
    try {
      await attempt('listCachedModels', () => listCachedModels());
      await attempt('listRegistry', () => listRegistry());
      await attempt('recordModelUse', () => recordModelUse({ model: 'https://m.example/X/resolve/main/', model_id: 'X-q4f32_1-MLC', model_lib: 'https://m.example/x.wasm' }));
      // Runs do not need storage: a whole protocol run on worker engines still works.
      const cast = makeCast();
      await cast.pool.load();
      const run = await runOnce(cast.moa);
      await cast.pool.dispose();
      results.run = { answer: run.answer, error: run.error };
    } finally {
      IDBFactory.prototype.open = open;
    }
    // Storage comes back: the same functions work again in the same page.
    await attempt('listRegistryAfter', () => listRegistry());
    return { results, unhandled: unhandled.slice() };
  },

  // ---- one long-lived signal (an app's "stop everything" controller) used for many requests and a load ----

  shared: undefined as undefined | { pool: EnginePool; controller: AbortController },
  async sharedSignalSetup() {
    const controller = new AbortController();
    const pool = new EnginePool({ models: { A: script('A', [], 0) } });
    await pool.load({ signal: controller.signal });
    rel.shared = { pool, controller };
    return true;
  },
  /** `n` requests straight to a pool engine, all with the same signal, each read to the end. */
  async sharedSignalRequests(n: number) {
    const { pool, controller } = rel.shared!;
    let texts = 0;
    for (let i = 0; i < n; i++) {
      const stream = await pool.engine('A').chat.completions.create(
        { messages: [{ role: 'user', content: `q${i}` }], stream: true },
        { signal: controller.signal, call: { role: 'propose', layer: 1, agent: 'A' } } as never,
      );
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      if (text.startsWith('A proposes')) texts++;
    }
    return texts;
  },
  /** Aborts the controller whose signal loaded the pool (after the load finished), then asks again. */
  async sharedSignalAbortThenAsk() {
    const { pool, controller } = rel.shared!;
    controller.abort();
    await sleep(300);
    let result: Json;
    try {
      const stream = await pool.engine('A').chat.completions.create({ messages: [{ role: 'user', content: 'after' }], stream: true }, { call: { role: 'propose', layer: 1, agent: 'A' } } as never);
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      result = { text };
    } catch (e) {
      result = { error: errorInfo(e) };
    }
    const stats = json(await pool.stats('A'));
    await pool.dispose();
    rel.shared = undefined;
    return { result, stats };
  },

  // ---- soak: many runs on one pool and one instance ----------------------------------------------

  soak: undefined as undefined | { cast: Cast; runs: number; failures: string[] },
  async soakSetup() {
    const cast = makeCast({ tokenDelayMs: 0, layers: 2, words: 120 });
    await cast.pool.load();
    rel.soak = { cast, runs: 0, failures: [] };
    return { workers: cast.workers.length };
  },
  /** Runs `n` more runs; checks each result is complete (2 layers, 33 calls, nothing dropped, the right answer). */
  async soakBatch(n: number) {
    const soak = rel.soak!;
    for (let i = 0; i < n; i++) {
      // Alternate: plain runs, runs with their own signal, and (every 5th) a run stopped early by its consumer.
      const controller = new AbortController();
      const r = await runOnce(soak.cast.moa, i % 2 ? { signal: controller.signal } : {});
      soak.runs++;
      const problems: string[] = [];
      if (r.error) problems.push(`error ${r.error.code}: ${r.error.message}`);
      if (r.answer !== EXPECTED_ANSWER) problems.push(`answer ${JSON.stringify(r.answer)}`);
      if (r.streamed !== r.answer) problems.push('streamed answer differs');
      if (r.calls.length !== 33) problems.push(`${r.calls.length} calls`);
      if (r.calls.some((c) => c.finish !== 'stop' || c.error)) problems.push('a call did not finish cleanly');
      if ((r.dropped as Json[]).length) problems.push('agents dropped');
      if (r.layerOutputs.length !== 2) problems.push(`${r.layerOutputs.length} layers`);
      if (problems.length) soak.failures.push(`run ${soak.runs}: ${problems.join('; ')}`);
    }
    return { runs: soak.runs, failures: soak.failures.slice(), liveWorkers: soak.cast.workers.filter((w) => !w.terminated).length, workersCreated: soak.cast.workers.length, status: json(soak.cast.pool.status().map((s) => ({ state: s.state, crashes: s.crashes, loads: s.loads }))) };
  },
  async soakTeardown() {
    await rel.soak?.cast.pool.dispose();
    rel.soak = undefined;
  },
};

declare global {
  interface Window {
    rel: typeof rel;
  }
}
window.rel = rel;
document.getElementById('status')!.textContent = 'ready';
