import { describe, expect, it } from 'vitest';
import { criticalPath, dependencies, type TracedCall } from '../../../bench/lib/critical-path.js';

/** One full layer, n = 2, with given engine times; start/end times as a perfect scheduler would produce them. */
function layer(times: Record<string, number>): TracedCall[] {
  const calls: TracedCall[] = [];
  let id = 0;
  const add = (role: TracedCall['role'], agent: string, startedAt: number, key: string, target?: string): TracedCall => {
    const engineMs = times[key]!;
    const call: TracedCall = { id: id++, role, layer: 1, agent, startedAt, endedAt: startedAt + engineMs, engineMs, ...(target ? { target } : {}) };
    calls.push(call);
    return call;
  };
  const pA = add('propose', 'A', 0, 'pA');
  const pB = add('propose', 'B', 0, 'pB');
  const both = Math.max(pA.endedAt, pB.endedAt);
  const cAA = add('critique', 'A', pA.endedAt, 'cAA', 'A');
  const cAB = add('critique', 'A', Math.max(cAA.endedAt, both), 'cAB', 'B');
  const cBB = add('critique', 'B', pB.endedAt, 'cBB', 'B');
  const cBA = add('critique', 'B', Math.max(cBB.endedAt, both), 'cBA', 'A');
  const rA = add('refine', 'A', Math.max(cAA.endedAt, cBA.endedAt, cAB.endedAt), 'rA');
  const rB = add('refine', 'B', Math.max(cBB.endedAt, cAB.endedAt, cBA.endedAt), 'rB');
  add('aggregate', 'agg', Math.max(rA.endedAt, rB.endedAt), 'agg');
  return calls;
}

describe('critical path of a run', () => {
  it('follows data dependencies and per-engine queues, weighted by engine time', () => {
    const calls = layer({ pA: 100, pB: 300, cAA: 50, cAB: 50, cBB: 40, cBA: 40, rA: 70, rB: 90, agg: 60 });
    const cp = criticalPath(calls);
    // B's proposal is slow (300); B's critiques follow on B's engine (340, 380); B's refinement waits for its engine
    // (380 → 470) and the aggregation for both refinements (→ 530).
    const names = new Map(calls.map((c) => [c.id, `${c.role}:${c.agent}${c.target ? `→${c.target}` : ''}`]));
    expect(cp.path.map((id) => names.get(id))).toEqual(['propose:B', 'critique:B→B', 'critique:B→A', 'refine:B', 'aggregate:agg']);
    expect(cp.ms).toBe(300 + 40 + 40 + 90 + 60);
    // A perfect scheduler's wall time is exactly the critical path.
    expect(Math.max(...calls.map((c) => c.endedAt))).toBe(cp.ms);
  });

  it('is the sum of engine times when everything runs on one engine', () => {
    const calls = layer({ pA: 10, pB: 20, cAA: 30, cAB: 40, cBB: 50, cBA: 60, rA: 70, rB: 80, agg: 90 }).map((c) => ({ ...c, engine: 'one' }));
    // Sequential start times for a single engine.
    let t = 0;
    for (const c of calls) {
      c.startedAt = t;
      t += c.engineMs;
      c.endedAt = t;
    }
    expect(criticalPath(calls).ms).toBe(450);
  });

  it('knows what each role waits for, across layers', () => {
    const mk = (id: number, role: TracedCall['role'], layer: number, agent: string, target?: string): TracedCall => ({ id, role, layer, agent, startedAt: id, endedAt: id + 1, engineMs: 1, ...(target ? { target } : {}) });
    const calls = [mk(0, 'propose', 1, 'A'), mk(1, 'aggregate', 1, 'agg'), mk(2, 'propose', 2, 'A'), mk(3, 'aggregate', 2, 'agg'), mk(4, 'residual', 2, 'agg'), mk(5, 'propose', 3, 'A')];
    expect(dependencies(calls[1]!, calls).map((c) => c.id)).toEqual([0]); // no critique/refine (topology none): proposals
    expect(dependencies(calls[2]!, calls).map((c) => c.id)).toEqual([1]); // layer 2 proposes from layer 1's output
    expect(dependencies(calls[4]!, calls).map((c) => c.id).sort()).toEqual([1, 3]);
    expect(dependencies(calls[5]!, calls).map((c) => c.id)).toEqual([4]); // the residual is layer 2's output
    expect(criticalPath([]).ms).toBe(0);
  });
});
