import { expect, test } from '@playwright/test';

// The platform pieces the library stands on, proven in the real browser.
test.beforeEach(async ({ page }) => {
  await page.goto('/test/e2e/pages/platform.html');
  await expect(page.locator('#status')).toHaveText('ready');
});

test('a module worker answers over comlink, including a Comlink.proxy callback', async ({ page }) => {
  expect(await page.evaluate(() => window.probe.echo({ a: [1, 'two', { three: 3 }] }))).toEqual({ a: [1, 'two', { three: 3 }] });
  const { result, ticks } = await page.evaluate(() => window.probe.countTo(5));
  expect(result).toBe(5);
  expect(ticks).toEqual([1, 2, 3, 4, 5]);
});

test('idb-keyval inside the worker survives a page reload', async ({ page }) => {
  const value = { saved: Date.now(), text: 'héllo ✓' };
  await page.evaluate((v) => window.probe.put('probe-key', v), value);
  await page.reload();
  await expect(page.locator('#status')).toHaveText('ready');
  expect(await page.evaluate(() => window.probe.read('probe-key'))).toEqual(value);
});

test('a WebGPU adapter is present on the page and in a worker', async ({ page }) => {
  const onPage = await page.evaluate(() => window.probe.pageAdapter());
  if ('error' in onPage) throw new Error(`No WebGPU adapter on the page: ${onPage.error}`);
  expect(onPage).toMatchObject({ vendor: expect.any(String) });
  const inWorker = await page.evaluate(() => window.probe.workerAdapter());
  expect(inWorker, 'WebGPU adapter inside a worker: null means Chromium lacks --enable-unsafe-webgpu').not.toBeNull();
  // On this machine kind it is SwiftShader without shader-f16; on a real GPU any vendor is fine.
  if (onPage && 'architecture' in onPage && onPage.architecture === 'swiftshader') expect(onPage.f16).toBe(false);
});

test('missing files are real 404s (the test server is not an SPA fallback)', async ({ request }) => {
  const res = await request.get('/no-such-model/mlc-chat-config.json');
  expect(res.status()).toBe(404);
});
