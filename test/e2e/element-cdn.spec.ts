import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

// The acceptance page: plain HTML on one origin, the built element from a second origin (a "CDN"), no bundler.
const root = fileURLToPath(new URL('../..', import.meta.url));
const servers: ChildProcess[] = [];
let pageOrigin = '';
let cdnOrigin = '';

/** Starts scripts/serve.mjs on a free port and resolves to its origin. */
function serve(dir: string, cors: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/serve.mjs', dir, '--port', '0', ...(cors ? ['--cors'] : [])], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    servers.push(child);
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.stderr!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`serve.mjs ${dir} exited (${code}): ${out}`)));
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // The artifact under test: `vite build --mode element` (what `npm run build:element` ships).
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'element', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  cdnOrigin = await serve('packages/element/dist', true);
  pageOrigin = await serve('test/e2e/pages/cdn', false);
  mkdirSync(`${root}/test-results/screenshots`, { recursive: true });
});

const temporary: string[] = [];
test.afterAll(() => {
  for (const child of servers) child.kill();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

const el = (page: Page) => page.locator('attention-moa');

async function openPage(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${pageOrigin}/index.html?cdn=${encodeURIComponent(cdnOrigin)}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return errors;
}

test('a plain page on another origin runs a 3-agent, 2-layer question to the end with just the tag', async ({ page }) => {
  expect(new URL(pageOrigin).origin).not.toBe(new URL(cdnOrigin).origin);
  await page.setViewportSize({ width: 1280, height: 900 });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = await openPage(page);
  const loadedFrom = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('attention-moa.js')));
  expect(loadedFrom).toEqual([`${cdnOrigin}/attention-moa.js`]);
  expect(await page.evaluate(() => customElements.get('attention-moa')?.name)).toBeTruthy();

  const input = el(page).getByRole('textbox', { name: 'Your question' });
  await input.fill('What is the capital of France?');
  await input.press('Enter');
  // The models load first, in their workers, with a progress bar each.
  const rows = el(page).locator('[part=loading] [part=progress]');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('Ben');
  await expect(rows.nth(1)).toContainText(/[1-9]\d* % · \d+ MB of 10 MB/);
  await expect(el(page).locator('[part=loading]')).toContainText('A simulated load');
  await page.screenshot({ path: `${root}/test-results/screenshots/element-loading-1280-light.png` });
  await expect(el(page).locator('[part=status]')).toHaveText(/^Done/, { timeout: 30_000 });
  // One agent worker per model, started from the CDN's script through a same-origin blob bootstrap.
  expect(workers).toHaveLength(3);
  expect(workers.every((url) => url.startsWith(`blob:${pageOrigin}/`))).toBe(true);
  expect(requests.filter((url) => url.startsWith(`${cdnOrigin}/assets/agent-worker-`)).length).toBeGreaterThanOrEqual(1);

  const answer = el(page).locator('[part=answer]');
  await expect(answer).toContainText('Paris is the capital of France.');
  await expect(answer.locator('li')).toHaveText(['River: the Seine', 'Population: about 2.1 million (2023)']);
  await expect(el(page).locator('[part=early-stop]')).toContainText('Stopped early after layer 2 of 2');
  await expect(el(page).locator('[part=early-stop]')).toContainText('did not improve on layer 1');

  await el(page).getByText('How this answer was made').click();
  const cards = el(page).locator('[part=agent-card]');
  await expect(cards).toHaveCount(6);
  for (const [i, name] of ['Ada', 'Ben', 'Cy'].entries()) {
    await expect(cards.nth(i).locator('h5')).toHaveText(name);
    await expect(cards.nth(i)).toContainText(`${name}: Paris is the capital of France.`);
    await expect(cards.nth(i)).toContainText(`${name}: Paris, on the Seine`);
    await expect(cards.nth(i).locator('.badge')).toHaveText('simulated');
  }
  const maps = el(page).locator('[part=attention-map]');
  await expect(maps).toHaveCount(2);
  for (const map of await maps.all()) {
    await expect(map.locator('thead th')).toHaveText([/critic/, 'Ada', 'Ben', 'Cy']);
    await expect(map.locator('button.cell')).toHaveCount(9);
    await expect(map.locator('button.cell.self')).toHaveCount(3);
  }
  const cell = maps.first().locator('button[data-critic=Ada][data-target=Ben]');
  await cell.click();
  await expect(maps.first().locator('[part=critique]')).toContainText('Ben should give the population and its year');
  await expect(el(page).locator('[part=synthesis]').nth(1)).toContainText('Residual synthesis and early-stop check');
  expect(errors).toEqual([]);

  // Screenshots of the finished run, at desktop and phone widths, light and dark.
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${root}/test-results/screenshots/element-${width}-${colorScheme}.png`, fullPage: true });
    }
  }
  // Nothing may overflow the phone width.
  await page.setViewportSize({ width: 360, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
});

test('works from 320 px wide: no horizontal overflow', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await openPage(page);
  const input = el(page).getByRole('textbox', { name: 'Your question' });
  await input.fill('What is the capital of France?');
  await input.press('Enter');
  await expect(el(page).locator('[part=status]')).toHaveText(/^Done/, { timeout: 30_000 });
  await el(page).getByText('How this answer was made').click();
  await el(page).locator('button[data-critic=Cy][data-target=Ada]').first().click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  await page.screenshot({ path: `${root}/test-results/screenshots/element-320-light.png`, fullPage: true });
});

test("the README's no-build example runs as written next to the built file", async ({ page }) => {
  const readme = readFileSync(`${root}/packages/element/README.md`, 'utf8');
  const block = /<!-- example:start -->\n```html\n([\s\S]*?)```\n<!-- example:end -->/.exec(readme)?.[1];
  expect(block, 'the README example block').toBeTruthy();
  // A folder with the example as index.html next to the built files, as the README says.
  const dir = mkdtempSync(join(tmpdir(), 'moa-readme-'));
  temporary.push(dir);
  writeFileSync(join(dir, 'index.html'), block!);
  for (const name of readdirSync(`${root}/packages/element/dist`)) symlinkSync(`${root}/packages/element/dist/${name}`, join(dir, name));
  const origin = await serve(dir, false);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/index.html`);
  const input = el(page).getByRole('textbox', { name: 'Your question' });
  await input.fill('Capital of France?');
  await input.press('Enter');
  await expect(el(page).locator('[part=status]')).toHaveText(/^Done/, { timeout: 30_000 });
  await expect(el(page).locator('[part=answer]')).toContainText('Paris is the capital of France.');
  await expect(el(page).locator('[part=early-stop]')).toBeVisible();
  await expect(el(page).locator('[part=header] .badge')).toHaveText('simulated');
  expect(errors).toEqual([]);
});
