/**
 * Model download/load progress as the UI shows it: per model a fraction, bytes, an ETA, and whether it comes from
 * the browser's cache. Pure: a reducer over the runtime's `LoadProgress` reports, with the clock passed in.
 */
import type { LoadProgress } from '@attention-moa/core';

export interface ModelLoadView {
  model: string;
  /** 0..1 */
  progress: number;
  text: string;
  loadedBytes?: number;
  totalBytes?: number;
  /** Estimated seconds left, once there is enough to estimate from. */
  etaSeconds?: number;
  /** The weights come from the browser's cache (no download). */
  fromCache: boolean;
  done: boolean;
  startedAt: number;
}

export interface LoadingView {
  models: readonly ModelLoadView[];
  /** Known total download size of the models being loaded (bytes), when the loader reported it (0: all cached). */
  downloadBytes?: number;
  /** Notes from the loader (e.g. swap mode). */
  notes?: readonly string[];
}

export function startLoading(models: readonly string[], now: number, downloadBytes?: number): LoadingView {
  return {
    models: models.map((model) => ({ model, progress: 0, text: 'Waiting…', fromCache: false, done: false, startedAt: now })),
    ...(downloadBytes !== undefined ? { downloadBytes } : {}),
  };
}

const FROM_CACHE = /\bfrom cache\b|\bcached\b/i;

export function reduceLoading(state: LoadingView, model: string, report: LoadProgress, now: number): LoadingView {
  const models = state.models.slice();
  let index = models.findIndex((m) => m.model === model);
  if (index < 0) {
    models.push({ model, progress: 0, text: '', fromCache: false, done: false, startedAt: now });
    index = models.length - 1;
  }
  const previous = models[index]!;
  const progress = Math.min(1, Math.max(0, Number.isFinite(report.progress) ? report.progress : previous.progress));
  const next: ModelLoadView = {
    ...previous,
    progress,
    text: report.text,
    fromCache: previous.fromCache || FROM_CACHE.test(report.text),
    done: progress >= 1,
  };
  if (report.loadedBytes !== undefined) next.loadedBytes = report.loadedBytes;
  if (report.totalBytes !== undefined) next.totalBytes = report.totalBytes;
  const elapsed = report.elapsedSeconds ?? (now - previous.startedAt) / 1000;
  const eta = estimateEta(next, elapsed);
  if (eta === undefined) delete next.etaSeconds;
  else next.etaSeconds = eta;
  models[index] = next;
  return { ...state, models };
}

/** Seconds left at the average rate so far; undefined until 2 % and 1 s in (early rates are noise). */
export function estimateEta(model: Pick<ModelLoadView, 'progress' | 'loadedBytes' | 'totalBytes' | 'done'>, elapsedSeconds: number): number | undefined {
  if (model.done) return 0;
  if (!(elapsedSeconds >= 1)) return undefined;
  let fraction = model.progress;
  if (model.loadedBytes !== undefined && model.totalBytes) fraction = model.loadedBytes / model.totalBytes;
  if (!(fraction >= 0.02) || fraction >= 1) return undefined;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

/** Bytes still to download over all models, when known. */
export function totalDownloadBytes(state: LoadingView): number | undefined {
  if (state.downloadBytes !== undefined) return state.downloadBytes;
  let total = 0;
  for (const m of state.models) {
    if (m.totalBytes === undefined) return undefined;
    if (!m.fromCache) total += m.totalBytes;
  }
  return total;
}

export function loadingDone(state: LoadingView): boolean {
  return state.models.length > 0 && state.models.every((m) => m.done);
}
