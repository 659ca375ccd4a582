// Harness for the worker-runtime e2e specs: drives EnginePool / WorkerEngine / the model cache from the page
// and returns plain data. Everything here goes through the package's public API, but for the two internals imported
// below from their files.
import {
  AttentionMoA,
  EnginePool,
  WorkerEngine,
  deleteAllCachedModels,
  deleteCachedModel,
  detectCapabilities,
  hasCachedModel,
  listCachedModels,
  listRegistry,
  recordModelUse,
  requestPersistentStorage,
  storageEstimate,
  type ChatCompletionChunk,
  type EngineSpec,
  type EnginePoolOptions,
  type ModelRecordLike,
  type PoolEvent,
  type ScriptedWorkerSpec,
  type AttentionMoAEvent,
} from '@attention-moa/core';
import { defaultAgentWorkerUrl } from '../../../packages/core/src/runtime/worker-engine.js';
import { isRuntimeError } from '../../../packages/core/src/engine/errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function errorInfo(error: unknown) {
  const e = error as { name?: string; message?: string; code?: string; details?: Record<string, unknown> };
  return { name: e?.name ?? 'unknown', message: e?.message ?? String(error), code: e?.code ?? null, details: (e?.details ?? null) as Json, isRuntimeError: isRuntimeError(error) };
}

/** Events as plain data (errors flattened). */
function recordEvents(events: Json[]) {
  return (event: PoolEvent) => {
    const copy = { ...event } as Record<string, unknown>;
    if ('error' in copy) copy.error = errorInfo(copy.error);
    if (event.type === 'plan') copy.plan = { mode: event.plan.memory.mode, loads: event.plan.memory.loads, loading: event.plan.loading, models: event.plan.models } as unknown;
    events.push(JSON.parse(JSON.stringify(copy)) as Json);
  };
}

const ask = (text: string) => ({ messages: [{ role: 'user' as const, content: text }], stream: true as const, stream_options: { include_usage: true } });

interface StreamResult {
  key: string;
  text: string;
  tokens: number;
  chunks: number;
  finish: string | null;
  usage: Json;
  error: ReturnType<typeof errorInfo> | null;
  firstTokenMs: number | null;
  endMs: number;
}

async function consume(key: string, iterable: Promise<AsyncIterable<ChatCompletionChunk>>, t0: number, onToken?: (n: number) => void): Promise<StreamResult> {
  const result: StreamResult = { key, text: '', tokens: 0, chunks: 0, finish: null, usage: null, error: null, firstTokenMs: null, endMs: 0 };
  try {
    for await (const chunk of await iterable) {
      result.chunks++;
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        result.firstTokenMs ??= performance.now() - t0;
        result.text += content;
        result.tokens++;
        onToken?.(result.tokens);
      }
      if (chunk.choices[0]?.finish_reason) result.finish = chunk.choices[0].finish_reason;
      if (chunk.usage) result.usage = JSON.parse(JSON.stringify(chunk.usage)) as Json;
    }
  } catch (error) {
    result.error = errorInfo(error);
  }
  result.endMs = performance.now() - t0;
  return result;
}

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

