import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type BrowserContext } from '@playwright/test';
import { findChromium } from './chromium.js';
import { serveDemo, type StaticServer } from './demo-server.js';

// Conversations live in IndexedDB: they must survive closing the browser. A persistent context (a real profile
// directory) is the only way to keep IndexedDB across launches; a fresh context is always empty.
let server: StaticServer;
let profile: string;
test.beforeAll(async () => {
  server = await serveDemo();
  profile = mkdtempSync(join(tmpdir(), 'moa-demo-profile-'));
});
test.afterAll(async () => {
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

const launch = (): Promise<BrowserContext> =>
  chromium.launchPersistentContext(profile, { executablePath: findChromium(), args: ['--enable-unsafe-webgpu'], viewport: { width: 1280, height: 900 } });

test('a conversation survives closing the browser, is listed, reopens, and continues with its history', async () => {
  let context = await launch();
  let page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await page.getByTestId('sim-speed').selectOption('instant');
  await page.getByTestId('start-simulation').click();
  await page.getByTestId('example').first().click();
  const element = page.locator('attention-moa');
  await expect.poll(() => element.evaluate((el: Element & { status?: string }) => el.status), { timeout: 30_000 }).toBe('done');
  await expect(page.getByTestId('conversation-list')).toContainText('Why is the sky blue?');
  await context.close();

  context = await launch();
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  const item = page.getByTestId('conversation').filter({ hasText: 'Why is the sky blue' });
  await expect(item).toContainText('1 question');
  await expect(item).toContainText('simulated');
  // The last conversation opens by itself, without any model: the element shows the turn as it was answered
  // (Markdown, status line, details), and the page offers to continue.
  const restored = page.locator('attention-moa li.turn');
  await expect(restored).toHaveCount(1);
  await expect(restored.locator('[part=question]')).toContainText('Why is the sky blue? Explain it to a curious 12-year-old.');
  await expect(restored.locator('.md')).toContainText('Rayleigh scattering');
  await expect(restored.locator('[part=status]')).toHaveText(/^Done in .* · 2 layers · 33 calls · [\d,]+ tokens written$/);
  await expect(page.getByTestId('continue')).toBeVisible();

  // Continue the conversation: the follow-up goes out with the restored turn as history.
  await page.getByTestId('continue').getByRole('button', { name: 'Continue in the simulation' }).click();
  const el = page.locator('attention-moa');
  await el.evaluate((e) => void (e as unknown as { ask(t: string): Promise<unknown> }).ask('And why are sunsets red?'));
  await expect.poll(() => el.evaluate((e: Element & { status?: string }) => e.status), { timeout: 60_000 }).toBe('done');
  const propose = await el.evaluate((e: Element & { lastResult?: { trace: { role: string; messages: { content: string }[] }[] } }) =>
    e.lastResult!.trace.find((c) => c.role === 'propose')!.messages.map((m) => m.content).join('\n'));
  expect(propose).toContain('Why is the sky blue? Explain it to a curious 12-year-old.');
  expect(propose).toContain('And why are sunsets red?');
  await expect(page.getByTestId('conversation').filter({ hasText: 'Why is the sky blue' })).toContainText('2 questions');
  await context.close();
});
