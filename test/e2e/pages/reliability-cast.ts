// The reliability specs' cast (issue 9): three agents and an aggregator, each a scripted model in its own agent
// worker, with faults injected on cue. Shared by the core harness (reliability.ts) and the element harness.
import { AttentionMoA, EnginePool, type AgentConfig, type AggregatorConfig, type PoolEvent, type ScriptRule, type ScriptedWorkerSpec } from '@attention-moa/core';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const json = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as Json;

export function errorInfo(error: unknown) {
  const e = error as { name?: string; message?: string; code?: string; field?: string };
  return { name: e?.name ?? typeof error, message: e?.message ?? String(error), code: e?.code ?? null, field: e?.field ?? null };
}

// ---- the cast: three agents and an aggregator, each a scripted model in its own worker ------------

export type FaultKind = 'none' | 'throw-at-token' | 'hang' | 'stuck' | 'empty' | 'terminate' | 'all-fail' | 'aggregator' | 'device-lost';

export const QUESTION = 'Why are there tides?';
export const EXPECTED_ANSWER = 'Final: tides follow the moon and the sun.';

/** `n` words of filler, so replies have the size of real answers (for the soak). */
const filler = (n: number) => (n ? ` ${Array.from({ length: n }, (_, i) => `w${i}`).join(' ')}.` : '');

/** The protocol's replies; fault rules go first and apply once (`times: 1`), so the next run is healthy. */
export function script(name: string, faults: ScriptRule[] = [], tokenDelayMs = 1, words = 0): ScriptedWorkerSpec {
  return {
    kind: 'scripted',
    script: {
      model: name,
      tokenDelayMs,
      rules: [
        ...faults,
        { when: { role: 'propose' }, reply: `{agent} proposes: the moon pulls the oceans and the sun helps a little.${filler(words)}` },
        { when: { role: 'critique' }, reply: `{agent} on {target}: mention the sun as well.${filler(words / 4)}` },
        { when: { role: 'refine' }, reply: `{agent} refined: tides follow the moon and the sun.${filler(words)}` },
        // The aggregator's answers; an agent standing in for it says so.
        { when: { role: ['aggregate', 'residual'], agent: 'Agg' }, reply: EXPECTED_ANSWER },
        { when: { role: ['aggregate', 'residual'] }, reply: '{agent} stands in: tides follow the moon and the sun.' },
      ],
    },
  };
}

const once = (rule: ScriptRule): ScriptRule => ({ times: 1, ...rule });

export function faultsFor(kind: FaultKind): Record<'A' | 'B' | 'C' | 'Agg', ScriptRule[]> {
  const none = { A: [], B: [], C: [], Agg: [] };
  const proposeThrow = (message: string) => once({ when: { role: 'propose' }, reply: 'the first words of a failing answer', fault: { kind: 'throw', atToken: 3, name: 'ScriptedFault', message } });
  switch (kind) {
    case 'throw-at-token':
      return { ...none, B: [proposeThrow('B broke at token 3')] };
    case 'hang':
      return { ...none, B: [once({ when: { role: 'propose' }, reply: 'B starts and then hangs forever', fault: { kind: 'hang', atToken: 2 } })] };
    case 'empty':
      return { ...none, B: [once({ when: { role: 'propose' }, fault: { kind: 'empty' } })] };
    case 'all-fail':
      return { ...none, A: [proposeThrow('A broke')], B: [proposeThrow('B broke')], C: [proposeThrow('C broke')] };
    case 'aggregator':
      return { ...none, Agg: [once({ when: { role: 'aggregate' }, reply: 'Final: half an aggregate', fault: { kind: 'throw', atToken: 2, name: 'ScriptedFault', message: 'the aggregator broke' } })] };
    case 'device-lost':
      return { ...none, B: [once({ when: { role: 'propose' }, reply: 'B computes on a lost GPU', fault: { kind: 'throw', atToken: 2, name: 'DeviceLostError', message: 'The WebGPU device was lost (reason: unknown).' } })] };
    default:
      return none;
  }
}

export interface Cast {
  pool: EnginePool;
  moa: AttentionMoA;
  /** The same engines as agent and aggregator configs (for <attention-moa>'s properties), and the protocol options. */
  agents: AgentConfig[];
  aggregator: AggregatorConfig;
  protocol: { layers: number; earlyStop: 'off'; callTimeoutMs: number };
  workers: { label: string; worker: Worker; terminated: boolean }[];
  poolEvents: Json[];
}

/** The pool's watchdog grace for cancelled calls in these tests (the default is 15 s). */
export const HANG_GRACE_MS = 1000;

export function makeCast(options: { kind?: FaultKind; tokenDelayMs?: number; callTimeoutMs?: number; layers?: number; pingTimeoutMs?: number; words?: number; stuckOnCall?: number } = {}): Cast {
  const faults = faultsFor(options.kind ?? 'none');
  // 'stuck': B's first call stops after 2 tokens and never returns, deaf to its signal and to interruptGenerate
  // (a GPU await that never returns); its worker keeps answering pings. Only the first worker does it: the restart behaves.
  const b = script('B', faults.B, options.tokenDelayMs, options.words);
  if (options.kind === 'stuck') b.crash = { how: 'stuck', onCall: options.stuckOnCall ?? 1, afterTokens: 2 };
  const workers: Cast['workers'] = [];
  const poolEvents: Json[] = [];
  const pool = new EnginePool({
    models: {
      A: script('A', faults.A, options.tokenDelayMs, options.words),
      B: b,
      C: script('C', faults.C, options.tokenDelayMs, options.words),
      Agg: script('Agg', faults.Agg, options.tokenDelayMs, options.words),
    },
    // Silent deaths (terminate) are noticed by pings: short enough for a quick test, long enough for a busy machine.
    pingIntervalMs: 200,
    pingTimeoutMs: options.pingTimeoutMs ?? 2000,
    hangGraceMs: HANG_GRACE_MS,
    onEvent: (event: PoolEvent) => {
      const copy = { ...event } as Record<string, unknown>;
      if ('error' in copy) copy.error = errorInfo(copy.error);
      if (event.type === 'plan') copy.plan = event.plan.memory.mode;
      if (event.type !== 'progress') poolEvents.push(json(copy));
    },
    createWorker: (url, workerOptions) => {
      const worker = new Worker(url, workerOptions);
      const entry = { label: workerOptions.name ?? '', worker, terminated: false };
      const terminate = worker.terminate.bind(worker);
      worker.terminate = () => {
        entry.terminated = true;
        terminate();
      };
      workers.push(entry);
      return worker;
    },
  });
  const agents: AgentConfig[] = ['A', 'B', 'C'].map((name) => ({ name, engine: pool.engine(name) }));
  const aggregator: AggregatorConfig = { name: 'Agg', engine: pool.engine('Agg') };
  const protocol = { layers: options.layers ?? 1, earlyStop: 'off' as const, callTimeoutMs: options.callTimeoutMs ?? 20_000 };
  const moa = new AttentionMoA({ agents, aggregator, ...protocol });
  return { pool, moa, agents, aggregator, protocol, workers, poolEvents };
}
