import { expect, test, type Page } from '@playwright/test';
import { DEMO_ORIGIN, SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// The built demo (vite build --mode demo) served by a plain static server from the sub-path /demo/.
let server: StaticServer;
test.beforeAll(async () => {
  server = await serveDemo();
});
test.afterAll(async () => {
  await server?.close();
});

/** Every request the page makes; none may leave the demo's origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}
const offOrigin = (urls: string[]) => urls.filter((u) => !u.startsWith(`${DEMO_ORIGIN}/`) && !/^(data|blob):/.test(u));

async function openDemo(page: Page): Promise<void> {
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
}

test('first screen: the capability check reports SwiftShader without shader-f16 and recommends the f32 Tiny preset', async ({ page }) => {
  const requests = recordRequests(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  await openDemo(page);

  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-level', 'slow');
  await expect(verdict.getByRole('heading')).toContainText('SwiftShader');
  await expect(verdict.getByRole('heading')).toContainText('software renderer');
  await expect(verdict).toContainText('No shader-f16 here, so the f32 builds are used');
  await expect(verdict.locator('.check', { hasText: 'shader-f16' })).toContainText('no: f32 builds');
  await expect(verdict.locator('.check', { hasText: 'Storage for models' })).toContainText(/GB free/);

  // Presets: f32 builds, sizes from the catalog, Tiny recommended and selected.
  const tiny = page.getByTestId('preset-tiny');
  await expect(tiny).toHaveAttribute('aria-checked', 'true');
  await expect(tiny.getByTestId('recommended')).toHaveText('Recommended · f32');
  for (const id of ['tiny', 'balanced', 'best']) {
    const card = page.getByTestId(`preset-${id}`);
    await expect(card.locator('code').first()).toHaveText(/f32/);
    await expect(card).not.toContainText('q4f16');
    await expect(card).toContainText(/GB\s*GPU memory/);
  }
  await expect(page.getByTestId('preset-best')).toContainText('8.3 GB'); // 2894 + 2952 + 2692 MB (WebLLM's figures)
  await expect(page.getByTestId('start-models')).toContainText(/Download ≈ \d\.\d GB and start/);

  await page.screenshot({ path: `${SCREENSHOTS}/first-screen-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload(); // a phone loads the page at its width (no mid-transition layout from the resize)
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(page.getByTestId('preset-tiny')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: `${SCREENSHOTS}/first-screen-360.png`, fullPage: true });

  expect(errors).toEqual([]);
  expect(offOrigin(requests)).toEqual([]);
});

test('the custom picker offers only models this GPU can run (no f16 builds here) and sums the sizes', async ({ page }) => {
  await openDemo(page);
  await page.getByTestId('preset-custom').click();
  const picker = page.getByTestId('custom-picker');
  await expect(picker).toContainText('f16-only builds hidden (no shader-f16)');
  await expect(picker.locator('.picker-row .id', { hasText: 'q4f16' })).toHaveCount(0);
  await expect(picker.locator('.picker-row .id', { hasText: 'q4f32_1' }).first()).toBeVisible();
  // The current preset's models are carried over; narrow the list and add one more.
  await expect(page.getByTestId('custom-summary')).toContainText('3 models');
  await picker.getByRole('searchbox').fill('Llama-3.2-1B');
  await picker.locator('.picker-row', { hasText: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' }).locator('input').check();
  await expect(page.getByTestId('custom-summary')).toContainText('4 models');
  await expect(page.getByTestId('custom-summary')).toContainText(/3\.4 GB GPU memory/); // 1060 + 580 + 719 + 1129 MB
});

test('the cache manager lists a model pre-seeded in WebLLM’s IndexedDB cache, with its size, and deletes it', async ({ page }) => {
  await openDemo(page);
  const url = 'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f32_1-MLC/resolve/main/';
  const lib = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/SmolLM2-360M-Instruct-q4f32_1_cs1k-webgpu.wasm';
  // Seed exactly as WebLLM 0.2.86's ArtifactIndexedDBCache stores files: DB per scope, store "urls", { url, data }.
  await page.evaluate(
    async ({ url, lib }) => {
      const put = (db: string, entries: { url: string; data: unknown }[]) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(db, 1);
          open.onupgradeneeded = () => open.result.createObjectStore('urls', { keyPath: 'url' });
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('urls', 'readwrite');
            for (const e of entries) tx.objectStore('urls').put(e);
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        });
      const shard = (n: number) => new Uint8Array(n).fill(7).buffer;
      await put('webllm/model', [
        { url: `${url}tensor-cache.json`, data: { metadata: {}, records: [{ dataPath: 'params_shard_0.bin', nbytes: 3_000_000 }, { dataPath: 'params_shard_1.bin', nbytes: 2_000_000 }] } },
        { url: `${url}params_shard_0.bin`, data: shard(3_000_000) },
        { url: `${url}params_shard_1.bin`, data: shard(2_000_000) },
        { url: `${url}tokenizer.json`, data: shard(500_000) },
      ]);
      await put('webllm/config', [{ url: `${url}mlc-chat-config.json`, data: { model_type: 'llama', context_window_size: 4096 } }]);
      await put('webllm/wasm', [{ url: lib, data: shard(1_000_000) }]);
    },
    { url, lib },
  );

  await page.getByTestId('open-cache').click();
  const panel = page.getByTestId('cache-panel');
  await expect(panel).toBeVisible();
  const row = panel.locator('tr', { hasText: 'SmolLM2-360M-Instruct-q4f32_1-MLC' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('7 MB'); // 3 + 2 MB shards + 0.5 MB tokenizer + 1 MB wasm + config = 6.5 × 10⁶ B (decimal units)
  await expect(row).not.toContainText('partial download');
  await expect(panel.getByTestId('storage-used')).toHaveText(/\d/);
  await expect(panel.getByTestId('storage-free')).toHaveText(/GB/);

  await row.getByRole('button', { name: 'Delete SmolLM2-360M-Instruct-q4f32_1-MLC' }).click();
  await expect(panel.getByTestId('cache-notice')).toHaveText('Deleted SmolLM2-360M-Instruct-q4f32_1-MLC: 6 files, 7 MB freed.');
  await expect(panel.getByTestId('cache-empty')).toBeVisible();
  // Nothing of the model is left in any of WebLLM's databases.
  const left = await page.evaluate(async () => {
    const keys = (db: string) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open(db, 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('urls').objectStore('urls').getAllKeys();
          req.onsuccess = () => (open.result.close(), resolve(req.result.map(String)));
        };
      });
    return [...(await keys('webllm/model')), ...(await keys('webllm/config')), ...(await keys('webllm/wasm'))];
  });
  expect(left).toEqual([]);
});

test('the privacy panel counts requests from the moment the simulation starts: 0', async ({ page }) => {
  const requests = recordRequests(page);
  await openDemo(page);
  await page.getByTestId('open-privacy').click();
  await expect(page.getByTestId('privacy-count')).toHaveText('–');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('start-simulation').click();
  await expect(page.getByTestId('sim-banner')).toContainText('simulated agents — no model is running');
  await expect(page.getByTestId('privacy-pill')).toHaveText('0');
  await page.getByTestId('open-privacy').click();
  await expect(page.getByTestId('privacy-count')).toHaveText('0');
  await expect(page.getByTestId('privacy-panel')).toContainText('network requests made by this page since the simulation started');
  // The counter is live: a request made now is counted and listed.
  await page.evaluate(() => fetch('./index.html', { cache: 'no-store' }).then((r) => r.text()));
  await expect(page.getByTestId('privacy-count')).toHaveText('1');
  await expect(page.getByTestId('privacy-panel')).toContainText('index.html');
  expect(offOrigin(requests)).toEqual([]);
});

test('accessibility: axe finds no serious or critical violations on the first screen, the picker, the assistant and the panels', async ({ page }) => {
  await openDemo(page);
  const scan = async (where: string) => {
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' }); // inline: no request
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(c: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations, where).toEqual([]);
  };
  await scan('first screen');
  await page.getByTestId('preset-custom').click();
  await page.getByTestId('settings').locator('summary').click();
  await scan('custom picker and settings');
  await page.getByTestId('start-simulation').click();
  await scan('assistant');
  await page.getByTestId('open-cache').click();
  await expect(page.getByTestId('cache-panel')).toBeVisible();
  await scan('models panel');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('open-privacy').click();
  await scan('privacy panel');
});

test('with no network for the first download, “Download and start” fails with a plain message and the simulation stays one click away', async ({ page, context }) => {
  const blocked: string[] = [];
  // No internet here anyway; routing makes the failure immediate and lets the test see what was asked for.
  await context.route(/^https:\/\/(huggingface\.co|raw\.githubusercontent\.com)\//, (route) => {
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await openDemo(page);
  await page.getByTestId('start-models').click();
  const error = page.getByTestId('start-error');
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(error).toContainText('The models could not be loaded');
  await expect(error).toContainText(/network|download|fetch/i);
  await expect(error).toContainText('simulation');
  expect(blocked.length).toBeGreaterThan(0);
  expect(blocked.every((u) => /SmolLM2|Qwen2\.5-0\.5B|q4f32|q0f32/.test(u))).toBe(true); // the f32 Tiny preset's files
  await expect(page.getByTestId('loading')).toHaveCount(0);
  // Try again is one click: it asks for the files again and fails the same plain way.
  const asked = blocked.length;
  await page.getByTestId('retry-start').click();
  await expect.poll(() => blocked.length, { timeout: 30_000 }).toBeGreaterThan(asked);
  await expect(error).toContainText('The models could not be loaded', { timeout: 30_000 });
  await page.getByTestId('start-simulation').click();
  await expect(page.getByTestId('sim-banner')).toBeVisible();
});

test('the page bundle carries no web-llm code: it is only in the chunks the model workers import', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const dir = new URL('../../dist/demo/', import.meta.url);
  const html = readFileSync(new URL('index.html', dir), 'utf8');
  const entry = /<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(entry, 'index.html loads one module script').toBeTruthy();
  const page = readFileSync(new URL(entry!, dir), 'utf8');
  expect(page).not.toContain('MLCEngine');
  // The page's own static imports (modulepreload) must not pull it in either.
  for (const href of html.matchAll(/<link rel="modulepreload"[^>]*href="\.\/([^"]+)"/g)) {
    expect(readFileSync(new URL(href[1]!, dir), 'utf8')).not.toContain('MLCEngine');
  }
  const withWebLLM = readdirSync(new URL('assets/', dir)).filter((f) => f.endsWith('.js') && readFileSync(new URL(`assets/${f}`, dir), 'utf8').includes('MLCEngine'));
  expect(withWebLLM.length).toBeGreaterThan(0);
  expect(withWebLLM).not.toContain(entry!.replace('assets/', ''));
});
