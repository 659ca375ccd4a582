/**
 * The pool's request queue: requests wait per slot until its worker is loaded, then go to the worker as they came.
 * A waiting request can be aborted (it leaves the queue); a failed slot rejects what waits with its error.
 */
import type { CallRequestOptions, ChatCompletionChunk, ChatCompletionCreateParams } from '../engine/contract.js';
import { abortError } from '../engine/errors.js';
import type { Pending, Slot } from './pool-slot.js';

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
  return new Promise((resolve, reject) => {
    const pending: Pending = { params, options, phase, resolve, reject };
    const { signal } = options;
    if (signal) {
      pending.onAbort = () => {
        const index = slot.queue.indexOf(pending);
        if (index >= 0) {
          slot.queue.splice(index, 1);
          reject(abortError(signal));
          changed();
        }
      };
      signal.addEventListener('abort', pending.onAbort, { once: true });
    }
    slot.queue.push(pending);
    changed();
  });
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
export function drainQueue(slot: Slot, settled: () => void): void {
  if (slot.state === 'loaded' && slot.worker?.state === 'ready') {
    while (slot.queue.length) dispatch(slot, slot.queue.shift()!, settled);
  } else if (slot.state === 'failed') {
    rejectQueued(slot, slot.failure);
  }
}

function dispatch(slot: Slot, pending: Pending, settled: () => void): void {
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
  worker.request(pending.params, pending.options, settle).then(pending.resolve, (error) => {
    settle();
    pending.reject(error);
  });
}
