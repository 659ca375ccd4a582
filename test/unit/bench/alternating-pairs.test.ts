import { describe, expect, it } from 'vitest';
import { alternatingPairs } from '../../../bench/lib/alternating-pairs.js';

describe('alternatingPairs', () => {
  it('runs A first on even repetitions and B first on odd ones, pairing each repetition\'s results', async () => {
    const order: string[] = [];
    const pairs = await alternatingPairs(
      3,
      async (rep) => (order.push(`a${rep}`), `A${rep}`),
      async (rep) => (order.push(`b${rep}`), `B${rep}`),
    );
    expect(order).toEqual(['a0', 'b0', 'b1', 'a1', 'a2', 'b2']);
    expect(pairs).toEqual([{ a: 'A0', b: 'B0' }, { a: 'A1', b: 'B1' }, { a: 'A2', b: 'B2' }]);
    expect(await alternatingPairs(0, async () => 1, async () => 2)).toEqual([]);
  });
});
