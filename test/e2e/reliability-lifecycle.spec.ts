import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { GENERATED_DIR } from '../fixtures/gguf/tiny-models.js';

// Model lifecycle faults (issue 18): a GGUF download cut off mid-body must leave no corrupt cache entry and load
// cleanly next time; models loaded and unloaded many times must not leave workers or memory behind.

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto('/test/e2e/pages/reliability-lifecycle.html');
  await expect(page.locator('#status')).toHaveText('ready');
  return errors;
}

/** A model host whose first download of the file stops after `cutAt` bytes: the headers promise the whole file, then
 *  the connection drops (a network cut, a closed laptop lid). Later downloads are whole. */
async function flakyHost(file: string, cutFraction: number): Promise<{ url: string; gets: number[]; close(): Promise<void> }> {
  const body = readFileSync(`${GENERATED_DIR}/${file}`);
  const gets: number[] = [];
  const server: Server = createServer((req, res) => {
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-length' };
    if (req.method !== 'GET') return res.writeHead(req.method === 'OPTIONS' ? 204 : 200, headers).end();
    const cut = gets.length === 0 ? Math.floor(body.length * cutFraction) : body.length;
    gets.push(cut);
    res.writeHead(200, headers);
    if (cut === body.length) return res.end(body);
    res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 50));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/models/${file}`, gets, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a GGUF download cut off mid-body: the load fails saying so, nothing partial stays cached, the next load downloads it whole and answers', async ({ page }) => {
  const errors = await open(page);
  const host = await flakyHost('tiny-agent-a.gguf', 0.5);
  try {
    await page.evaluate(() => window.life.clearCache());
    const first: any = await page.evaluate((url) => window.life.loadGguf(url), host.url);
    expect(first.result.error).toMatchObject({ code: 'NETWORK' });
    expect(first.result.error.message).toMatch(/^The download of http:.*tiny-agent-a.gguf was cut off after [\d.]+ of [\d.]+ MB \(.*\); nothing partial was kept in the browser cache. Check the connection and load again/);
    // No entry for the model, complete or not, and no orphaned partial file.
    expect(first.cache).toEqual([]);
    expect(first.files).toEqual([]);

    const second: any = await page.evaluate((url) => window.life.loadGguf(url), host.url);
    expect(second.result).toEqual({ text: expect.any(String) });
    expect(second.result.text.length).toBeGreaterThan(0);
    expect(second.cache).toEqual([expect.objectContaining({ url: host.url, complete: true })]);
    expect(host.gets).toHaveLength(2); // one cut, one whole

    // And from the cache the next time: no download.
    const third: any = await page.evaluate((url) => window.life.loadGguf(url), host.url);
    expect(third.result.text.length).toBeGreaterThan(0);
    expect(host.gets).toHaveLength(2);
    expect(await page.evaluate(() => window.life.unhandled())).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await host.close();
  }
});

/** JS heap after garbage collection, MB, and the page's live workers. */
async function footprint(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const listeners = (await cdp.send('Memory.getDOMCounters')).jsEventListeners;
  await cdp.detach();
  return { heapMB: heap.usedSize / 2 ** 20, listeners, workers: page.workers().length };
}

for (const mode of ['pools', 'swap'] as const) {
  test(`models loaded and unloaded 100 times (${mode === 'pools' ? 'a pool made, loaded, asked and disposed' : 'one pool swapping two models that do not fit together'}): every load answers, no worker or memory is left behind`, async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const errors = await open(page);
    // Warm-up: first-use allocations (module state, JIT) are not growth.
    await page.evaluate((swap) => window.life.cycles(10, { kind: 'scripted', swap }), mode === 'swap');
    const before = await footprint(page);
    const r: any = await page.evaluate((swap) => window.life.cycles(100, { kind: 'scripted', swap }), mode === 'swap');
    const after = await footprint(page);
    testInfo.annotations.push({ type: 'footprint', description: `heap ${before.heapMB.toFixed(2)} → ${after.heapMB.toFixed(2)} MB, listeners ${before.listeners} → ${after.listeners}, workers ${before.workers} → ${after.workers}; ${r.loads} loads, at most ${r.maxLive} workers at once` });
    expect(r.problems).toEqual([]);
    expect(r.answered).toBe(100);
    expect(r.loads).toBeGreaterThanOrEqual(100);
    // Never more workers than models at once, and none left when done.
    expect(r.maxLive).toBeLessThanOrEqual(mode === 'swap' ? 2 : 1);
    expect(r.live).toBe(0);
    await expect.poll(() => page.workers().length).toBe(0);
    expect(after.listeners).toBeLessThanOrEqual(before.listeners + 5);
    expect(after.heapMB - before.heapMB, `heap grew from ${before.heapMB.toFixed(2)} to ${after.heapMB.toFixed(2)} MB`).toBeLessThan(0.5);
    expect(await page.evaluate(() => window.life.unhandled())).toEqual([]);
    expect(errors).toEqual([]);
  });
}
