/**
 * A conservative token estimate, for engines without a tokenizer and for prompts measured before one is known.
 *
 * Conservative means "rather too many than too few": overestimating only shortens a prompt a little early,
 * underestimating overflows the model's context window. BPE tokenizers of small chat models (Llama, Qwen, Gemma,
 * SmolLM) give about 4 characters a token for English prose and about 3 for code; text outside ASCII costs more
 * (accented Latin and Cyrillic up to about one token a character, CJK about one and a half, emoji two or more).
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let cost = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) ascii += 1;
    else if (code < 0x3000) cost += 1;
    else if (code < 0x10000) cost += 1.5;
    else cost += 2.5;
  }
  return Math.ceil(ascii / 3 + cost);
}