function scripted(name: string, extra: Partial<ScriptedWorkerSpec> = {}, reply = `{agent} of ${name} answers in {role}`): ScriptedWorkerSpec {
  return { kind: 'scripted', script: { model: name, rules: [{ reply }] }, ...extra };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const rt = {
  /** Three (or n) scripted models, each in its own worker, streaming at once; `call` is forwarded. */
  async streamParallel(options: { n?: number; tokens?: number; tokenDelayMs?: number } = {}) {
    const n = options.n ?? 3;
    const models: Record<string, EngineSpec> = {};
    for (let i = 0; i < n; i++) {
      const name = `M${i}`;
      models[name] = { kind: 'scripted', script: { model: name, tokenDelayMs: options.tokenDelayMs ?? 2, rules: [{ when: { agent: `agent-${name}` }, reply: `${name} heard {agent} in {role} layer {layer}: ${words(options.tokens ?? 30, name.toLowerCase())}` }, { reply: 'WRONG: call not forwarded' }] } };
    }
    const events: Json[] = [];
    const pool = new EnginePool({ models, onEvent: recordEvents(events) });
    await pool.load();
    const t0 = performance.now();
    const results = await Promise.all(Object.keys(models).map((key) => consume(key, pool.engine(key).chat.completions.create(ask('hello'), { call: { role: 'propose', layer: 1, agent: `agent-${key}` } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, t0)));
    const stats = await Promise.all(Object.keys(models).map((key) => pool.stats(key)));
    const status = pool.status();
    await pool.dispose();
    return { results, stats: JSON.parse(JSON.stringify(stats)) as Json, status: JSON.parse(JSON.stringify(status)) as Json, events };
  },

  /** Streams from n workers, aborts one shared signal once every stream has tokens, then watches the workers. */
  async abortMidStream(options: { n?: number } = {}) {
    const n = options.n ?? 3;
    const models: Record<string, EngineSpec> = {};
    for (let i = 0; i < n; i++) models[`M${i}`] = scripted(`M${i}`, { script: { model: `M${i}`, tokenDelayMs: 15, rules: [{ reply: words(2000, 'w') }] } });
    const pool = new EnginePool({ models });
    await pool.load();
    const controller = new AbortController();
    const seen = new Set<string>();
    let abortedAt = 0;
    let resolveAllStarted!: () => void;
    const allStarted = new Promise<void>((resolve) => (resolveAllStarted = resolve));
    const t0 = performance.now();
    const runs = Object.keys(models).map((key) =>
      consume(key, pool.engine(key).chat.completions.create(ask('go'), { signal: controller.signal, call: { role: 'propose', layer: 1, agent: key } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, t0, (count) => {
        if (count >= 3) seen.add(key);
        if (seen.size === n) resolveAllStarted();
      }));
    await allStarted;
    abortedAt = performance.now() - t0;
    controller.abort();
    const results = await Promise.all(runs);
    const settledAfterAbortMs = Math.max(...results.map((r) => r.endMs)) - abortedAt;
    await sleep(500);
    const before = await Promise.all(Object.keys(models).map((key) => pool.stats(key)));
    await sleep(400);
    const after = await Promise.all(Object.keys(models).map((key) => pool.stats(key)));
    // The workers still serve new requests after an abort.
    const again = await consume('M0', pool.engine('M0').chat.completions.create({ ...ask('again'), max_tokens: 20 }, { call: { role: 'refine', layer: 1, agent: 'M0' } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, performance.now());
    await pool.dispose();
    return {
      results: results.map((r) => ({ key: r.key, tokens: r.tokens, error: r.error })),
      settledAfterAbortMs,
      tokensBefore: before.map((s) => s?.tokens ?? -1),
      tokensAfter: after.map((s) => s?.tokens ?? -1),
      activeAfter: after.map((s) => s?.active ?? -1),
      again: { tokens: again.tokens, finish: again.finish, error: again.error },
    };
  },

  /**
   * Three pool keys naming one scripted model share one worker; `parallel` is how many requests its engine takes at
   * once. Three requests go at once (one per key); `abortSecond` aborts the second once it has 5 tokens.
   */
  async sharedModel(options: { parallel?: number; abortSecond?: boolean }) {
    const spec = (parallel?: number): EngineSpec => ({ kind: 'scripted', script: { model: 'shared', tokenDelayMs: 10, rules: [{ reply: `{agent}: ${words(40, 'w')}` }] }, ...(parallel ? { parallel } : {}) });
    const pool = new EnginePool({ models: { a: spec(options.parallel), b: spec(), c: spec() } });
    const plan = await pool.load();
    const controller = new AbortController();
    const t0 = performance.now();
    let activeSeen = 0;
    const watch = setInterval(() => void pool.stats('a').then((s) => (activeSeen = Math.max(activeSeen, s?.active ?? 0))), 20);
    const results = await Promise.all(['a', 'b', 'c'].map((key) =>
      consume(key, pool.engine(key).chat.completions.create(ask('go'), { ...(key === 'b' ? { signal: controller.signal } : {}), call: { role: 'critique', layer: 1, agent: key } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, t0, (count) => {
        if (key === 'b' && count === 5 && options.abortSecond) controller.abort();
      })));
    clearInterval(watch);
    await sleep(100);
    const stats = await pool.stats('a');
    const status = pool.status();
    await pool.dispose();
    return {
      results: results.map((r) => ({ key: r.key, text: r.text, tokens: r.tokens, finish: r.finish, error: r.error?.name ?? null, firstTokenMs: r.firstTokenMs, endMs: r.endMs })),
      planned: plan.models.map((m) => ({ key: m.key, slot: m.slot, parallel: m.parallel })),
      status: status.map((s) => ({ keys: s.keys, parallel: s.parallel })),
      activeSeen,
      after: { active: stats?.active ?? -1, queued: stats?.queued ?? -1, parallel: stats?.parallel ?? -1, requests: stats?.requests ?? -1 },
    };
  },

  /**
   * Model B's worker dies mid-stream (self.close(), an uncaught error, a hang, or terminate() from outside).
   * Returns the first round (A, B, C at once), the events, and a second round after the restart.
   */
  async crashRun(options: { how: 'close' | 'throw' | 'hang' | 'terminate'; attemptsBelow?: number; restarts?: number }) {
    const workers: Worker[] = [];
    const spec = (name: string, crash = false): ScriptedWorkerSpec => ({
      kind: 'scripted',
      script: { model: name, tokenDelayMs: 10, rules: [{ reply: `${name} says ${words(40, name)}` }] },
      ...(crash && options.how !== 'terminate' ? { crash: { how: options.how, afterTokens: 5, attemptsBelow: options.attemptsBelow ?? 1 } } : {}),
    });
    const events: Json[] = [];
    const pool = new EnginePool({
      models: { A: spec('A'), B: spec('B', true), C: spec('C') },
      // Short enough to keep the test quick, long enough that a busy 2-core machine does not look like a crash.
      pingIntervalMs: 200,
      pingTimeoutMs: 2000,
      ...(options.restarts !== undefined ? { restarts: options.restarts } : {}),
      onEvent: recordEvents(events),
      createWorker: (url, workerOptions) => {
        const worker = new Worker(url, workerOptions);
        (worker as Worker & { label?: string }).label = workerOptions.name ?? '';
        workers.push(worker);
        return worker;
      },
    });
    await pool.load();
    const t0 = performance.now();
    const round = (tag: string) => Promise.all(['A', 'B', 'C'].map((key) => consume(key, pool.engine(key).chat.completions.create(ask(tag), { call: { role: 'propose', layer: 1, agent: key } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, t0, (count) => {
      if (options.how === 'terminate' && key === 'B' && count === 5 && tag === 'first') {
        workers.find((w) => (w as Worker & { label?: string }).label?.includes('agent worker B '))?.terminate();
      }
    })));
    const first = await round('first');
    // Let a restart finish (all-fit mode restarts at once).
    for (let i = 0; i < 50 && !pool.status().every((s) => s.state === 'loaded' || s.state === 'failed'); i++) await sleep(50);
    const second = await round('second');
    // One more request for B: after a give-up it fails at once, without a worker.
    const t1 = performance.now();
    const third = await consume('B', pool.engine('B').chat.completions.create(ask('third'), { call: { role: 'refine', layer: 1, agent: 'B' } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, t1);
    const status = pool.status();
    await pool.dispose();
    return { first, second, third, events, status: JSON.parse(JSON.stringify(status)) as Json, workersCreated: workers.length };
  },

  async capabilities() {
    return JSON.parse(JSON.stringify(await detectCapabilities())) as Json;
  },

  /** Plans WebLLM models (no load): returns the plan or the typed error. */
  async plan(options: { models: Record<string, EngineSpec>; memoryBudgetMB?: number; protocol?: EnginePoolOptions['protocol'] }) {
    const events: Json[] = [];
    const pool = new EnginePool({ ...options, onEvent: recordEvents(events) });
    try {
      const plan = await pool.plan();
      return { plan: JSON.parse(JSON.stringify({ ...plan, capabilities: undefined })) as Json, events, status: JSON.parse(JSON.stringify(pool.status())) as Json };
    } catch (error) {
      return { error: errorInfo(error), events };
    } finally {
      await pool.dispose();
    }
  },

  /** Loads one model and returns the typed error (or that it loaded). */
  async loadError(spec: EngineSpec, options: { memoryBudgetMB?: number } = {}): Promise<{ loaded?: boolean; error?: ReturnType<typeof errorInfo>; ms: number; events: any[]; status?: any }> {
    const events: Json[] = [];
    const pool = new EnginePool({ models: { m: spec }, onEvent: recordEvents(events), ...(options.memoryBudgetMB ? { memoryBudgetMB: options.memoryBudgetMB } : {}) });
    const t0 = performance.now();
    try {
      await pool.load();
      return { loaded: true, ms: performance.now() - t0, events };
    } catch (error) {
      return { error: errorInfo(error), ms: performance.now() - t0, events, status: JSON.parse(JSON.stringify(pool.status())) as Json };
    } finally {
      await pool.dispose();
    }
  },

  /** A slow scripted load cancelled after `afterMs`. */
  async cancelLoad(options: { loadMs: number; afterMs: number }) {
    const events: Json[] = [];
    const pool = new EnginePool({ models: { slow: scripted('slow', { loadMs: options.loadMs }) }, onEvent: recordEvents(events) });
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(), options.afterMs);
    let error: ReturnType<typeof errorInfo> | null = null;
    try {
      await pool.load({ signal: controller.signal });
    } catch (e) {
      error = errorInfo(e);
    }
    const rejectedAfterAbortMs = performance.now() - t0 - options.afterMs;
    const statusAfter = JSON.parse(JSON.stringify(pool.status())) as Json;
    // A later request loads it again and is served.
    const after = await consume('slow', pool.engine('slow').chat.completions.create(ask('x'), { call: { role: 'propose', layer: 1, agent: 'a' } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, performance.now());
    await pool.dispose();
    return { error, rejectedAfterAbortMs, statusAfter, after: { text: after.text, error: after.error }, events };
  },

  /** Two models loading in parallel with progress: per model, overall, ETA. */
  async progressLoad() {
    const events: Json[] = [];
    const pool = new EnginePool({
      models: { small: scripted('small', { loadMs: 1200, vramMB: 100 }), big: scripted('big', { loadMs: 2400, vramMB: 300 }) },
      memoryBudgetMB: 1000,
      onEvent: recordEvents(events),
    });
    const plan = await pool.load();
    await pool.dispose();
    return { events, loading: plan.loading };
  },

  /**
   * Swap mode: three 1000 MB scripted models, a 2000 MB budget, and the protocol's call pattern for one layer
   * (3 proposals at once; each agent's 3 critiques in turn, agents in parallel; 3 refinements; 1 aggregate).
   */
  async swapRun(options: { layers?: number } = {}): Promise<{ mode: string; plannedLoads: number; schedule: Json; loads: number; maxLoaded: number; outputs: string[]; events: any[] }> {
    const layers = options.layers ?? 1;
    const events: Json[] = [];
    const names = ['A', 'B', 'C'];
    const models: Record<string, EngineSpec> = {};
    for (const name of names) models[name] = { kind: 'scripted', vramMB: 1000, loadMs: 50, script: { model: name, rules: [{ reply: `${name}/{role}/{layer}{targetSuffix}` }] } };
    let loaded = 0;
    let maxLoaded = 0;
    const pool = new EnginePool({
      models,
      memoryBudgetMB: 2000,
      protocol: { agents: names.map((name) => ({ name, model: name })), aggregator: { model: 'A' }, layers },
      onEvent: (event) => {
        recordEvents(events)(event);
        if (event.type === 'loaded') maxLoaded = Math.max(maxLoaded, ++loaded);
        if (event.type === 'unloaded') loaded--;
      },
    });
    const plan = await pool.load();
    const call = (agent: string, role: string, layer: number, target?: string) =>
      consume(agent, pool.engine(agent).chat.completions.create(ask(`${agent} ${role}`), { call: { role, layer, agent, ...(target ? { target } : {}) } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, 0);
    const outputs: string[] = [];
    for (let layer = 1; layer <= layers; layer++) {
      outputs.push(...(await Promise.all(names.map((a) => call(a, 'propose', layer)))).map((r) => r.error ? `ERR ${r.error.code}` : r.text));
      outputs.push(...(await Promise.all(names.map(async (a) => {
        const texts: string[] = [];
        for (const t of names) {
          const r = await call(a, 'critique', layer, t);
          texts.push(r.error ? `ERR ${r.error.code}` : r.text);
        }
        return texts.join(' | ');
      }))));
      outputs.push(...(await Promise.all(names.map((a) => call(a, 'refine', layer)))).map((r) => r.error ? `ERR ${r.error.code}` : r.text));
      const agg = await call('A', 'aggregate', layer);
      outputs.push(agg.error ? `ERR ${agg.error.code}` : agg.text);
      if (layer >= 2) {
        const residual = await call('A', 'residual', layer);
        outputs.push(residual.error ? `ERR ${residual.error.code}` : residual.text);
      }
    }
    const status = pool.status();
    await pool.dispose();
    return {
      mode: plan.memory.mode,
      plannedLoads: plan.memory.loads,
      schedule: plan.memory.mode === 'swap' ? (JSON.parse(JSON.stringify(plan.memory.schedule)) as Json) : null,
      loads: status.reduce((sum, s) => sum + s.loads, 0),
      maxLoaded,
      outputs,
      events,
    };
  },

  /** Starts the agent worker from another origin (localhost vs 127.0.0.1) with the given bootstrap. */
  async crossOrigin(bootstrap: 'auto' | 'module' | 'blob') {
    // The dev server builds the worker in advance (default-worker-prebuilt.ts), so its URL is known here.
    const url = defaultAgentWorkerUrl()!;
    const other = new URL(url.href);
    other.hostname = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    try {
      const engine = await WorkerEngine.start({ workerUrl: other, bootstrap, startTimeoutMs: 10_000 });
      await engine.load({ kind: 'scripted', script: { rules: [{ reply: 'served from another origin' }] } });
      const result = await consume('x', engine.chat.completions.create(ask('hi')) as Promise<AsyncIterable<ChatCompletionChunk>>, performance.now());
      engine.terminate();
      return { workerUrl: other.href, text: result.text, error: result.error };
    } catch (error) {
      return { workerUrl: other.href, error: errorInfo(error) };
    }
  },

  /**
   * Boundary throughput: `agents` scripted workers stream `tokens` tokens each at once, consumed on the page
   * through pool engines exactly as the protocol calls them (signal + call). tokenDelayMs 0 = as fast as the
   * worker can produce (bounded by the page); > 0 = one timer per token in the worker (many small batches).
   */
  async throughput(options: { agents: number; tokens: number; tokenDelayMs: number; inThread?: boolean }) {
    const models: Record<string, EngineSpec> = {};
    for (let i = 0; i < options.agents; i++) models[`M${i}`] = { kind: 'scripted', script: { model: `M${i}`, tokenDelayMs: options.tokenDelayMs, rules: [{ reply: words(options.tokens, 't') }] } };
    const pool = new EnginePool({ models });
    await pool.load();
    const controller = new AbortController();
    const t0 = performance.now();
    const results = await Promise.all(Object.keys(models).map((key) => consume(key, pool.engine(key).chat.completions.create(ask('go'), { signal: controller.signal, call: { role: 'propose', layer: 1, agent: key } } as never) as Promise<AsyncIterable<ChatCompletionChunk>>, t0)));
    const seconds = (performance.now() - t0) / 1000;
    const stats = await Promise.all(Object.keys(models).map((key) => pool.stats(key)));
    await pool.dispose();
    const total = results.reduce((sum, r) => sum + r.tokens, 0);
    const expected = words(options.tokens, 't');
    return {
      total, seconds, tokensPerSecond: total / seconds, perAgent: results.map((r) => r.tokens / (r.endMs / 1000)),
      errors: results.filter((r) => r.error).length, exact: results.map((r) => r.text === expected), workerRequests: stats.map((x) => x?.requests ?? 0),
    };
  },

  // ---- the protocol on worker engines ------------------------------------------------------------

  /**
   * One Attention-MoA layer with three agents and an aggregator, each a scripted engine in its own worker.
   * `abortAfterTokens`: abort the run once that many tokens streamed. `crashB`: B's worker dies while proposing.
   */
  async protocolRun(options: { abortAfterTokens?: number; crashB?: 'close' | 'throw'; tokenDelayMs?: number; longReplies?: boolean } = {}) {
    const script = (name: string, crash?: 'close' | 'throw'): ScriptedWorkerSpec => ({
      kind: 'scripted',
      ...(crash ? { crash: { how: crash, onCall: 1, afterTokens: 3 } } : {}),
      script: {
        model: name,
        tokenDelayMs: options.tokenDelayMs ?? 1,
        rules: [
          { when: { role: 'propose' }, reply: options.longReplies ? `{agent} proposes: ${words(3000, 'p')}` : '{agent} proposes an answer about tides.' },
          { when: { role: 'critique' }, reply: '{agent} on {target}: cite the moon.' },
          { when: { role: 'refine' }, reply: '{agent} refined: tides follow the moon.' },
          { when: { role: 'aggregate' }, reply: 'Final: tides follow the moon and the sun.' },
        ],
      },
    });
    const events: Json[] = [];
    const pool = new EnginePool({
      models: { A: script('A'), B: script('B', options.crashB), C: script('C'), Agg: script('Agg') },
      pingIntervalMs: 200,
      pingTimeoutMs: 2000,
      onEvent: recordEvents(events),
    });
    await pool.load();
    const moa = new AttentionMoA({
      agents: ['A', 'B', 'C'].map((name) => ({ name, engine: pool.engine(name) })),
      aggregator: { name: 'Agg', engine: pool.engine('Agg') },
      layers: 1,
    });
    const controller = new AbortController();
    const tokensByAgent: Record<string, number> = {};
    let tokens = 0;
    let answer = '';
    let abortedAt = 0;
    let result: Json = null;
    let error: ReturnType<typeof errorInfo> | null = null;
    const t0 = performance.now();
    for await (const event of moa.run('Why are there tides?', { signal: controller.signal }) as AsyncIterable<AttentionMoAEvent>) {
      if (event.type === 'call-token') {
        tokensByAgent[event.agent] = (tokensByAgent[event.agent] ?? 0) + 1;
        if (++tokens === options.abortAfterTokens) {
          abortedAt = performance.now();
          controller.abort();
        }
      }
      if (event.type === 'answer-token') answer += event.token;
      if (event.type === 'done') {
        const r = event.result;
        result = JSON.parse(JSON.stringify({
          answer: r.answer,
          dropped: r.dropped,
          calls: r.trace.map((c) => ({ role: c.role, agent: c.agent, target: c.target ?? null, text: c.text, finish: c.finishReason, error: c.error?.code ?? c.error?.name ?? null })),
        })) as Json;
      }
      if (event.type === 'error') error = errorInfo(event.error);
    }
    const endedAfterAbortMs = abortedAt ? performance.now() - abortedAt : null;
    await sleep(500);
    const statsA = await Promise.all(['A', 'B', 'C', 'Agg'].map((k) => pool.stats(k)));
    await sleep(400);
    const statsB = await Promise.all(['A', 'B', 'C', 'Agg'].map((k) => pool.stats(k)));
    const status = JSON.parse(JSON.stringify(pool.status())) as Json;
    await pool.dispose();
    return {
      result, error, answer, tokensByAgent, endedAfterAbortMs, ms: performance.now() - t0, events, status,
      workerTokens: [statsA.map((s) => s?.tokens ?? null), statsB.map((s) => s?.tokens ?? null)],
      workerRequests: statsB.map((s) => s?.requests ?? null),
      workerActive: statsB.map((s) => s?.active ?? null),
    };
  },

  // ---- cache -------------------------------------------------------------------------------

  /** Writes records into WebLLM's IndexedDB cache exactly as WebLLM 0.2.86 does ({ url, data } in store `urls`). */
  async seedWebLLMCache(records: { db: 'webllm/model' | 'webllm/config' | 'webllm/wasm'; url: string; json?: Json; bytes?: number; fill?: number }[]) {
    for (const record of records) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(record.db, 1);
        req.onupgradeneeded = () => {
          if (!req.result.objectStoreNames.contains('urls')) req.result.createObjectStore('urls', { keyPath: 'url' });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const data = record.json !== undefined ? record.json : new Uint8Array(record.bytes ?? 0).fill(record.fill ?? 7).buffer;
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('urls', 'readwrite');
        tx.objectStore('urls').put({ url: record.url, data });
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }
  },
  cacheList: async (appConfig?: { model_list: ModelRecordLike[] }) => JSON.parse(JSON.stringify(await listCachedModels(appConfig ? { appConfig } : {}))) as Json,
  cacheHas: (id: string, appConfig?: { model_list: ModelRecordLike[] }) => hasCachedModel(id, appConfig ? { appConfig } : {}),
  cacheDelete: async (id: string) => JSON.parse(JSON.stringify(await deleteCachedModel(id))) as Json,
  cacheDeleteAll: async () => JSON.parse(JSON.stringify(await deleteAllCachedModels())) as Json,
  cacheEstimate: async () => JSON.parse(JSON.stringify(await storageEstimate())) as Json,
  cachePersist: () => requestPersistentStorage(),
  recordUse: (record: ModelRecordLike, now?: number) => recordModelUse(record, now),
  registry: async () => JSON.parse(JSON.stringify(await listRegistry())) as Json,
  /** WebLLM's own verdict, from inside a worker (web-llm is never imported by the page). */
  async webllmHasModel(id: string, appConfig?: { model_list: ModelRecordLike[] }) {
    const worker = new Worker(new URL('./webllm-cache-worker.ts', import.meta.url), { type: 'module' });
    try {
      return await new Promise<{ has?: boolean; error?: string }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data as { has?: boolean; error?: string });
        worker.postMessage({ id, appConfig });
      });
    } finally {
      worker.terminate();
    }
  },
};

declare global {
  interface Window {
    rt: typeof rt;
  }
}
window.rt = rt;
document.getElementById('status')!.textContent = 'ready';
