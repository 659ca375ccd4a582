/**
 * The model's own tokenizer, rebuilt from its GGUF header: counts tokens the way llama.cpp splits text, without the
 * wasm (wllama 3 has no tokenize call, and asking llama.cpp would cost a prompt evaluation per count).
 *
 * Two tokenizer models, as in llama.cpp's `llama-vocab.cpp`:
 * - `gpt2` (byte-level BPE: SmolLM, Qwen, Llama 3, …): special tokens split out, the pre-tokenizer's regexes, bytes
 *   mapped to printable characters, then merges by rank.
 * - `llama` (SentencePiece: Gemma, Llama 2, TinyLlama, …): special tokens split out, spaces as `▁`, then the
 *   highest-scoring pair merged first, unknown characters as byte tokens `<0xXX>`.
 * Others (`bert`, `t5`, `rwkv`, …) are not rebuilt: `ggufTokenizer` returns undefined and callers estimate.
 *
 * Text is tokenized as llama.cpp tokenizes a whole prompt: special-token text (`<|im_end|>`) counts as one token.
 * No BOS/EOS is added: the chat template's overhead is counted by the caller.
 */
import type { GgufHeader, GgufValue } from './gguf-header.js';

export interface GgufTokenizer {
  /** 'gpt2' or 'llama' (the GGUF's tokenizer.ggml.model). */
  readonly model: 'gpt2' | 'llama';
  /** The pre-tokenizer's name (tokenizer.ggml.pre), e.g. 'smollm', 'qwen2', 'default'. */
  readonly pre: string;
  encode(text: string): number[];
  count(text: string): number;
}

/** GGUF token types (llama.cpp `llama_token_type`). */
const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

// ---- pre-tokenizer regexes (byte-level BPE) ------------------------------------------------------

/** GPT-2's pre-tokenizer, with its trailing `\s+` (llama.cpp's custom splitter behaves the same). */
const GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const LLAMA3 =
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2 =
  "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/**
 * The regex chain of each pre-tokenizer this module knows (llama.cpp `llm_tokenizer_bpe`): each regex splits the
 * pieces the previous one left, its matches and the text between them both becoming pieces.
 */
const PRE_TOKENIZERS: Record<string, string[]> = {
  gpt2: [GPT2],
  default: [GPT2],
  smollm: ['\\p{N}', GPT2],
  starcoder: ['\\p{N}', GPT2],
  refact: ['\\p{N}', GPT2],
  'command-r': ['\\p{N}', GPT2],
  codeshell: ['\\p{N}', GPT2],
  exaone: ['\\p{N}', GPT2],
  minerva: ['\\p{N}', GPT2],
  'llama-bpe': [LLAMA3],
  'llama3': [LLAMA3],
  qwen2: [QWEN2],
  'deepseek-r1-qwen': [QWEN2],
};

/** Splits `pieces` further with `pattern`: matches and the gaps between them become pieces. */
function splitWith(pieces: string[], pattern: RegExp): string[] {
  const out: string[] = [];
  for (const piece of pieces) {
    let last = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(piece); m; m = pattern.exec(piece)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      if (m.index > last) out.push(piece.slice(last, m.index));
      out.push(m[0]);
      last = m.index + m[0].length;
    }
    if (last < piece.length) out.push(piece.slice(last));
  }
  return out;
}

/** GPT-2's byte → printable character map (`bytes_to_unicode`). */
function byteToUnicode(): string[] {
  const map: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    map[b] = String.fromCodePoint(printable ? b : 256 + n++);
  }
  return map;
}

// ---- a binary heap --------------------------------------------------------------------------------

/** A min-heap by `before(a, b)` (a pops first when it returns true). */
class Heap<T> {
  private items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size() {
    return this.items.length;
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < a.length && this.before(a[l]!, a[best]!)) best = l;
        if (r < a.length && this.before(a[r]!, a[best]!)) best = r;
        if (best === i) break;
        [a[i], a[best]] = [a[best]!, a[i]!];
        i = best;
      }
    }
    return top;
  }
}

// ---- the vocabulary, shared by both models -------------------------------------------------------

interface Vocab {
  tokens: string[];
  ids: Map<string, number>;
  /** Special-token texts matched before the tokenizer runs, longest first. */
  specials: { text: string; id: number }[];
}

