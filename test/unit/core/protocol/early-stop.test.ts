import { describe, expect, it } from 'vitest';
import { isStopPhrase, similarity } from '@attention-moa/core';

const PHRASE = 'NO FURTHER IMPROVEMENT';

describe('isStopPhrase', () => {
  it.each([
    'NO FURTHER IMPROVEMENT',
    'no further improvement',
    'No further improvement.',
    '  NO FURTHER IMPROVEMENT  \n',
    '**NO FURTHER IMPROVEMENT**',
    '`NO_FURTHER_IMPROVEMENT`',
    '"No Further Improvement!"',
    '> ## NO FURTHER IMPROVEMENT',
    'Verdict: NO FURTHER IMPROVEMENT',
    'NO FURTHER IMPROVEMENT. The current round repeats the previous one.',
    '<think>round 2 adds nothing</think>NO FURTHER IMPROVEMENT',
    'ＮＯ ＦＵＲＴＨＥＲ ＩＭＰＲＯＶＥＭＥＮＴ',
  ])('stops on %j', (reply) => expect(isStopPhrase(reply, PHRASE)).toBe(true));

  it.each([
    'No further improvement is possible: the formula is already optimal.',
    'The answer is four.',
    '',
    `NO FURTHER IMPROVEMENT. ${'This long answer goes on and on. '.repeat(10)}`,
    'NO IMPROVEMENT',
  ])('does not stop on %j', (reply) => expect(isStopPhrase(reply, PHRASE)).toBe(false));
});

describe('similarity', () => {
  it('is 1 for identical texts, regardless of case and punctuation', () => {
    expect(similarity('The answer is 4.', 'the ANSWER is 4')).toBe(1);
    expect(similarity('one two three one two', 'one two three one two')).toBe(1);
  });
  it('is 0 for texts with nothing in common, and for one empty text', () => {
    expect(similarity('alpha beta', 'gamma delta')).toBe(0);
    expect(similarity('', 'gamma')).toBe(0);
    expect(similarity('', '')).toBe(1);
  });
  it('ranks a near-identical revision above a different answer', () => {
    const a = 'Paris is the capital of France and its largest city.';
    const near = 'Paris is the capital of France and also its largest city.';
    const related = 'The capital of Germany is Berlin, a city of museums.';
    const other = 'Berlin has many museums and parks.';
    expect(similarity(a, near)).toBeGreaterThan(0.8);
    expect(similarity(a, related)).toBeLessThan(similarity(a, near) - 0.3);
    expect(similarity(a, other)).toBeLessThan(0.1);
    expect(similarity(a, near)).toBe(similarity(near, a));
  });
  it('ignores reasoning blocks', () => {
    expect(similarity('<think>scratch</think>Four.', 'Four.')).toBeCloseTo(1, 10);
  });
});
