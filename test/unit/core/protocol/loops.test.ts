import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findLoop, reviewOutput } from '@attention-moa/core';

describe('findLoop', () => {
  it('cuts a phrase loop after its first occurrence (SmolLM2-135M, greedy, "What is the capital of France?")', () => {
    const text = `L'Étoile, la Cité, la France${', la France'.repeat(18)}, la France,`;
    expect(findLoop(text)).toEqual({ text: "L'Étoile, la Cité, la France", unit: 'la France', occurrences: 20 });
  });
  it('cuts a repeated line (Gemma 3 270M base repeating the question)', () => {
    const line = 'What is the capital of France? mendatang';
    const cut = findLoop(`${line}\n`.repeat(6) + 'What');
    expect(cut?.text).toBe(line);
    expect(cut?.occurrences).toBe(6);
  });
  it('cuts a repeated sentence and keeps its own punctuation', () => {
    expect(findLoop('The answer is 3.33.\n\nThe answer is 3.33.\n\nThe answer is 3.33.\n\nThe answer is 3.3')?.text).toBe('The answer is 3.33.');
  });
  it.each([
    'The sky is blue because air scatters short wavelengths more than long ones.',
    'It is very, very, very cold.', // three repeats of one word: too short to be a loop
    '1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12',
    'Paris. Paris is the capital of France, and Paris is its largest city.',
    'yes no yes no', // two occurrences of a two-word unit
  ])('leaves ordinary text alone: %j', (text) => expect(findLoop(text)).toBeUndefined());
  it('never looks inside fenced code, where lines may repeat', () => {
    const code = 'Print it three times:\n\n```python\nprint("hi there friend")\nprint("hi there friend")\nprint("hi there friend")\nprint("hi there friend")\n```\nDone.';
    expect(findLoop(code)).toBeUndefined();
  });
});

describe('the review marks a loop and passes on the first occurrence only', () => {
  it('a looping proposal is kept, cut and marked', () => {
    const review = reviewOutput(`Paris is the capital.${' Paris is the capital.'.repeat(5)}`, 'length', {
      role: 'propose', layer: 1, question: 'What is the capital of France?', inputs: [], maxTokens: 64, stopPhrase: 'NO FURTHER IMPROVEMENT',
    });
    expect(review.text).toBe('Paris is the capital.');
    expect(review.roleCheck?.problems.map((p) => p.kind)).toEqual(['cut', 'loop']);
    expect(review.roleCheck?.problems[1]!.note).toBe('repeated itself (“Paris is the capital” 6 times in a row): the repeats were cut');
    expect(review.roleCheck?.action).toBeUndefined();
  });
});

describe('on what the real models wrote (test/fixtures/real-outputs/loops.json)', () => {
  interface Recorded { questionId: string; question: string; role: 'propose' | 'critique' | 'refine' | 'aggregate'; agent: string; output: string; finishReason: 'stop' | 'length' }
  const recorded: Recorded[] = JSON.parse(readFileSync(new URL('../../../fixtures/real-outputs/loops.json', import.meta.url), 'utf8')).calls;
  const call = (questionId: string, role: string, agent: string) => recorded.find((c) => c.questionId === questionId && c.role === role && c.agent === agent)!;
  it.each([
    ['fact-001', 'propose', 'smollm2', "L'Étoile, la Cité, la France"],
    ['fact-001', 'propose', 'gemma', 'What is the capital of France? mendatang'],
    ['unit-001', 'critique', 'smollm2', 'The answer is 3.33.'],
    ['logic-001', 'aggregate', 'aggregator', 'No.\n\nThe answer is no.'],
  ])('%s %s by %s: the repeats are cut, one whole sentence is kept', (questionId, role, agent, kept) => {
    const c = call(questionId, role, agent);
    const review = reviewOutput(c.output, c.finishReason, { role: c.role, layer: 1, question: c.question, inputs: [], maxTokens: 64, stopPhrase: 'NO FURTHER IMPROVEMENT' });
    expect(review.text).toBe(kept);
    expect(review.roleCheck?.problems.map((p) => p.kind)).toContain('loop');
  });
  it('a sentence said twice, the second time changed ("48 + 36", then "48 + 3"), is not a loop: a loop needs three occurrences', () => {
    const c = call('arith-002', 'refine', 'smollm2');
    expect(reviewOutput(c.output, c.finishReason, { role: 'refine', layer: 1, question: c.question, inputs: [], maxTokens: 64, stopPhrase: 'NO FURTHER IMPROVEMENT' }).roleCheck?.problems.map((p) => p.kind)).not.toContain('loop');
  });
});
