/** Interval statistics for the eval's accuracies. */

/**
 * Wilson score interval for a binomial proportion: `passed` of `n`, at confidence z (1.96 → 95 %). Unlike the
 * normal approximation it stays inside [0, 1] and is honest at 0/n and n/n, which small samples hit often.
 */
export function wilson(passed: number, n: number, z = 1.96): { p: number; low: number; high: number } {
  if (!Number.isInteger(passed) || !Number.isInteger(n) || n < 0 || passed < 0 || passed > n) {
    throw new RangeError(`wilson: need whole numbers 0 ≤ passed ≤ n, got passed=${passed}, n=${n}`);
  }
  if (n === 0) return { p: NaN, low: 0, high: 1 };
  const p = passed / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** "41 % [29–54]" */
export function formatInterval(passed: number, n: number): string {
  if (n === 0) return '–';
  const { p, low, high } = wilson(passed, n);
  const pct = (x: number) => Math.round(x * 100);
  return `${pct(p)} % [${pct(low)}–${pct(high)}]`;
}
