/**
 * The stream a pool request hands its caller. It outlives the worker that serves it when that worker dies
 * before sending any of it: a request waiting in a worker behind a hung or crashed one goes back to its slot's
 * queue and runs on the restarted worker, so the caller sees a delay, not a failure. Once a chunk has arrived,
 * a crash fails the stream as before (the caller has shown part of a reply; a second, different reply would be
 * worse than a clear failure). A model given up after its restarts fails its waiting requests with its error.
 */
import type { ChatCompletionChunk } from '../engine/contract.js';
import { isRuntimeError } from '../engine/errors.js';

/** Puts the request back in the queue; returns how to take it out again, or the error to fail with instead. */
export type Requeue = (stream: RetryStream) => (() => void) | Error;

const DONE: IteratorResult<ChatCompletionChunk> = { value: undefined, done: true };

export class RetryStream implements AsyncIterableIterator<ChatCompletionChunk> {
  private inner: AsyncIterator<ChatCompletionChunk> | undefined;
  private waiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  private failure: { error: unknown } | undefined;
  private cancelRequeue: (() => void) | undefined;
  private started = false;
  private closed = false;

  constructor(first: AsyncIterable<ChatCompletionChunk>, private readonly requeue: Requeue) {
    this.inner = first[Symbol.asyncIterator]();
  }

  /** The requeued request reached a worker again. */
  attach(stream: AsyncIterable<ChatCompletionChunk>): void {
    const inner = stream[Symbol.asyncIterator]();
    this.cancelRequeue = undefined;
    if (this.closed) {
      void inner.return?.()?.catch?.(() => undefined);
      return;
    }
    this.inner = inner;
    this.wake();
  }

  /** The requeued request failed before it reached a worker (aborted, the model was given up, the pool disposed). */
  fail(error: unknown): void {
    this.cancelRequeue = undefined;
    this.failure = { error };
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }

  async next(): Promise<IteratorResult<ChatCompletionChunk>> {
    for (;;) {
      if (this.closed) return DONE;
      if (this.failure) {
        const { error } = this.failure;
        this.failure = undefined;
        this.closed = true;
        throw error;
      }
      if (!this.inner) {
        await new Promise<void>((resolve, reject) => (this.waiter = { resolve, reject }));
        continue;
      }
      try {
        const result = await this.inner.next();
        if (!result.done) this.started = true;
        return result;
      } catch (error) {
        if (this.started || this.closed || !(isRuntimeError(error) && error.code === 'WORKER_CRASHED')) throw error;
        this.inner = undefined;
        const requeued = this.requeue(this);
        if (requeued instanceof Error) throw requeued;
        this.cancelRequeue = requeued;
      }
    }
  }

  /** The caller stopped reading: cancel the request wherever it is. */
  return(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (!this.closed) {
      this.closed = true;
      this.cancelRequeue?.();
      this.cancelRequeue = undefined;
      const inner = this.inner;
      this.inner = undefined;
      void inner?.return?.()?.catch?.(() => undefined);
      this.wake();
    }
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChatCompletionChunk> {
    return this;
  }
}
