import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { auditDom } from './dom-audit.js';
import { serveDemo, type StaticServer } from './demo-server.js';

// The built demo under faults (issue 9): the page reloaded or closed mid-answer, storage full while saving, IndexedDB
// refused; and hostile text in stored conversations. The conversation up to the last completed turn survives, the
// page says what happened, and asking again works without reloading.
let server: StaticServer;
test.beforeAll(async () => {
  server = await serveDemo();
});
test.afterAll(async () => {
  await server?.close();
});

const corpus = JSON.parse(readFileSync(new URL('../fixtures/xss-corpus.json', import.meta.url), 'utf8')) as { payloads: { id: string; category: string; payload: string }[] };

function watch(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

async function startSimulation(page: Page, speed: 'instant' | 'gpu') {
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await page.getByTestId('sim-speed').selectOption(speed);
  await page.getByTestId('start-simulation').click();
  await expect(page.getByTestId('assistant-slot')).toBeVisible();
}

const element = (page: Page) => page.locator('attention-moa');
const status = (page: Page) => element(page).evaluate((el: Element & { status?: string }) => el.status);
function ask(page: Page, question: string) {
  return element(page).evaluate((el, q) => void (el as unknown as { ask(t: string): Promise<unknown> }).ask(q).catch(() => undefined), question);
}
async function askAndWait(page: Page, question: string) {
  await ask(page, question);
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('done');
}
const conversationItem = (page: Page, text: string) => page.getByTestId('conversation').filter({ hasText: text });

test('reloaded mid-answer: the conversation is there up to the last completed turn; the cut-off question is not half-saved; asking again works', async ({ page }) => {
  test.slow();
  const errors = watch(page);
  await startSimulation(page, 'instant');
  await askAndWait(page, 'Why is the sky blue?');
  await expect(conversationItem(page, 'Why is the sky blue?')).toContainText('1 question');
  // The same conversation goes on at GPU speed, so the next answer takes a few seconds.
  await page.getByRole('button', { name: 'Setup' }).click();
  await page.getByTestId('sim-speed').selectOption('gpu');
  await page.getByTestId('start-simulation').click();
  await ask(page, 'And why are sunsets red?');
  // Well into the second answer: several calls finished, tokens streaming.
  await expect(element(page).locator('li.turn').last().locator('[part=status]')).toHaveText(/Layer 1 of \d · .* · ([3-9]|1\d) of up to \d+ calls done/, { timeout: 30_000 });
  await page.reload();
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(conversationItem(page, 'Why is the sky blue?')).toContainText('1 question');
  // The reload reopens the conversation: the element shows the completed turn only.
  await expect(element(page).locator('li.turn')).toHaveCount(1);
  await expect(element(page).locator('[part=question]')).toHaveText(['YouWhy is the sky blue?']);
  // The same page goes on (at instant speed): continue the conversation and ask the cut-off question again.
  await page.getByTestId('continue').getByRole('button', { name: 'Choose models' }).click();
  await page.getByTestId('sim-speed').selectOption('instant');
  await page.getByTestId('start-simulation').click();
  await askAndWait(page, 'And why are sunsets red?');
  await expect(conversationItem(page, 'Why is the sky blue?')).toContainText('2 questions');
  expect(errors).toEqual([]);
});

test('storage full while saving: the answer stays on screen, a notice says it was not saved; stored turns are kept; the next save works once there is room', async ({ page }) => {
  const errors = watch(page);
  await startSimulation(page, 'instant');
  await askAndWait(page, 'Why is the sky blue?');
  await expect(conversationItem(page, 'Why is the sky blue?')).toContainText('1 question');
  await page.evaluate(() => {
    const w = window as unknown as { realPut?: IDBObjectStore['put'] };
    w.realPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await askAndWait(page, 'And why are sunsets red?');
  await expect(element(page).locator('li.turn').last().locator('[part=answer]')).toContainText(/\w/);
  await expect(page.getByTestId('assistant-notice')).toContainText('Could not save the conversation: browser storage is full');
  await expect(conversationItem(page, 'Why is the sky blue?')).toContainText('1 question');
  // Room again (the visitor deleted a model): the next turn saves the whole conversation, the unsaved turn included.
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = (window as unknown as { realPut: IDBObjectStore['put'] }).realPut;
  });
  await askAndWait(page, 'And at noon?');
  await expect(conversationItem(page, 'Why is the sky blue?')).toContainText('3 questions');
  await page.reload();
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(conversationItem(page, 'Why is the sky blue?')).toContainText('3 questions');
  expect(errors).toEqual([]);
});

for (const how of ['throw', 'error'] as const) {
  test(`IndexedDB refused (open ${how === 'throw' ? 'throws' : 'fails'}): the demo starts, says conversations are not saved, and answers`, async ({ page }) => {
    const errors = watch(page);
    await page.addInitScript((mode) => {
      IDBFactory.prototype.open = function () {
        if (mode === 'throw') throw new DOMException('The user denied permission to access the database.', 'SecurityError');
        const request = new EventTarget() as IDBOpenDBRequest;
        Object.defineProperty(request, 'error', { value: new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError') });
        setTimeout(() => {
          (request as { onerror?: ((e: Event) => void) | null }).onerror?.(new Event('error'));
          request.dispatchEvent(new Event('error'));
        }, 0);
        return request;
      };
    }, how);
    await startSimulation(page, 'instant');
    await expect(page.getByTestId('storage-notice')).toContainText('Conversations are not saved in this browser');
    await askAndWait(page, 'Why is the sky blue?');
    await expect(element(page).locator('li.turn').last().locator('[part=answer]')).toContainText(/\w/);
    await askAndWait(page, 'And why are sunsets red?');
    expect(await element(page).evaluate((el) => (el as unknown as { conversation: unknown[] }).conversation.length)).toBe(4);
    expect(errors).toEqual([]);
  });
}

test('hostile text in stored conversations (questions, answers, error messages, titles) stays text in the list and the restored turns', async ({ page }) => {
  const errors = watch(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  // Conversations as the demo stores them (idb-keyval: out-of-line keys), one per kind of payload.
  const categories = [...new Set(corpus.payloads.map((p) => p.category))];
  await page.evaluate(async ({ payloads, categories }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('attention-moa-demo');
      req.onupgradeneeded = () => req.result.createObjectStore('conversations');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('conversations', 'readwrite');
    categories.forEach((category, c) => {
      const mine = payloads.filter((p) => p.category === category);
      const id = `c-xss-${c}`;
      tx.objectStore('conversations').put({
        id, title: mine[0]!.payload, createdAt: 1000 + c, updatedAt: 2000 + c,
        turns: mine.map((p, i) => ({
          id: `t-${c}-${i}`, question: p.payload, askedAt: 1000 + i,
          ensemble: { agents: ['Agent A'], aggregator: 'Agent A', settings: { layers: 1, attention: 'full', earlyStop: 'judge' }, simulated: true },
          main: i % 5 === 4
            ? { mode: 'attention-moa', answer: '', error: { name: 'Error', message: p.payload }, wallMs: 1 }
            : { mode: 'attention-moa', answer: p.payload, wallMs: 1 },
        })),
      }, id);
    });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, { payloads: corpus.payloads, categories });
  await page.reload();
  await expect(page.locator('html[data-ready]')).toBeAttached();
  const requests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url)) requests.push(request.url());
  });
  await expect(page.getByTestId('conversation')).toHaveCount(categories.length);
  for (let c = 0; c < categories.length; c++) {
    await page.getByTestId('conversation').nth(c).click();
    const count = corpus.payloads.filter((p) => p.category === categories[categories.length - 1 - c]).length;
    await expect(page.locator('attention-moa li.turn')).toHaveCount(count);
    const problems = await page.evaluate(auditDom, { textContainers: ['[part=question]', '.md', '[part=error]', '.conv-title', '.section-head h2'] });
    expect(problems, categories[categories.length - 1 - c]).toEqual([]);
  }
  // The text is shown as text: the first OWASP payload is there literally.
  await page.getByTestId('conversation').filter({ has: page.locator('.conv-title').getByText('<script>alert(1)</script>', { exact: true }) }).click();
  await expect(page.locator('attention-moa [part=question]').first()).toHaveText('You<script>alert(1)</script>');
  expect(dialogs).toEqual([]);
  expect(requests).toEqual([]);
  expect(errors).toEqual([]);
});

test('two tabs on one conversation: the turns asked in either tab are all kept, and each tab\'s list follows the other', async ({ context }) => {
  test.slow();
  const a = await context.newPage();
  const b = await context.newPage();
  const errors = [...watch(a), ...watch(b)];
  await startSimulation(a, 'instant');
  await askAndWait(a, 'Why is the sky blue?');
  // Tab B opens the same conversation and continues it.
  await b.goto(server.url);
  await expect(b.locator('html[data-ready]')).toBeAttached();
  await conversationItem(b, 'Why is the sky blue?').click();
  await b.getByTestId('continue').getByRole('button', { name: 'Continue in the simulation' }).click();
  await askAndWait(b, 'And why are sunsets red?');
  // Tab A is told: its list counts B's turn without a reload.
  await expect(conversationItem(a, 'Why is the sky blue?')).toContainText('2 questions');
  // Tab A never saw B's turn and asks its own follow-up: saving it must not overwrite B's.
  await askAndWait(a, 'Is the sky blue on Mars too?');
  await expect(conversationItem(a, 'Why is the sky blue?')).toContainText('3 questions');
  await expect(conversationItem(b, 'Why is the sky blue?')).toContainText('3 questions');
  // Opened anywhere: every turn, in the order asked.
  const c = await context.newPage();
  await c.goto(server.url);
  await expect(c.locator('html[data-ready]')).toBeAttached();
  await conversationItem(c, 'Why is the sky blue?').click();
  await expect(c.getByTestId('transcript').locator('.turn-q')).toHaveText(['Why is the sky blue?', 'And why are sunsets red?', 'Is the sky blue on Mars too?']);
  expect(errors).toEqual([]);
});
