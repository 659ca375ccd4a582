/**
 * Scheduling: a local model serves one request at a time, so requests to the same (engine, model) pair wait in a
 * FIFO queue and never overlap, unless that pair is configured to take more at once (a batching server). A global
 * slot pool caps calls in flight across all engines. Waiting is abortable; a slot is handed straight to the next
 * waiter on release, so the order is strictly first come, first served.
 */
import type { ChatEngine } from '../engine/contract.js';

interface Waiter {
  grant: (release: () => void) => void;
}

/** A FIFO counting semaphore. */
export class SlotQueue {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`SlotQueue limit must be ≥ 1, got ${limit}`);
  }

  /** Calls holding a slot now. */
  get inUse(): number {
    return this.active;
  }

  /** Calls waiting for a slot now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function (idempotent) once a slot is free; rejects with `signal.reason` if aborted first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next.grant(this.releaser()); // the slot passes on: `active` stays the same
      else this.active -= 1;
    };
  }
}

/** One queue per (engine, model) pair; the engine object's identity and the model name make the key. */
export class ModelQueues {
  private readonly byEngine = new Map<ChatEngine, Map<string, SlotQueue>>();

  /**
   * Declares a pair with its concurrency. When two configs share a pair (an aggregator on an agent's model) the
   * smaller concurrency wins: overlapping requests on a model that cannot take them is the failure to avoid.
   */
  declare(engine: ChatEngine, model: string | undefined, concurrency: number): void {
    const models = this.byEngine.get(engine) ?? new Map<string, SlotQueue>();
    this.byEngine.set(engine, models);
    const key = model ?? '';
    const existing = models.get(key);
    if (!existing || existing.limit > concurrency) models.set(key, new SlotQueue(concurrency));
  }

  get(engine: ChatEngine, model: string | undefined): SlotQueue {
    const queue = this.byEngine.get(engine)?.get(model ?? '');
    if (!queue) throw new Error('ModelQueues: pair was not declared');
    return queue;
  }
}
