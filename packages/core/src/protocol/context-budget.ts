/**
 * Context budgets: every prompt must fit its model's context window together with the answer it may produce,
 * so small browser models (2k–4k windows) never overflow inside the engine.
 *
 * Size: the engine's own `countTokens` when it has one (exact), else `estimateTokens` (conservative); plus
 * `MESSAGE_OVERHEAD` tokens per message and `REPLY_OVERHEAD` for the reply header, for the chat template.
 * Budget: `contextWindow − max tokens of the call's role`.
 *
 * The shortening rule, applied only when the whole prompt does not fit:
 * 1. The fixed parts — instructions, the system prompt, the current question — are never cut.
 * 2. Earlier turns of the conversation are dropped whole, oldest first (an assistant turn goes with the user turn
 *    before it), until they take at most half of the room left beside the fixed parts — or more, as far as the
 *    references leave room unused.
 * 3. The references (the reference response, answers, suggestions, rounds) share the rest equally: a reference
 *    shorter than its share is kept whole and leaves the remainder to the others; a longer one keeps its
 *    beginning (2/3 of its share) and its end (1/3) around a visible marker `[… about N tokens cut here …]`.
 * 4. If the references would get less than `MIN_PART_TOKENS` each, more earlier turns are dropped first.
 * 5. If it still does not fit, the call fails with `ContextOverflowError` naming the agent and the sizes.
 * Every cut is recorded as a `PromptCut` in the call's trace record: nothing is shortened silently.
 */
import type { ChatEngine, ChatMessage } from '../engine/contract.js';
import { estimateTokens } from '../engine/tokens.js';
import { ContextOverflowError } from './errors.js';
import type { CallRole, PromptCut } from './types.js';

export const MESSAGE_OVERHEAD = 8;
export const REPLY_OVERHEAD = 8;
/** A reference is not cut below this many tokens: less is no longer worth reading. */
export const MIN_PART_TOKENS = 64;
const MARKER_TOKENS = 24;
/** A tokenizer that does not answer within this time (a stuck worker) is replaced by the estimate for that text. */
export const COUNT_TIMEOUT_MS = 3000;

export const HISTORY_RULE =
  'earlier turns are dropped whole, oldest first, until they take at most half the room left (more if the references need less)';
export const REFERENCE_RULE =
  'references share the room equally; a longer one keeps its beginning (2/3) and end (1/3) around a marker';

export interface TokenCounter {
  /** True when the engine's tokenizer counts; false for the conservative estimate. */
  readonly exact: boolean;
  count(text: string): Promise<number>;
}

/** Counts with the engine's `countTokens` when present (cached per text), else estimates. */
export function tokenCounter(engine: ChatEngine, timeoutMs = COUNT_TIMEOUT_MS): TokenCounter {
  const countTokens = engine.countTokens;
  if (typeof countTokens !== 'function') {
    return { exact: false, count: async (text) => estimateTokens(text) };
  }
  const cache = new Map<string, Promise<number>>();
  return {
    exact: true,
    count(text) {
      let counted = cache.get(text);
      if (!counted) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const exact = Promise.resolve()
          .then(() => countTokens.call(engine, text))
          .then((n) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : estimateTokens(text)));
        const late = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(estimateTokens(text)), timeoutMs)));
        // A tokenizer that fails or hangs (a worker gone away) must not fail or stall the call: estimate instead.
        counted = Promise.race([exact, late])
          .catch(() => estimateTokens(text))
          .finally(() => clearTimeout(timer));
        if (cache.size > 2000) cache.clear();
        cache.set(text, counted);
      }
      return counted;
    },
  };
}

export async function countMessages(messages: ChatMessage[], counter: TokenCounter): Promise<number> {
  const sizes = await Promise.all(messages.map((m) => counter.count(m.content)));
  return sizes.reduce((sum, n) => sum + n + MESSAGE_OVERHEAD, REPLY_OVERHEAD);
}

/** A prompt as data: the cuttable references, the conversation, and how to make messages of both. */
export interface PromptSpec {
  parts: { name: string; text: string }[];
  conversation: ChatMessage[];
  build(texts: string[], conversation: ChatMessage[]): ChatMessage[];
}

export interface FitTarget {
  agent: string;
  role: CallRole;
  layer: number;
  contextWindow: number;
  /** Tokens reserved for the answer. */
  maxTokens: number;
  counter: TokenCounter;
}

export interface FittedPrompt {
  messages: ChatMessage[];
  promptTokens: number;
  cuts: PromptCut[];
}

function cutMarker(tokens: number): string {
  return `\n[… about ${tokens} tokens cut here to fit the context window …]\n`;
}

