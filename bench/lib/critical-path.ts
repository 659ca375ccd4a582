/**
 * The critical path of an Attention-MoA run: the longest chain of calls, weighted by each call's own engine time,
 * through the protocol's data dependencies and each engine's one-request-at-a-time queue (in the order the calls
 * actually ran). A run with zero orchestration overhead would take exactly this long; wall time ÷ critical path
 * is the overhead of everything else (protocol, worker transport, scheduling gaps).
 */

export interface TracedCall {
  id: number;
  role: 'propose' | 'critique' | 'refine' | 'aggregate' | 'residual';
  layer: number;
  /** The agent (or the aggregator's name). */
  agent: string;
  /** Critiques: whose answer. */
  target?: string;
  /** ms since the run started. */
  startedAt: number;
  endedAt: number;
  /** The engine's own time for the call, ms (measured inside the engine). */
  engineMs: number;
  /** Which engine served it; calls on one engine cannot overlap. Default: the agent's name. */
  engine?: string;
}

/** The calls each call waits for, by the protocol (not by timing). */
export function dependencies(call: TracedCall, calls: readonly TracedCall[]): TracedCall[] {
  const inLayer = (layer: number, role: TracedCall['role']) => calls.filter((c) => c.layer === layer && c.role === role);
  const layerOutput = (layer: number) => {
    const residual = inLayer(layer, 'residual');
    return residual.length ? residual : inLayer(layer, 'aggregate');
  };
  switch (call.role) {
    case 'propose':
      return call.layer > 1 ? layerOutput(call.layer - 1) : [];
    case 'critique':
      return inLayer(call.layer, 'propose').filter((p) => p.agent === call.agent || p.agent === call.target);
    case 'refine':
      return inLayer(call.layer, 'critique').filter((c) => c.target === call.agent);
    case 'aggregate': {
      const refined = inLayer(call.layer, 'refine');
      return refined.length ? refined : inLayer(call.layer, 'propose');
    }
    case 'residual':
      return [...inLayer(call.layer, 'aggregate'), ...calls.filter((c) => c.layer < call.layer && (c.role === 'aggregate' || c.role === 'residual'))];
  }
}

export interface CriticalPath {
  ms: number;
  /** Call ids along the path, first to last. */
  path: number[];
}

export function criticalPath(calls: readonly TracedCall[]): CriticalPath {
  if (!calls.length) return { ms: 0, path: [] };
  // Start order is a topological order: a call starts after what it depends on ended, and an engine's calls
  // start one after another.
  const ordered = [...calls].sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
  const best = new Map<number, { ms: number; via?: number }>();
  const lastOnEngine = new Map<string, TracedCall>();
  for (const call of ordered) {
    const preds = dependencies(call, calls);
    const previous = lastOnEngine.get(call.engine ?? call.agent);
    if (previous) preds.push(previous);
    let from: { ms: number; via?: number } = { ms: 0 };
    for (const p of preds) {
      const b = best.get(p.id);
      if (b && b.ms > from.ms) from = { ms: b.ms, via: p.id };
    }
    best.set(call.id, { ms: from.ms + call.engineMs, ...(from.via !== undefined ? { via: from.via } : {}) });
    lastOnEngine.set(call.engine ?? call.agent, call);
  }
  let end = ordered[0]!.id;
  for (const [id, b] of best) if (b.ms > best.get(end)!.ms) end = id;
  const path: number[] = [];
  for (let id: number | undefined = end; id !== undefined; id = best.get(id)!.via) path.unshift(id);
  return { ms: best.get(end)!.ms, path };
}
