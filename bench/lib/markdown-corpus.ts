/**
 * Realistic Markdown for suite 4 (streaming render): a long technical answer — headings, paragraphs with inline
 * emphasis, code and links, bullet and numbered lists, block quotes and fenced code blocks — generated from a seed,
 * cut into LLM-like tokens (words and word pieces of at most 6 letters with their leading space, punctuation and
 * newlines on their own), so a renderer sees what a model's stream looks like. Pure and deterministic.
 */

/** mulberry32: a small seeded PRNG, so every run streams the same text. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a model answer request worker thread token stream page browser engine memory cache layer agent critique ' +
  'refine aggregate residual protocol value result error queue signal render frame update element block list ' +
  'paragraph function return async await promise buffer index array string number object state event handler ' +
  'quickly usually carefully instead because therefore however when while before after each every small large ' +
  'first second final correct wrong faster slower smaller larger simple clear stable latency throughput budget ' +
  'scheduler allocation network storage database transaction consistency replication partition leader follower'
).split(' ');
const IDENTIFIERS = ['fetchModel', 'tokenCount', 'maxTokens', 'runLayer', 'AbortSignal', 'postMessage', 'requestAnimationFrame', 'structuredClone', 'WeakRef', 'queueMicrotask'];
const CODE_LINES = [
  'const controller = new AbortController();',
  'for await (const chunk of stream) {',
  '  output += chunk.choices[0]?.delta?.content ?? "";',
  '}',
  'function score(a: number[], b: number[]): number {',
  '  let dot = 0;',
  '  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];',
  '  return dot / (norm(a) * norm(b));',
  'const worker = new Worker(new URL("./agent.ts", import.meta.url), { type: "module" });',
  'await Promise.all(agents.map((agent) => agent.load({ signal })));',
  'if (signal.aborted) throw signal.reason;',
  'const result = await moa.complete(messages, { signal });',
  'queue.push({ id, params, resolve, reject });',
  'return { text, usage: { prompt_tokens, completion_tokens } };',
];

export interface MarkdownCorpus {
  text: string;
  tokens: string[];
}

function sentence(rand: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const n = 6 + Math.floor(rand() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.05) words.push(`\`${pick(IDENTIFIERS)}\``);
    else if (r < 0.08) words.push(`**${pick(WORDS)} ${pick(WORDS)}**`);
    else if (r < 0.1) words.push(`*${pick(WORDS)}*`);
    else if (r < 0.115) words.push(`[${pick(WORDS)} ${pick(WORDS)}](https://example.com/${pick(WORDS)})`);
    else words.push(pick(WORDS));
  }
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}${rand() < 0.2 ? `, ${pick(WORDS)} ${pick(WORDS)}` : ''}.`;
}

function block(rand: () => number, section: number): string {
  const r = rand();
  const count = (min: number, spread: number) => min + Math.floor(rand() * spread);
  if (r < 0.45) return Array.from({ length: count(2, 4) }, () => sentence(rand)).join(' ');
  if (r < 0.62) return Array.from({ length: count(3, 4) }, () => `- ${sentence(rand)}`).join('\n');
  if (r < 0.74) return Array.from({ length: count(3, 4) }, (_, i) => `${i + 1}. ${sentence(rand)}`).join('\n');
  if (r < 0.8) return `> ${sentence(rand)} ${sentence(rand)}`;
  if (r < 0.92) {
    const start = Math.floor(rand() * CODE_LINES.length);
    const lines = Array.from({ length: count(4, 8) }, (_, i) => CODE_LINES[(start + i) % CODE_LINES.length]!);
    return ['```ts', ...lines, '```'].join('\n');
  }
  return `### ${section}.${count(1, 9)} ${sentence(rand).replace(/[.*`[\]()]/g, '').split(' ').slice(0, 5).join(' ')}`;
}

/** LLM-like tokens: newlines alone, words as pieces of ≤ 6 letters with their leading spaces, other symbols alone. */
export function tokenizeLikeAModel(text: string): string[] {
  return text.match(/\n|[ \t]*[A-Za-z]{1,6}|[ \t]*[0-9]{1,3}|[ \t]*[^\sA-Za-z0-9]|[ \t]+$/g) ?? [];
}

/** Exactly `tokenCount` tokens of a Markdown answer (the text is their concatenation). */
export function markdownCorpus(tokenCount: number, seed = 8): MarkdownCorpus {
  if (!(Number.isInteger(tokenCount) && tokenCount > 0)) throw new RangeError(`markdownCorpus: tokenCount must be a whole number > 0, got ${tokenCount}`);
  const rand = prng(seed);
  let tokens: string[] = [];
  let section = 0;
  // Blocks are joined by a blank line; a newline is always a token of its own, so tokens of the joined text are the
  // blocks' tokens with the separators between them.
  const add = (markdown: string) => {
    if (tokens.length) tokens.push('\n', '\n');
    tokens = tokens.concat(tokenizeLikeAModel(markdown));
  };
  for (let blocks = 0; tokens.length < tokenCount; blocks++) {
    if (blocks % 7 === 0) add(`## ${++section}. ${sentence(rand).replace(/[.*`[\]()]/g, '').split(' ').slice(0, 6).join(' ')}`);
    add(block(rand, section));
  }
  tokens = tokens.slice(0, tokenCount);
  return { text: tokens.join(''), tokens };
}
