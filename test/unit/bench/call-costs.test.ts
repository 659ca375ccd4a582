import { describe, expect, it } from 'vitest';
import { overheadParts, percentile, percentileInterval, poolOverhead, promptCost, type CostedCall } from '../../../bench/lib/call-costs.js';

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

  it('percentileInterval gives the order statistics around a percentile (distribution-free, 95 %)', () => {
    const values = Array.from({ length: 10 }, (_, i) => 10 - i); // order does not matter
    // The median of 10: ranks 2 and 9 (the textbook interval, 97.9 % coverage).
    expect(percentileInterval(values, 50)).toEqual({ low: 2, high: 9 });
    // The p90 of 64 values 1…64: ranks 53 and 63 (binomial 64 × 0.9 = 57.6 ± 2.4).
    expect(percentileInterval(Array.from({ length: 64 }, (_, i) => i + 1), 90)).toEqual({ low: 53, high: 63 });
    // Too few values to bound the p90 from above: the interval reaches the largest one.
    expect(percentileInterval([1, 2, 3, 4, 5], 90)).toEqual({ low: 3, high: 5 });
    expect(() => percentileInterval([], 90)).toThrow(/no values/);
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

describe('pool overhead split by where it went', () => {
  it('splits each call into the trips, the worker queue, the relay around the engine and the page side', () => {
    const timed = (startedAt: number, endedAt: number, engineMs: number, toWorker: number, workerQueue: number, inWorker: number, fromWorker: number): CostedCall =>
      ({ ...call('critique', startedAt, endedAt, engineMs), transport: { toWorker, workerQueue, inWorker, fromWorker } });
    // 100 ms engine; 0.5 to the worker, 0 queued, 100.25 in the worker, 0.75 back: 0.5 ms left on the page.
    const parts = overheadParts([timed(0, 102, 100, 0.5, 0, 100.25, 0.75), timed(0, 210, 200, 1, 6, 201, 1), call('refine', 0, 50, 40)]);
    expect(parts.calls).toBe(2);
    expect(parts.parts.toWorker).toEqual({ p50: 0.5, p90: 1 });
    expect(parts.parts.workerQueue).toEqual({ p50: 0, p90: 6 });
    expect(parts.parts.relay).toEqual({ p50: 0.25, p90: 1 });
    expect(parts.parts.fromWorker).toEqual({ p50: 0.75, p90: 1 });
    expect(parts.parts.page.p50).toBeCloseTo(0.5, 10);
    expect(parts.parts.page.p90).toBeCloseTo(1, 10);
    expect(() => overheadParts([call('propose', 0, 1, 1)])).toThrow(/no call with a worker clock/);
  });
});
