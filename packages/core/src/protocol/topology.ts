/**
 * The call graph: who critiques whom under each attention topology, and how many calls a layer makes.
 * Agents are always taken in configuration order; after drops, the topology is applied to the survivors.
 * The one source of truth for topologies: the protocol, the runtime's memory plan, the element's settings and the
 * benchmarks' ideal times all count from here. A new topology is a name in TOPOLOGIES and a case in critiquePairs.
 */

/** Every attention topology, in the order the UI lists them. */
export const TOPOLOGIES = ['full', 'self', 'ring', 'none'] as const;

export type AttentionTopology = (typeof TOPOLOGIES)[number];

export interface CritiquePair {
  critic: string;
  target: string;
}

/**
 * Critique pairs of one layer, critic-major, targets in agent order:
 * - `full`: every agent critiques every agent (n²: n − 1 cross-attention + 1 self-attention each);
 * - `self`: every agent critiques only itself (n);
 * - `ring`: agent i critiques agent (i + 1) mod n and itself (2n; n for a single agent);
 * - `none`: no critique (and no refine).
 */
export function critiquePairs(topology: AttentionTopology, agents: readonly string[]): CritiquePair[] {
  const n = agents.length;
  const pairs: CritiquePair[] = [];
  agents.forEach((critic, i) => {
    if (topology === 'full') agents.forEach((target) => pairs.push({ critic, target }));
    else if (topology === 'self') pairs.push({ critic, target: critic });
    else if (topology === 'ring') {
      const neighbour = (i + 1) % n;
      const targets = neighbour === i ? [i] : neighbour < i ? [neighbour, i] : [i, neighbour];
      targets.forEach((t) => pairs.push({ critic, target: agents[t]! }));
    }
  });
  return pairs;
}

/** Critiques each critic writes per layer with `agents` agents (every critic writes the same number). */
export function critiquesPerCritic(topology: AttentionTopology, agents: number): number {
  if (agents < 1) return 0;
  return critiquePairs(topology, Array.from({ length: agents }, (_, i) => String(i))).length / agents;
}

/** One agent with no attention is a single model: its answer is the layer's output, no aggregate call. */
export function isSingleModel(topology: AttentionTopology, configuredAgents: number): boolean {
  return topology === 'none' && configuredAgents === 1;
}

/** Calls of one layer with `alive` agents: propose, critique, refine, aggregate, and residual from layer 2. */
export function callsForLayer(
  topology: AttentionTopology,
  alive: number,
  layer: number,
  opts: { residual: boolean; singleModel: boolean },
): number {
  const critiques = critiquePairs(topology, Array.from({ length: alive }, (_, i) => String(i))).length;
  const refines = topology === 'none' ? 0 : alive;
  const aggregate = opts.singleModel ? 0 : 1;
  const residual = opts.residual && layer >= 2 ? 1 : 0;
  return alive + critiques + refines + aggregate + residual;
}
