/**
 * Where the time of a measured run goes (suite 1): its wall time split along the critical path of the trace.
 *
 * The protocol runs step by step (propose → critique → refine → aggregate → residual, per layer), each step starting
 * when the previous one has ended. A step's critical chain is the calls of the model whose last call ended last. So:
 *
 *   wall = Σ over steps (gap + Σ handoffs + Σ chain calls) + edges
 *
 * - gap: the previous step's end → the chain's first call start (prompt building and fitting, queue entry);
 * - handoff: one call's end → the next call's start on the same model (the queue passing the model on);
 * - a chain call = its nominal time (prefill + tokens × delay) + engine lateness (the engine's own measured time,
 *   `usage.extra.e2e_latency_s`, beyond nominal: timers firing late) + transport (the rest: request to the worker,
 *   tokens back through the boundary, the protocol's per-token work);
 * - edges: the page's call → the protocol's clock start, and the last step's end → the result back in the page.
 *
 * Pure: it takes plain records, so it is unit-tested without a browser.
 */
export interface SlimRecord {
  role: string;
  layer: number;
  agent: string;
  target?: string;
  startedAt: number;
  endedAt: number;
  /** Tokens the call produced (engine usage). */
  completionTokens: number;
  /** The engine's own measure of the call (usage.extra.e2e_latency_s × 1000), when it reports one. */
  engineMs?: number;
}

export interface Breakdown {
  wallMs: number;
  /** Σ nominal times of the critical-path calls. */
  nominalMs: number;
  gapMs: number;
  handoffMs: number;
  engineLateMs: number;
  transportMs: number;
  edgesMs: number;
  /** Calls on the critical path. */
  pathCalls: number;
}

const ROLE_ORDER = ['propose', 'critique', 'refine', 'aggregate', 'residual'];

/**
 * Splits `wallMs` (measured around the run in the page) along the critical path. Record times are ms since the
 * protocol's run started, which is at or after the start of `wallMs`.
 */
export function criticalPathBreakdown(
  records: SlimRecord[],
  wallMs: number,
  call: { tokenDelayMs: number; firstTokenDelayMs: number },
): Breakdown {
  if (records.length === 0) throw new Error('criticalPathBreakdown: no records');
  const steps = new Map<string, SlimRecord[]>();
  for (const r of records) {
    const key = `${String(r.layer).padStart(4, '0')}:${ROLE_ORDER.indexOf(r.role)}`;
    if (ROLE_ORDER.indexOf(r.role) < 0) throw new Error(`criticalPathBreakdown: unknown role ${r.role}`);
    steps.set(key, [...(steps.get(key) ?? []), r]);
  }
  const out: Breakdown = { wallMs, nominalMs: 0, gapMs: 0, handoffMs: 0, engineLateMs: 0, transportMs: 0, edgesMs: 0, pathCalls: 0 };
  let previousEnd = 0;
  for (const key of [...steps.keys()].sort()) {
    const calls = steps.get(key)!;
    const last = calls.reduce((a, b) => (b.endedAt > a.endedAt ? b : a));
    const chain = calls.filter((r) => r.agent === last.agent).sort((a, b) => a.startedAt - b.startedAt);
    out.gapMs += chain[0]!.startedAt - previousEnd;
    chain.forEach((r, i) => {
      if (i > 0) out.handoffMs += r.startedAt - chain[i - 1]!.endedAt;
      const duration = r.endedAt - r.startedAt;
      const nominal = call.firstTokenDelayMs + r.completionTokens * call.tokenDelayMs;
      const engine = r.engineMs ?? nominal;
      out.nominalMs += nominal;
      out.engineLateMs += engine - nominal;
      out.transportMs += duration - engine;
    });
    out.pathCalls += chain.length;
    previousEnd = last.endedAt;
  }
  out.edgesMs = wallMs - previousEnd;
  return out;
}
