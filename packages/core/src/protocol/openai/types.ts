/**
 * The OpenAI chat-completions shapes an ensemble answers with, as OpenAI documents them, plus the one extension
 * field `attention_moa` that carries the run's full result (trace included). Clients that do not know the field
 * ignore it; code that does reads the whole run from the same response.
 */
import type { ChatCompletionChunk, FinishReason } from '../../engine/contract.js';
import type { AttentionMoAEvent, AttentionMoAResult } from '../types.js';

/** A draft event of the run (`drafts` option), as it rides on a chunk: `draft-start`, `draft-token` or `draft-end`. */
export type EnsembleDraftEvent = Omit<Extract<AttentionMoAEvent, { type: 'draft-start' | 'draft-token' | 'draft-end' }>, 'final'>;

/** A text part of a message's content (OpenAI's array form); other part types are rejected. */
export interface ChatContentTextPart {
  type: 'text';
  text: string;
}

/** A message as OpenAI clients send it. `developer` is treated as `system`. */
export interface ChatCompletionMessageParam {
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: string | ChatContentTextPart[];
  name?: string;
}

/**
 * The request `moa.chat.completions.create()` and the fetch handler accept. Sampling and length parameters
 * (`temperature`, `top_p`, `max_tokens`, `max_completion_tokens`, `seed`, `stop`, penalties, `user`, …) are
 * checked for their type and then ignored: each agent's options set them. Anything that needs tools, several
 * choices, log-probabilities, audio or a JSON schema is rejected with a 400, as it cannot be honoured.
 */
export interface EnsembleCompletionParams {
  messages: ChatCompletionMessageParam[];
  /** Echoed in the response; optional here (as in WebLLM). The fetch handler uses it to pick the ensemble. */
  model?: string | null;
  stream?: boolean | null;
  /** Only with `stream: true`: `include_usage` adds a last chunk with `choices: []` and the run's usage. */
  stream_options?: { include_usage?: boolean | null } | null;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
  n?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  user?: string;
}

/** Token usage of a whole run: every call's, summed (the engines' own counts, estimates where one gave none). */
export interface EnsembleUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** `object: 'chat.completion'`: the non-streaming response. */
export interface EnsembleChatCompletion {
  id: string;
  object: 'chat.completion';
  /** Unix time in seconds. */
  created: number;
  model: string;
  choices: [
    {
      index: 0;
      message: { role: 'assistant'; content: string; refusal: null };
      logprobs: null;
      finish_reason: 'stop';
    },
  ];
  usage: EnsembleUsage;
  /** Extension: the run's result — answer, every layer's output, early stop, dropped agents and the full trace. */
  attention_moa: AttentionMoAResult;
}

/** `object: 'chat.completion.chunk'`: one chunk of a streamed response. */
export interface EnsembleChatCompletionChunk extends ChatCompletionChunk {
  choices: {
    index: 0;
    delta: { role?: 'assistant'; content?: string };
    logprobs: null;
    finish_reason: Extract<FinishReason, 'stop'> | null;
  }[];
  /** `null` on every chunk but the last when `stream_options.include_usage` is set; absent otherwise. */
  usage?: EnsembleUsage | null;
  /** Extension, on the chunk with `finish_reason: 'stop'` only: the run's result, as in the non-streaming response. */
  attention_moa?: AttentionMoAResult;
  /**
   * Extension, rare: the call streaming the answer failed and another model answers instead; the content streamed
   * before this chunk is void (OpenAI's format cannot take text back). The final `attention_moa.answer` is right.
   */
  attention_moa_reset?: { reason: string };
  /**
   * Extension, with the ensemble's `drafts` option: a provisional answer's event, on a chunk with `choices: []` (so
   * clients that do not know it see nothing): the draft streams long before the final answer, which replaces it.
   */
  attention_moa_draft?: EnsembleDraftEvent;
}

/** What `create({ stream: true })` resolves to: iterate it for chunks; `controller.abort()` stops the run. */
export interface EnsembleChunkStream extends AsyncIterable<EnsembleChatCompletionChunk> {
  controller: AbortController;
}
