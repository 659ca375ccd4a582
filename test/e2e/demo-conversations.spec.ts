import { writeFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// The conversation basics of issue 20, through the demo's UI on the built demo: Stop gives the question back,
// regenerate, edit and resend, rename, delete with undo, search, import (and a bad file), system prompt and
// sampling, and a reload that reopens the last conversation with its turns rendered as they were live.
let server: StaticServer;
test.beforeAll(async () => {
  server = await serveDemo();
});
test.afterAll(async () => {
  await server?.close();
});

const SKY = 'Why is the sky blue? Explain it to a curious 12-year-old.';
type El = Element & { status?: string; lastResult?: { answer: string; trace: { role: string; messages: { role: string; content: string }[] }[] } };

async function startSimulation(page: Page, speed: 'instant' | 'gpu' = 'instant'): Promise<Locator> {
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await page.getByTestId('sim-speed').selectOption(speed);
  await page.getByTestId('start-simulation').click();
  await expect(page.getByTestId('sim-banner')).toBeVisible();
  return page.locator('attention-moa');
}
const status = (el: Locator) => el.evaluate((e: El) => e.status);
const box = (el: Locator) => el.locator('textarea');

test('Stop puts the question back in the box; Regenerate replaces the answer; Edit question resends an edited one', async ({ page }) => {
  const el = await startSimulation(page, 'gpu');
  await box(el).fill(SKY);
  await box(el).press('Enter');
  await expect(el.locator('[part=status]')).toHaveText(/Layer 1/, { timeout: 20_000 });
  await el.getByRole('button', { name: 'Stop' }).click();
  await expect(box(el)).toHaveValue(SKY);
  await expect(box(el)).toBeFocused();
  await expect(el.locator('[part=status]').last()).toHaveText(/^Stopped/);

  // Send it again at instant speed: one finished turn, saved.
  await page.getByRole('button', { name: 'Setup' }).click();
  await page.getByTestId('sim-speed').selectOption('instant');
  await page.getByTestId('start-simulation').click();
  await expect(box(el)).toBeFocused();
  await box(el).fill(SKY);
  await box(el).press('Enter');
  await expect.poll(() => status(el), { timeout: 30_000 }).toBe('done');
  const item = page.getByTestId('conversation').filter({ hasText: 'Why is the sky blue' });
  await expect(item).toContainText('1 question');

  await el.locator('[part=regenerate-button]').click();
  await expect.poll(() => status(el), { timeout: 30_000 }).toBe('done');
  await expect(el.locator('li.turn')).toHaveCount(1);
  await expect(item).toContainText('1 question');

  // Edit: the question comes back into the box, labelled; Send replaces the turn.
  await el.locator('[part=edit-button]').click();
  await expect(box(el)).toHaveValue(SKY);
  await expect(el.locator('label', { hasText: 'Edit question 1' })).toBeVisible();
  await box(el).fill('Why is the sea blue?');
  await box(el).press('Enter');
  await expect.poll(() => status(el), { timeout: 30_000 }).toBe('done');
  await expect(el.locator('li.turn')).toHaveCount(1);
  await expect(el.locator('[part=question]')).toHaveText('YouWhy is the sea blue?');
  await expect(page.getByTestId('conversation').filter({ hasText: 'Why is the sea blue?' })).toContainText('1 question');
});

test('rename, search, delete with undo, import of an export, and a clear error for a bad file', async ({ page }) => {
  const el = await startSimulation(page);
  await page.getByTestId('example').first().click();
  await expect.poll(() => status(el), { timeout: 30_000 }).toBe('done');
  await page.getByTestId('new-conversation').click();
  await expect(el.locator('li.turn')).toHaveCount(0);
  await page.getByTestId('example').nth(1).click();
  await expect.poll(() => status(el), { timeout: 30_000 }).toBe('done');
  await expect(page.getByTestId('conversation')).toHaveCount(2);

  // Rename the sky conversation.
  await page.getByRole('button', { name: /Rename conversation “Why is the sky blue/ }).click();
  await page.getByTestId('rename-input').fill('Sky colour');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByTestId('conversation').filter({ hasText: 'Sky colour' })).toHaveCount(1);

  // Search finds it by a word of its answer, not only its title.
  await page.getByTestId('conversation-search').fill('rayleigh');
  await expect(page.getByTestId('conversation')).toHaveCount(1);
  await expect(page.getByTestId('conversation')).toContainText('Sky colour');
  await page.getByTestId('conversation-search').fill('no such words here');
  await expect(page.getByTestId('conversation')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'No conversation contains' })).toBeVisible();
  await page.getByTestId('conversation-search').fill('');
  await expect(page.getByTestId('conversation')).toHaveCount(2);

  // Export it, delete it, undo.
  await page.getByTestId('conversation').filter({ hasText: 'Sky colour' }).click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const file = `${SCREENSHOTS}/../conversation-export.json`;
  await (await download).saveAs(file);
  await page.getByRole('button', { name: 'Delete conversation “Sky colour”' }).click();
  await expect(page.getByTestId('conversation')).toHaveCount(1);
  await expect(page.getByTestId('deleted-notice')).toContainText('Deleted “Sky colour”');
  await page.getByTestId('undo-delete').click();
  await expect(page.getByTestId('conversation')).toHaveCount(2);
  await expect(el.locator('li.turn')).toHaveCount(1);

  // Import the export: a second copy, opened, rendered with its details.
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-notice')).toContainText('Imported “Sky colour” (1 question)');
  await expect(page.getByTestId('conversation').filter({ hasText: 'Sky colour' })).toHaveCount(2);
  await expect(el.locator('.md strong').first()).toBeVisible();
  await expect(el.locator('summary', { hasText: 'How this answer was made' })).toBeVisible();

  // A file that is not an export says so.
  const bad = `${SCREENSHOTS}/../not-an-export.json`;
  writeFileSync(bad, JSON.stringify({ hello: 'world' }));
  await page.getByTestId('import-file').setInputFiles(bad);
  await expect(page.getByTestId('import-notice')).toHaveText(/Could not import not-an-export\.json: This JSON is not an exported Attention-MoA conversation/);
  writeFileSync(bad, 'GGUF\u0003 binary');
  await page.getByTestId('import-file').setInputFiles(bad);
  await expect(page.getByTestId('import-notice')).toHaveText(/This file is not JSON/);
  await expect(page.getByTestId('conversation')).toHaveCount(3);
});

