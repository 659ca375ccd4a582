import { expect, test, type Page } from '@playwright/test';

// The worker runtime with scripted engines: one worker per model, streaming, abort, crashes, loading.
async function open(page: Page) {
  await page.goto('/test/e2e/pages/runtime.html');
  await expect(page.locator('#status')).toHaveText('ready');
}

test.beforeEach(async ({ page }) => open(page));

test('three scripted models, each in its own worker, stream to the page at once; `call` reaches the worker', async ({ page }) => {
  const r = await page.evaluate(() => window.rt.streamParallel({ n: 3, tokens: 60, tokenDelayMs: 5 }));
  expect(r.results).toHaveLength(3);
  for (const [i, result] of r.results.entries()) {
    const name = `M${i}`;
    expect(result.error).toBeNull();
    expect(result.text).toBe(`${name} heard agent-${name} in propose layer 1: ${Array.from({ length: 60 }, (_, j) => `${name.toLowerCase()}${j}`).join(' ')}`);
    expect(result.finish).toBe('stop');
    expect(result.tokens).toBe(67);
    expect(result.usage).toMatchObject({ completion_tokens: 67 });
    // The worker's clock: the trips to and from the worker, the wait for a slot, and the worker's time around the
    // engine (60 tokens 5 ms apart: at least 0.3 s), in seconds; clocks of two threads may differ by a hair.
    const extra = (result.usage as { extra: Record<'to_worker_s' | 'worker_queue_s' | 'in_worker_s' | 'from_worker_s', number> }).extra;
    expect(extra.in_worker_s).toBeGreaterThanOrEqual(0.29);
    for (const trip of [extra.to_worker_s, extra.from_worker_s, extra.worker_queue_s]) {
      expect(trip).toBeGreaterThan(-0.002);
      expect(trip).toBeLessThan(extra.in_worker_s);
    }
  }
  // The three streams overlapped in time: each started before the others ended.
  const firsts = r.results.map((x) => x.firstTokenMs!);
  const ends = r.results.map((x) => x.endMs);
  expect(Math.max(...firsts)).toBeLessThan(Math.min(...ends));
  // One worker per model, one load each, one request each.
  expect(r.status).toHaveLength(3);
  expect(r.status).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'loaded', loads: 1, crashes: 0 })]));
  expect(r.stats).toEqual([0, 1, 2].map((i) => expect.objectContaining({ kind: 'scripted', model: `M${i}`, requests: 1, tokens: 67 })));
  expect(r.events.filter((e: any) => e.type === 'loaded')).toHaveLength(3);
});

test('five workers streaming 20 000 tokens each at once deliver every token, in order (batched across the boundary)', async ({ page }, testInfo) => {
  const r = await page.evaluate(() => window.rt.throughput({ agents: 5, tokens: 20_000, tokenDelayMs: 0 }));
  expect(r.errors).toBe(0);
  expect(r.total).toBe(100_000);
  expect(r.exact).toEqual([true, true, true, true, true]);
  expect(r.workerRequests).toEqual([1, 1, 1, 1, 1]);
  // Speed is for bench/, not a test; the figure is attached for information.
  testInfo.annotations.push({ type: 'throughput', description: `${Math.round(r.tokensPerSecond)} tok/s over 5 workers` });
});

test('one abort signal stops every worker\'s generation; the streams end with AbortError; the workers keep serving', async ({ page }) => {
  const r = await page.evaluate(() => window.rt.abortMidStream({ n: 3 }));
  for (const result of r.results) {
    expect(result.error?.name).toBe('AbortError');
    expect(result.tokens).toBeGreaterThanOrEqual(3);
    expect(result.tokens).toBeLessThan(2000);
  }
  // Every consumer saw the abort promptly (generous bound for a loaded 2-core machine).
  expect(r.settledAfterAbortMs).toBeLessThan(500);
  // The workers stopped generating: no token counted between two reads 400 ms apart, nothing active.
  expect(r.tokensAfter).toEqual(r.tokensBefore);
  expect(r.activeAfter).toEqual([0, 0, 0]);
  expect(r.again).toEqual({ tokens: 20, finish: 'length', error: null });
});

