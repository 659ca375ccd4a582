import { describe, expect, it } from 'vitest';
import { estimateEta, reduceLoading, startLoading, totalDownloadBytes } from '../../../packages/element/src/loading-state.js';

describe('model loading view', () => {
  it('tracks per-model progress, bytes, cache and ETA', () => {
    let s = startLoading(['a', 'b'], 0);
    s = reduceLoading(s, 'a', { progress: 0.25, text: 'Fetching param cache[1/4]', loadedBytes: 250e6, totalBytes: 1e9, elapsedSeconds: 10 }, 10_000);
    s = reduceLoading(s, 'b', { progress: 0.5, text: 'Loading model from cache[2/4]', totalBytes: 400e6 }, 10_000);
    expect(s.models[0]).toMatchObject({ progress: 0.25, loadedBytes: 250e6, fromCache: false, done: false, etaSeconds: 30 });
    expect(s.models[1]).toMatchObject({ fromCache: true });
    expect(totalDownloadBytes(s)).toBe(1e9);
    s = reduceLoading(s, 'a', { progress: 1, text: 'Finish loading', elapsedSeconds: 40 }, 40_000);
    expect(s.models[0]).toMatchObject({ done: true, etaSeconds: 0 });
    expect(estimateEta({ progress: 0.01, done: false }, 5)).toBeUndefined();
    expect(estimateEta({ progress: 0.5, done: false }, 0.5)).toBeUndefined();
  });
});
