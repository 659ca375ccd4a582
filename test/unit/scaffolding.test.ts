import { describe, expect, it } from 'vitest';
import { checkRole, cleanScaffolding } from '@attention-moa/core';

describe('cleanScaffolding', () => {
  it.each([
    ['<<<RESPONSE 1>>>\nParis is the capital.\n<<<END RESPONSE 1>>>', 'Paris is the capital.', ['data fences']],
    ['< < <ROUND 2 (CURRENT)> > >\nParis.', 'Paris.', ['data fences']],
    ['Paris is the capital.\n<<<END RESP', 'Paris is the capital.', ['data fences']],
    ['RESPONSE 2: Paris is the capital.', 'Paris is the capital.', ['data labels']],
    ['**Round 1 (current):** Paris.', 'Paris.', ['data labels']],
    ['Suggestion 1 (from A): cite a source.\nSuggestion 2 (from yourself): be brief.', 'cite a source.\nbe brief.', ['data labels']],
    ['YOUR ANSWER\nParis.', 'Paris.', ['data labels']],
    ['Paris.\n\nNO FURTHER IMPROVEMENT', 'Paris.', ['verdict line']],
    ['<|im_start|>assistant\nParis.<|im_end|>\n<|im_start|>user\nThanks!', 'Paris.', ['turn markers']],
    ['Paris.<end_of_turn>\n<start_of_turn>user\nMore?', 'Paris.', ['turn markers']],
  ])('%j → %j', (input, text, removed) => {
    expect(cleanScaffolding(input, { stopPhrase: 'NO FURTHER IMPROVEMENT' })).toEqual({ text, removed });
  });
  it.each([
    'As response 2 says, Paris is the capital.',
    'The question is hard: in round 1 of the tournament, Anna won.',
    'In C++, write `std::cout << x >> y`.',
    '| a | b |\n|---|---|\n| 1 | 2 |',
    'There is no further improvement to make.',
  ])('leaves %j alone', (input) => expect(cleanScaffolding(input, { stopPhrase: 'NO FURTHER IMPROVEMENT' })).toEqual({ text: input, removed: [] }));
});

describe('checkRole', () => {
  const base = { question: 'What is the capital of France?', inputs: ['Paris is the capital of France.', 'Lyon is the capital of France.'], finishReason: 'stop', maxTokens: 64, cleaned: false } as const;
  // What a model that ignores its instructions writes instead of a critique (TinyStories' stories260K, shared/docs/real-models.md).
  const story = 'Once upon a time, there was a little girl named Lily. She loved to play outside with her dog Max. One day, they went to the park and saw a big tree.';
  it('a story as a critique is off-topic', () => {
    expect(checkRole(story, { ...base, role: 'critique', subject: base.inputs[1] })).toEqual([
      { kind: 'off-topic', note: 'not a critique: it neither discusses the answers nor suggests anything about them' },
    ]);
  });
  it('a short or relevant critique is not', () => {
    expect(checkRole('Looks fine.', { ...base, role: 'critique', subject: base.inputs[1] })).toEqual([]);
    expect(checkRole('Lyon is wrong: the capital of France is Paris, as the other answer says; fix the city name.', { ...base, role: 'critique', subject: base.inputs[1] })).toEqual([]);
    // Off-topic applies to critiques only: an answer may share no word with its question ("Name three colours" → "Red, blue, green").
    expect(checkRole(story, { ...base, role: 'propose' })).toEqual([]);
  });
  it('echoes: of the question (any role), of the reviewed answer (a critique)', () => {
    expect(checkRole('What is the capital of France?', { ...base, role: 'propose' })).toEqual([{ kind: 'echo', note: 'repeats the question instead of doing its task' }]);
    expect(checkRole('Lyon is the capital of France.', { ...base, role: 'critique', subject: base.inputs[1] })).toEqual([
      { kind: 'echo', note: 'repeats the answer it should critique instead of critiquing it' },
    ]);
    // A refinement may keep its answer word for word: that is no echo.
    expect(checkRole('Lyon is the capital of France.', { ...base, role: 'refine', subject: base.inputs[1] })).toEqual([]);
  });
  it('empty (saying when cleaning emptied it) and cut', () => {
    expect(checkRole('', { ...base, role: 'refine', cleaned: true })).toEqual([{ kind: 'empty', note: 'the output only repeated the prompt’s scaffolding (labels, fences, turn markers)' }]);
    expect(checkRole('Paris is', { ...base, role: 'propose', finishReason: 'length' })).toEqual([{ kind: 'cut', note: 'stopped at the token cap (64 tokens): the text may end mid-sentence' }]);
  });
});
