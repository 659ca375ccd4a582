import { chromium, expect, test, type Browser } from '@playwright/test';
import { findChromium } from './chromium.js';
import { SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// A second browser, launched WITHOUT --enable-unsafe-webgpu: navigator.gpu exists but offers no adapter,
// as on a machine whose GPU is blocklisted. The demo must say so plainly and offer the simulation.
let server: StaticServer;
let browser: Browser;
test.beforeAll(async () => {
  server = await serveDemo();
  browser = await chromium.launch({ executablePath: findChromium(), args: [] });
});
test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('without WebGPU the demo says so, lists the browsers that work, and offers the labelled simulation', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false); // about:blank is not a secure context
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  expect(await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) ?? null)).toBeNull();

  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-level', 'blocked');
  await expect(verdict.getByRole('heading')).toHaveText('This browser cannot run the models here');
  await expect(verdict).toContainText('offers no GPU adapter');
  await expect(page.getByTestId('browsers')).toContainText('Chrome or Edge 113+');
  await expect(page.getByTestId('browsers')).toContainText('Safari 26+');
  // No download button: nothing could run it. The simulation is the way forward, clearly labelled.
  await expect(page.getByTestId('start-models')).toHaveCount(0);
  await expect(page.getByTestId('simulation-offer')).toContainText('scripted agents');
  await expect(page.getByTestId('start-simulation')).toContainText('simulated agents, no model is running');
  await page.screenshot({ path: `${SCREENSHOTS}/no-webgpu-1280.png`, fullPage: true });

  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload(); // a phone loads the page at its width (no mid-transition layout from the resize)
  await expect(page.locator('html[data-ready]')).toBeAttached();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: `${SCREENSHOTS}/no-webgpu-360.png`, fullPage: true });

  await page.getByTestId('start-simulation').click();
  await expect(page.getByTestId('sim-banner')).toContainText('simulated agents — no model is running');
  await page.close();
});