/** Shortens `text` (of `original` tokens) to at most `keep` tokens: its beginning and end around a marker. */
export async function shortenText(text: string, original: number, keep: number, counter: TokenCounter): Promise<{ text: string; tokens: number }> {
  const marker = cutMarker(Math.max(1, original - keep));
  let chars = Math.floor((text.length * Math.max(0, keep - MARKER_TOKENS)) / Math.max(1, original));
  for (let attempt = 0; attempt < 6; attempt++) {
    const headLength = Math.floor((chars * 2) / 3);
    let head = text.slice(0, headLength);
    let tail = chars - headLength > 0 ? text.slice(text.length - (chars - headLength)) : '';
    // Cut at word boundaries when one is near.
    const headSpace = head.search(/\s\S*$/);
    if (headSpace > head.length - 30 && headSpace > 0) head = head.slice(0, headSpace);
    const tailSpace = tail.search(/\s/);
    if (tailSpace >= 0 && tailSpace < 30) tail = tail.slice(tailSpace + 1);
    const candidate = `${head.trimEnd()}${marker}${tail.trimStart()}`;
    const tokens = await counter.count(candidate);
    if (tokens <= keep || chars === 0) return { text: candidate, tokens };
    chars = Math.max(0, Math.floor((chars * keep) / tokens) - 8);
  }
  return { text: marker.trim(), tokens: await counter.count(marker.trim()) };
}

/** Equal shares of `room` for parts of the given sizes; a part smaller than its share keeps its size. */
export function shareRoom(sizes: number[], room: number): number[] {
  const shares = sizes.slice();
  const order = sizes.map((size, i) => ({ size, i })).sort((a, b) => a.size - b.size);
  let left = room;
  order.forEach(({ size, i }, k) => {
    const share = Math.floor(left / (order.length - k));
    shares[i] = Math.min(size, share);
    left -= shares[i]!;
  });
  return shares;
}

function splitHistory(conversation: ChatMessage[]): { lead: ChatMessage[]; history: ChatMessage[]; last: ChatMessage[] } {
  let i = 0;
  while (i < conversation.length && conversation[i]!.role === 'system') i++;
  const rest = conversation.slice(i);
  return { lead: conversation.slice(0, i), history: rest.slice(0, -1), last: rest.slice(-1) };
}

/** Builds the prompt of `spec` so that it fits `target`, shortening by the rule above. */
export async function fitPrompt(spec: PromptSpec, target: FitTarget): Promise<FittedPrompt> {
  const { counter } = target;
  const budget = target.contextWindow - target.maxTokens;
  const texts = spec.parts.map((p) => p.text);
  const full = spec.build(texts, spec.conversation);
  const fullTokens = await countMessages(full, counter);
  if (fullTokens <= budget) return { messages: full, promptTokens: fullTokens, cuts: [] };

  const { lead, history, last } = splitHistory(spec.conversation);
  const fixedMessages = spec.build(spec.parts.map(() => ''), [...lead, ...last]);
  const fixed = (await countMessages(fixedMessages, counter)) + (spec.parts.length ? MARKER_TOKENS : 0);
  const partTokens = await Promise.all(texts.map((t) => counter.count(t)));
  const turnTokens = await Promise.all(history.map(async (m) => (await counter.count(m.content)) + MESSAGE_OVERHEAD));
  const floors = partTokens.map((t) => Math.min(t, MIN_PART_TOKENS));
  const floorSum = floors.reduce((a, b) => a + b, 0);
  const partSum = partTokens.reduce((a, b) => a + b, 0);

  const overflow = () =>
    new ContextOverflowError({
      agent: target.agent,
      role: target.role,
      layer: target.layer,
      contextWindow: target.contextWindow,
      reservedTokens: target.maxTokens,
      requiredTokens: fixed + floorSum,
    });

  /** Index of the first kept history message after dropping the oldest turn from `start`. */
  const dropTurn = (start: number) => {
    let next = start + 1;
    while (next < history.length && history[next]!.role === 'assistant') next++;
    return next;
  };

  let slack = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const room = budget - fixed - slack;
    if (room < floorSum) throw overflow();
    let start = 0;
    const historyTokens = () => turnTokens.slice(start).reduce((a, b) => a + b, 0);
    while (start < history.length && historyTokens() > Math.max(room / 2, room - partSum)) start = dropTurn(start);
    while (start < history.length && floorSum > room - historyTokens()) start = dropTurn(start);
    const partRoom = room - historyTokens();
    const shares = shareRoom(partTokens, partRoom);

    const cuts: PromptCut[] = [];
    history.slice(0, start).forEach((m, i) =>
      cuts.push({ part: `earlier turn ${i + 1} (${m.role})`, originalTokens: turnTokens[i]!, keptTokens: 0, rule: HISTORY_RULE }),
    );
    const keptTexts = await Promise.all(
      spec.parts.map(async (part, i) => {
        if (shares[i]! >= partTokens[i]!) return part.text;
        const short = await shortenText(part.text, partTokens[i]!, shares[i]!, counter);
        cuts.push({ part: part.name, originalTokens: partTokens[i]!, keptTokens: short.tokens, rule: REFERENCE_RULE });
        return short.text;
      }),
    );
    const messages = spec.build(keptTexts, [...lead, ...history.slice(start), ...last]);
    const promptTokens = await countMessages(messages, counter);
    if (promptTokens <= budget) {
      // Earlier turns first, then references in prompt order: the order they were decided in.
      const order = (c: PromptCut) => (c.part.startsWith('earlier turn') ? -1 : spec.parts.findIndex((p) => p.name === c.part));
      cuts.sort((a, b) => order(a) - order(b));
      return { messages, promptTokens, cuts };
    }
    // Sizes do not quite add up (a tokenizer merges across boundaries, a template repeats a part): tighten and retry.
    slack += promptTokens - budget + MESSAGE_OVERHEAD;
  }
  throw overflow();
}
