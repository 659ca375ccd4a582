/**
 * Maps the engine contract's chat requests to llama-server's (inside wllama) and its stream chunks back.
 * Pure functions: the engine does the I/O, these decide what goes in and out.
 */
import type { ChatCompletionChunk, ChatCompletionCreateParams, CompletionUsage, FinishReason } from '../contract.js';

/** The llama-server chunk fields this mapping reads (wllama's `ChatCompletionChunk`). */
export interface LlamaServerChunk {
  choices?: { index?: number; delta?: { content?: string | null; role?: string }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } } | null;
  timings?: {
    cache_n?: number;
    prompt_n?: number;
    prompt_ms?: number;
    prompt_per_second?: number;
    predicted_n?: number;
    predicted_ms?: number;
    predicted_per_second?: number;
  };
}

/** The request wllama's `createChatCompletion` receives (llama-server's OpenAI-compatible fields). */
export interface LlamaServerChatParams {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  stream: true;
  stream_options: { include_usage: true };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
}

const ROLES = new Set(['system', 'user', 'assistant']);

/** Checks a request and builds llama-server's; throws a TypeError naming the bad field and the fix. */
export function toLlamaServerParams(params: ChatCompletionCreateParams, defaults: { seed?: number } = {}): LlamaServerChatParams {
  if (!params || !Array.isArray(params.messages) || params.messages.length === 0) {
    throw new TypeError('wllama engine: `messages` must be a non-empty array of { role, content }');
  }
  params.messages.forEach((m, i) => {
    if (!m || !ROLES.has(m.role)) throw new TypeError(`wllama engine: messages[${i}].role must be 'system', 'user' or 'assistant', got ${JSON.stringify(m?.role)}`);
    if (typeof m.content !== 'string') throw new TypeError(`wllama engine: messages[${i}].content must be a string`);
  });
  if (params.stream !== true) throw new TypeError('wllama engine: only streaming is supported; pass `stream: true`');
  const out: LlamaServerChatParams = {
    messages: params.messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    // Always asked for: the engine keeps the timings for stats(); the caller sees usage only if it asked.
    stream_options: { include_usage: true },
  };
  if (params.max_tokens != null) {
    if (!Number.isInteger(params.max_tokens) || params.max_tokens < 1) {
      throw new TypeError(`wllama engine: max_tokens must be a whole number ≥ 1, got ${String(params.max_tokens)}`);
    }
    out.max_tokens = params.max_tokens;
  }
  if (params.temperature != null) {
    if (!(typeof params.temperature === 'number' && params.temperature >= 0)) {
      throw new TypeError(`wllama engine: temperature must be a number ≥ 0, got ${String(params.temperature)}`);
    }
    out.temperature = params.temperature;
  }
  if (params.top_p != null) {
    if (!(typeof params.top_p === 'number' && params.top_p > 0 && params.top_p <= 1)) {
      throw new TypeError(`wllama engine: top_p must be in (0, 1], got ${String(params.top_p)}`);
    }
    out.top_p = params.top_p;
  }
  const seed = params.seed ?? defaults.seed;
  if (seed != null) {
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new TypeError(`wllama engine: seed must be an integer in 0…2³²−1, got ${String(seed)}`);
    out.seed = seed;
  }
  if (params.stop != null) {
    const stop = typeof params.stop === 'string' ? [params.stop] : params.stop;
    if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string')) throw new TypeError('wllama engine: stop must be a string or an array of strings');
    if (stop.length) out.stop = stop;
  }
  return out;
}

const FINISH_REASONS = new Set<FinishReason>(['stop', 'length', 'abort', 'tool_calls', 'content_filter', 'function_call']);

export function finishReasonOf(value: string | null | undefined): FinishReason | null {
  if (value == null) return null;
  return FINISH_REASONS.has(value as FinishReason) ? (value as FinishReason) : 'stop';
}

/** Client-side clocks of one request, in ms (performance.now()). */
export interface RequestClock {
  startedAt: number;
  firstTokenAt?: number;
  endedAt: number;
}

/** Usage in the contract's shape; `extra` carries llama.cpp's timings with WebLLM's field names where they exist. */
export function usageOf(chunk: LlamaServerChunk, clock: RequestClock): CompletionUsage {
  const u = chunk.usage ?? {};
  const t = chunk.timings ?? {};
  const prompt = u.prompt_tokens ?? t.prompt_n ?? 0;
  const completion = u.completion_tokens ?? t.predicted_n ?? 0;
  const e2e = (clock.endedAt - clock.startedAt) / 1000;
  const extra: Record<string, unknown> = {
    e2e_latency_s: e2e,
    time_to_first_token_s: clock.firstTokenAt === undefined ? e2e : (clock.firstTokenAt - clock.startedAt) / 1000,
    engine: 'wllama',
  };
  if (t.prompt_per_second !== undefined) extra.prefill_tokens_per_s = t.prompt_per_second;
  if (t.predicted_per_second !== undefined) extra.decode_tokens_per_s = t.predicted_per_second;
  if (t.predicted_ms !== undefined && completion > 0) extra.time_per_output_token_s = t.predicted_ms / 1000 / completion;
  // llama.cpp reuses the longest prefix the slot's KV cache shares with the new prompt; only the rest is computed.
  const cached = u.prompt_tokens_details?.cached_tokens ?? t.cache_n;
  if (cached !== undefined) extra.cached_prompt_tokens = cached;
  if (chunk.timings) extra.timings = { ...chunk.timings };
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: u.total_tokens ?? prompt + completion,
    ...(cached !== undefined ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
    extra,
  };
}

/** What one llama-server chunk carries, in the order the contract's stream needs it. */
export interface ChunkParts {
  content?: string;
  finish?: FinishReason;
  /** The chunk holds the final usage/timings. */
  final: boolean;
}

export function partsOf(chunk: LlamaServerChunk): ChunkParts {
  const choice = chunk.choices?.[0];
  const content = choice?.delta?.content;
  const finish = finishReasonOf(choice?.finish_reason);
  return {
    ...(typeof content === 'string' && content.length > 0 ? { content } : {}),
    ...(finish ? { finish } : {}),
    final: chunk.usage != null || chunk.timings != null,
  };
}

/** Builds the contract's chunks for one stream (same id/created/model on every chunk, as OpenAI does). */
export function chunkFactory(model: string, id: string) {
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk' as const, created, model };
  return {
    content: (content: string): ChatCompletionChunk => ({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] }),
    finish: (reason: FinishReason): ChatCompletionChunk => ({ ...base, choices: [{ index: 0, delta: {}, finish_reason: reason }] }),
    usage: (usage: CompletionUsage): ChatCompletionChunk => ({ ...base, choices: [], usage }),
  };
}
