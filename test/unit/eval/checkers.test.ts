import { describe, expect, it } from 'vitest';
import { choiceLetter, countWords, numbersIn, runCheck } from '../../../eval/lib/checkers.js';

describe('numbers', () => {
  it('reads integers, decimals, thousands separators, fractions and minus signs', () => {
    expect(numbersIn('17 + 25 = **42**.')).toEqual([17, 25, 42]);
    expect(numbersIn('It costs 1,250 dollars, or -3.5 or −2, about 3/4 of it, .5')).toEqual([1250, -3.5, -2, 0.75, 0.5]);
    expect(numbersIn('H2O and 3rd place')).toEqual([]);
  });
  it('checks the last number by default, or the first / any / the only one', () => {
    expect(runCheck({ type: 'number', value: 42 }, '17 + 25 = 42.')).toEqual({ pass: true, detail: 'last number 42' });
    expect(runCheck({ type: 'number', value: 42 }, 'The answer is 42 (17 plus 25).').pass).toBe(false);
    expect(runCheck({ type: 'number', value: 42, pick: 'first' }, 'The answer is 42 (17 plus 25).').pass).toBe(true);
    expect(runCheck({ type: 'number', value: 42, pick: 'any' }, '40, 41, 42, 43').pass).toBe(true);
    expect(runCheck({ type: 'number', value: 42, pick: 'only' }, '40, 41, 42, 43').pass).toBe(false);
    expect(runCheck({ type: 'number', value: 2.54, tolerance: 0.01 }, 'About 2.5 cm').pass).toBe(false);
    expect(runCheck({ type: 'number', value: 1.6, tolerance: 0.05 }, 'About 1.61 km').pass).toBe(true);
    expect(runCheck({ type: 'number', value: 0.1 + 0.2 }, '0.3').pass).toBe(true);
    expect(runCheck({ type: 'number', value: 7 }, 'seven')).toEqual({ pass: false, detail: 'no number in the answer' });
  });
});

describe('choice letters', () => {
  const options = { A: 'Shark', B: 'Dolphin', C: 'Trout', D: 'Octopus' };
  it.each([
    ['B', 'B'],
    ['(B)', 'B'],
    ['**B) Dolphin**', 'B'],
    ['B. Dolphin is a mammal.', 'B'],
    ['The answer is B.', 'B'],
    ['Answer: (C)', 'C'],
    ['I think option d', 'D'],
    ['The dolphin, because it breathes air.', 'B'],
  ])('%j → %s', (answer, letter) => expect(choiceLetter(answer, options)).toBe(letter));
  it('does not read the article "A" as a choice, nor an answer naming several options', () => {
    expect(choiceLetter('A dolphin is a mammal, unlike a shark.', options)).toBeUndefined();
    expect(choiceLetter('A shark or a trout', options)).toBeUndefined();
    expect(choiceLetter('The answer is a dolphin, not a shark.', options)).toBeUndefined();
    expect(runCheck({ type: 'choice', answer: 'B' }, 'A')).toEqual({ pass: false, detail: 'choice A' });
  });
});

describe('text checks', () => {
  it('contains: any, all, none, case', () => {
    expect(runCheck({ type: 'contains', any: ['Canberra'] }, 'The capital is **canberra**.').pass).toBe(true);
    expect(runCheck({ type: 'contains', any: ['Bob'], none: ['Tom', 'Ann'] }, 'Bob, since Tom > Ann > Bob')).toEqual({ pass: false, detail: 'has the required text; has forbidden Tom, Ann' });
    expect(runCheck({ type: 'contains', all: ['red', 'blue'] }, 'red and green')).toEqual({ pass: false, detail: 'missing blue' });
    expect(runCheck({ type: 'contains', any: ['OK'], caseSensitive: true }, 'ok').pass).toBe(false);
  });
  it('regex on the text without Markdown, and its negation', () => {
    expect(runCheck({ type: 'regex', pattern: '^\\W*yes\\b', flags: 'i' }, '**Yes**, Tom is an animal.').pass).toBe(true);
    expect(runCheck({ type: 'regex', pattern: '[A-Z]', mustNotMatch: true }, 'all lowercase here').pass).toBe(true);
  });
  it('exact ignores surrounding quotes, punctuation and Markdown; case unless asked', () => {
    expect(runCheck({ type: 'exact', value: 'tac' }, '"Tac."').pass).toBe(true);
    expect(runCheck({ type: 'exact', value: 'OK', caseSensitive: true }, '**OK**').pass).toBe(true);
    expect(runCheck({ type: 'exact', value: 'OK', caseSensitive: true }, 'Ok').pass).toBe(false);
    expect(runCheck({ type: 'exact', value: ['false', 'no'] }, 'False!').pass).toBe(true);
  });
  it('word counts as a person counts, and all-of', () => {
    expect(countWords("It's a well-known **blue** sky.")).toBe(5);
    expect(countWords('- dog\n- cat')).toBe(2);
    expect(runCheck({ type: 'word-count', exactly: 3 }, 'The sky is blue.')).toEqual({ pass: false, detail: '4 words' });
    expect(runCheck({ type: 'word-count', min: 1, max: 5 }, 'To rest.').pass).toBe(true);
    expect(runCheck({ type: 'all', checks: [{ type: 'word-count', exactly: 1 }, { type: 'contains', any: ['cold'] }] }, 'Cold.')).toEqual({ pass: true, detail: '1 word; has the required text' });
    expect(runCheck({ type: 'judge' }, 'anything').pass).toBeUndefined();
  });
});
