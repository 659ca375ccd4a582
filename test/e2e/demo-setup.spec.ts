import { chromium, expect, test, type Browser } from '@playwright/test';
import { findChromium } from './chromium.js';
import { SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// The setup flow of issue 20: the simulation near the top, focus and banner after starting, "up to N calls",
// the Privacy panel's words per mode, the theme toggle, and the CPU picker on a phone.
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

test.describe('without WebGPU, on a phone', () => {
  let browser: Browser;
  test.beforeAll(async () => {
    browser = await chromium.launch({ executablePath: findChromium(), args: [] });
  });
  test.afterAll(async () => {
    await browser?.close();
  });

  test('the CPU model picker keeps names on whole lines at 390 px, and the simulation comes before it', async () => {
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
});
