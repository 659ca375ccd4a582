/**
 * Bench page for suites 1, 2, 3 and 7: the protocol and the worker pool with scripted engines, built in production
 * mode like an app using the library. Playwright drives it through `window.bench` and gets plain data back; the
 * analysis (ideal times, ratios) happens in the suite, in Node.
 */
import {
  AttentionMoA,
  EnginePool,
  ScriptedEngine,
  type ChatCompletionChunk,
  type ChatEngine,
  type EngineSpec,
  type ScriptRule,
} from '@attention-moa/core';

type Role = 'propose' | 'critique' | 'refine' | 'aggregate' | 'residual';
type ReplyTokens = Record<Role, number>;

export interface PoolSetup {
  agents: number;
  tokens: ReplyTokens;
  tokenDelayMs: number;
  firstTokenDelayMs: number;
}

/** n words: with the scripted engine's word tokens, exactly n tokens. */
const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

function rules(tokens: ReplyTokens, tag: string): ScriptRule[] {
  return (['critique', 'propose', 'refine', 'aggregate', 'residual'] as const).map((role) => ({ when: { role }, reply: words(tokens[role], `${tag}${role[0]}`) }));
}

let pool: EnginePool | undefined;
let poolSetup: PoolSetup | undefined;

async function ensurePool(setup: PoolSetup): Promise<EnginePool> {
  if (pool && JSON.stringify(setup) === JSON.stringify(poolSetup)) return pool;
  await pool?.dispose();
  const models: Record<string, EngineSpec> = {};
  const script = (name: string) => ({
    kind: 'scripted' as const,
    // A distinct model name per agent: one worker each (identical specs would share one).
    script: { model: name, tokenDelayMs: setup.tokenDelayMs, firstTokenDelayMs: setup.firstTokenDelayMs, rules: rules(setup.tokens, name) },
  });
  for (let i = 1; i <= setup.agents; i++) models[`agent${i}`] = script(`agent${i}`);
  models.aggregator = script('aggregator');
  pool = new EnginePool({ models });
  poolSetup = setup;
  await pool.load();
  return pool;
}

export interface OrchestrationRun {
  /** Where the scripted engines run: in workers through the pool (default) or in the page's thread (reference). */
  where?: 'worker' | 'thread';
  agents: number;
  layers: number;
  attention: 'full' | 'ring';
  /** Calls in flight across all engines; undefined = unlimited. */
  concurrency?: number;
}

/** The same scripts as the pool's, as in-thread engines. */
function threadEngine(setup: PoolSetup, name: string): ChatEngine {
  return new ScriptedEngine({ model: name, tokenDelayMs: setup.tokenDelayMs, firstTokenDelayMs: setup.firstTokenDelayMs, rules: rules(setup.tokens, name) });
}

async function runOrchestration(setup: PoolSetup, run: OrchestrationRun) {
  const engine =
    run.where === 'thread'
      ? (name: string) => threadEngine(setup, name)
      : await ensurePool(setup).then((p) => (name: string) => p.engine(name));
  const moa = new AttentionMoA({
    agents: Array.from({ length: run.agents }, (_, i) => ({ name: `agent${i + 1}`, engine: engine(`agent${i + 1}`) })),
    aggregator: { engine: engine('aggregator'), name: 'aggregator' },
    layers: run.layers,
    attention: run.attention,
    earlyStop: 'off',
    ...(run.concurrency !== undefined ? { concurrency: run.concurrency } : {}),
  });
  const t0 = performance.now();
  const result = await moa.complete('Explain how a hash map handles collisions.');
  const wallMs = performance.now() - t0;
  return {
    wallMs,
    durationMs: result.durationMs,
    records: result.trace.map((r) => ({
      role: r.role,
      layer: r.layer,
      agent: r.agent,
      ...(r.target ? { target: r.target } : {}),
      queuedAt: r.queuedAt,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      completionTokens: r.usage?.completion_tokens ?? -1,
      ...(typeof r.usage?.extra?.e2e_latency_s === 'number' ? { engineMs: r.usage.extra.e2e_latency_s * 1000 } : {}),
      finishReason: r.finishReason,
    })),
  };
}

