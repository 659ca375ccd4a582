/**
 * The transport part of a worker call's time, from the page's and the worker's clocks (both epoch ms, see
 * WorkerTiming): added to the call's `usage.extra` so a trace can tell the engine's time from the trip to and from
 * its worker. Pure.
 */
import type { CompletionUsage } from '../engine/contract.js';
import type { WorkerTiming } from './stream-wire.js';

/** Epoch ms with sub-ms precision, comparable between the page and its workers (each has its own timeOrigin). */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** Seconds, rounded to the microsecond, like WebLLM's `extra` timings. */
const seconds = (ms: number) => Math.round(ms * 1000) / 1e6;

/**
 * `usage` with `extra.to_worker_s` (page sent → worker received), `extra.worker_queue_s` (waiting in the worker for
 * a free slot of its engine), `extra.in_worker_s` (the worker's time around the engine call, tokens relayed
 * included) and `extra.from_worker_s` (the worker sent the end → the page received it). Clocks of different
 * threads can disagree by a fraction of a millisecond, so a trip may come out slightly negative.
 */
export function withTransportTiming(usage: CompletionUsage, sentAt: number, timing: WorkerTiming, receivedAt: number): CompletionUsage {
  return {
    ...usage,
    extra: {
      ...usage.extra,
      to_worker_s: seconds(timing.receivedAt - sentAt),
      worker_queue_s: seconds(timing.startedAt - timing.receivedAt),
      in_worker_s: seconds(timing.endedAt - timing.startedAt),
      from_worker_s: seconds(receivedAt - timing.endedAt),
    },
  };
}
