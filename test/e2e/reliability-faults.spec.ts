import { expect, test, type Page } from '@playwright/test';

// Faults injected on cue into scripted engines running in agent workers (issue 9). For each: the run finishes
// with the survivors or fails with a named error carrying the partial trace, and the next run on the same pool
// and instance works without reloading the page.
const EXPECTED = 'Final: tides follow the moon and the sun.';

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The browser's own favicon request is not the page's doing.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  await page.goto('/test/e2e/pages/reliability.html');
  await expect(page.locator('#status')).toHaveText('ready');
  return errors;
}

/** The healthy second run: every agent back, 16 calls, the aggregator's answer, streamed as it was written. */
function expectHealthy(run: any) {
  expect(run.error).toBeNull();
  expect(run.answer).toBe(EXPECTED);
  expect(run.streamed).toBe(EXPECTED);
  expect(run.dropped).toEqual([]);
  expect(run.aggregatorFallback).toBeNull();
  expect(run.calls).toHaveLength(16);
  expect(run.calls.every((c: any) => c.finish === 'stop' && c.error === null)).toBe(true);
}

const propose = (run: any, agent: string) => run.calls.find((c: any) => c.role === 'propose' && c.agent === agent);

test.describe('faults through workers', () => {
  // One page for the whole group (each fault builds its own pool): a page load per test would double the time.
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let errors: string[];
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    errors = await open(page);
  });
  test.afterAll(async () => {
    await page.close();
  });
  test.afterEach(() => {
    // Nothing thrown into the void: no uncaught error, no unhandled rejection, no console error.
    expect(errors).toEqual([]);
  });

  test('an agent that throws at token 3 is dropped; the run finishes with the others; its partial output is in the trace', async () => {
    const r: any = await page.evaluate(() => window.rel.faultRun('throw-at-token'));
    expect(r.first.error).toBeNull();
    expect(r.first.answer).toBe(EXPECTED);
    expect(r.first.dropped).toEqual([{ agent: 'B', layer: 1, role: 'propose', reason: 'ScriptedFault: B broke at token 3' }]);
    expect(propose(r.first, 'B')).toMatchObject({ finish: 'error', error: { name: 'ScriptedFault', message: 'B broke at token 3' }, text: 'the first words' });
    // The survivors critique each other only (2 × 2), refine, and the aggregator answers: 3 + 4 + 2 + 1.
    expect(r.first.calls).toHaveLength(10);
    expect(r.first.calls.filter((c: any) => c.agent === 'B' || c.target === 'B')).toHaveLength(1);
    expect(r.first.eventTypes).toContain('agent-dropped');
    expectHealthy(r.second);
    expect(r.unhandled).toEqual([]);
  });

  test('a hanging agent is cut off by the per-call timeout (CALL_TIMEOUT), its worker is told to stop and serves the next run', async () => {
    const r: any = await page.evaluate(() => window.rel.faultRun('hang'));
    expect(r.first.error).toBeNull();
    expect(r.first.answer).toBe(EXPECTED);
    expect(r.first.dropped).toEqual([expect.objectContaining({ agent: 'B', role: 'propose', reason: 'CallTimeoutError: the call did not finish within callTimeoutMs (1500 ms)' })]);
    expect(propose(r.first, 'B')).toMatchObject({ finish: 'timeout', error: { code: 'CALL_TIMEOUT' }, text: 'B starts' });
    expectHealthy(r.second);
    // No worker is left busy with the hung request.
    expect(r.stats).toEqual(['A', 'B', 'C', 'Agg'].map((key) => ({ key, active: 0, queued: 0 })));
  });

  test('a hung engine (deaf to its signal and to interruptGenerate) is cut off by the timeout; the watchdog restarts its worker, the model is reloaded, the next run has every agent', async () => {
    const r: any = await page.evaluate(() => window.rel.faultRun('stuck'));
    expect(r.first.error).toBeNull();
    expect(r.first.answer).toBe(EXPECTED);
    expect(r.first.dropped).toEqual([expect.objectContaining({ agent: 'B', role: 'propose', reason: 'CallTimeoutError: the call did not finish within callTimeoutMs (1500 ms)' })]);
    expect(propose(r.first, 'B')).toMatchObject({ finish: 'timeout', error: { code: 'CALL_TIMEOUT' }, text: 'B proposes:' });
    // The cancelled call was never released: after the grace period the worker was ended and started again.
    const crashed = r.poolEvents.filter((e: any) => e.type === 'worker-crashed');
    expect(crashed).toEqual([expect.objectContaining({ model: 'B', restarting: true, error: expect.objectContaining({ code: 'WORKER_CRASHED' }) })]);
    expect(crashed[0].error.message).toMatch(/^The engine running "B" hung: a call it was told to stop 1 s ago was still running .* restarted with the model reloaded/);
    expect(r.poolEvents.filter((e: any) => e.type === 'loaded' && e.model === 'B').map((e: any) => e.attempt)).toEqual([0, 1]);
    expect(r.workersCreated).toBe(5); // 4 + B's restart
    // Without the watchdog the stuck job keeps B's worker for good, and every later call to B times out too.
    expectHealthy(r.second);
    expect(r.stats).toEqual(['A', 'B', 'C', 'Agg'].map((key) => ({ key, active: 0, queued: 0 })));
  });

  test('Stop while an engine is hung, then ask again at once: the new question waits for the restarted worker and loses nothing', async () => {
    const r: any = await page.evaluate(() => window.rel.stuckThenStop());
    expect(r.first.error).toMatchObject({ code: 'ABORTED' });
    expect(r.firstEndedMs).toBeLessThan(500); // Stop is immediate even though B's engine does not stop
    // B's new proposal was sent to the stuck worker (queued behind the hung call); when the watchdog ended that
    // worker it went back to the pool's queue and ran on the restarted one.
    expectHealthy(r.second);
    expect(r.poolEvents.filter((e: any) => e.type === 'worker-crashed').map((e: any) => [e.model, e.restarting, e.error.code])).toEqual([['B', true, 'WORKER_CRASHED']]);
    expect(r.workersCreated).toBe(5);
    expect(r.status.every((s: any) => s.state === 'loaded' && s.inFlight === 0 && s.queued === 0)).toBe(true);
  });

  test('an agent that returns empty text is dropped with EMPTY_OUTPUT', async () => {
    const r: any = await page.evaluate(() => window.rel.faultRun('empty'));
    expect(r.first.error).toBeNull();
    expect(r.first.answer).toBe(EXPECTED);
    expect(r.first.dropped).toEqual([expect.objectContaining({ agent: 'B', role: 'propose', reason: expect.stringMatching(/^EmptyOutputError: the model returned no text/) })]);
    expect(propose(r.first, 'B')).toMatchObject({ finish: 'stop', error: { code: 'EMPTY_OUTPUT' }, text: '' }); // the engine ended normally, with nothing
    expectHealthy(r.second);
  });

  test('a worker terminated mid-stream: its agent is dropped (WORKER_CRASHED), the worker restarts, the next run has all agents', async () => {
    test.slow();
    const r: any = await page.evaluate(() => window.rel.faultRun('terminate'));
    expect(r.first.error).toBeNull();
    expect(r.first.answer).toBe(EXPECTED);
    expect(r.first.dropped).toEqual([expect.objectContaining({ agent: 'B', role: 'propose', reason: expect.stringContaining('crashed or stopped answering') })]);
    expect(propose(r.first, 'B')).toMatchObject({ finish: 'error', error: { code: 'WORKER_CRASHED', name: 'WorkerCrashedError' } });
    expect(r.poolEvents.filter((e: any) => e.type === 'worker-crashed')).toEqual([expect.objectContaining({ restarting: true })]);
    expect(r.workersCreated).toBe(5); // 4 + the restart of B
    expectHealthy(r.second);
  });

  test('every agent fails: the run fails with ALL_AGENTS_FAILED carrying the partial trace; the next run works', async () => {
    const r: any = await page.evaluate(() => window.rel.faultRun('all-fail'));
    expect(r.first.answer).toBeNull();
    expect(r.first.error).toMatchObject({ name: 'AllAgentsFailedError', code: 'ALL_AGENTS_FAILED' });
    expect(r.first.error.message).toMatch(/No agent is left to answer \(layer 1, propose\)\. Dropped: .*A \(propose, layer 1\): ScriptedFault: A broke/);
    expect(r.first.calls.map((c: any) => [c.role, c.agent, c.finish, c.error?.message, c.text])).toEqual(
      expect.arrayContaining(['A', 'B', 'C'].map((a) => ['propose', a, 'error', `${a} broke`, 'the first words'])),
    );
    expect(r.first.calls).toHaveLength(3);
    expect(r.first.dropped.map((d: any) => d.agent).sort()).toEqual(['A', 'B', 'C']);
    expect(r.first.eventTypes.at(-1)).toBe('error');
    expectHealthy(r.second);
  });

  test('the aggregator fails mid-answer: the first surviving agent stands in, the streamed answer is reset and replaced', async () => {
    const r: any = await page.evaluate(() => window.rel.faultRun('aggregator'));
    expect(r.first.error).toBeNull();
    expect(r.first.answer).toBe('A stands in: tides follow the moon and the sun.');
    expect(r.first.streamed).toBe(r.first.answer); // what the user saw of the failed answer was withdrawn
    expect(r.first.eventTypes).toEqual(expect.arrayContaining(['answer-reset', 'aggregator-fallback']));
    expect(r.first.aggregatorFallback).toEqual({ from: 'Agg', to: 'A', reason: 'ScriptedFault: the aggregator broke' });
    expect(r.first.calls.filter((c: any) => c.role === 'aggregate').map((c: any) => [c.agent, c.finish])).toEqual([['Agg', 'error'], ['A', 'stop']]);
    expect(r.first.dropped).toEqual([]);
    expectHealthy(r.second); // the aggregator is back for the next run
  });

  test('GPU device lost inside a worker: the agent is dropped with the typed code DEVICE_LOST and a message that says what to do', async () => {
    const r: any = await page.evaluate(() => window.rel.faultRun('device-lost'));
    expect(r.first.error).toBeNull();
    expect(r.first.answer).toBe(EXPECTED);
    const failed = propose(r.first, 'B');
    expect(failed).toMatchObject({ finish: 'error', error: { name: 'GpuMemoryError', code: 'DEVICE_LOST' } });
    expect(failed.error.message).toMatch(/GPU device was lost while running "B".*smaller models/);
    expect(r.first.dropped).toEqual([expect.objectContaining({ agent: 'B', reason: expect.stringMatching(/^GpuMemoryError: The GPU device was lost/) })]);
    expectHealthy(r.second);
  });
});

