import { describe, expect, it } from 'vitest';
import { AttentionMoA, ScriptedEngine } from '@attention-moa/core';
import { criticalPathBreakdown, type SlimRecord } from '../../../bench/lib/trace-analysis.js';

const call = { tokenDelayMs: 10, firstTokenDelayMs: 0 };
const rec = (role: string, layer: number, agent: string, startedAt: number, endedAt: number, completionTokens: number, engineMs?: number, target?: string): SlimRecord => ({
  role, layer, agent, startedAt, endedAt, completionTokens, ...(engineMs !== undefined ? { engineMs } : {}), ...(target ? { target } : {}),
});

describe('bench trace analysis: where a run’s wall time goes', () => {
  it('splits a hand-made two-agent layer into gaps, handoffs, nominal, engine lateness, transport and edges', () => {
    const records = [
      rec('propose', 1, 'A', 1, 52, 5, 50.5), // nominal 50, engine +0.5, transport 0.5
      rec('propose', 1, 'B', 1, 55, 5, 51), // B ends last: on the path; engine +1, transport 3
      rec('critique', 1, 'A', 56, 77, 2, 20), // A's chain: 56–77, 78–100 ends at 100
      rec('critique', 1, 'A', 78, 100, 2, 21, 'B'),
      rec('critique', 1, 'B', 56, 80, 2, 20),
      rec('critique', 1, 'B', 81, 99, 2, 20, 'A'),
      rec('refine', 1, 'A', 102, 140, 3, 31),
      rec('refine', 1, 'B', 102, 135, 3, 30),
      rec('aggregate', 1, 'Z', 141, 192, 5, 50),
    ];
    const b = criticalPathBreakdown(records, 200, call);
    expect(b.pathCalls).toBe(1 + 2 + 1 + 1);
    expect(b.nominalMs).toBe(50 + 20 + 20 + 30 + 50);
    expect(b.gapMs).toBe(1 + 1 + 2 + 1); // 0→1, 55→56, 100→102, 140→141
    expect(b.handoffMs).toBe(1); // 77→78
    expect(b.engineLateMs).toBeCloseTo(1 + 0 + 1 + 1 + 0, 10);
    expect(b.transportMs).toBeCloseTo(3 + 1 + 1 + 7 + 1, 10);
    expect(b.edgesMs).toBe(8);
    const sum = b.nominalMs + b.gapMs + b.handoffMs + b.engineLateMs + b.transportMs + b.edgesMs;
    expect(sum).toBeCloseTo(b.wallMs, 10);
  });

  it('adds up to the wall time of a real run, whose critical path has the calls the call graph says', async () => {
    const engine = () => new ScriptedEngine({ tokenDelayMs: 1, rules: [{ when: { role: 'critique' }, reply: 'c c' }, { reply: 'a b c d' }] });
    const moa = new AttentionMoA({
      agents: ['A', 'B', 'C'].map((name) => ({ name, engine: engine() })),
      aggregator: { engine: engine(), name: 'Z' },
      layers: 2,
      earlyStop: 'off',
    });
    const t0 = performance.now();
    const result = await moa.complete('Q?');
    const wall = performance.now() - t0;
    const records = result.trace.map((r) => ({
      role: r.role, layer: r.layer, agent: r.agent, startedAt: r.startedAt, endedAt: r.endedAt,
      completionTokens: r.usage!.completion_tokens, engineMs: Number(r.usage!.extra!.e2e_latency_s) * 1000,
    }));
    const b = criticalPathBreakdown(records, wall, { tokenDelayMs: 1, firstTokenDelayMs: 0 });
    expect(b.pathCalls).toBe(2 * (1 + 3 + 1 + 1) + 1);
    expect(b.nominalMs).toBe(2 * (4 + 3 * 2 + 4 + 4) + 4);
    const sum = b.nominalMs + b.gapMs + b.handoffMs + b.engineLateMs + b.transportMs + b.edgesMs;
    expect(sum).toBeCloseTo(wall, 6);
    expect(b.gapMs).toBeGreaterThanOrEqual(0);
    expect(b.edgesMs).toBeGreaterThanOrEqual(0);
  });

  it('rejects an empty trace and unknown roles', () => {
    expect(() => criticalPathBreakdown([], 1, call)).toThrow(/no records/);
    expect(() => criticalPathBreakdown([rec('vote', 1, 'A', 0, 1, 1)], 1, call)).toThrow(/unknown role vote/);
  });
});