test('agents sharing a model share one worker, which passes up to `parallel` requests at once; aborting one leaves the others', async ({ page }) => {
  const together = await page.evaluate(() => window.rt.sharedModel({ parallel: 3, abortSecond: true }));
  // One slot for the three keys (one copy of the model), taking the largest parallel any key asks for.
  expect(together.status).toEqual([{ keys: ['a', 'b', 'c'], parallel: 3 }]);
  expect(new Set(together.planned.map((m) => m.slot)).size).toBe(1);
  expect(together.planned.map((m) => m.parallel)).toEqual([3, 3, 3]);
  const [a, b, c] = together.results;
  // The three streams overlapped: each started before the others ended, and the worker ran them at once.
  expect(Math.max(a!.firstTokenMs!, c!.firstTokenMs!, b!.firstTokenMs!)).toBeLessThan(Math.min(a!.endMs, c!.endMs));
  expect(together.activeSeen).toBeGreaterThanOrEqual(2);
  // Aborting b ended only b; a and c streamed to the end.
  expect(b).toMatchObject({ error: 'AbortError' });
  expect(b!.tokens).toBeLessThan(41);
  for (const r of [a!, c!]) expect(r).toMatchObject({ error: null, finish: 'stop', tokens: 41, text: expect.stringMatching(new RegExp(`^${r.key}: w0 w1 .* w39$`)) });
  expect(together.after).toEqual({ active: 0, queued: 0, parallel: 3, requests: 3 });

  // parallel 1 (the default): the same three requests run one after another in the shared worker.
  const serial = await page.evaluate(() => window.rt.sharedModel({}));
  expect(serial.status).toEqual([{ keys: ['a', 'b', 'c'], parallel: 1 }]);
  const runs = serial.results.slice().sort((x, y) => x.firstTokenMs! - y.firstTokenMs!);
  for (let i = 1; i < runs.length; i++) expect(runs[i]!.firstTokenMs!).toBeGreaterThanOrEqual(runs[i - 1]!.endMs - 5);
  expect(serial.activeSeen).toBe(1);
  for (const r of serial.results) expect(r).toMatchObject({ error: null, tokens: 41 });
});

for (const how of ['close', 'throw', 'hang', 'terminate'] as const) {
  test(`a worker that dies mid-stream (${how}) fails only its request with WORKER_CRASHED and is restarted once`, async ({ page }) => {
    test.slow();
    const r = await page.evaluate((h) => window.rt.crashRun({ how: h }), how);
    const [a, b, c] = r.first;
    expect(a!.error).toBeNull();
    expect(c!.error).toBeNull();
    expect(a!.text).toMatch(/^A says A0 .* A39$/);
    expect(b!.error).toMatchObject({ name: 'WorkerCrashedError', code: 'WORKER_CRASHED', isRuntimeError: true });
    expect(b!.tokens).toBeGreaterThanOrEqual(how === 'terminate' ? 5 : 4);
    expect(b!.tokens).toBeLessThan(42);
    const crashed = r.events.filter((e: any) => e.type === 'worker-crashed');
    expect(crashed).toEqual([expect.objectContaining({ slot: expect.stringContaining('scripted:'), restarting: true })]);
    expect(r.events.filter((e: any) => e.type === 'loaded')).toHaveLength(4);
    // The restarted worker serves B again.
    expect(r.second.map((x: any) => x.error)).toEqual([null, null, null]);
    expect(r.second[1]!.text).toMatch(/^B says B0 .* B39$/);
    expect(r.workersCreated).toBe(4);
  });
}

test('a model whose worker crashes again after the restart is given up: its requests fail fast, the others go on', async ({ page }) => {
  test.slow();
  const r = await page.evaluate(() => window.rt.crashRun({ how: 'close', attemptsBelow: 99 }));
  expect(r.first[1]!.error?.code).toBe('WORKER_CRASHED');
  expect(r.second[0]!.error).toBeNull();
  expect(r.second[2]!.error).toBeNull();
  // The restarted worker crashed too …
  expect(r.second[1]!.error?.code).toBe('WORKER_CRASHED');
  // … so B is given up: the next request fails at once with a message that says so.
  expect(r.third.error).toMatchObject({ code: 'WORKER_CRASHED', name: 'WorkerCrashedError' });
  expect(r.third.error!.message).toMatch(/crashed 2 times .* given up; the agents using it are dropped/);
  expect(r.third.endMs).toBeLessThan(250);
  expect(r.events.filter((e: any) => e.type === 'worker-crashed').map((e: any) => e.restarting)).toEqual([true, false]);
  expect(r.events.filter((e: any) => e.type === 'model-dropped')).toHaveLength(1);
  expect(r.status).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'failed', crashes: 2 })]));
});

