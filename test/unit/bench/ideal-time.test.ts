import { describe, expect, it } from 'vitest';
import { AttentionMoA, ScriptedEngine } from '@attention-moa/core';
import { callMs, critiquesPerCritic, idealTime, type IdealTimeInput, type Topology } from '../../../bench/lib/ideal-time.js';

const tokens = { propose: 10, critique: 4, refine: 8, aggregate: 12, residual: 6 };
const base: IdealTimeInput = { agents: 3, layers: 1, attention: 'full', residual: true, tokens, tokenDelayMs: 5 };

describe('bench ideal time: the critical path of a run', () => {
  it('one call lasts its prefill plus one delay per token', () => {
    expect(callMs(10, 5)).toBe(50);
    expect(callMs(10, 5, 20)).toBe(70);
    expect(callMs(3, 0, 0)).toBe(0);
  });

  it('full attention, one layer: propose → n serialized critiques → refine → aggregate; serial is the sum of all calls', () => {
    const t = idealTime(base);
    expect(t.calls).toBe(16);
    expect(t.parallelMs).toBe(10 * 5 + 3 * 4 * 5 + 8 * 5 + 12 * 5); // 210
    expect(t.serialMs).toBe(3 * 50 + 9 * 20 + 3 * 40 + 60); // 510
    expect(t.speedup).toBeCloseTo(510 / 210, 10);
    expect(t.steps.map((s) => s.role)).toEqual(['propose', 'critique', 'refine', 'aggregate']);
  });

  it('layers ≥ 2 add the residual call; ring critiques are 2 per critic whatever n', () => {
    const full = idealTime({ ...base, agents: 5, layers: 3 });
    expect(full.calls).toBe(3 * 36 + 2);
    expect(full.parallelMs).toBe(3 * (50 + 5 * 20 + 40 + 60) + 2 * 30);
    const ring = idealTime({ ...base, agents: 5, layers: 3, attention: 'ring' });
    expect(ring.calls).toBe(3 * 21 + 2);
    expect(ring.parallelMs).toBe(3 * (50 + 2 * 20 + 40 + 60) + 2 * 30);
    expect(ring.serialMs).toBe(3 * (5 * 50 + 10 * 20 + 5 * 40 + 60) + 2 * 30);
    // With two agents ring and full are the same graph.
    expect(idealTime({ ...base, agents: 2, attention: 'ring' })).toEqual(idealTime({ ...base, agents: 2, attention: 'full' }));
  });

  it('prefill delay counts once per call on the path', () => {
    const without = idealTime({ ...base, layers: 2 });
    const withPrefill = idealTime({ ...base, layers: 2, firstTokenDelayMs: 7 });
    const pathCalls = 2 * (1 + 3 + 1 + 1) + 1; // per layer: propose, 3 critiques, refine, aggregate; + 1 residual
    expect(withPrefill.parallelMs - without.parallelMs).toBe(7 * pathCalls);
    expect(withPrefill.serialMs - without.serialMs).toBe(7 * without.calls);
  });

  it('no residual: layers are independent copies; none: propose and aggregate only', () => {
    const noResidual = idealTime({ ...base, layers: 2, residual: false });
    expect(noResidual.parallelMs).toBe(2 * idealTime(base).parallelMs);
    const none = idealTime({ ...base, attention: 'none' });
    expect(none.calls).toBe(4);
    expect(none.parallelMs).toBe(50 + 60);
    expect(critiquesPerCritic('self', 4)).toBe(1);
    expect(critiquesPerCritic('ring', 1)).toBe(1);
  });

  it('rejects bad input naming the field', () => {
    expect(() => idealTime({ ...base, agents: 0 })).toThrow(/agents must be a whole number ≥ 1, got 0/);
    expect(() => idealTime({ ...base, layers: 1.5 })).toThrow(/layers/);
    expect(() => idealTime({ ...base, attention: 'star' as Topology })).toThrow(/attention must be/);
    expect(() => idealTime({ ...base, tokenDelayMs: -1 })).toThrow(/tokenDelayMs/);
    expect(() => idealTime({ ...base, tokens: { ...tokens, critique: 0 } })).toThrow(/tokens\.critique/);
    expect(() => idealTime({ ...base, agents: 1, attention: 'none' })).toThrow(/single model/);
  });

  // The model's call graph, checked against what the protocol actually does: per layer and step, the number of calls
  // and the longest chain of calls one model serves (what the critical path counts).
  it.each([
    [2, 1, 'full'],
    [3, 2, 'full'],
    [5, 3, 'full'],
    [3, 2, 'ring'],
    [5, 3, 'ring'],
    [4, 2, 'self'],
    [3, 2, 'none'],
  ] as const)('matches the protocol’s call graph: n=%i, L=%i, %s', async (agents, layers, attention) => {
    const engine = () => new ScriptedEngine({ rules: [{ reply: '{agent} {role} {layer}' }] });
    const moa = new AttentionMoA({
      agents: Array.from({ length: agents }, (_, i) => ({ name: `a${i}`, engine: engine() })),
      aggregator: { engine: engine(), name: 'agg' },
      layers,
      attention,
      earlyStop: 'off',
    });
    const ideal = idealTime({ agents, layers, attention, residual: true, tokens, tokenDelayMs: 1 });
    expect(ideal.calls).toBe(moa.plan().expectedCalls);
    const { trace } = await moa.complete('Q?');
    expect(trace.length).toBe(ideal.calls);
    for (const step of ideal.steps) {
      const calls = trace.filter((r) => r.layer === step.layer && r.role === step.role);
      expect(calls.length, `${step.role} L${step.layer}`).toBe(step.calls);
      const perModel = new Map<string, number>();
      for (const r of calls) perModel.set(r.agent, (perModel.get(r.agent) ?? 0) + 1);
      const longestChain = Math.max(...perModel.values());
      expect(longestChain * callMs(tokens[step.role], 1), `${step.role} L${step.layer}`).toBe(step.parallelMs);
    }
    // Every call of the trace belongs to one of the model's steps.
    expect(ideal.steps.reduce((s, x) => s + x.calls, 0)).toBe(trace.length);
  });
});
