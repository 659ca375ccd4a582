import { describe, expect, it } from 'vitest';
import { LoadProgressTracker } from '../../../../packages/core/src/runtime/load-progress.js';
import { createWebLLMProgressMapper } from '../../../../packages/core/src/engine/webllm/webllm-progress.js';

describe('LoadProgressTracker', () => {
  it('weights models by size, sums bytes, and extrapolates an ETA once there is something to go on', () => {
    let now = 0;
    const tracker = new LoadProgressTracker({ now: () => now });
    tracker.add('small', 100);
    tracker.add('big', 300);
    tracker.begin('small');
    tracker.begin('big');
    expect(tracker.snapshot().overall).toMatchObject({ fraction: 0, text: 'Loading 2 models: 0%' });
    expect(tracker.snapshot().overall.etaSeconds).toBeUndefined();
    now = 500;
    tracker.update('small', { progress: 0.5, text: 'Fetching', loadedBytes: 50e6, totalBytes: 100e6 });
    expect(tracker.snapshot().overall.etaSeconds).toBeUndefined(); // under 1 s elapsed
    now = 10_000;
    tracker.update('big', { progress: 0.5, text: 'Fetching', loadedBytes: 150e6, totalBytes: 300e6 });
    const mid = tracker.snapshot().overall;
    expect(mid.fraction).toBeCloseTo(0.5);
    expect(mid.etaSeconds).toBeCloseTo(10);
    expect(mid).toMatchObject({ loadedBytes: 200e6, totalBytes: 400e6, elapsedSeconds: 10 });
    expect(mid.text).toBe('Loading 2 models: 50% · 200 MB of 400 MB · about 10 s left');
    tracker.finish('small');
    expect(tracker.snapshot().overall.fraction).toBeCloseTo((100 + 150) / 400);
    tracker.update('big', { progress: 0.2, text: 'late report' }); // never goes backwards
    expect(tracker.snapshot().models.find((m) => m.key === 'big')!.fraction).toBe(0.5);
    now = 100_000;
    tracker.update('big', { progress: 0.9, text: 'x' });
    expect(tracker.snapshot().overall.text).toMatch(/about (\d+) (s|min) left$/);
    tracker.finish('big');
    expect(tracker.snapshot().overall).toMatchObject({ fraction: 1, text: 'Loaded 2 models: 100% · 400 MB of 400 MB' });
    expect(tracker.snapshot().overall.etaSeconds).toBeUndefined();
  });

  it('reports failures and cancellations, counts a zero size as 1, and rejects unknown keys', () => {
    const tracker = new LoadProgressTracker({ now: () => 0 });
    tracker.add('a', 0);
    tracker.add('b', 0);
    tracker.fail('a');
    tracker.finish('b');
    expect(tracker.snapshot().models.map((m) => m.state)).toEqual(['failed', 'loaded']);
    expect(tracker.snapshot().overall.text).toBe('Loaded 1 of 2 models: 50%');
    tracker.fail('b', true);
    expect(tracker.snapshot().models[1]!.state).toBe('cancelled');
    expect(() => tracker.update('zzz', { progress: 1, text: '' })).toThrow(/unknown model "zzz"/);
  });
});

describe('WebLLM progress mapping', () => {
  it('maps a first visit (download, load, shaders) onto one rising fraction with bytes', () => {
    const map = createWebLLMProgressMapper();
    const seen = [
      map({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' }),
      map({ progress: 0.25, timeElapsed: 2, text: 'Fetching param cache[5/20]: 100MB fetched. 25% completed, 2 secs elapsed. It can take a while…' }),
      map({ progress: 1, timeElapsed: 8, text: 'Fetching param cache[20/20]: 400MB fetched. 100% completed, 8 secs elapsed.' }),
      map({ progress: 0.5, timeElapsed: 9, text: 'Loading model from cache[10/20]: 200MB loaded. 50% completed, 9 secs elapsed.' }),
      map({ progress: 0.5, timeElapsed: 10, text: 'Loading GPU shader modules[40/80]: 50% completed, 10 secs elapsed.' }),
      map({ progress: 1, timeElapsed: 11, text: 'Finish loading on WebGPU - google' }),
    ];
    const fractions = seen.map((s) => s.progress);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions[1]).toBeCloseTo(0.1875);
    expect(fractions[2]).toBeCloseTo(0.75);
    expect(fractions.at(-1)).toBe(1);
    expect(seen[1]).toMatchObject({ loadedBytes: 100 * 2 ** 20, totalBytes: 400 * 2 ** 20, elapsedSeconds: 2 });
  });

  it('a cached model (no download step) uses the whole range for loading and shaders', () => {
    const map = createWebLLMProgressMapper();
    expect(map({ progress: 0.5, timeElapsed: 1, text: 'Loading model from cache[1/2]: 10MB loaded. 50% completed, 1 secs elapsed.' }).progress).toBeCloseTo(0.425);
    expect(map({ progress: 1, timeElapsed: 2, text: 'Loading GPU shader modules[80/80]: 100% completed, 2 secs elapsed.' }).progress).toBeCloseTo(0.99);
  });
});
