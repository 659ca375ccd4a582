import { describe, expect, it } from 'vitest';
import { ggufTokenizer } from '../../../../../packages/core/src/engine/wllama/gguf-tokenizer.js';
import type { GgufValue } from '../../../../../packages/core/src/engine/wllama/gguf-header.js';

// Small vocabularies with the shape real GGUF files have; the real models are checked against llama.cpp in the
// browser (test/e2e/real-moa.spec.ts).

const header = (entries: Record<string, GgufValue>) => ({ metadata: new Map(Object.entries(entries)) });

/** GPT-2's byte → character map, to write byte-level vocabularies by hand. */
const SPACE = 'Ġ';
const NEWLINE = 'Ċ';

function bpe(pre: string, extra: string[], merges: string[]) {
  const bytes: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    bytes.push(String.fromCodePoint(printable ? b : 256 + n++));
  }
  const tokens = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', ...bytes, ...extra];
  const types = tokens.map((_, i) => (i < 3 ? 3 : 1));
  return ggufTokenizer(header({ 'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.pre': pre, 'tokenizer.ggml.tokens': tokens, 'tokenizer.ggml.token_type': types, 'tokenizer.ggml.merges': merges }))!;
}

describe('byte-level BPE (gpt2 tokenizer model)', () => {
  const words = [`${SPACE}t`, 'he', `${SPACE}the`, `${SPACE}c`, 'at', `${SPACE}cat`, '12'];
  const merges = [`${SPACE} t`, 'h e', `${SPACE}t he`, `${SPACE} c`, 'a t', `${SPACE}c at`, '1 2'];

  it('merges by rank into whole words, and maps every byte of other text to a token', () => {
    const t = bpe('default', words, merges);
    const id = (s: string) => t.encode(s);
    expect(t.model).toBe('gpt2');
    expect(t.count(' the cat')).toBe(2);
    expect(id(' the cat')).toEqual([...id(' the'), ...id(' cat')]);
    // "dog" has no merges: one token a byte; a newline is its own pre-token.
    expect(t.count(' dog')).toBe(4);
    expect(t.count(`a\nb`)).toBe(3);
    // Non-ASCII: one token per UTF-8 byte without merges (é is 2 bytes).
    expect(t.count('é')).toBe(2);
  });

  it('splits digits one by one for SmolLM\'s pre-tokenizer, but not for GPT-2\'s', () => {
    expect(bpe('default', words, merges).count('12')).toBe(1);
    expect(bpe('smollm', words, merges).count('12')).toBe(2);
  });

  it('counts special-token text as one token, as llama.cpp does in a prompt', () => {
    const t = bpe('smollm', words, merges);
    expect(t.encode('<|im_end|>')).toEqual([2]);
    expect(t.count(' the<|im_end|> cat')).toBe(3);
  });

  it('is not rebuilt for a pre-tokenizer it does not know (callers estimate instead)', () => {
    expect(bpe('some-future-pre', words, merges)).toBeUndefined();
  });

  it('keeps newlines and spaces as llama.cpp\'s GPT-2 regex does: a space joins the word after it', () => {
    const t = bpe('default', [...words, `${NEWLINE}${NEWLINE}`], [...merges, `${NEWLINE} ${NEWLINE}`]);
    expect(t.count('\n\n')).toBe(1);
    // "  the": the first space stays alone (\s+(?!\S)), the second joins "the".
    expect(t.encode('  the')).toEqual([...t.encode(' '), ...t.encode(' the')]);
  });
});

function spm(tokens: [string, number, number?][], addSpacePrefix?: boolean) {
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  const all: [string, number, number][] = [['<unk>', 0, 2], ['<bos>', 0, 3], ['<eos>', 0, 3], ['<start_of_turn>', 0, 3], ...bytes.map((b): [string, number, number] => [b, 0, 6]), ...tokens.map(([t, s, type]): [string, number, number] => [t, s, type ?? 1])];
  return ggufTokenizer(
    header({
      'tokenizer.ggml.model': 'llama',
      'tokenizer.ggml.tokens': all.map((t) => t[0]),
      'tokenizer.ggml.scores': all.map((t) => t[1]),
      'tokenizer.ggml.token_type': all.map((t) => t[2]),
      ...(addSpacePrefix === undefined ? {} : { 'tokenizer.ggml.add_space_prefix': addSpacePrefix }),
    }),
  )!;
}

describe('SentencePiece (llama tokenizer model)', () => {
  const vocab: [string, number][] = [['▁', -1], ['h', -2], ['e', -2], ['l', -2], ['o', -2], ['he', -3], ['ll', -3], ['hell', -4], ['hello', -5], ['▁hello', -6], ['lo', -1]];

  it('merges the highest-scoring pair first', () => {
    const t = spm(vocab, false);
    expect(t.model).toBe('llama');
    // "hello": "lo" (score −1) is merged before "he"/"ll" (−3), so "hello" can no longer form: he + l + lo.
    expect(t.encode('hello').map((id) => id)).toHaveLength(3);
    // Without the "lo" shortcut the whole word forms.
    const whole = spm(vocab.filter(([t]) => t !== 'lo'), false);
    expect(whole.count('hello')).toBe(1);
    expect(whole.count(' hello')).toBe(1); // "▁hello"
  });

  it('adds the space prefix unless the GGUF says not to (Gemma 3 says not to)', () => {
    const words = vocab.filter(([t]) => t !== 'lo');
    expect(spm(words).count('hello')).toBe(1); // "▁hello"
    expect(spm(words, true).encode('hello')).toEqual(spm(words, false).encode(' hello'));
  });

  it('writes characters it does not know as their UTF-8 bytes', () => {
    const t = spm(vocab, false);
    expect(t.count('é')).toBe(2);
    expect(t.count('😀')).toBe(4);
  });

  it('takes control tokens out before merging', () => {
    const t = spm(vocab.filter(([t]) => t !== 'lo'), false);
    expect(t.encode('<start_of_turn>hello')).toEqual([3, ...t.encode('hello')]);
  });
});

it('has no tokenizer for a GGUF without a vocabulary or with a model it does not rebuild', () => {
  expect(ggufTokenizer(header({}))).toBeUndefined();
  expect(ggufTokenizer(header({ 'tokenizer.ggml.model': 'bert', 'tokenizer.ggml.tokens': ['a'] }))).toBeUndefined();
});
