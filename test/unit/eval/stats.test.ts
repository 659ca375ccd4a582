import { describe, expect, it } from 'vitest';
import { formatInterval, wilson } from '../../../eval/lib/stats.js';

describe('Wilson interval', () => {
  it('matches published values (z = 1.96)', () => {
    const close = (got: { low: number; high: number }, low: number, high: number) => {
      expect(got.low).toBeCloseTo(low, 4);
      expect(got.high).toBeCloseTo(high, 4);
    };
    close(wilson(0, 10), 0, 0.2775);
    close(wilson(10, 10), 0.7225, 1);
    close(wilson(5, 10), 0.2366, 0.7634);
    close(wilson(81, 263), 0.2553, 0.3662);
  });
  it('stays inside [0, 1], narrows with n, and rejects impossible counts', () => {
    expect(wilson(1, 100).low).toBeGreaterThan(0);
    expect(wilson(50, 100).high - wilson(50, 100).low).toBeLessThan(wilson(5, 10).high - wilson(5, 10).low);
    expect(() => wilson(11, 10)).toThrow(/0 ≤ passed ≤ n, got passed=11, n=10/);
    expect(() => wilson(1.5, 10)).toThrow(RangeError);
    expect(wilson(0, 0)).toMatchObject({ low: 0, high: 1 });
  });
  it('formats as percent with the interval', () => {
    expect(formatInterval(5, 10)).toBe('50 % [24–76]');
    expect(formatInterval(0, 0)).toBe('–');
  });
});
