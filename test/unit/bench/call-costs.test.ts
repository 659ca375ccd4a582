import { describe, expect, it } from 'vitest';
import { percentile, poolOverhead, promptCost, type CostedCall } from '../../../bench/lib/call-costs.js';

const call = (role: CostedCall['role'], startedAt: number, endedAt: number, engineMs: number, promptTokens = 100, cachedTokens = 0, promptMs = 10): CostedCall =>
  ({ role, startedAt, endedAt, engineMs, promptTokens, cachedTokens, promptMs });

describe('call costs on real engines', () => {
  it('percentile is nearest-rank', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
    expect(() => percentile([], 50)).toThrow(/no values/);
  });

  it('pool overhead per call is the page-side duration minus the engine time; share is over all engine time', () => {
    const calls = [call('propose', 0, 101, 100), call('critique', 101, 303, 200), call('refine', 303, 1006, 700), call('aggregate', 0, 0, NaN)];
    const overhead = poolOverhead(calls);
    expect(overhead.perCall).toEqual([1, 2, 3]);
    expect(overhead.p90).toBe(3);
    expect(overhead.p50).toBe(2);
    expect(overhead.share).toBeCloseTo(6 / 1000, 10);
    expect(() => poolOverhead([call('propose', 0, 1, NaN)])).toThrow(/no call with an engine time/);
  });

  it('prompt cost splits computed and reused prompt tokens, per role', () => {
    const calls = [call('critique', 0, 1, 1, 300, 0, 90), call('critique', 0, 1, 1, 320, 250, 20), call('refine', 0, 1, 1, 400, 200, 60)];
    expect(promptCost(calls, 'critique')).toEqual({ calls: 2, prompt: 620, processed: 370, reused: 250, promptMs: 110 });
    expect(promptCost(calls)).toMatchObject({ calls: 3, prompt: 1020, processed: 570, reused: 450 });
  });
});
