// Chromium driven from Node for the eval: open the eval page, load the real models in agent workers, run.
import { chromium, type Browser, type Page } from '@playwright/test';
import { findChromium } from '../../test/e2e/chromium.js';
import type { HarnessModel, HarnessResult, HarnessRun } from '../page/harness.js';

export interface EvalBrowser {
  run(r: HarnessRun): Promise<HarnessResult>;
  setupInfo: { loadMs: number; engines: Record<string, unknown>[] };
  /** The browser's version, for reports. */
  version: string;
  close(): Promise<void>;
}

export async function openEvalBrowser(baseUrl: string, models: HarnessModel[], options: { progress?: boolean } = {}): Promise<EvalBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: findChromium(),
    args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page: Page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  if (options.progress) page.on('console', (m) => m.text().startsWith('[progress]') && console.log(m.text()));
  await page.goto(`${baseUrl}/eval/page/eval.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 });
  const setupInfo = await page.evaluate(([m, o]) => window.evalHarness.setup(m, o), [models, options] as const);
  return {
    setupInfo,
    version: `Chromium ${browser.version()}`,
    run: (r) => page.evaluate((x) => window.evalHarness.run(x), r),
    async close() {
      await page.evaluate(() => window.evalHarness.dispose()).catch(() => undefined);
      await browser.close();
    },
  };
}