test('system prompt and sampling settings go with every call; a bad value is refused with the range', async ({ page }) => {
  const el = await startSimulation(page);
  await page.getByTestId('sampling').locator('summary').click();
  await page.getByTestId('system-prompt').fill('Answer like a pirate.');
  await page.getByTestId('system-prompt').blur();
  await page.getByTestId('temperature').fill('5');
  await page.getByTestId('temperature').blur();
  await expect(page.getByTestId('sampling-error')).toHaveText(/Temperature must be from 0 to 2, got 5/);
  await page.getByTestId('temperature').fill('0.2');
  await page.getByTestId('temperature').blur();
  await expect(page.getByTestId('sampling-error')).toHaveCount(0);
  await page.getByTestId('max-tokens').fill('256');
  await page.getByTestId('max-tokens').blur();
  await page.getByTestId('example').first().click();
  await expect.poll(() => status(el), { timeout: 30_000 }).toBe('done');
  const systemEverywhere = await el.evaluate((e: El) => e.lastResult!.trace.every((c) => c.messages.some((m) => m.content.includes('Answer like a pirate.'))));
  expect(systemEverywhere).toBe(true);
  // Remembered for the next visit.
  await page.reload();
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(page.getByTestId('system-prompt')).toHaveValue('Answer like a pirate.');
  await expect(page.getByTestId('temperature')).toHaveValue('0.2');
});

test('a reload reopens the last conversation: Markdown answer, details, and the same token count as live', async ({ page }) => {
  const el = await startSimulation(page);
  await page.getByTestId('example').first().click();
  await expect.poll(() => status(el), { timeout: 30_000 }).toBe('done');
  const liveStatus = (await el.locator('[part=status]').textContent())!;
  const liveTokens = /([\d,]+) tokens written/.exec(liveStatus)![1];
  await page.reload();
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(page.getByTestId('continue')).toBeVisible();
  const turn = page.locator('attention-moa li.turn');
  await expect(turn).toHaveCount(1);
  await expect(turn.locator('.md strong').first()).toBeVisible(); // bold, not **raw**
  await expect(turn.locator('.md')).not.toContainText('**');
  await expect(turn.locator('[part=status]')).toContainText(`${liveTokens} tokens written`);
  await turn.locator('summary', { hasText: 'How this answer was made' }).click();
  await expect(turn.locator('[part=layer]')).toHaveCount(2);
  // Asking without models says what to do, and the question stays in the box.
  await box(page.locator('attention-moa')).fill('And sunsets?');
  await box(page.locator('attention-moa')).press('Enter');
  await expect(page.locator('attention-moa [part=error]')).toContainText('No models are running yet');
  await expect(box(page.locator('attention-moa'))).toHaveValue('And sunsets?');
});