test('loading reports per-model and overall progress (weighted by size) with an ETA, loading in parallel', async ({ page }) => {
  const r = await page.evaluate(() => window.rt.progressLoad());
  expect(r.loading).toBe('parallel');
  const progress: any[] = r.events.filter((e: any) => e.type === 'progress');
  for (const slot of ['small', 'big']) {
    const mine = progress.filter((e: any) => e.model === slot).map((e: any) => e.progress.fraction);
    expect(mine.length).toBeGreaterThanOrEqual(10);
    expect(mine).toEqual([...mine].sort((x, y) => x - y)); // never goes backwards
    expect(mine.at(-1)).toBe(1);
  }
  const overall = progress.map((e: any) => e.overall);
  expect(overall.map((o: any) => o.fraction)).toEqual([...overall.map((o: any) => o.fraction)].sort((x, y) => x - y));
  expect(overall.at(-1)).toMatchObject({ fraction: 1, text: expect.stringMatching(/^Loaded 2 models: 100%/) });
  // When small is done and big is half way, overall = (100·1 + 300·~0.5) / 400.
  const smallDone: any = progress.find((e: any) => e.model === 'small' && e.progress.state === 'loaded');
  const bigThen = smallDone.overall.fraction;
  expect(bigThen).toBeGreaterThan(0.25 + 0.75 * 0.2);
  expect(bigThen).toBeLessThan(0.25 + 0.75 * 0.8);
  expect(overall.some((o: any) => typeof o.etaSeconds === 'number' && o.etaSeconds > 0 && /left/.test(o.text))).toBe(true);
  expect(overall.some((o: any) => o.totalBytes === 20_000_000)).toBe(true);
});

test('a load can be cancelled: LOAD_CANCELLED at once, and a later request loads the model again', async ({ page }) => {
  const r = await page.evaluate(() => window.rt.cancelLoad({ loadMs: 3000, afterMs: 400 }));
  expect(r.error).toMatchObject({ code: 'LOAD_CANCELLED', name: 'LoadCancelledError' });
  expect(r.rejectedAfterAbortMs).toBeLessThan(500);
  expect(r.statusAfter).toEqual([expect.objectContaining({ state: 'unloaded' })]);
  expect(r.events.some((e: any) => e.type === 'progress' && e.progress.state === 'cancelled')).toBe(true);
  expect(r.after).toEqual({ text: expect.stringContaining('answers in propose'), error: null });
});

test('swap mode: 3 × 1000 MB models in a 2000 MB budget run a protocol layer with the planned number of loads', async ({ page }) => {
  test.slow();
  const r = await page.evaluate(() => window.rt.swapRun({ layers: 2 }));
  expect(r.mode).toBe('swap');
  const swapEvent: any = r.events.find((e: any) => e.type === 'swap-mode');
  expect(swapEvent.message).toMatch(/Swap mode: the 3 models need 3000 MB .* budget of 2000 MB/);
  expect(r.maxLoaded).toBeLessThanOrEqual(2);
  expect(r.loads).toBe(r.plannedLoads);
  expect(r.outputs).toEqual([
    'A/propose/1', 'B/propose/1', 'C/propose/1',
    'A/critique/1, on A | A/critique/1, on B | A/critique/1, on C',
    'B/critique/1, on A | B/critique/1, on B | B/critique/1, on C',
    'C/critique/1, on A | C/critique/1, on B | C/critique/1, on C',
    'A/refine/1', 'B/refine/1', 'C/refine/1', 'A/aggregate/1',
    'A/propose/2', 'B/propose/2', 'C/propose/2',
    'A/critique/2, on A | A/critique/2, on B | A/critique/2, on C',
    'B/critique/2, on A | B/critique/2, on B | B/critique/2, on C',
    'C/critique/2, on A | C/critique/2, on B | C/critique/2, on C',
    'A/refine/2', 'B/refine/2', 'C/refine/2', 'A/aggregate/2', 'A/residual/2',
  ]);
});

test('the agent worker starts from another origin through a blob bootstrap; a plain module worker cannot', async ({ page }) => {
  const auto = await page.evaluate(() => window.rt.crossOrigin('auto'));
  expect(auto.workerUrl).toContain('localhost');
  expect(auto).toMatchObject({ text: 'served from another origin', error: null });
  const direct = await page.evaluate(() => window.rt.crossOrigin('module'));
  expect(direct.error).toMatchObject({ code: 'WORKER_START_FAILED' });
  expect(direct.error!.message).toContain(direct.workerUrl);
});
