/**
 * The pool's request queue: requests wait per slot until its worker is loaded, then go to the worker as they came.
 * A waiting request can be aborted (it leaves the queue); a failed slot rejects what waits with its error. A
 * request its worker died before answering comes back here (see retry-stream.ts) and waits for the restart.
 */
import type { CallRequestOptions, ChatCompletionChunk, ChatCompletionCreateParams } from '../engine/contract.js';
import { abortError, runtimeError } from '../engine/errors.js';
import type { Pending, Slot } from './pool-slot.js';
import { RetryStream } from './retry-stream.js';

/** Rejects requests the pool cannot serve before they wait. */
export function checkRequest(key: string, params: ChatCompletionCreateParams & { stream: true }, options: CallRequestOptions): void {
  if (!Array.isArray(params?.messages) || params.messages.length === 0) throw new TypeError(`engine "${key}": \`messages\` must be a non-empty array of { role, content }`);
  if (params.stream !== true) throw new TypeError(`engine "${key}": only streaming is supported; pass \`stream: true\``);
  if (options.signal?.aborted) throw abortError(options.signal);
}

/** Queues a request on its slot; `changed` runs when the queue changed (queued, or left by an abort). */
export function enqueue(
  slot: Slot,
  params: ChatCompletionCreateParams & { stream: true },
  options: CallRequestOptions,
  phase: string | undefined,
  changed: () => void,
): Promise<AsyncIterable<ChatCompletionChunk>> {
  return new Promise((resolve, reject) => void queuePending(slot, { params, options, phase, resolve, reject }, changed));
}

/** Puts a pending request at the end of the slot's queue; returns how to take it out again. */
function queuePending(slot: Slot, pending: Pending, changed: () => void): () => void {
  const { signal } = pending.options;
  const leave = (): boolean => {
    const index = slot.queue.indexOf(pending);
    if (index < 0) return false;
    slot.queue.splice(index, 1);
    if (pending.onAbort) signal?.removeEventListener('abort', pending.onAbort);
    changed();
    return true;
  };
  if (signal) {
    pending.onAbort = () => {
      if (leave()) pending.reject(abortError(signal));
    };
    signal.addEventListener('abort', pending.onAbort, { once: true });
  }
  slot.queue.push(pending);
  changed();
  return () => void leave();
}

export function rejectPending(pending: Pending, error: unknown): void {
  if (pending.onAbort) pending.options.signal?.removeEventListener('abort', pending.onAbort);
  pending.reject(error);
}

/** Rejects every request waiting on the slot. */
export function rejectQueued(slot: Slot, error: unknown): void {
  for (const pending of slot.queue.splice(0)) rejectPending(pending, error);
}

/** Hands a slot's waiting requests to its worker when it is ready, or rejects them when the slot failed.
 *  `settled` runs as each request ends (its phase is counted as served first). */
export function drainQueue(slot: Slot, settled: () => void, isDisposed: () => boolean = () => false): void {
  if (slot.state === 'loaded' && slot.worker?.state === 'ready') {
    while (slot.queue.length) dispatch(slot, slot.queue.shift()!, settled, isDisposed);
  } else if (slot.state === 'failed') {
    rejectQueued(slot, slot.failure);
  }
}

function dispatch(slot: Slot, pending: Pending, settled: () => void, isDisposed: () => boolean): void {
  if (pending.onAbort) pending.options.signal?.removeEventListener('abort', pending.onAbort);
  const worker = slot.worker!;
  slot.inFlight++;
  let done = false;
  const settle = () => {
    if (done) return;
    done = true;
    slot.inFlight--;
    if (pending.phase) slot.served.set(pending.phase, (slot.served.get(pending.phase) ?? 0) + 1);
    if (slot.inFlight === 0) slot.idleSince = performance.now();
    settled();
  };
  // The worker died before answering: back to the queue, unless the model was given up or the pool disposed.
  const requeue = (relay: RetryStream): (() => void) | Error => {
    if (isDisposed()) return runtimeError('DISPOSED');
    if (slot.state === 'failed') return slot.failure ?? runtimeError('WORKER_CRASHED', { model: slot.model });
    // Its first try was counted as served when it failed; it is served only once.
    if (pending.phase) slot.served.set(pending.phase, Math.max(0, (slot.served.get(pending.phase) ?? 1) - 1));
    const again: Pending = { params: pending.params, options: pending.options, phase: pending.phase, relay, resolve: () => {}, reject: (error) => relay.fail(error) };
    return queuePending(slot, again, settled);
  };
  worker.request(pending.params, pending.options, settle).then((stream) => {
    if (pending.relay) pending.relay.attach(stream);
    else pending.resolve(new RetryStream(stream, requeue));
  }, (error) => {
    settle();
    pending.reject(error);
  });
}
