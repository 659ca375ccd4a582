/**
 * The three ways the demo answers a question, all through the same AttentionMoA code path so they can be compared:
 * one model alone, classic Mixture-of-Agents (no critique, no residual), and Attention-MoA as configured.
 */
import type { AgentConfig, AggregatorConfig, AttentionMoAOptions, AttentionTopology, EarlyStopMode } from '@attention-moa/core';

export type RunMode = 'attention-moa' | 'classic-moa' | 'single';

export const RUN_MODES: readonly { id: RunMode; label: string; explain: string }[] = [
  { id: 'attention-moa', label: 'Attention-MoA', explain: 'Propose, critique each other and themselves, refine, aggregate; deeper layers keep the whole history and stop early when nothing improves.' },
  { id: 'classic-moa', label: 'Classic MoA', explain: 'Every model answers, one aggregator merges the answers. No critique, no residual, no early stop.' },
  { id: 'single', label: 'Single model', explain: 'The aggregator model alone answers the question once.' },
];

export interface ProtocolSettings {
  /** Maximum layers (1–4). */
  layers: number;
  attention: AttentionTopology;
  earlyStop: EarlyStopMode;
}

/** Up to 3 layers: the judge usually stops at layer 2 once answers converge, so the third is paid only when it helps. */
export const DEFAULT_SETTINGS: ProtocolSettings = { layers: 3, attention: 'full', earlyStop: 'judge' };

export const TOPOLOGIES: readonly { id: AttentionTopology; label: string; explain: string }[] = [
  { id: 'full', label: 'Full (n × n)', explain: 'Every agent critiques every answer, its own included, as in the paper.' },
  { id: 'ring', label: 'Ring', explain: 'Each agent critiques one neighbour and itself: 2n critiques instead of n².' },
  { id: 'self', label: 'Self only', explain: 'Each agent critiques only its own answer.' },
  { id: 'none', label: 'None', explain: 'No critique or refinement.' },
];

export const EARLY_STOPS: readonly { id: EarlyStopMode; label: string; explain: string }[] = [
  { id: 'judge', label: 'Judge', explain: 'The aggregator says whether the latest layer improved; if not, the run stops.' },
  { id: 'similarity', label: 'Similarity', explain: 'Stop when a layer’s output is nearly the same as the previous one. No extra call.' },
  { id: 'off', label: 'Off', explain: 'Always run every layer.' },
];

/** Validates settings from the form or from storage; the message names the field and what is allowed. */
export function checkSettings(value: Partial<ProtocolSettings>): ProtocolSettings {
  const layers = Number(value.layers ?? DEFAULT_SETTINGS.layers);
  if (!Number.isInteger(layers) || layers < 1 || layers > 4) throw new RangeError(`Layers must be a whole number from 1 to 4, got ${String(value.layers)}.`);
  const attention = value.attention ?? DEFAULT_SETTINGS.attention;
  if (!TOPOLOGIES.some((t) => t.id === attention)) throw new RangeError(`Attention topology must be one of ${TOPOLOGIES.map((t) => t.id).join(', ')}; got "${String(attention)}".`);
  const earlyStop = value.earlyStop ?? DEFAULT_SETTINGS.earlyStop;
  if (!EARLY_STOPS.some((t) => t.id === earlyStop)) throw new RangeError(`Early stop must be one of ${EARLY_STOPS.map((t) => t.id).join(', ')}; got "${String(earlyStop)}".`);
  return { layers, attention, earlyStop };
}

/** The aggregator's own name in the trace (the protocol wants it distinct from the agent whose model it shares). */
export function aggregatorName(agent: string): string {
  return `Aggregator (${agent})`;
}

/** The agent an aggregator name points back to, if it is one. */
export function agentOfAggregator(name: string): string | undefined {
  return /^Aggregator \((.+)\)$/.exec(name)?.[1];
}

/**
 * The protocol options for one mode. `aggregator` names one of `agents`: the aggregator reuses that agent's engine
 * (it waits its turn on that model), which is how a browser with a few models loaded runs the aggregate step.
 */
export function optionsForMode(
  mode: RunMode,
  agents: AgentConfig[],
  aggregator: string,
  settings: ProtocolSettings,
  extra: Partial<AttentionMoAOptions> = {},
): AttentionMoAOptions {
  const lead = agents.find((a) => a.name === aggregator);
  if (!lead) throw new RangeError(`The aggregator "${aggregator}" is not one of the agents (${agents.map((a) => a.name).join(', ')}).`);
  const aggregatorConfig: AggregatorConfig = {
    engine: lead.engine,
    model: lead.model,
    name: aggregatorName(lead.name),
    contextWindow: lead.contextWindow,
    noSystemRole: lead.noSystemRole,
  };
  if (mode === 'single') {
    return { ...extra, agents: [lead], aggregator: aggregatorConfig, layers: 1, attention: 'none', residual: false, earlyStop: 'off' };
  }
  if (mode === 'classic-moa') {
    return { ...extra, agents, aggregator: aggregatorConfig, layers: settings.layers, attention: 'none', residual: false, earlyStop: 'off' };
  }
  return { ...extra, agents, aggregator: aggregatorConfig, layers: settings.layers, attention: settings.attention, residual: true, earlyStop: settings.earlyStop };
}
