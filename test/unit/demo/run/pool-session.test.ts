import { describe, expect, it } from 'vitest';
import { checkPicks, clampIndex } from '../../../../demo/src/run/pool-session.js';

describe('starting a session on real models', () => {
  it('needs at least one model, each picked once, and says so', () => {
    expect(() => checkPicks([], 'Pick at least one model.')).toThrow(new RangeError('Pick at least one model.'));
    expect(() => checkPicks(['a', 'b', 'a'], 'unused')).toThrow(/Each model can be picked once/);
    expect(() => checkPicks(['a', 'b'], 'unused')).not.toThrow();
  });

  it('keeps a stale aggregator choice inside the picked models', () => {
    expect(clampIndex(5, 3)).toBe(2);
    expect(clampIndex(-1, 3)).toBe(0);
    expect(clampIndex(1, 3)).toBe(1);
  });
});
