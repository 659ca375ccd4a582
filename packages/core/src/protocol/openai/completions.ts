/**
 * `moa.chat.completions.create(params)`: the ensemble as one OpenAI chat model. The run's final answer is the
 * message content (streamed as it is written with `stream: true`), `usage` sums every call of the run, and the
 * extension field `attention_moa` carries the whole result with its trace. Code written for WebLLM's `MLCEngine`
 * or the `openai` client runs against it unchanged, and an ensemble can be an agent of another ensemble.
 */
import type { ChatMessage, RequestOptions } from '../../engine/contract.js';
import { AttentionMoAError, MessagesError } from '../errors.js';
import { assertQuestionFits } from '../messages.js';
import type { ResolvedOptions } from '../options.js';
import type { AttentionMoAEvent, AttentionMoAResult, RunOptions } from '../types.js';
import { badParam, OpenAIRequestError } from './errors.js';
import type { EnsembleChatCompletion, EnsembleChatCompletionChunk, EnsembleChunkStream, EnsembleCompletionParams, EnsembleUsage } from './types.js';
import { validateRequest } from './validate.js';

/** What the completions need of an `AttentionMoA`. */
export interface EnsembleRunner {
  readonly options: Readonly<ResolvedOptions>;
  run(messages: ChatMessage[], options?: RunOptions): AsyncIterable<AttentionMoAEvent>;
}

/** The model name a response carries when the request names none. */
export const DEFAULT_MODEL_NAME = 'attention-moa';

function completionId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return `chatcmpl-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function usageOf(result: AttentionMoAResult): EnsembleUsage {
  const { promptTokens, completionTokens } = result.usage;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

function isSignal(value: unknown): value is AbortSignal {
  return typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function';
}

export class EnsembleCompletions {
  constructor(private readonly moa: EnsembleRunner) {}

  /** Streams chunks (`stream: true`); `options.signal` or `stream.controller.abort()` stops the run. */
  create(params: EnsembleCompletionParams & { stream: true }, options?: RequestOptions): Promise<EnsembleChunkStream>;
  /** Runs to the end and resolves to the whole response; `options.signal` aborts the run. */
  create(params: EnsembleCompletionParams & { stream?: false | null }, options?: RequestOptions): Promise<EnsembleChatCompletion>;
  create(params: EnsembleCompletionParams, options?: RequestOptions): Promise<EnsembleChatCompletion | EnsembleChunkStream>;
  async create(params: EnsembleCompletionParams, options: RequestOptions = {}): Promise<EnsembleChatCompletion | EnsembleChunkStream> {
    const request = validateRequest(params);
    const signal = options?.signal;
    if (signal !== undefined && signal !== null && !isSignal(signal)) {
      throw new TypeError('chat.completions.create: options.signal must be an AbortSignal (from an AbortController)');
    }
    this.assertFits(request.messages);
    const meta = { id: completionId(), created: Math.floor(Date.now() / 1000), model: request.model ?? DEFAULT_MODEL_NAME };
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal!.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    // The caller's signal may outlive the run (one signal for a whole page): stop listening once it ends.
    const forget = () => signal?.removeEventListener('abort', onAbort);
    let events: AsyncIterable<AttentionMoAEvent>;
    try {
      events = this.start(request.messages, controller.signal);
    } catch (error) {
      forget();
      throw error;
    }
    if (request.stream) return chunkStream(events, meta, request.includeUsage, controller, forget);
    try {
      return await this.complete(events, meta);
    } finally {
      forget();
    }
  }

  private async complete(events: AsyncIterable<AttentionMoAEvent>, meta: { id: string; created: number; model: string }): Promise<EnsembleChatCompletion> {
    for await (const event of events) {
      if (event.type === 'error') throw event.error;
      if (event.type === 'done') {
        return {
          ...meta,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: event.result.answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: usageOf(event.result),
          attention_moa: event.result,
        };
      }
    }
    throw new AttentionMoAError('ABORTED', 'the run ended without a result');
  }

  /** A question no agent could read is the request's fault: OpenAI's 400 `context_length_exceeded`. */
  private assertFits(messages: ChatMessage[]): void {
    try {
      assertQuestionFits(messages, this.moa.options.agents.map((a) => ({ name: a.name, contextWindow: a.contextWindow, answerTokens: a.maxTokens.propose })));
    } catch (error) {
      if (!(error instanceof MessagesError)) throw error;
      throw badParam('messages', 'context_length_exceeded', error.message.replace(/^AttentionMoA: /, ''));
    }
  }

  private start(messages: ChatMessage[], signal: AbortSignal): AsyncIterable<AttentionMoAEvent> {
    try {
      return this.moa.run(messages, { signal });
    } catch (error) {
      // The conversation's shape (last turn not the user's, control characters…) is the request's fault.
      if (error instanceof MessagesError) {
        const param = error.field === 'messages' ? 'messages' : error.field;
        throw new OpenAIRequestError(400, error.message.replace(/^AttentionMoA: /, ''), { param, code: 'invalid_value' }, { cause: error });
      }
      throw error;
    }
  }
}

function chunkStream(
  events: AsyncIterable<AttentionMoAEvent>,
  meta: { id: string; created: number; model: string },
  includeUsage: boolean,
  controller: AbortController,
  done: () => void,
): EnsembleChunkStream {
  const chunk = (choice: EnsembleChatCompletionChunk['choices'][number] | undefined, extra: Partial<EnsembleChatCompletionChunk> = {}): EnsembleChatCompletionChunk => ({
    ...meta,
    object: 'chat.completion.chunk',
    choices: choice ? [choice] : [],
    ...(includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const delta = (d: { role?: 'assistant'; content?: string }, finish: 'stop' | null = null) => ({ index: 0 as const, delta: d, logprobs: null, finish_reason: finish });
  async function* generate(): AsyncGenerator<EnsembleChatCompletionChunk> {
    try {
      yield* chunks();
    } finally {
      done();
    }
  }
  async function* chunks(): AsyncGenerator<EnsembleChatCompletionChunk> {
    yield chunk(delta({ role: 'assistant', content: '' }));
    for await (const event of events) {
      if (event.type === 'answer-token') yield chunk(delta({ content: event.token }));
      else if (event.type === 'answer-reset') yield chunk(delta({}), { attention_moa_reset: { reason: event.reason } });
      else if (event.type === 'draft-start' || event.type === 'draft-token' || event.type === 'draft-end') {
        // Provisional text never goes into `content` (a plain client would keep it): an extension on an empty chunk.
        const { final: _final, ...draft } = event;
        void _final;
        yield chunk(undefined, { attention_moa_draft: draft });
      }
      else if (event.type === 'error') throw event.error;
      else if (event.type === 'done') {
        yield chunk(delta({}, 'stop'), { attention_moa: event.result });
        if (includeUsage) yield chunk(undefined, { usage: usageOf(event.result) });
        return;
      }
    }
    throw new AttentionMoAError('ABORTED', 'the run ended without a result');
  }
  const iterable = generate();
  return { controller, [Symbol.asyncIterator]: () => iterable };
}
