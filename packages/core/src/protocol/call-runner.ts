/**
 * One call of the protocol, start to end: fit the prompt to the model's window, wait for the model's queue
 * slot, stream the reply (events per token), enforce the per-call timeout, stop at once on abort, and write
 * the trace record. A failing call is an outcome, not an exception: the orchestrator decides what it means
 * (drop the agent, stand in for the aggregator). Only a run abort or a broken prompt template throws.
 */
import type {
  CallInfo,
  ChatCompletionChunk,
  ChatEngine,
  ChatMessage,
  CompletionUsage,
  FinishReason,
} from '../engine/contract.js';
import { autoCallDeadline, recordCallSpeed } from './call-deadline.js';
import { fitPrompt, type FittedPrompt, type PromptSpec, type TokenCounter } from './context-budget.js';
import type { AnswerStream } from './answer-stream.js';
import type { CallTap } from './draft-stream.js';
import type { PermitQueue } from './permit-queue.js';
import { placeSystem } from './prompts.js';
import { stripReasoning } from './reasoning.js';
import {
  AttentionMoAError,
  CallTimeoutError,
  ContextOverflowError,
  EmptyOutputError,
  EngineError,
  PromptTemplateError,
  errorInfo,
  toError,
} from './errors.js';
import type { ResolvedEndpoint } from './options.js';
import type { AttentionMoAEvent, CallRecord, CallRole, RoleCheck } from './types.js';

/** Where a call runs: a model on an engine, with its queue, window and tokenizer (`name` is recorded as the call's agent). */
export interface Endpoint extends Omit<ResolvedEndpoint, 'concurrency'> {
  /** Sent as `top_p` when set (the run's `topP` option). */
  topP?: number;
  /** The (engine, model) pair's permits; its concurrency is their number. */
  queue: PermitQueue;
  counter: TokenCounter;
}

export interface CallRequest {
  role: CallRole;
  layer: number;
  agent: string;
  target?: string;
  endpoint: Endpoint;
  maxTokens: number;
  prompt: PromptSpec;
  /** An empty reply is a failure unless allowed (an empty critique just gives no suggestion). */
  allowEmpty?: boolean;
  /** Stream the reply as the final answer. */
  answer?: { stream: AnswerStream; stopPhrase?: string };
  /** Observes the reply as it streams (a draft of the answer). */
  tap?: CallTap;
  /** Checked before the prompt is built and again when the slot is granted: true skips the call. */
  skip?: () => boolean;
  /** Cleans and checks a completed call's output (reasoning already stripped), before the record is written. */
  review?: (text: string, finishReason: FinishReason | null, messages: ChatMessage[]) => Review;
}

/** What a completed call's output becomes before it is recorded and passed on. */
export interface Review {
  /** The text passed on (cleaned; for a judged residual, the answer after the verdict). */
  text: string;
  cleaned?: string[];
  roleCheck?: RoleCheck;
  verdict?: CallRecord['verdict'];
}

export type CallOutcome =
  | { status: 'ok'; text: string; record: CallRecord }
  | { status: 'failed'; error: Error; record: CallRecord }
  | { status: 'skipped' };

export interface RunContext {
  /** The run's signal; its reason is the run's AbortError. */
  signal: AbortSignal;
  emit(event: AttentionMoAEvent): void;
  /** ms since the run started. */
  now(): number;
  global: PermitQueue;
  /** A number of ms, 'auto' (per call, see call-deadline.ts) or undefined (none). */
  callTimeoutMs?: number | 'auto';
}

const ignore = () => {};

/**
 * Calls streaming per engine across every run in this realm (every CallRunner, every AttentionMoA instance).
 * `interruptGenerate()` stops everything an engine is generating: it is only called when every call in flight on
 * that engine belongs to the run that wants it stopped, so stopping one run never cuts another's answer.
 */
const streamingOn = new WeakMap<ChatEngine, number>();
const countStreaming = (engine: ChatEngine, delta: 1 | -1) => {
  const n = (streamingOn.get(engine) ?? 0) + delta;
  if (n > 0) streamingOn.set(engine, n);
  else streamingOn.delete(engine);
};

