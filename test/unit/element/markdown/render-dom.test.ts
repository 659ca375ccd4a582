import { describe, expect, it } from 'vitest';

describe('headingLevel (Markdown headings nest under the component\'s heading without skipping)', () => {
  it('places depth d at base + d, never more than one below the previous heading, never above h6', async () => {
    const { headingLevel } = await import('../../../../packages/element/src/markdown/render-dom.js');
    const state = { last: 3 };
    const levels = [2, 3, 1, 6, 4].map((depth) => {
      const level = headingLevel(depth, 3, state);
      state.last = level;
      return level;
    });
    expect(levels).toEqual([4, 5, 4, 5, 6]);
    expect(headingLevel(1, 6, { last: 6 })).toBe(6);
    expect(headingLevel(3, 0, { last: 0 })).toBe(1);
  });
});
