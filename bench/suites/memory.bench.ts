import { expect, test, type CDPSession } from '@playwright/test';
import { fmt, summarize } from '../lib/stats.js';
import { recordSuite } from '../lib/results.js';
import { heapCensus, isJsValueKind, type HeapCensus, type HeapSnapshotJson } from '../lib/heap-census.js';
import type { OrchestrationBench, PoolSetup } from '../pages/orchestration.js';

// 7. Memory: the page's JS heap (after a forced GC) and its worker count before and after 100 scripted runs on one
// pool and one AttentionMoA, with checkpoints every 25 runs, and a census of the heap snapshots taken before and
// after: what a leak would leave behind is JS values (objects, closures, arrays, strings), counted here one by one,
// whereas V8's own compiled code and the browser's performance entries also grow a little as a page lives.
const SAMPLES = 5;
const WARM_UP = 25;
const RUNS = 100;
const CALLS_PER_RUN = 33;
/** Fewer JS values than runs: nothing is kept per run (let alone per call). */
const MAX_VALUES_PER_RUN = 1;
const SETUP: PoolSetup = {
  agents: 3,
  tokens: { propose: 40, critique: 15, refine: 40, aggregate: 40, residual: 40 },
  tokenDelayMs: 0,
  firstTokenDelayMs: 0,
};

async function heapSamples(cdp: CDPSession): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    samples.push((await cdp.send('Runtime.getHeapUsage')).usedSize);
  }
  return samples;
}

async function snapshotCensus(cdp: CDPSession): Promise<HeapCensus> {
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  const onChunk = (event: { chunk: string }) => chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  return heapCensus(JSON.parse(chunks.join('')) as HeapSnapshotJson);
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

test('memory: JS heap and workers before and after 100 scripted runs', async ({ page, browser }) => {
  test.setTimeout(5 * 60_000);
  const started = performance.now();
  await page.goto('/dist/bench/orchestration.html');
  await page.waitForFunction(() => (window as unknown as { bench?: { ready: boolean } }).bench?.ready === true);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const runs = async (count: number) => {
    const r = await page.evaluate(([setup, n]) => (window as unknown as { bench: OrchestrationBench }).bench.manyRuns(setup, n), [SETUP, count] as const);
    expect(r.calls).toBe(count * CALLS_PER_RUN);
  };

  // Warm-up: the pool's workers, lazily imported chunks, compiled code, the protocol's first-run allocations.
  await runs(WARM_UP);
  const censusBefore = await snapshotCensus(cdp);
  const checkpoints: { runs: number; heap: number[]; workers: number }[] = [];
  checkpoints.push({ runs: 0, heap: await heapSamples(cdp), workers: page.workers().length });
  for (let done = 0; done < RUNS; done += 25) {
    await runs(25);
    checkpoints.push({ runs: done + 25, heap: await heapSamples(cdp), workers: page.workers().length });
  }
  const censusAfter = await snapshotCensus(cdp);
  await page.evaluate(() => (window as unknown as { bench: OrchestrationBench }).bench.dispose());
  await expect.poll(() => page.workers().length, { timeout: 5_000 }).toBe(0);
  const workersAfterDispose = page.workers().length;
  const heapAfterDispose = summarize(await heapSamples(cdp)).median;

  const first = checkpoints[0]!;
  const last = checkpoints[checkpoints.length - 1]!;
  const before = summarize(first.heap);
  const after = summarize(last.heap);
  const bytesPerRun = slope(checkpoints.map((c) => ({ x: c.runs, y: summarize(c.heap).median })));
  const noise = Math.max(...checkpoints.map((c) => Math.max(...c.heap) - Math.min(...c.heap)));
  const valuesGrowth = censusAfter.jsValues.count - censusBefore.jsValues.count;
  const topGrowth = [...censusAfter.byKind.entries()]
    .map(([kind, v]) => ({ kind, count: v.count - (censusBefore.byKind.get(kind)?.count ?? 0), bytes: v.bytes - (censusBefore.byKind.get(kind)?.bytes ?? 0) }))
    .filter((d) => d.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 4);
  const kB = (n: number) => `${fmt(n / 1024, 1)} kB`;
  const met = valuesGrowth / RUNS < MAX_VALUES_PER_RUN && last.workers === first.workers && workersAfterDispose === 0;
  recordSuite(
    {
      id: '7-memory',
      title: '7. Memory over 100 runs',
      explanation:
        `The page's used JS heap after a forced GC (CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage, median of ${SAMPLES}) and its worker count, after ${WARM_UP} warm-up runs and every 25 of ${RUNS} further scripted runs (3 agents, 2 layers, full: ${CALLS_PER_RUN} calls each) on one pool and one AttentionMoA; plus a census of JS values in heap snapshots before and after.`,
      target: `no growth beyond noise: fewer than ${MAX_VALUES_PER_RUN} JS value kept per run, same worker count (0 after dispose)`,
      met,
      headline: `JS values ${valuesGrowth >= 0 ? '+' : ''}${valuesGrowth} over ${RUNS} runs; heap ${fmt(bytesPerRun, 0)} bytes per run (× ${fmt(after.median / before.median, 3)}); workers ${first.workers} → ${last.workers}, ${workersAfterDispose} after dispose`,
      rows: [
        ...checkpoints.map((c) => ({
          case: `after ${c.runs} runs`,
          values: {
            'heap ÷ before': fmt(summarize(c.heap).median / before.median, 4),
            'heap (median, min–max)': `${kB(summarize(c.heap).median)} (${kB(Math.min(...c.heap))}–${kB(Math.max(...c.heap))})`,
            workers: c.workers,
          },
        })),
        { case: 'after pool.dispose()', values: { 'heap ÷ before': fmt(heapAfterDispose / before.median, 4), 'heap (median, min–max)': kB(heapAfterDispose), workers: workersAfterDispose } },
      ],
      notes: [
        `JS values (objects, closures, arrays, strings, numbers) in the heap snapshot: ${censusBefore.jsValues.count} (${kB(censusBefore.jsValues.bytes)}) after warm-up, ${censusAfter.jsValues.count} (${kB(censusAfter.jsValues.bytes)}) after ${RUNS} more runs of ${CALLS_PER_RUN} calls.`,
        `Heap growth: ${fmt(bytesPerRun, 0)} bytes per run (least-squares slope over the checkpoints); largest spread between GC'd samples at one checkpoint: ${kB(noise)}. What grew most between the snapshots: ${topGrowth.map((d) => `${d.kind} ${d.bytes >= 0 ? '+' : ''}${kB(d.bytes)}`).join(', ') || 'nothing'}${topGrowth.length && topGrowth.every((d) => !isJsValueKind(d.kind)) ? ' (V8\'s compiled code and internals, the browser\'s own objects: no JS values)' : ''}.`,
        'Workers: one per model (3 agents + aggregator); their heaps are not included (the CDP session attaches to the page).',
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