test.describe('two runs at once on one ensemble (one pool): stopping one leaves the other whole', () => {
  for (const instances of [1, 2] as const) {
    for (const stop of ['first', 'second'] as const) {
      test(`${instances === 1 ? 'one AttentionMoA' : 'two AttentionMoA instances'}, the ${stop} run stopped mid-run`, async ({ page }) => {
        const errors = await open(page);
        const r: any = await page.evaluate((o) => window.rel.concurrentRuns(o), { instances, stop });
        const [stopped, left] = stop === 'first' ? [r.first, r.second] : [r.second, r.first];
        expect(stopped.error).toMatchObject({ code: 'ABORTED' });
        // The run left alone: every agent, every call finished normally, the aggregator's answer.
        expectHealthy(left);
        expectHealthy(r.after);
        expect(r.stats).toEqual(['A', 'B', 'C', 'Agg'].map((key) => ({ key, active: 0, queued: 0 })));
        expect(r.poolEvents.filter((e: any) => e.type === 'worker-crashed')).toEqual([]);
        expect(r.unhandled).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  }
});

test('the page\'s own thread stalls mid-run for longer than the ping timeout (a long task, a throttled or paused tab): no worker is mistaken for dead, the run completes', async ({ page }) => {
  test.slow();
  const errors = await open(page);
  await page.evaluate(() => window.rel.startRun({ tokenDelayMs: 10, pingTimeoutMs: 1000 }));
  await expect.poll(() => page.evaluate(() => window.rel.tokensSoFar())).toBeGreaterThan(10);
  for (let i = 0; i < 2; i++) {
    await page.evaluate(() => window.rel.blockPage(1600));
    await page.waitForTimeout(100);
  }
  const r: any = await page.evaluate(() => window.rel.finishRun());
  expect(r.first.error).toBeNull();
  expect(r.first.dropped).toEqual([]);
  expect(r.first.answer).toBe(EXPECTED);
  expect(r.poolEvents.filter((e: any) => e.type === 'worker-crashed')).toEqual([]);
  expectHealthy(r.second);
  expect(errors).toEqual([]);
});
