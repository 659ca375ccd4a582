import { describe, expect, it } from 'vitest';
import { checkRole } from '@attention-moa/core';

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
