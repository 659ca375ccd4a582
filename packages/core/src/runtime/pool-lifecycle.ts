/**
 * A slot's life: start its worker, load the model (with progress), restart a crashed worker while restarts
 * remain, give the model up after that, and unload it for a swap.
 */
import { isRuntimeError, runtimeError, type RuntimeError } from '../engine/errors.js';
import { recordModelUse } from '../cache/model-cache.js';
import { LoadProgressTracker } from './load-progress.js';
import type { MemoryPlan } from './memory-plan.js';
import type { EnginePoolOptions } from './pool-options.js';
import { rejectQueued } from './pool-queue.js';
import type { PoolEvent, Slot } from './pool-slot.js';
import { WorkerEngine } from './worker-engine.js';

/** What the lifecycle needs of the pool. */
export interface LifecycleHost {
  readonly options: EnginePoolOptions;
  isDisposed(): boolean;
  emit(event: PoolEvent): void;
  /** Something changed: dispatch waiting requests, decide loads. */
  schedule(): void;
  memoryMode(): MemoryPlan['mode'] | undefined;
}

export class SlotLifecycle {
  /** Progress of the loads reported together (load()'s targets, or one swap-in). */
  tracker = new LoadProgressTracker();

  constructor(private readonly host: LifecycleHost) {}

  /** Starts a fresh progress report over these slots. */
  track(slots: readonly Slot[]): void {
    this.tracker = new LoadProgressTracker();
    for (const slot of slots) this.tracker.add(slot.id, slot.vramMB);
  }

  /** Loads a slot (starting its worker if needed), retrying once per allowed restart when the worker crashes. */
  ensureLoaded(slot: Slot, signal?: AbortSignal): Promise<void> {
    if (slot.state === 'loaded') return Promise.resolve();
    if (slot.state === 'failed') return Promise.reject(slot.failure);
    if (slot.loading) return slot.loading;
    slot.state = 'loading';
    const promise = this.loadSlot(slot, signal).finally(() => {
      if (slot.loading === promise) slot.loading = undefined;
      this.host.schedule();
    });
    slot.loading = promise;
    return promise;
  }

  private async loadSlot(slot: Slot, signal?: AbortSignal): Promise<void> {
    const { host } = this;
    for (;;) {
      if (host.isDisposed()) throw runtimeError('DISPOSED');
      const attempt = slot.crashes;
      try {
        if (!slot.worker || slot.worker.state !== 'ready') slot.worker = await this.startWorker(slot);
        if (!this.tracker.snapshot().models.some((m) => m.key === slot.id)) {
          // A load outside load() (swap mode, restarts): report it on its own unless others are still loading.
          if (!this.tracker.snapshot().models.some((m) => m.state === 'loading' || m.state === 'waiting')) this.tracker = new LoadProgressTracker();
          this.tracker.add(slot.id, slot.vramMB);
        }
        this.tracker.begin(slot.id);
        host.emit({ type: 'load-start', slot: slot.id, model: slot.model, attempt });
        slot.loads++;
        const info = await slot.worker.load(slot.spec, {
          ...(signal ? { signal } : {}),
          attempt,
          onProgress: (progress) => {
            this.tracker.update(slot.id, progress);
            this.emitProgress(slot);
          },
        });
        if (host.isDisposed()) return;
        slot.state = 'loaded';
        slot.limits = {
          ...(info.contextWindow !== undefined ? { contextWindow: info.contextWindow } : {}),
          ...(info.noSystemRole !== undefined ? { systemRole: !info.noSystemRole } : {}),
        };
        slot.idleSince = performance.now();
        this.tracker.finish(slot.id);
        this.emitProgress(slot);
        host.emit({ type: 'loaded', slot: slot.id, model: slot.model, loadMs: info.loadMs, attempt });
        if (slot.kind === 'webllm' && slot.record && host.options.registry !== false) {
          const record = slot.record;
          void recordModelUse(record).catch((error) => console.warn('EnginePool: could not update the cache registry', error));
        }
        return;
      } catch (error) {
        if (host.isDisposed()) throw runtimeError('DISPOSED');
        if (isRuntimeError(error) && error.code === 'LOAD_CANCELLED') {
          slot.state = 'unloaded';
          this.tracker.fail(slot.id, true);
          this.emitProgress(slot);
          throw error;
        }
        if (isRuntimeError(error) && error.code === 'WORKER_CRASHED') {
          // The crash handler counted it; retry while restarts remain.
          if (slot.crashes <= (host.options.restarts ?? 1)) continue;
          throw slot.failure ?? error;
        }
        this.fail(slot, error as Error);
        this.tracker.fail(slot.id);
        this.emitProgress(slot);
        host.emit({ type: 'load-failed', slot: slot.id, model: slot.model, error: error as Error });
        throw error;
      }
    }
  }

