import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DEMO_ORIGIN, SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// Simulation mode end to end on the built demo, served by a plain static server from /demo/:
// the real protocol and the real <attention-moa> element, with scripted agents.
let server: StaticServer;
test.beforeAll(async () => {
  server = await serveDemo();
});
test.afterAll(async () => {
  await server?.close();
});

const SKY = 'Why is the sky blue? Explain it to a curious 12-year-old.';

async function startSimulation(page: Page, speed: 'instant' | 'gpu' = 'instant'): Promise<Locator> {
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await page.getByTestId('sim-speed').selectOption(speed);
  await page.getByTestId('start-simulation').click();
  await expect(page.getByTestId('sim-banner')).toContainText('simulated agents — no model is running');
  return page.locator('attention-moa');
}

test('simulation: from an example question to the final answer, with the early stop at layer 2 and zero requests', async ({ page }) => {
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  const element = await startSimulation(page, 'gpu');
  page.on('request', (r) => requests.push(r.url())); // from here on, nothing may be fetched at all

  await expect(element.locator('[part~="badge"]', { hasText: 'simulated' }).first()).toBeVisible();
  await page.getByTestId('example').first().click();
  // It streams: the element is running before it is done.
  await expect.poll(() => element.evaluate((el: Element & { status?: string }) => el.status)).toBe('running');
  // While the agents work, a first proposal shows as a labelled draft; the final answer replaces it.
  await expect(element.locator('[part~="draft-label"]')).toContainText(/Draft from Agent [A-C]'s proposal — the ensemble is still working/);
  await expect(element.locator('[part~="draft"]')).not.toBeEmpty();
  await page.screenshot({ path: `${SCREENSHOTS}/draft-run-1280.png`, fullPage: true });
  await expect.poll(() => element.evaluate((el: Element & { status?: string }) => el.status), { timeout: 45_000 }).toBe('done');
  await expect(element.locator('[part~="draft"]')).toHaveCount(0);

  const answer = element.locator('[part~="answer"]').last();
  await expect(answer).toContainText('Rayleigh scattering');
  await expect(answer).toContainText('Why are sunsets red?');
  await expect(answer.locator('li').first()).toBeVisible(); // rendered Markdown, not source
  await expect(element.locator('[part~="early-stop"]')).toContainText('layer 2');
  await expect(element.locator('[part~="question"]')).toContainText(SKY);

  const result = await element.evaluate((el: Element & { lastResult?: { layersRun: number; usage: { calls: number }; earlyStop?: { layer: number } } }) => el.lastResult);
  expect(result).toMatchObject({ layersRun: 2, usage: { calls: 33 }, earlyStop: { layer: 2 } });

  // The conversation is listed and saved.
  await expect(page.getByTestId('conversation-list')).toContainText('Why is the sky blue?');
  // Privacy: Playwright saw no request at all during the run, and the panel says 0.
  expect(requests).toEqual([]);
  await expect(page.getByTestId('privacy-pill')).toHaveText('0');
  await page.getByTestId('open-privacy').click();
  await expect(page.getByTestId('privacy-count')).toHaveText('0');
  await page.getByRole('button', { name: 'Close' }).click();

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}/finished-run-1280.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('export: JSON holds the conversation with the full trace; Markdown has the answer and the call table', async ({ page }) => {
  const element = await startSimulation(page);
  await page.getByTestId('example').nth(1).click();
  await expect.poll(() => element.evaluate((el: Element & { status?: string }) => el.status), { timeout: 30_000 }).toBe('done');
  await expect(page.getByTestId('export-json')).toBeVisible();

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(json.suggestedFilename()).toMatch(/^write-a-javascript-function-that-removes-duplica.*\.json$/);
  const data = JSON.parse(await readFile((await json.path())!, 'utf8'));
  expect(data.format).toBe('attention-moa-demo/conversation');
  const turn = data.conversation.turns[0];
  expect(turn.question).toContain('removes duplicates');
  expect(turn.ensemble).toMatchObject({ simulated: true, agents: ['Agent A', 'Agent B', 'Agent C'] });
  expect(turn.main.result.trace).toHaveLength(33);
  const roles = new Set(turn.main.result.trace.map((c: { role: string }) => c.role));
  expect([...roles].sort()).toEqual(['aggregate', 'critique', 'propose', 'refine', 'residual']);
  const critique = turn.main.result.trace.find((c: { role: string; agent: string; target?: string }) => c.role === 'critique' && c.agent === 'Agent A' && c.target === 'Agent B');
  expect(critique.text).toContain('O(n²)');
  expect(critique.messages.length).toBeGreaterThan(0);
  expect(turn.main.answer).toContain('new Set');

  const [md] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-md').click()]);
  const text = await readFile((await md.path())!, 'utf8');
  expect(text).toContain('# Write a JavaScript function that removes duplicates');
  expect(text).toContain('simulated agents — no model was running');
  expect(text).toContain('33 calls');
  expect(text).toContain('| critique | Agent A | Agent B |');
  expect(text).toContain('```js');
});

test('compare modes: the same question in single model, classic MoA and Attention-MoA, with calls, tokens and time', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const element = await startSimulation(page);
  await page.getByTestId('compare-toggle').check();
  await page.getByTestId('example').nth(2).click();
  const table = page.getByTestId('comparison');
  await expect(table).toBeVisible({ timeout: 30_000 });
  const calls = (mode: string) => table.locator(`tr[data-mode="${mode}"] [data-testid="cmp-calls"]`);
  await expect(calls('attention-moa')).toHaveText('33'); // stopped early at layer 2 of 3
  await expect(calls('classic-moa')).toHaveText('12'); // 3 layers × (3 proposals + 1 aggregate)
  await expect(calls('single')).toHaveText('1');
  await expect(table.locator('tr[data-mode="attention-moa"]')).toContainText('stopped early');
  await expect(table).toContainText('generated');
  await expect(table.locator('.compare-answer', { hasText: 'Classic MoA' })).toContainText('generally more productive');
  // The comparison is part of the saved turn.
  await expect(element.locator('[part~="answer"]').last()).toContainText('decision log');

  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}/finished-run-360.png`, fullPage: true });
});

test('the protocol settings chosen on the first screen drive the run: 1 layer, ring topology, Agent B aggregates', async ({ page }) => {
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  const settings = page.getByTestId('settings');
  await settings.locator('summary').click();
  await settings.getByLabel('Layers (maximum)').selectOption('1');
  await settings.getByLabel('Attention topology').selectOption('ring');
  await settings.getByLabel('Aggregator').selectOption({ index: 1 });
  await expect(settings.locator('summary')).toContainText('up to 1 layer · attention ring');
  await page.getByTestId('sim-speed').selectOption('instant');
  await page.getByTestId('start-simulation').click();
  await expect(page.locator('.chip--agg')).toHaveText(/Agent B · aggregator/);
  await page.getByTestId('example').first().click();
  const element = page.locator('attention-moa');
  await expect.poll(() => element.evaluate((el: Element & { status?: string }) => el.status), { timeout: 30_000 }).toBe('done');
  const summary = await element.evaluate((el: Element & { lastResult?: { usage: { calls: number }; trace: { role: string; agent: string; target?: string }[] } }) => {
    const r = el.lastResult!;
    return { calls: r.usage.calls, critiques: r.trace.filter((c) => c.role === 'critique').map((c) => `${c.agent}→${c.target}`).sort(), aggregator: r.trace.find((c) => c.role === 'aggregate')!.agent };
  });
  // Ring: each agent critiques itself and one neighbour (2n = 6), so 3 + 6 + 3 + 1 calls in one layer.
  expect(summary.calls).toBe(13);
  expect(summary.critiques).toHaveLength(6);
  expect(summary.critiques.filter((c) => c.split('→')[0] === c.split('→')[1])).toHaveLength(3);
  expect(summary.aggregator).toBe('Aggregator (Agent B)');
  // The settings are remembered for the next visit.
  await page.reload();
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(page.getByTestId('settings').locator('summary')).toContainText('up to 1 layer · attention ring');
});
