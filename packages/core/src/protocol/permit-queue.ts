/**
 * Call permits: a local model serves one request at a time, so requests to the same (engine, model) pair wait in a
 * FIFO queue for a permit and never overlap, unless that pair is configured to take more at once (a batching
 * server). A global permit queue caps calls in flight across all engines. Waiting is abortable; a permit is handed
 * straight to the next waiter on release, so the order is strictly first come, first served.
 * ("Permit", not "slot": in the runtime a slot is a worker hosting one model.)
 */
import type { ChatEngine } from '../engine/contract.js';

interface Waiter {
  grant: (release: () => void) => void;
}

/** A FIFO counting semaphore. */
export class PermitQueue {
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`PermitQueue limit must be ≥ 1, got ${limit}`);
  }

  /** Calls holding a permit now. */
  get inUse(): number {
    return this.active;
  }

  /** Calls waiting for a permit now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function (idempotent) once a permit is free; rejects with `signal.reason` if aborted first. */
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
      if (next) next.grant(this.releaser()); // the permit passes on: `active` stays the same
      else this.active -= 1;
    };
  }
}

/** One queue per (engine, model) pair; the engine object's identity and the model name make the key. */
export class PermitQueues {
  private readonly byEngine = new Map<ChatEngine, Map<string, PermitQueue>>();

  /**
   * Declares a pair with its concurrency. When two configs share a pair (an aggregator on an agent's model) the
   * smaller concurrency wins: overlapping requests on a model that cannot take them is the failure to avoid.
   */
  declare(engine: ChatEngine, model: string | undefined, concurrency: number): void {
    const models = this.byEngine.get(engine) ?? new Map<string, PermitQueue>();
    this.byEngine.set(engine, models);
    const key = model ?? '';
    const existing = models.get(key);
    if (!existing || existing.limit > concurrency) models.set(key, new PermitQueue(concurrency));
  }

  get(engine: ChatEngine, model: string | undefined): PermitQueue {
    const queue = this.byEngine.get(engine)?.get(model ?? '');
    if (!queue) throw new Error('PermitQueues: pair was not declared');
    return queue;
  }
}
