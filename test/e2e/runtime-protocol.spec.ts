import { expect, test, type Page } from '@playwright/test';

// The Attention-MoA protocol running on worker engines: it cannot tell them from in-thread engines.
async function open(page: Page) {
  await page.goto('/test/e2e/pages/runtime.html');
  await expect(page.locator('#status')).toHaveText('ready');
}
test.beforeEach(async ({ page }) => open(page));

test('a protocol layer runs end to end on 3 agents + an aggregator, each a scripted engine in its own worker', async ({ page }) => {
  const r: any = await page.evaluate(() => window.rt.protocolRun());
  expect(r.error).toBeNull();
  expect(r.result.answer).toBe('Final: tides follow the moon and the sun.');
  expect(r.answer).toBe(r.result.answer); // streamed as answer tokens
  expect(r.result.dropped).toEqual([]);
  // 16 calls: 3 proposals, 9 critiques, 3 refinements, 1 aggregate; each worker matched its rules on `call`.
  expect(r.result.calls).toHaveLength(16);
  const of = (role: string) => r.result.calls.filter((c: any) => c.role === role);
  expect(of('propose').map((c: any) => c.text).sort()).toEqual(['A proposes an answer about tides.', 'B proposes an answer about tides.', 'C proposes an answer about tides.']);
  expect(of('critique').map((c: any) => c.text).sort()).toEqual(['A', 'B', 'C'].flatMap((a) => ['A', 'B', 'C'].map((t) => `${a} on ${t}: cite the moon.`)).sort());
  expect(of('refine')).toHaveLength(3);
  expect(r.result.calls.every((c: any) => c.finish === 'stop' && c.error === null)).toBe(true);
  // Tokens streamed from every worker to the page; each worker served its agent's calls.
  expect(Object.keys(r.tokensByAgent).sort()).toEqual(['A', 'Agg', 'B', 'C']);
  expect(r.workerRequests).toEqual([5, 5, 5, 1]);
});

test('aborting the run stops every worker\'s generation', async ({ page }) => {
  const r: any = await page.evaluate(() => window.rt.protocolRun({ longReplies: true, tokenDelayMs: 5, abortAfterTokens: 60 }));
  expect(r.result).toBeNull();
  expect(r.error).toMatchObject({ code: 'ABORTED' });
  expect(r.endedAfterAbortMs).toBeLessThan(500);
  // All three proposers were streaming; none got far, and none is still generating.
  expect(Object.keys(r.tokensByAgent).sort()).toEqual(['A', 'B', 'C']);
  for (const n of Object.values(r.tokensByAgent) as number[]) expect(n).toBeLessThan(200);
  expect(r.workerTokens[1]).toEqual(r.workerTokens[0]);
  expect(r.workerActive).toEqual([0, 0, 0, 0]);
});

for (const how of ['close', 'throw'] as const) {
  test(`a worker killed mid-run (${how}) is dropped from the run, which completes with the survivors; the worker restarts`, async ({ page }) => {
    test.slow();
    const r: any = await page.evaluate((h) => window.rt.protocolRun({ crashB: h }), how);
    expect(r.error).toBeNull();
    expect(r.result.answer).toBe('Final: tides follow the moon and the sun.');
    expect(r.result.dropped).toEqual([expect.objectContaining({ agent: 'B', role: 'propose', layer: 1, reason: expect.stringContaining('crashed or stopped answering') })]);
    const proposals = r.result.calls.filter((c: any) => c.role === 'propose');
    expect(proposals.find((c: any) => c.agent === 'B')).toMatchObject({ finish: 'error', error: 'WORKER_CRASHED' });
    // The survivors critique each other only: 2 × 2 critiques, 2 refinements, 1 aggregate.
    expect(r.result.calls.filter((c: any) => c.role === 'critique' && c.error === null)).toHaveLength(4);
    expect(r.result.calls.filter((c: any) => c.role === 'refine').map((c: any) => c.agent).sort()).toEqual(['A', 'C']);
    expect(r.events.filter((e: any) => e.type === 'worker-crashed')).toEqual([expect.objectContaining({ restarting: true })]);
    expect(r.status.find((s: any) => s.keys.includes('B'))).toMatchObject({ state: 'loaded', crashes: 1, loads: 2 });
  });
}
