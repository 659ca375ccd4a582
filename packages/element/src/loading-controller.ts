/**
 * Loads the models named by the `models` attribute through a `ModelLoader`, keeps the per-model progress for the
 * loading bars, and holds the loaded engines until the model list changes or the element goes away.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LoadedEngines, ModelLoader } from './loader-contract.js';
import type { AttentionTopology, LoadProgress } from '@attention-moa/core';
import { reduceLoading, startLoading, type LoadingView } from './loading-state.js';

export interface LoadRequest {
  models: string[];
  /** Server models: no download, so no progress row; they are part of what is loaded all the same. */
  remote?: { model: string; baseURL: string }[];
  aggregator?: string;
  memoryBudgetBytes?: number;
  layers?: number;
  attention?: AttentionTopology;
}

const keyOf = (r: LoadRequest) => JSON.stringify([r.models, r.remote ?? [], r.aggregator ?? null, r.memoryBudgetBytes ?? null, r.layers ?? null, r.attention ?? null]);

export class LoadingController implements ReactiveController {
  /** Progress of the current load; undefined when nothing is loading. */
  view: LoadingView | undefined;
  private loaded: { key: string; engines: LoadedEngines } | undefined;
  private pending: { key: string; promise: Promise<LoadedEngines>; abort: AbortController } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onProgress: (model: string, report: LoadProgress, view: LoadingView) => void,
  ) {
    host.addController(this);
  }

  get loading(): boolean {
    return this.pending !== undefined;
  }

  /** The engines for `request`, loading them (once) if needed. */
  load(loader: ModelLoader, request: LoadRequest): Promise<LoadedEngines> {
    const key = keyOf(request);
    if (this.loaded?.key === key) return Promise.resolve(this.loaded.engines);
    if (this.pending?.key === key) return this.pending.promise;
    this.cancel();
    void this.release();
    const abort = new AbortController();
    this.view = startLoading(request.models, performance.now());
    this.host.requestUpdate();
    const promise = loader({
      ...request,
      signal: abort.signal,
      onPlan: (plan) => {
        if (this.pending?.abort !== abort || !this.view) return;
        this.view = { ...this.view, ...(plan.downloadBytes !== undefined ? { downloadBytes: plan.downloadBytes } : {}) };
        this.host.requestUpdate();
      },
      onNote: (note) => {
        if (this.pending?.abort !== abort || !this.view) return;
        this.view = { ...this.view, notes: [...(this.view.notes ?? []), note] };
        this.host.requestUpdate();
      },
      onProgress: (model, report) => {
        if (this.pending?.abort !== abort || !this.view) return;
        this.view = reduceLoading(this.view, model, report, performance.now());
        this.onProgress(model, report, this.view);
        this.host.requestUpdate();
      },
    }).then(
      (engines) => {
        if (this.pending?.abort === abort) {
          this.pending = undefined;
          this.loaded = { key, engines };
          this.view = undefined;
          this.host.requestUpdate();
        } else void engines.dispose?.();
        return engines;
      },
      (error: unknown) => {
        if (this.pending?.abort === abort) {
          this.pending = undefined;
          this.view = undefined;
          this.host.requestUpdate();
        }
        throw error;
      },
    );
    this.pending = { key, promise, abort };
    return promise;
  }

  /** Cancels a load in progress. */
  cancel(): void {
    if (!this.pending) return;
    this.pending.abort.abort(new DOMException('Model loading was cancelled', 'AbortError'));
    this.pending = undefined;
    this.view = undefined;
    this.host.requestUpdate();
  }

  /** Frees the loaded models. */
  async release(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    await loaded?.engines.dispose?.();
  }

  hostDisconnected(): void {
    setTimeout(() => {
      if (this.host.isConnected) return;
      this.cancel();
      void this.release();
    }, 0);
  }
}
