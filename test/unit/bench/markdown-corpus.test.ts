import { describe, expect, it } from 'vitest';
import { markdownCorpus, tokenizeLikeAModel } from '../../../bench/lib/markdown-corpus.js';

describe('bench markdown corpus (suite 4)', () => {
  const corpus = markdownCorpus(20_000);

  it('has exactly the asked number of tokens, whose concatenation is the text, the same on every call', () => {
    expect(corpus.tokens).toHaveLength(20_000);
    expect(corpus.tokens.join('')).toBe(corpus.text);
    expect(markdownCorpus(20_000)).toEqual(corpus);
    expect(markdownCorpus(1_000).tokens).toEqual(corpus.tokens.slice(0, 1_000));
    expect(markdownCorpus(500, 9).text).not.toBe(markdownCorpus(500).text);
  });

  it('looks like a long model answer: headings, paragraphs, lists, quotes, code blocks, inline markup', () => {
    const { text } = corpus;
    expect(text.length).toBeGreaterThan(60_000);
    expect(text.match(/^## /gm)!.length).toBeGreaterThan(20);
    expect(text.match(/^- /gm)!.length).toBeGreaterThan(100);
    expect(text.match(/^\d+\. /gm)!.length).toBeGreaterThan(50);
    expect(text.match(/^> /gm)!.length).toBeGreaterThan(5);
    expect(text.match(/^```ts$/gm)!.length).toBeGreaterThan(10);
    expect(text).toMatch(/\*\*\w+ \w+\*\*/);
    expect(text).toMatch(/\[\w+ \w+\]\(https:\/\/example\.com\/\w+\)/);
    // Tokens are short, like a model's: no token longer than 6 letters plus its leading space.
    expect(Math.max(...corpus.tokens.map((t) => t.trimStart().length))).toBeLessThanOrEqual(6);
  });

  it('tokenizes words into pieces with their leading space, newlines and symbols alone', () => {
    expect(tokenizeLikeAModel('Hello worldwide!\n- `x`')).toEqual(['Hello', ' worldw', 'ide', '!', '\n', '-', ' `', 'x', '`']);
    expect(() => markdownCorpus(0)).toThrow(/tokenCount must be a whole number > 0/);
  });
});