/** `promise`, or a rejection with the signal's reason as soon as it aborts (the promise is left to settle alone). */
function untilAborted<T>(signal: AbortSignal, promise: Promise<T>): Promise<T> {
  promise.catch(ignore);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function validateTemplateOutput(role: CallRole, messages: unknown): ChatMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new PromptTemplateError(role, 'must return a non-empty array of { role, content } messages');
  }
  messages.forEach((m: { role?: unknown; content?: unknown } | null, i) => {
    if (!m || !['system', 'user', 'assistant'].includes(m.role as string) || typeof m.content !== 'string') {
      throw new PromptTemplateError(role, `returned an invalid message at index ${i}: each needs role 'system' | 'user' | 'assistant' and a string content`);
    }
  });
  if (messages[messages.length - 1].role !== 'user') {
    throw new PromptTemplateError(role, "must end with a 'user' message (chat templates require the last turn to be the user's)");
  }
  return messages as ChatMessage[];
}

export class CallRunner {
  /** Records of every call that started, in the order they ended. */
  readonly records: CallRecord[] = [];
  private nextId = 1;
  private readonly inFlight = new Map<ChatEngine, number>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly ctx: RunContext) {}

  run(request: CallRequest): Promise<CallOutcome> {
    const promise = this.execute(request);
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Resolves when every call has settled, or after `maxWaitMs`. */
  async settled(maxWaitMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.pending]),
      new Promise((resolve) => (timer = setTimeout(resolve, maxWaitMs))),
    ]);
    clearTimeout(timer);
  }

  /** On a run abort: engines that ignore AbortSignal (WebLLM) stop through `interruptGenerate`, unless another
   *  run is streaming on them too (the aborted signal still reaches every engine that honours it). */
  interruptAll(): void {
    for (const [engine, mine] of this.inFlight) if ((streamingOn.get(engine) ?? 0) <= mine) this.interrupt(engine);
  }

  private interrupt(engine: ChatEngine): void {
    try {
      const stopped = engine.interruptGenerate?.();
      if (stopped && typeof (stopped as Promise<void>).catch === 'function') (stopped as Promise<void>).catch(ignore);
    } catch {
      // An engine that cannot be interrupted is still left behind: we no longer wait for it.
    }
  }

  private aborted(): AttentionMoAError {
    return this.ctx.signal.reason as AttentionMoAError;
  }

  private async execute(request: CallRequest): Promise<CallOutcome> {
    const { ctx } = this;
    const { endpoint } = request;
    if (ctx.signal.aborted) throw this.aborted();
    if (request.skip?.()) return { status: 'skipped' };
    const queuedAt = ctx.now();

    let fitted: FittedPrompt;
    try {
      fitted = await untilAborted(ctx.signal, fitPrompt(
        {
          ...request.prompt,
          build: (texts, conversation) =>
            placeSystem(validateTemplateOutput(request.role, request.prompt.build(texts, conversation)), endpoint.noSystemRole),
        },
        {
          agent: request.agent,
          role: request.role,
          layer: request.layer,
          contextWindow: endpoint.contextWindow,
          maxTokens: request.maxTokens,
          counter: endpoint.counter,
        },
      ));
    } catch (error) {
      if (ctx.signal.aborted) throw this.aborted();
      if (error instanceof ContextOverflowError) return this.overflow(request, queuedAt, error);
      if (error instanceof AttentionMoAError) throw error;
      throw new PromptTemplateError(request.role, `threw: ${toError(error).message}`);
    }

    let releaseModel: (() => void) | undefined;
    let releaseGlobal: (() => void) | undefined;
    try {
      releaseModel = await endpoint.queue.acquire(ctx.signal);
      releaseGlobal = await ctx.global.acquire(ctx.signal);
    } catch {
      releaseModel?.();
      throw this.aborted();
    }
    try {
      if (request.skip?.()) return { status: 'skipped' };
      return await this.stream(request, fitted, queuedAt);
    } finally {
      releaseGlobal();
      releaseModel();
    }
  }

  private overflow(request: CallRequest, queuedAt: number, error: ContextOverflowError): CallOutcome {
    const id = this.nextId++;
    const at = this.ctx.now();
    const { role, layer, agent, target } = request;
    this.ctx.emit({ type: 'call-start', call: id, role, layer, agent, ...(target ? { target } : {}), promptTokens: error.details.requiredTokens, cuts: [] });
    const record: CallRecord = {
      id,
      role,
      layer,
      agent,
      ...(target ? { target } : {}),
      ...(request.endpoint.model ? { model: request.endpoint.model } : {}),
      messages: [],
      promptTokens: error.details.requiredTokens,
      cuts: [],
      output: '',
      text: '',
      finishReason: 'error',
      maxTokens: request.maxTokens,
      cut: false,
      queuedAt,
      startedAt: at,
      endedAt: at,
      error: errorInfo(error),
    };
    this.records.push(record);
    this.ctx.emit({ type: 'call-end', record });
    return { status: 'failed', error, record };
  }

  private async stream(request: CallRequest, fitted: FittedPrompt, queuedAt: number): Promise<CallOutcome> {
    const { ctx } = this;
    const { endpoint, role, layer, agent, target } = request;
    const id = this.nextId++;
    const startedAt = ctx.now();
    const identity = { role, layer, agent, ...(target ? { target } : {}) };
    ctx.emit({ type: 'call-start', call: id, ...identity, promptTokens: fitted.promptTokens, cuts: fitted.cuts });
    request.tap?.start(id);

    // One signal per call: the run's abort, or this call's timeout.
    const controller = new AbortController();
    const onRunAbort = () => controller.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onRunAbort, { once: true });
    const deadline = ctx.callTimeoutMs === 'auto'
      ? autoCallDeadline(endpoint.engine, endpoint.model, fitted.promptTokens, request.maxTokens, endpoint.queue.limit)
      : ctx.callTimeoutMs === undefined ? undefined : { ms: ctx.callTimeoutMs, basis: undefined };
    const timer = deadline && setTimeout(() => controller.abort(new CallTimeoutError(deadline.ms, deadline.basis)), deadline.ms);
    const stopped = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    stopped.catch(ignore);

    let output = '';
    let finish: FinishReason | null = null;
    let usage: CompletionUsage | undefined;
    let firstTokenAt: number | undefined;
    let streamEndedAt = 0;
    let tokens = 0;
    let failure: unknown;
    let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
    this.inFlight.set(endpoint.engine, (this.inFlight.get(endpoint.engine) ?? 0) + 1);
    countStreaming(endpoint.engine, 1);
    request.answer?.stream.begin(request.answer.stopPhrase);
    try {
      const params = {
        messages: fitted.messages,
        ...(endpoint.model ? { model: endpoint.model } : {}),
        stream: true as const,
        stream_options: { include_usage: true },
        temperature: endpoint.temperature,
        ...(endpoint.topP !== undefined ? { top_p: endpoint.topP } : {}),
        max_tokens: request.maxTokens,
      };
      const options: { signal: AbortSignal; call: CallInfo } = { signal: controller.signal, call: identity };
      // Called now, not in a later microtask: the request reaches its engine before other calls' prompt work runs.
      let created: Promise<AsyncIterable<ChatCompletionChunk>>;
      try {
        created = Promise.resolve(endpoint.engine.chat.completions.create(params, options));
      } catch (error) {
        created = Promise.reject(error);
      }
      created.catch(ignore);
      const stream = await Promise.race([created, stopped]);
      const iterate = (stream as Partial<AsyncIterable<ChatCompletionChunk>> | null)?.[Symbol.asyncIterator];
      if (typeof iterate !== 'function') {
        throw new EngineError('chat.completions.create did not return an async iterable of chunks for stream: true');
      }
      iterator = iterate.call(stream);
      for (;;) {
        const next = iterator.next();
        next.catch(ignore);
        const step = await Promise.race([next, stopped]);
        if (step.done) break;
        const chunk = step.value;
        if (chunk?.usage) usage = chunk.usage;
        const choice = chunk?.choices?.[0];
        const token = choice?.delta?.content;
        if (typeof token === 'string' && token) {
          firstTokenAt ??= ctx.now();
          tokens++;
          output += token;
          ctx.emit({ type: 'call-token', call: id, ...identity, token });
          request.answer?.stream.push(token);
          request.tap?.token(token);
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
      }
    } catch (error) {
      failure = error;
    } finally {
      // When the stream ended: what follows (reasoning strip, output review, record) is the protocol's own work.
      streamEndedAt = ctx.now();
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onRunAbort);
      const left = (this.inFlight.get(endpoint.engine) ?? 1) - 1;
      if (left > 0) this.inFlight.set(endpoint.engine, left);
      else this.inFlight.delete(endpoint.engine);
      countStreaming(endpoint.engine, -1);
    }

    const stoppedByUs = controller.signal.aborted;
    if (stoppedByUs) {
      // Leave the stream without waiting for it: an engine that ignores the signal may take its time to stop.
      try {
        iterator?.return?.()?.catch?.(ignore);
      } catch {
        // nothing to free
      }
      // A timed-out call on an engine that serves nothing else, in any run: interrupt it (WebLLM has no AbortSignal).
      if (!ctx.signal.aborted && !streamingOn.has(endpoint.engine)) this.interrupt(endpoint.engine);
    }

    let text = stripReasoning(output);
    let review: Review | undefined;
    if (!ctx.signal.aborted && !stoppedByUs && failure === undefined && finish !== 'abort' && request.review) {
      review = request.review(text, finish, fitted.messages);
      text = review.text;
    }
    let error: Error | undefined;
    let finishReason: CallRecord['finishReason'] = finish;
    if (ctx.signal.aborted) {
      error = this.aborted();
      finishReason = 'abort';
    } else if (stoppedByUs) {
      error = controller.signal.reason as Error;
      finishReason = 'timeout';
    } else if (failure !== undefined) {
      error = toError(failure);
      finishReason = 'error';
    } else if (finish === 'abort') {
      error = new EngineError('the engine stopped the stream itself (finish_reason "abort", e.g. interruptGenerate() called elsewhere)');
    } else if (!text && !request.allowEmpty) {
      error = new EmptyOutputError(finish);
    }

    const record: CallRecord = {
      id,
      ...identity,
      ...(endpoint.model ? { model: endpoint.model } : {}),
      messages: fitted.messages,
      promptTokens: fitted.promptTokens,
      cuts: fitted.cuts,
      output,
      text,
      ...(review?.cleaned?.length ? { cleaned: review.cleaned } : {}),
      ...(review?.roleCheck ? { roleCheck: review.roleCheck } : {}),
      ...(review?.verdict ? { verdict: review.verdict } : {}),
      finishReason,
      maxTokens: request.maxTokens,
      cut: finishReason === 'length',
      ...(usage ? { usage } : {}),
      queuedAt,
      startedAt,
      ...(firstTokenAt !== undefined ? { firstTokenAt } : {}),
      endedAt: streamEndedAt,
      ...(error ? { error: errorInfo(error) } : {}),
    };
    this.records.push(record);
    ctx.emit({ type: 'call-end', record });
    if (!error) {
      recordCallSpeed(endpoint.engine, endpoint.model, {
        promptTokens: fitted.promptTokens, completionTokens: usage?.completion_tokens ?? tokens, startedAt, endedAt: record.endedAt, ...(firstTokenAt !== undefined ? { firstTokenAt } : {}),
      });
    }

    if (ctx.signal.aborted) throw this.aborted();
    // An output its review set aside (an echo, nothing usable) is no draft either.
    request.tap?.end(error || review?.roleCheck?.action ? undefined : text);
    if (error) {
      request.answer?.stream.reset(`${agent}'s ${role} call failed: ${error.message}`);
      return { status: 'failed', error, record };
    }
    return { status: 'ok', text, record };
  }
}
