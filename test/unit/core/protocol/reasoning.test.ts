import { describe, expect, it } from 'vitest';
import { ReasoningFilter, splitReasoning, stripPartialReasoning, stripReasoning } from '@attention-moa/core';

describe('stripReasoning', () => {
  it.each([
    ['<think>let me see</think>Four.', 'Four.'],
    ['  <THINK>a\nb</THINK>\n\nFour.  ', 'Four.'],
    ['Four. <thinking>hmm</thinking>', 'Four.'],
    ['Start <think>x</think> middle <think>y</think> end', 'Start  middle  end'],
    ['Four.<think>still thinking when max_tokens hit', 'Four.'],
    ['<think>only thoughts, cut off', ''],
    ['reasoning the template opened for us</think>Four.', 'Four.'],
    ['no reasoning at all', 'no reasoning at all'],
  ])('%j → %j', (input, expected) => expect(stripReasoning(input)).toBe(expected));

  it('keeps the reasoning apart for display', () => {
    expect(splitReasoning('<think>two plus two</think>Four.')).toEqual({ answer: 'Four.', reasoning: 'two plus two' });
  });
});

describe('ReasoningFilter (streaming)', () => {
  const feed = (tokens: string[]) => {
    const filter = new ReasoningFilter();
    return tokens.map((t) => filter.push(t)).join('') + filter.end();
  };

  it.each([
    [['<th', 'ink>', 'secret', '</thi', 'nk>', '\n', 'Four', '.']],
    [['Hel', 'lo <think>', 'x', '</think>', ' world ', ' ']],
    [['  ', 'a', ' <', 'b ', '<think', '>', 'x']],
    [['Four.', '<think>', 'unterminated']],
    [['a < b and <thinking>', 'zzz', '</thinking>c']],
  ])('matches stripReasoning for tokens %j', (tokens) => {
    expect(feed(tokens)).toBe(stripReasoning(tokens.join('')));
  });

  it('cannot know an orphan closing tag until it comes (callers reconcile with the final text)', () => {
    expect(feed(['thoughts', '</think>', 'Four.'])).toBe('thoughtsFour.');
    expect(stripReasoning('thoughts</think>Four.')).toBe('Four.');
  });

  it('never shows text inside a block, even split across tokens', () => {
    const filter = new ReasoningFilter();
    const shown = ['<', 'think', '>', 'SECRET', '<', '/think>', 'ok'].map((t) => filter.push(t));
    expect(shown.join('')).toBe('ok');
    expect(shown.some((s) => s.includes('SECRET') || s.includes('<'))).toBe(false);
  });
});

describe('stripPartialReasoning (the output so far of a call still streaming)', () => {
  it.each([
    ['<thinking>still weighing', ''],
    ['<thinking>weighed</thinking> Four', 'Four'],
    ['opened by the chat template</think>', ''],
    ['opened by the chat template</think>\nFour', 'Four'],
    ['Four <thi', 'Four'],
    ['Four </thin', 'Four'],
    ['a < b', 'a < b'],
  ])('%j → %j', (input, expected) => expect(stripPartialReasoning(input)).toBe(expected));

  it('agrees with stripReasoning on every complete output', () => {
    for (const text of ['<think>x</think>Four.', 'x</think>Four.', 'Four.<thinking>cut', 'plain']) {
      expect(stripPartialReasoning(text)).toBe(stripReasoning(text));
    }
  });
});
