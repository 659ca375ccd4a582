import { describe, expect, it } from 'vitest';
import { cleanScaffolding } from '@attention-moa/core';

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
