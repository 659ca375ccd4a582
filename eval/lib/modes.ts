/**
 * The eval's modes: each member alone, classic MoA, Attention-MoA (full and ring attention; 1 and 2 layers), all on
 * the same engines. A mode is a protocol configuration; `plannedRuns` says which runs measure which modes.
 */
import type { HarnessRun } from '../page/harness.js';
import { critiquePairs } from '../../packages/core/src/protocol/topology.js';

export interface ModeSpec {
  id: string;
  label: string;
  /** Options of the protocol run (the question and token limits come from the eval's settings). */
  run: Omit<HarnessRun, 'question' | 'maxTokens' | 'temperature'>;
}

export interface Ensemble {
  /** Agent model keys, in order. */
  agents: string[];
  /** The aggregator's model key (it shares that model's engine). */
  aggregator: string;
}

export function allModes(e: Ensemble): ModeSpec[] {
  const moa = { agents: e.agents, aggregator: e.aggregator };
  return [
    ...e.agents.map((a) => ({
      id: `single-${a}`,
      label: `${a} alone`,
      run: { agents: [a], aggregator: a, layers: 1, attention: 'none' as const, residual: false, earlyStop: 'off' as const },
    })),
    { id: 'classic-moa', label: 'classic MoA (proposals + aggregate)', run: { ...moa, layers: 1, attention: 'none', residual: false, earlyStop: 'off' } },
    ...(['full', 'ring'] as const).flatMap((attention) =>
      [1, 2].map((layers) => ({
        id: `amoa-${attention}-${layers}`,
        label: `Attention-MoA, ${attention} attention, ${layers} layer${layers > 1 ? 's' : ''}${layers > 1 ? ' (residual + judge early stop)' : ''}`,
        run: { ...moa, layers, attention, residual: true, earlyStop: layers > 1 ? ('judge' as const) : ('off' as const) },
      })),
    ),
  ];
}

/**
 * How the modes are measured. Two shortcuts, both exact for greedy decoding and both stated in the report:
 * - a 1-layer Attention-MoA run is the first layer of the 2-layer run with the same attention (the protocol never
 *   looks ahead: same prompts, same outputs), so it is read from that run up to the end of layer 1;
 * - two modes whose critique graphs are identical (ring and full with 2 agents: each agent critiques both answers)
 *   are one protocol: it runs once and both rows show it.
 */
export interface PlannedRun {
  /** The mode actually run. */
  run: ModeSpec;
  /** Modes read from it: the mode itself (layers = all) and prefixes (layers = 1). */
  reads: { mode: string; layers: number; sameAs?: string }[];
}

/** Modes with the same key make the same calls in layer 1 (residual and early stop act from layer 2 on). */
const graphKey = (m: ModeSpec) => JSON.stringify([m.run.agents, m.run.aggregator, critiquePairs(m.run.attention, m.run.agents), m.run.attention === 'none']);
const sameProtocol = (a: ModeSpec, b: ModeSpec) =>
  graphKey(a) === graphKey(b) && a.run.layers === b.run.layers && (a.run.layers === 1 || (a.run.residual === b.run.residual && a.run.earlyStop === b.run.earlyStop));

export function plannedRuns(modes: ModeSpec[]): PlannedRun[] {
  const plans: PlannedRun[] = [];
  // Deepest first, so shallower modes with the same graph become prefixes of a deeper run.
  const ordered = modes.slice().sort((a, b) => b.run.layers - a.run.layers);
  for (const mode of ordered) {
    const host = plans.find((p) => graphKey(p.run) === graphKey(mode) && (mode.run.layers < p.run.run.layers || sameProtocol(p.run, mode)));
    if (!host) {
      plans.push({ run: mode, reads: [{ mode: mode.id, layers: mode.run.layers }] });
      continue;
    }
    // Another mode already read at this depth is the same protocol under another name (ring ≡ full with 2 agents).
    const twin = host.reads.find((r) => r.layers === mode.run.layers);
    host.reads.push({ mode: mode.id, layers: mode.run.layers, ...(twin ? { sameAs: twin.mode } : {}) });
  }
  // The caller's mode order, for running and reporting.
  const order = (id: string) => modes.findIndex((m) => m.id === id);
  for (const p of plans) p.reads.sort((a, b) => order(a.mode) - order(b.mode));
  plans.sort((a, b) => order(a.reads[0]!.mode) - order(b.reads[0]!.mode));
  return plans;
}