// ---- suite 3: the worker boundary -----------------------------------------------------------------

const ask = { messages: [{ role: 'user' as const, content: 'stream' }], stream: true as const, stream_options: { include_usage: true } };

/** Streams one request; returns the arrival time of every token (ms since `t0`). */
async function drain(engine: ChatEngine, t0: number): Promise<number[]> {
  const arrivals: number[] = [];
  const stream = (await engine.chat.completions.create(ask)) as AsyncIterable<ChatCompletionChunk>;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta?.content) arrivals.push(performance.now() - t0);
  }
  return arrivals;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

let boundaryPool: EnginePool | undefined;
let boundaryKey = '';

/**
 * `streams` engines stream `tokens` tokens at once with `tokenDelayMs` per token, in workers (through the pool and
 * its token port) or in this thread (the same ScriptedEngine). Returns, per stream, its tokens and when the last one
 * arrived, and over all tokens how late they arrived against their schedule (token k due k · delay after the request).
 */
async function boundary(options: { where: 'worker' | 'thread'; streams: number; tokens: number; tokenDelayMs: number }) {
  const script = (name: string) => ({ model: name, tokenDelayMs: options.tokenDelayMs, rules: [{ reply: words(options.tokens, 't') }] });
  let engines: ChatEngine[];
  if (options.where === 'worker') {
    const key = JSON.stringify([options.streams, options.tokens, options.tokenDelayMs]);
    if (key !== boundaryKey) {
      await boundaryPool?.dispose();
      const models: Record<string, EngineSpec> = {};
      for (let i = 0; i < options.streams; i++) models[`s${i}`] = { kind: 'scripted', script: script(`s${i}`) };
      boundaryPool = new EnginePool({ models });
      await boundaryPool.load();
      boundaryKey = key;
    }
    engines = Array.from({ length: options.streams }, (_, i) => boundaryPool!.engine(`s${i}`));
  } else {
    engines = Array.from({ length: options.streams }, (_, i) => new ScriptedEngine(script(`s${i}`)));
  }
  const t0 = performance.now();
  const results = await Promise.all(engines.map((engine) => drain(engine, t0)));
  const wallMs = performance.now() - t0;
  const lateness = results.flatMap((arrivals) => arrivals.map((t, i) => t - (i + 1) * options.tokenDelayMs)).sort((a, b) => a - b);
  return {
    wallMs,
    streams: results.map((arrivals) => ({ tokens: arrivals.length, lastMs: arrivals[arrivals.length - 1] ?? NaN })),
    lateness: { p50: quantile(lateness, 0.5), p95: quantile(lateness, 0.95) },
  };
}

// ---- suite 7: memory over many runs ----------------------------------------------------------------

/** `count` runs of a small scripted protocol (3 agents, 2 layers, full) on one pool and one AttentionMoA. */
let memoryMoa: AttentionMoA | undefined;
async function manyRuns(setup: PoolSetup, count: number) {
  const p = await ensurePool(setup);
  memoryMoa ??= new AttentionMoA({
    agents: [1, 2, 3].map((i) => ({ name: `agent${i}`, engine: p.engine(`agent${i}`) })),
    aggregator: { engine: p.engine('aggregator'), name: 'aggregator' },
    layers: 2,
    earlyStop: 'off',
  });
  let calls = 0;
  for (let i = 0; i < count; i++) calls += (await memoryMoa.complete(`Question number ${i}?`)).trace.length;
  return { calls };
}

async function dispose() {
  await pool?.dispose();
  await boundaryPool?.dispose();
  pool = boundaryPool = memoryMoa = undefined;
  poolSetup = undefined;
  boundaryKey = '';
}

const bench = { runOrchestration, boundary, manyRuns, dispose, ready: true };
export type OrchestrationBench = typeof bench;
(window as unknown as { bench: OrchestrationBench }).bench = bench;
