/**
 * The engine contract: the OpenAI chat-completions shape, streaming.
 *
 * An engine is any object with `chat.completions.create(params)` that, for `stream: true`,
 * resolves to an async iterable of `chat.completion.chunk` objects. WebLLM's `MLCEngine` /
 * `WebWorkerMLCEngine`, the official `openai` client, and this package's engines (scripted,
 * worker proxy, wllama) all fit it unchanged — no wrapper needed.
 *
 * The types below are the subset of OpenAI's types that the protocol reads and writes; they are
 * declared structurally (and `create` as a method, so parameters are checked bivariantly) so that
 * engines typed against their own copies of OpenAI's types are still assignable.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export type FinishReason = 'stop' | 'length' | 'abort' | 'tool_calls' | 'content_filter' | 'function_call';

export interface CompletionUsage {
  /** The whole prompt, whether computed now or reused from the engine's cache (as OpenAI counts it). */
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** OpenAI's breakdown: `cached_tokens` of the prompt were reused from the engine's KV cache (not computed again). */
  prompt_tokens_details?: { cached_tokens?: number };
  /** Engine-specific extras, e.g. WebLLM's `{ decode_tokens_per_s, time_to_first_token_s, … }`. */
  extra?: Record<string, unknown>;
}

export interface ChatCompletionCreateParams {
  messages: ChatMessage[];
  /** Which model to use, for engines that serve several (WebLLM with several loaded, a remote server). */
  model?: string | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
}

export interface ChatCompletionChunkChoice {
  index: number;
  /** `role` is only read as text: servers also send roles the protocol never writes ('developer', 'tool'). */
  delta: { content?: string | null; role?: string };
  finish_reason: FinishReason | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatCompletionChunkChoice[];
  /** Present only on the final chunk, and only when `stream_options.include_usage` was set. */
  usage?: CompletionUsage | null;
}

/** Per-request options, as in openai-node's second argument. Engines that ignore it are still stopped
 *  by the caller leaving the `for await` loop (WebLLM frees the model's lock then). */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** What the orchestrator tells an engine about a call (in the request options of `create`; engines may ignore it). */
export interface CallInfo {
  role: 'propose' | 'critique' | 'refine' | 'aggregate' | 'residual' | (string & {});
  layer: number;
  agent: string;
  target?: string;
}

/** Request options as the orchestrator passes them: openai-node's `{ signal }` plus the call's identity. */
export interface CallRequestOptions extends RequestOptions {
  call?: CallInfo;
}

/** @deprecated Use `CallRequestOptions`: every engine receives these options, not only the scripted one. */
export type ScriptedRequestOptions = CallRequestOptions;

export interface ChatEngine {
  chat: {
    completions: {
      create(
        params: ChatCompletionCreateParams & { stream: true },
        options?: RequestOptions,
      ): Promise<AsyncIterable<ChatCompletionChunk>> | AsyncIterable<ChatCompletionChunk>;
    };
  };
  /**
   * Optional exact token counter (the model's own tokenizer); the protocol estimates conservatively when absent, and
   * for a text where it resolves to `undefined` (an engine that cannot count this time, e.g. its model is not loaded).
   */
  countTokens?(text: string): number | undefined | Promise<number | undefined>;
  /**
   * Optional facts about the loaded model, read by the protocol as defaults (an agent's own options win): its context
   * window in tokens (e.g. llama.cpp's `n_ctx`, WebLLM's `context_window_size`) and whether its chat template lacks a
   * system role. Undefined when unknown.
   */
  readonly contextWindow?: number;
  readonly noSystemRole?: boolean;
  /** Optional: stop whatever the engine is generating (WebLLM's `interruptGenerate`). */
  interruptGenerate?(): void | Promise<void>;
  /** True for a test double (scripted replies, not a model): UIs label what it writes as simulated. */
  readonly simulated?: boolean;
}

/**
 * An engine whose requests must name their model: the official `openai` client (`new OpenAI({ baseURL, apiKey })`)
 * or any other client of an OpenAI-compatible server (vLLM, Ollama, llama.cpp's server), which reject a request
 * without `model`. Accepted wherever an engine is, without a cast; the agent (or aggregator) must then give `model`.
 */
export interface OpenAIClientLike {
  chat: {
    completions: {
      create(
        params: ChatCompletionCreateParams & { stream: true; model: string },
        options?: RequestOptions,
      ): PromiseLike<AsyncIterable<ChatCompletionChunk>> | AsyncIterable<ChatCompletionChunk>;
    };
  };
}

/** What an agent or the aggregator may be given as its engine. */
export type AnyChatEngine = ChatEngine | OpenAIClientLike;

/** The official `openai` client and its kind carry the server's `baseURL`: they need a `model` in every request. */
export function remoteBaseURL(engine: unknown): string | undefined {
  const url = (engine as { baseURL?: unknown } | null)?.baseURL;
  return typeof url === 'string' && url ? url : undefined;
}

/** True when `value` has the contract's shape (used to reject bad configs with a clear message). */
export function isChatEngine(value: unknown): value is ChatEngine {
  const create = (value as { chat?: { completions?: { create?: unknown } } } | null)?.chat?.completions?.create;
  return typeof create === 'function';
}
