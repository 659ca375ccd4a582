/**
 * The ideal wall time of an Attention-MoA run, computed from its call graph (suites 1 and 2).
 *
 * Scripted engines stream a fixed number of tokens per role with a fixed delay before each token (and an optional
 * delay before the first), so every call has a known duration. A run with unlimited concurrency is then bounded by
 * its critical path — per layer: propose → the slowest agent's serialized critiques → refine → aggregate → residual
 * (each step waits for the previous one; an agent's critiques queue on its own model). A run with concurrency 1 takes
 * the sum of all calls. Anything a measured run takes beyond these is the cost of the orchestration and transport.
 *
 * Who critiques whom comes from the protocol's own topology module (one source of truth); the steps and their
 * order are written out here from the spec (shared docs attention-moa.md).
 */
import { critiquesPerCritic, TOPOLOGIES, type AttentionTopology } from '@attention-moa/core';

export { critiquesPerCritic };
export type Topology = AttentionTopology;
export type Role = 'propose' | 'critique' | 'refine' | 'aggregate' | 'residual';

/** Tokens each call of a role streams. */
export type ReplyTokens = Record<Role, number>;

export interface IdealTimeInput {
  /** Number of agents n ≥ 1. */
  agents: number;
  /** Layers L ≥ 1 (no early stop: all run). */
  layers: number;
  attention: Topology;
  /** Residual synthesis in layers ≥ 2 (the protocol's default). */
  residual: boolean;
  tokens: ReplyTokens;
  /** Delay before every token, ms (ScriptedEngine `tokenDelayMs`). */
  tokenDelayMs: number;
  /** Extra delay before the first token, ms (ScriptedEngine `firstTokenDelayMs`, "prefill"). */
  firstTokenDelayMs?: number;
}

export interface IdealStep {
  layer: number;
  role: Role;
  /** Calls in this step. */
  calls: number;
  /** Wall time of the step with unlimited concurrency: its longest chain of calls on one model. */
  parallelMs: number;
  /** Sum of the step's calls. */
  serialMs: number;
}

export interface IdealTime {
  steps: IdealStep[];
  calls: number;
  /** Critical path: the wall time with unlimited concurrency and zero overhead. */
  parallelMs: number;
  /** Sum of all calls: the wall time with concurrency 1 and zero overhead. */
  serialMs: number;
  /** serialMs ÷ parallelMs. */
  speedup: number;
}

/** How long one scripted call takes: the prefill delay, then one delay before each token. */
export function callMs(tokens: number, tokenDelayMs: number, firstTokenDelayMs = 0): number {
  return firstTokenDelayMs + tokens * tokenDelayMs;
}

function check(input: IdealTimeInput): void {
  const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!whole(input.agents, 1)) throw new RangeError(`idealTime: agents must be a whole number ≥ 1, got ${input.agents}`);
  if (!whole(input.layers, 1)) throw new RangeError(`idealTime: layers must be a whole number ≥ 1, got ${input.layers}`);
  if (!TOPOLOGIES.includes(input.attention)) {
    throw new RangeError(`idealTime: attention must be ${TOPOLOGIES.join(' | ')}, got ${String(input.attention)}`);
  }
  if (!(input.tokenDelayMs >= 0)) throw new RangeError(`idealTime: tokenDelayMs must be ≥ 0, got ${input.tokenDelayMs}`);
  if (!((input.firstTokenDelayMs ?? 0) >= 0)) throw new RangeError(`idealTime: firstTokenDelayMs must be ≥ 0, got ${input.firstTokenDelayMs}`);
  for (const role of ['propose', 'critique', 'refine', 'aggregate', 'residual'] as const) {
    if (!whole(input.tokens?.[role] ?? NaN, 1)) throw new RangeError(`idealTime: tokens.${role} must be a whole number ≥ 1, got ${input.tokens?.[role]}`);
  }
  if (input.attention === 'none' && input.agents === 1) {
    throw new RangeError('idealTime: one agent with attention none is a single model (no aggregate); not modelled here');
  }
}

/** The ideal wall times of a run, step by step. */
export function idealTime(input: IdealTimeInput): IdealTime {
  check(input);
  const { agents: n, layers, attention, residual, tokens, tokenDelayMs: d, firstTokenDelayMs: f = 0 } = input;
  const ms = (role: Role) => callMs(tokens[role], d, f);
  const perCritic = critiquesPerCritic(attention, n);
  const steps: IdealStep[] = [];
  for (let layer = 1; layer <= layers; layer++) {
    steps.push({ layer, role: 'propose', calls: n, parallelMs: ms('propose'), serialMs: n * ms('propose') });
    if (attention !== 'none') {
      // Critics run in parallel; each one's critiques queue on its model, so the step lasts one critic's chain.
      steps.push({ layer, role: 'critique', calls: n * perCritic, parallelMs: perCritic * ms('critique'), serialMs: n * perCritic * ms('critique') });
      steps.push({ layer, role: 'refine', calls: n, parallelMs: ms('refine'), serialMs: n * ms('refine') });
    }
    steps.push({ layer, role: 'aggregate', calls: 1, parallelMs: ms('aggregate'), serialMs: ms('aggregate') });
    if (residual && layer >= 2) steps.push({ layer, role: 'residual', calls: 1, parallelMs: ms('residual'), serialMs: ms('residual') });
  }
  const sum = (key: 'calls' | 'parallelMs' | 'serialMs') => steps.reduce((s, step) => s + step[key], 0);
  const parallelMs = sum('parallelMs');
  const serialMs = sum('serialMs');
  return { steps, calls: sum('calls'), parallelMs, serialMs, speedup: parallelMs > 0 ? serialMs / parallelMs : 1 };
}
