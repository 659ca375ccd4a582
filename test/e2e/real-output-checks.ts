// What must never reach a user from a real model's output: the prompt's scaffolding echoed back (fence markers, data
// labels), chat-template tokens, the judge's stop phrase, reasoning blocks. Used by the real-model specs on every text
// the user is shown (the answer as streamed and as rendered, every layer's output, every call's passed-on text).

export const LEAKS: readonly { what: string; pattern: RegExp }[] = [
  // The prompts fence data as <<<LABEL>>> … <<<END LABEL>>>; small models echo them, whole or in part.
  { what: 'a fence marker', pattern: /<<<|>>>|<<\s*END\b/ },
  {
    what: 'a data label',
    pattern: /\b(?:REFERENCE RESPONSE|YOUR PREVIOUS ANSWER|YOUR ANSWER|ANSWER OF|RESPONSE \d+|ROUND \d+|SUGGESTION \d+|QUESTION)\b|\bSuggestion \d+ \(from\b/,
  },
  { what: 'a chat-template token', pattern: /<\|im_(?:start|end)\|>|<\|endoftext\|>|<(?:start|end)_of_turn>|<\/?s>/ },
  { what: 'the stop phrase', pattern: /no[\s_-]+further[\s_-]+improvement/i },
  { what: 'a reasoning block', pattern: /<\/?think(?:ing)?>/i },
];

/** The leaks found in `text`, each with the text around it. */
export function leaksIn(text: string): string[] {
  const found: string[] = [];
  for (const { what, pattern } of LEAKS) {
    const m = pattern.exec(text);
    if (m) found.push(`${what}: …${text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30)}…`);
  }
  return found;
}
