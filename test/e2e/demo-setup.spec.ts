import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { findChromium } from './chromium.js';
import { SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// The setup flow of issue 20: the simulation near the top, focus and banner after starting, "up to N calls",
// the Privacy panel's words per mode, the theme toggle, and the CPU picker on a phone.
const FIXTURES = fileURLToPath(new URL('../fixtures/generated', import.meta.url));
let server: StaticServer;
test.beforeAll(async () => {
  server = await serveDemo();
});
test.afterAll(async () => {
  await server?.close();
});

test('the simulation is near the top; after starting, the question box has the focus and the banner is in view', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  const sim = page.getByTestId('start-simulation');
  await expect(sim).toBeInViewport();
  // Before the ensemble picker and the download button, not after them.
  const simY = (await sim.boundingBox())!.y;
  expect(simY).toBeLessThan((await page.getByTestId('start-models').boundingBox())!.y);
  let tabs = 0;
  await page.locator('body').focus();
  while (tabs < 12 && !(await sim.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  expect(tabs).toBeLessThan(12);

  await page.getByTestId('sim-speed').selectOption('gpu');
  await sim.click();
  await expect(page.getByTestId('sim-banner')).toBeInViewport({ ratio: 1 });
  const el = page.locator('attention-moa');
  await expect(el.locator('textarea')).toBeFocused();
  // Typing goes straight to the question box; the progress line says "up to" (an early stop makes fewer calls).
  await page.keyboard.type('Why is the sky blue?');
  await page.keyboard.press('Enter');
  await expect(el.locator('[part=status]')).toHaveText(/of up to 50 calls done/, { timeout: 20_000 });
  await el.getByRole('button', { name: 'Stop' }).click();

  // The Privacy panel speaks of the simulation, not of a GPU.
  await page.getByTestId('open-privacy').click();
  await expect(page.getByTestId('privacy-where')).toContainText('No model is running');
  await expect(page.getByTestId('privacy-panel')).not.toContainText('GPU through WebGPU');
});

test('the theme toggle: auto → light → dark, remembered, and the element follows', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const toggle = page.getByTestId('theme-toggle');
  await expect(toggle).toHaveAccessibleName('Theme: Auto');
  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Theme: Light');
  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Theme: Dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(dark).not.toBe(light);
  await page.reload();
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('start-simulation').click();
  const elementBg = await page.locator('attention-moa').evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.panel')!).backgroundColor);
  expect(elementBg).not.toBe('rgb(255, 255, 255)');
});

test.describe('without WebGPU (the CPU path)', () => {
  let browser: Browser;
  test.beforeAll(async () => {
    browser = await chromium.launch({ executablePath: findChromium(), args: [] });
  });
  test.afterAll(async () => {
    await browser?.close();
  });

  test('on a phone, the CPU model picker keeps names on whole lines at 390 px, and the simulation comes before it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(server.url);
    await expect(page.locator('html[data-ready]')).toBeAttached();
    const sim = page.getByTestId('start-simulation');
    const wasm = page.getByTestId('wasm-offer');
    expect((await sim.boundingBox())!.y).toBeLessThan((await wasm.boundingBox())!.y);
    for (const row of await wasm.locator('.picker-row').all()) {
      const name = row.locator('.id');
      // A name laid out letter by letter is a few px wide and many lines tall.
      expect((await name.boundingBox())!.width).toBeGreaterThan(200);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await wasm.screenshot({ path: `${SCREENSHOTS}/cpu-picker-390.png` });
    await page.getByTestId('open-privacy').click();
    await expect(page.getByTestId('privacy-where')).toContainText('processor (CPU)');
    await page.close();
  });

  test('own models: a picked GGUF shows its name, size and licence field, and answers on the CPU; a non-GGUF file and a bad URL are refused', async () => {
    test.slow();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url);
    await expect(page.locator('html[data-ready]')).toBeAttached();
    const own = page.getByTestId('own-models');
    await own.locator('summary').click();
    // Not a GGUF: an HTML page saved as .gguf, and a truncated download.
    await page.getByTestId('own-model-file').setInputFiles(`${FIXTURES}/broken-html.gguf`);
    await expect(page.getByTestId('own-model-error')).toHaveText(/broken-html\.gguf is not a usable GGUF model: .*Pick a \.gguf file/);
    await page.getByTestId('own-model-file').setInputFiles(`${FIXTURES}/broken-truncated.gguf`);
    await expect(page.getByTestId('own-model-error')).toContainText('truncated');
    await page.getByTestId('own-model-url').fill('https://huggingface.co/user/repo/blob/main/README.md');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByTestId('own-model-error')).toContainText('does not end in .gguf');
    await page.getByTestId('own-model-url').fill('https://huggingface.co/user/repo/resolve/main/my-model.Q4_K_M.gguf');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByTestId('own-model').filter({ hasText: 'my-model.Q4_K_M' })).toContainText('size shown when it downloads');
    // A URL model is remembered for the next visit, still picked.
    await page.reload();
    await expect(page.locator('html[data-ready]')).toBeAttached();
    await page.getByTestId('own-models').locator('summary').click();
    const remembered = page.getByTestId('own-model').filter({ hasText: 'my-model.Q4_K_M' });
    await expect(remembered).toContainText('URL');
    await expect(remembered.locator('input[type=checkbox]')).toBeChecked();
    await page.getByRole('button', { name: 'Remove my-model.Q4_K_M' }).click();
    await page.reload();
    await expect(page.locator('html[data-ready]')).toBeAttached();
    await page.getByTestId('own-models').locator('summary').click();
    await expect(page.getByTestId('own-model')).toHaveCount(0);

    await page.getByTestId('own-model-file').setInputFiles(`${FIXTURES}/tiny-agent-a.gguf`);
    const row = page.getByTestId('own-model');
    await expect(row).toHaveCount(1);
    // The name comes from the GGUF metadata (general.name); this fixture has no general.license.
    await expect(row).toContainText('tiny-agent-a');
    await expect(row).toContainText('file');
    await expect(row).toContainText(/\d+ MB · on this device/);
    await expect(row).toContainText('no licence in its metadata');
    await expect(page.getByTestId('own-model-error')).toHaveCount(0);
    // Only the own model: it loads from the file (no download) and answers.
    for (const id of ['smollm2-135m-instruct-q8_0', 'smollm2-360m-instruct-q8_0']) await page.getByTestId(`wasm-model-${id}`).locator('input').uncheck();
    await page.getByTestId('start-wasm').click();
    const el = page.locator('attention-moa');
    await expect(el).toBeVisible({ timeout: 60_000 });
    await el.locator('textarea').fill('Hello');
    await el.locator('textarea').press('Enter');
    await expect.poll(() => el.evaluate((e: Element & { status?: string }) => e.status), { timeout: 120_000 }).toMatch(/done|error/);
    expect(await el.evaluate((e: Element & { lastResult?: { trace: unknown[] } }) => e.lastResult?.trace.length ?? 0)).toBeGreaterThan(0);
    await page.close();
  });
});
