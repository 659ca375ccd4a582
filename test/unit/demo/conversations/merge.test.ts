import { describe, expect, it } from 'vitest';
import { mergeConversations, newConversation, withTurn } from '../../../../demo/src/conversations/conversation.js';
import { turn } from './turn-fixture.js';

describe('mergeConversations (two tabs saving one conversation)', () => {
  const first = withTurn(newConversation(0), turn('First question?', 'first answer', 10));

  it('keeps the turns of both copies, in the order they were asked', () => {
    const tabA = withTurn(first, turn('Asked in tab A?', 'a', 30));
    const tabB = withTurn(first, turn('Asked in tab B?', 'b', 20));
    const merged = mergeConversations(tabA, tabB);
    expect(merged.turns.map((t) => t.question)).toEqual(['First question?', 'Asked in tab B?', 'Asked in tab A?']);
    expect(merged.title).toBe('First question?');
    expect(merged.updatedAt).toBe(30);
  });

  it('a turn in both copies comes from the saving tab (it may have gained comparisons)', () => {
    const stored = first;
    const mine = withTurn(first, { ...first.turns[0]!, comparisons: [] });
    expect(mergeConversations(stored, mine).turns).toEqual(mine.turns);
  });
});
