/**
 * Aggregates the load progress of several models into one figure with an ETA. Pure (the clock is injected).
 *
 * Each model's fraction is weighted by its size (its planned GPU memory, which tracks its download size), so
 * a 2 GB model at 50 % counts for more than a 300 MB one at 50 %. The ETA extrapolates the average rate since
 * the load began; it is left out until there is something to extrapolate from (2 % done and 1 s elapsed).
 */
import type { LoadProgress } from '../engine/hosted-engine.js';
import { formatBytes } from './format-bytes.js';

export type ModelLoadState = 'waiting' | 'loading' | 'loaded' | 'failed' | 'cancelled';

export interface ModelLoadProgress {
  key: string;
  state: ModelLoadState;
  /** 0..1 */
  fraction: number;
  text: string;
  loadedBytes?: number;
  totalBytes?: number;
}

export interface OverallLoadProgress {
  /** 0..1, weighted by model size. */
  fraction: number;
  /** Sums over the models that report bytes. */
  loadedBytes?: number;
  totalBytes?: number;
  elapsedSeconds: number;
  etaSeconds?: number;
  /** e.g. "Loading 3 models: 42% · 1.2 GB of 2.9 GB · about 35 s left". */
  text: string;
}

export interface LoadProgressSnapshot {
  models: ModelLoadProgress[];
  overall: OverallLoadProgress;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export class LoadProgressTracker {
  private readonly now: () => number;
  private readonly models = new Map<string, ModelLoadProgress & { weight: number }>();
  private startedAt: number | undefined;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Registers a model as part of this load (weight: its size in any unit; ≤ 0 counts as 1). */
  add(key: string, weight: number): void {
    this.models.set(key, { key, state: 'waiting', fraction: 0, text: 'waiting', weight: weight > 0 ? weight : 1 });
  }

  begin(key: string): void {
    const model = this.get(key);
    this.startedAt ??= this.now();
    model.state = 'loading';
    model.text = 'starting';
  }

  update(key: string, progress: LoadProgress): void {
    const model = this.get(key);
    this.startedAt ??= this.now();
    if (model.state === 'waiting') model.state = 'loading';
    if (Number.isFinite(progress.progress)) model.fraction = Math.max(model.fraction, Math.min(1, Math.max(0, progress.progress)));
    model.text = progress.text;
    if (progress.loadedBytes !== undefined) model.loadedBytes = progress.loadedBytes;
    if (progress.totalBytes !== undefined) model.totalBytes = progress.totalBytes;
  }

  finish(key: string): void {
    const model = this.get(key);
    model.state = 'loaded';
    model.fraction = 1;
    model.text = 'ready';
    if (model.totalBytes !== undefined) model.loadedBytes = model.totalBytes;
  }

  fail(key: string, cancelled = false): void {
    const model = this.get(key);
    model.state = cancelled ? 'cancelled' : 'failed';
    model.text = cancelled ? 'cancelled' : 'failed';
  }

  snapshot(): LoadProgressSnapshot {
    const models = [...this.models.values()];
    const totalWeight = models.reduce((sum, m) => sum + m.weight, 0);
    const fraction = totalWeight > 0 ? models.reduce((sum, m) => sum + m.weight * (m.state === 'loaded' ? 1 : m.fraction), 0) / totalWeight : 1;
    const withBytes = models.filter((m) => m.totalBytes !== undefined);
    const loadedBytes = withBytes.length ? withBytes.reduce((sum, m) => sum + (m.loadedBytes ?? 0), 0) : undefined;
    const totalBytes = withBytes.length ? withBytes.reduce((sum, m) => sum + m.totalBytes!, 0) : undefined;
    const elapsedSeconds = this.startedAt === undefined ? 0 : (this.now() - this.startedAt) / 1000;
    const busy = models.some((m) => m.state === 'loading' || m.state === 'waiting');
    const etaSeconds = busy && fraction >= 0.02 && fraction < 1 && elapsedSeconds >= 1 ? (elapsedSeconds * (1 - fraction)) / fraction : undefined;
    const parts = [`${Math.floor(fraction * 100)}%`];
    if (loadedBytes !== undefined && totalBytes) parts.push(`${formatBytes(loadedBytes)} of ${formatBytes(totalBytes)}`);
    if (etaSeconds !== undefined) parts.push(`about ${formatSeconds(etaSeconds)} left`);
    const failed = models.filter((m) => m.state === 'failed').length;
    const head = !busy
      ? failed ? `Loaded ${models.length - failed} of ${models.length} model${models.length === 1 ? '' : 's'}` : `Loaded ${models.length} model${models.length === 1 ? '' : 's'}`
      : `Loading ${models.length} model${models.length === 1 ? '' : 's'}`;
    return {
      models: models.map(({ weight: _weight, ...m }) => ({ ...m })),
      overall: { fraction, elapsedSeconds, text: `${head}: ${parts.join(' · ')}`, ...(loadedBytes !== undefined ? { loadedBytes } : {}), ...(totalBytes !== undefined ? { totalBytes } : {}), ...(etaSeconds !== undefined ? { etaSeconds } : {}) },
    };
  }

  private get(key: string) {
    const model = this.models.get(key);
    if (!model) throw new Error(`LoadProgressTracker: unknown model "${key}"; add() it first`);
    return model;
  }
}