function readVocab(tokens: string[], types: number[] | undefined): Vocab {
  const ids = new Map<string, number>();
  // The first id wins for duplicate texts, as llama.cpp's token_to_id map keeps it.
  tokens.forEach((t, i) => {
    if (!ids.has(t)) ids.set(t, i);
  });
  const specials: { text: string; id: number }[] = [];
  if (types) {
    types.forEach((type, id) => {
      if ((type === TOKEN_TYPE.CONTROL || type === TOKEN_TYPE.USER_DEFINED || type === TOKEN_TYPE.UNKNOWN) && tokens[id]) specials.push({ text: tokens[id]!, id });
    });
  }
  specials.sort((a, b) => b.text.length - a.text.length || a.id - b.id);
  return { tokens, ids, specials };
}

/** Splits text around special tokens (llama.cpp `tokenizer_st_partition`, special parsing on). */
function partition(text: string, vocab: Vocab): ({ text: string } | { id: number })[] {
  let parts: ({ text: string } | { id: number })[] = [{ text }];
  for (const special of vocab.specials) {
    if (!text.includes(special.text)) continue;
    const next: typeof parts = [];
    for (const part of parts) {
      if (!('text' in part)) {
        next.push(part);
        continue;
      }
      let rest = part.text;
      for (let at = rest.indexOf(special.text); at >= 0; at = rest.indexOf(special.text)) {
        if (at > 0) next.push({ text: rest.slice(0, at) });
        next.push({ id: special.id });
        rest = rest.slice(at + special.text.length);
      }
      if (rest) next.push({ text: rest });
    }
    parts = next;
  }
  return parts;
}

// ---- byte-level BPE ---------------------------------------------------------------------------------

function bpeTokenizer(vocab: Vocab, merges: string[], pre: string): GgufTokenizer | undefined {
  const chain = PRE_TOKENIZERS[pre];
  if (!chain) return undefined;
  const regexes = chain.map((source) => new RegExp(source, 'gu'));
  const ranks = new Map<string, number>();
  merges.forEach((merge, rank) => {
    if (!ranks.has(merge)) ranks.set(merge, rank);
  });
  const bytes = byteToUnicode();
  const encoder = new TextEncoder();
  const cache = new Map<string, number[]>();
  // Llama 3's tokenizer takes a whole word that is a token as it is (llama.cpp `ignore_merges`).
  const ignoreMerges = pre === 'llama-bpe' || pre === 'llama3';

  const word = (text: string): number[] => {
    const hit = cache.get(text);
    if (hit) return hit;
    let encoded = '';
    for (const b of encoder.encode(text)) encoded += bytes[b]!;
    const whole = ignoreMerges ? vocab.ids.get(encoded) : undefined;
    if (whole !== undefined) return [whole];
    const symbols = Array.from(encoded);
    // Merges by rank, lowest first; ties by position (llama.cpp `llm_bigram_bpe`'s order).
    interface Pair { left: number; right: number; rank: number; text: string }
    const heap = new Heap<Pair>((a, b) => a.rank < b.rank || (a.rank === b.rank && a.left < b.left));
    const text_ = symbols.slice();
    const prev = symbols.map((_, i) => i - 1);
    const next = symbols.map((_, i) => (i + 1 < symbols.length ? i + 1 : -1));
    const add = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const rank = ranks.get(`${text_[left]} ${text_[right]}`);
      if (rank !== undefined) heap.push({ left, right, rank, text: text_[left]! + text_[right]! });
    };
    for (let i = 1; i < symbols.length; i++) add(i - 1, i);
    while (heap.size) {
      const pair = heap.pop()!;
      const l = text_[pair.left]!;
      const r = text_[pair.right];
      // Skip pairs made stale by an earlier merge.
      if (!l || !r || l + r !== pair.text || next[pair.left] !== pair.right) continue;
      text_[pair.left] = pair.text;
      text_[pair.right] = '';
      next[pair.left] = next[pair.right]!;
      if (next[pair.right]! >= 0) prev[next[pair.right]!] = pair.left;
      add(prev[pair.left]!, pair.left);
      add(pair.left, next[pair.left]!);
    }
    const ids: number[] = [];
    for (let i = 0; i >= 0 && i < symbols.length; i = next[i]!) {
      const piece = text_[i]!;
      const id = vocab.ids.get(piece);
      if (id !== undefined) ids.push(id);
      else for (const ch of piece) {
        const single = vocab.ids.get(ch);
        if (single !== undefined) ids.push(single);
      }
    }
    if (cache.size > 20_000) cache.clear();
    cache.set(text, ids);
    return ids;
  };

  const encode = (text: string): number[] => {
    const out: number[] = [];
    for (const part of partition(text, vocab)) {
      if ('id' in part) {
        out.push(part.id);
        continue;
      }
      let pieces = [part.text];
      for (const regex of regexes) pieces = splitWith(pieces, regex);
      for (const piece of pieces) out.push(...word(piece));
    }
    return out;
  };
  return { model: 'gpt2', pre, encode, count: (text) => encode(text).length };
}

