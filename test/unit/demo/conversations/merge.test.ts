import { describe, expect, it } from 'vitest';
import { mergeConversations, newConversation, withTurn, withoutTurnsFrom } from '../../../../demo/src/conversations/conversation.js';
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

  it('turns replaced by Regenerate or Edit question stay removed when merged with an older stored copy', () => {
    const stored = withTurn(first, turn('Second?', 'old answer', 20));
    const mine = withTurn(withoutTurnsFrom(stored, 1), turn('Second, edited?', 'new answer', 30));
    const merged = mergeConversations(stored, mine);
    expect(merged.turns.map((t) => t.question)).toEqual(['First question?', 'Second, edited?']);
    // Saved again later by a tab that still had the old turn: it does not come back.
    expect(mergeConversations(merged, stored).turns.map((t) => t.question)).toEqual(['First question?', 'Second, edited?']);
  });

  it("a rename wins over the stored title that followed the first question", () => {
    const renamed = { ...first, title: 'Sky colour', renamed: true };
    expect(mergeConversations(first, renamed)).toMatchObject({ title: 'Sky colour', renamed: true });
    // … and another tab saving its unrenamed copy keeps the rename.
    expect(mergeConversations(renamed, withTurn(first, turn('More?', 'm', 40)))).toMatchObject({ title: 'Sky colour', renamed: true });
  });
});
