/**
 * A stream of chat-completion chunks rebuilt from a worker's token batches: the page side of one streamed call.
 * The worker pushes tokens, then an end or a failure; the consumer pulls with `for await`. Leaving the loop early
 * cancels the call (`onCancel` stops the worker's generation); `onSettled` runs once, however the stream ends.
 */
import type { ChatCompletionChunk, CompletionUsage, FinishReason } from '../engine/contract.js';

export class TokenStream implements AsyncIterableIterator<ChatCompletionChunk> {
  private buffer: ChatCompletionChunk[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<ChatCompletionChunk>) => void; reject: (e: unknown) => void } | undefined;
  private failure: unknown;
  private finished = false;
  /** Set once the stream has ended, failed or been cancelled; the worker then has nothing left to send. */
  settled = false;
  meta: { id: string; model: string; created: number };
  /** Epoch ms when the request was posted to its worker (the transport timing in `usage.extra` starts here). */
  sentAt?: number;

  constructor(
    fallbackModel: string,
    private readonly includeUsage: boolean,
    private readonly onCancel: () => void,
    private readonly onSettled?: () => void,
  ) {
    this.meta = { id: `chatcmpl-worker-${Math.random().toString(36).slice(2, 10)}`, model: fallbackModel, created: Math.floor(Date.now() / 1000) };
  }

  private chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finish: FinishReason | null): ChatCompletionChunk {
    return { id: this.meta.id, object: 'chat.completion.chunk', created: this.meta.created, model: this.meta.model, choices: [{ index: 0, delta, finish_reason: finish }] };
  }

  private deliver(chunk: ChatCompletionChunk): void {
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: chunk, done: false });
    } else this.buffer.push(chunk);
  }

  tokens(tokens: string[]): void {
    if (this.settled) return;
    for (const content of tokens) this.deliver(this.chunk({ role: 'assistant', content }, null));
  }

  private markSettled(): void {
    this.settled = true;
    this.onSettled?.();
  }

  end(finish: FinishReason | null, usage: CompletionUsage | null | undefined): void {
    if (this.settled) return;
    this.markSettled();
    this.deliver(this.chunk({}, finish ?? 'stop'));
    if (this.includeUsage && usage) {
      this.deliver({ id: this.meta.id, object: 'chat.completion.chunk', created: this.meta.created, model: this.meta.model, choices: [], usage });
    }
    this.finish();
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.markSettled();
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      this.finished = true;
      reject(error);
    } else this.failure = error;
  }

  private finish(): void {
    this.finished = true;
    if (this.waiter && this.head >= this.buffer.length) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head++]!;
      if (this.head > 512 && this.head * 2 > this.buffer.length) {
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      this.finished = true;
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** The consumer left the loop early: stop the worker's generation. */
  return(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (!this.settled) {
      this.markSettled();
      this.onCancel();
    }
    this.finished = true;
    this.buffer = [];
    this.head = 0;
    this.failure = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChatCompletionChunk> {
    return this;
  }
}