// ---- SentencePiece ------------------------------------------------------------------------------------

function spmTokenizer(vocab: Vocab, scores: number[], addSpacePrefix: boolean, pre: string): GgufTokenizer {
  const byteIds: (number | undefined)[] = [];
  for (let b = 0; b < 256; b++) byteIds.push(vocab.ids.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
  const encoder = new TextEncoder();

  const fragment = (text: string, out: number[]) => {
    const symbols = Array.from(text.replace(/ /g, '\u2581'));
    if (!symbols.length) return;
    interface Pair { left: number; right: number; score: number; text: string }
    // Highest score first; ties by position (llama.cpp `llm_bigram_spm`'s order).
    const heap = new Heap<Pair>((a, b) => a.score > b.score || (a.score === b.score && a.left < b.left));
    const text_ = symbols.slice();
    const prev = symbols.map((_, i) => i - 1);
    const next = symbols.map((_, i) => (i + 1 < symbols.length ? i + 1 : -1));
    const add = (left: number, right: number) => {
      if (left < 0 || right < 0) return;
      const joined = text_[left]! + text_[right]!;
      const id = vocab.ids.get(joined);
      if (id !== undefined) heap.push({ left, right, score: scores[id] ?? 0, text: joined });
    };
    for (let i = 1; i < symbols.length; i++) add(i - 1, i);
    while (heap.size) {
      const pair = heap.pop()!;
      const l = text_[pair.left]!;
      const r = text_[pair.right];
      if (!l || !r || l + r !== pair.text || next[pair.left] !== pair.right) continue;
      text_[pair.left] = pair.text;
      text_[pair.right] = '';
      next[pair.left] = next[pair.right]!;
      if (next[pair.right]! >= 0) prev[next[pair.right]!] = pair.left;
      add(prev[pair.left]!, pair.left);
      add(pair.left, next[pair.left]!);
    }
    for (let i = 0; i >= 0 && i < symbols.length; i = next[i]!) {
      const piece = text_[i]!;
      const id = vocab.ids.get(piece);
      if (id !== undefined) {
        out.push(id);
        continue;
      }
      // A piece not in the vocabulary is always a single character here (merges only make known pieces): its bytes.
      for (const b of encoder.encode(piece)) {
        const byte = byteIds[b];
        if (byte !== undefined) out.push(byte);
      }
    }
  };

  const encode = (text: string): number[] => {
    const out: number[] = [];
    let previousSpecial = true;
    for (const part of partition(text, vocab)) {
      if ('id' in part) {
        out.push(part.id);
        previousSpecial = true;
        continue;
      }
      fragment((addSpacePrefix && previousSpecial ? ' ' : '') + part.text, out);
      previousSpecial = false;
    }
    return out;
  };
  return { model: 'llama', pre, encode, count: (text) => encode(text).length };
}

// ---- from a header ------------------------------------------------------------------------------------

const strings = (v: GgufValue | undefined) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
const numbers = (v: GgufValue | undefined) => (Array.isArray(v) ? v.map((x) => Number(x)) : undefined);

/**
 * The tokenizer of a GGUF model, from its header's `tokenizer.ggml.*` keys; undefined when the file has no vocabulary
 * or uses a tokenizer model or pre-tokenizer this module does not rebuild.
 */
export function ggufTokenizer(header: Pick<GgufHeader, 'metadata'>): GgufTokenizer | undefined {
  const m = header.metadata;
  const model = m.get('tokenizer.ggml.model');
  const tokens = strings(m.get('tokenizer.ggml.tokens'));
  if (!tokens?.length) return undefined;
  const vocab = readVocab(tokens, numbers(m.get('tokenizer.ggml.token_type')));
  const pre = typeof m.get('tokenizer.ggml.pre') === 'string' ? (m.get('tokenizer.ggml.pre') as string) : 'default';
  if (model === 'gpt2') {
    const merges = strings(m.get('tokenizer.ggml.merges'));
    return merges ? bpeTokenizer(vocab, merges, pre) : undefined;
  }
  if (model === 'llama') {
    const scores = numbers(m.get('tokenizer.ggml.scores')) ?? [];
    // llama.cpp's default for SentencePiece models is to add the space prefix; GGUFs say so when they don't.
    const prefix = m.get('tokenizer.ggml.add_space_prefix');
    return spmTokenizer(vocab, scores, prefix === undefined ? true : prefix === true, pre);
  }
  return undefined;
}