  private emitProgress(slot: Slot): void {
    const snapshot = this.tracker.snapshot();
    const progress = snapshot.models.find((m) => m.key === slot.id);
    if (progress) this.host.emit({ type: 'progress', slot: slot.id, model: slot.model, progress, overall: snapshot.overall });
  }

  private async startWorker(slot: Slot): Promise<WorkerEngine> {
    const { options } = this.host;
    const worker = await WorkerEngine.start({
      ...(options.workerUrl !== undefined ? { workerUrl: options.workerUrl } : {}),
      ...(options.bootstrap ? { bootstrap: options.bootstrap } : {}),
      ...(options.createWorker ? { createWorker: options.createWorker } : {}),
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
      ...(options.pingTimeoutMs !== undefined ? { pingTimeoutMs: options.pingTimeoutMs } : {}),
      ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
      ...(options.hangGraceMs !== undefined ? { hangGraceMs: options.hangGraceMs } : {}),
      name: `agent worker ${slot.keys.join('/')} (${slot.model})`,
    });
    worker.onCrash((error) => this.onCrash(slot, worker, error));
    return worker;
  }

  private onCrash(slot: Slot, worker: WorkerEngine, error: RuntimeError): void {
    const { host } = this;
    if (host.isDisposed() || slot.worker !== worker) return;
    slot.worker = undefined;
    slot.crashes++;
    const restarts = host.options.restarts ?? 1;
    const restarting = slot.crashes <= restarts;
    host.emit({ type: 'worker-crashed', slot: slot.id, model: slot.model, error, restarting });
    if (!restarting) {
      const given = runtimeError('WORKER_CRASHED', { model: slot.model, causeMessage: error.details.causeMessage, crashes: slot.crashes }, {
        message: `The worker running "${slot.model}" crashed ${slot.crashes} time${slot.crashes === 1 ? '' : 's'}${restarts ? ' (it was restarted and crashed again)' : ''}, so this model was given up; the agents using it are dropped. Last cause: ${error.details.causeMessage ?? 'unknown'}. Try a smaller model, or reload the page.`,
      });
      this.fail(slot, given);
      host.emit({ type: 'model-dropped', slot: slot.id, model: slot.model, error: given });
      return;
    }
    if (slot.state === 'loading') return; // loadSlot retries
    const wasLoaded = slot.state === 'loaded';
    slot.state = 'unloaded';
    // Restart at once if it was meant to be loaded; in swap mode waiting requests bring it back anyway.
    if (wasLoaded && (host.memoryMode() === 'all-fit' || slot.queue.length)) {
      void this.ensureLoaded(slot).catch(() => undefined);
    }
    host.schedule();
  }

  /** Gives the slot up: it stays failed and its waiting requests fail with `error`. */
  fail(slot: Slot, error: Error): void {
    slot.state = 'failed';
    slot.failure = error;
    rejectQueued(slot, error);
  }

  /** Unloads the model and ends its worker (terminating guarantees the GPU memory is returned). */
  async evict(slot: Slot): Promise<void> {
    slot.state = 'unloading';
    const worker = slot.worker;
    slot.worker = undefined;
    try {
      await Promise.race([worker?.unload(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    } catch {
      // the worker is terminated below either way
    } finally {
      worker?.terminate();
      if (slot.state === 'unloading') slot.state = 'unloaded';
      this.host.emit({ type: 'unloaded', slot: slot.id, model: slot.model, reason: 'swap' });
    }
  }
}
