import { describe, expect, it } from 'vitest';
import { QUESTIONS, QuestionDeck } from '../../../bench/lib/questions.js';

describe('benchmark questions', () => {
  it('are distinct, short questions', () => {
    expect(new Set(QUESTIONS).size).toBe(QUESTIONS.length);
    for (const q of QUESTIONS) expect(q).toMatch(/^[A-Z][^?]{5,60}\?$/);
  });
  it('a deck hands each out once and says when it runs out', () => {
    const deck = new QuestionDeck(['a?', 'b?']);
    expect([deck.draw(), deck.draw()]).toEqual(['a?', 'b?']);
    expect(() => deck.draw()).toThrow(/all 2 questions are used/);
  });
});
