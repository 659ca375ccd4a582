import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

// The XSS corpus (test/fixtures/xss-corpus.json, issue 9) through <attention-moa>, as the user's question and as
// model output streamed token by token: no dialog, no script execution (a canary), no network request, no element
// with an on* attribute and no javascript: URL anywhere in the DOM, shadow roots included.
const corpus = JSON.parse(readFileSync(new URL('../fixtures/xss-corpus.json', import.meta.url), 'utf8')) as { payloads: { id: string; payload: string }[] };
const COUNT = corpus.payloads.length;
const CHUNK = 23;

async function open(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto('/test/e2e/pages/reliability-xss.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  // From here on the page has everything it needs: any request is the corpus at work.
  const requests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/favicon.ico')) requests.push(`${request.method()} ${request.url()}`);
  });
  page.on('framenavigated', (frame) => requests.push(`navigated ${frame.url()}`));
  return { dialogs, requests, errors };
}

test('the corpus has at least 100 payloads of every kind the issue names', () => {
  expect(COUNT).toBeGreaterThanOrEqual(100);
  const kinds = new Set(corpus.payloads.map((p) => p.id.replace(/-\d+$/, '')));
  expect([...kinds].sort()).toEqual(['broken', 'entities', 'markdown', 'math-code', 'owasp', 'svg-mathml', 'urls']);
});

test('every payload as the question and as the answer, streamed one character at a time and cut at every markup character: inert', async ({ page }) => {
  test.setTimeout(180_000);
  const watch = await open(page);
  await page.evaluate(() => window.xss.single());
  for (const split of ['chars', 'markup'] as const) {
    for (let from = 0; from < COUNT; from += CHUNK) {
      const r = await page.evaluate(([a, b, s]) => window.xss.deliver(a, b, s), [from, Math.min(COUNT, from + CHUNK), split] as const);
      const ids = `${split}: ${corpus.payloads.slice(from, from + CHUNK).map((p) => p.id).join(', ')}`;
      expect(r.outcomes.every((o) => o === 'done' || o === 'done*'), ids).toBe(true);
      expect(r.problems, ids).toEqual([]);
      expect(r.hits, ids).toEqual([]);
      expect(watch.dialogs, ids).toEqual([]);
      expect(watch.requests, ids).toEqual([]);
      expect(r.location).toMatch(/\/reliability-xss\.html$/);
    }
  }
  expect(watch.errors).toEqual([]);
});

test('formula and code payloads are rendered (MathML, highlighted code) and stay inert; the audit reports MathML the renderer never makes', async ({ page }) => {
  const watch = await open(page);
  await page.evaluate(() => window.xss.single());
  const first = corpus.payloads.findIndex((p) => p.id.startsWith('math-code-'));
  const r = await page.evaluate(([a, b]) => window.xss.deliver(a, b, 'markup'), [first, COUNT] as const);
  expect(r.problems).toEqual([]);
  expect(r.hits).toEqual([]);
  expect(watch.dialogs).toEqual([]);
  expect(watch.requests).toEqual([]);
  // They did render: formulas as MathML and code highlighted (so the audit above looked at them).
  expect(r.rendered.formulas).toBeGreaterThanOrEqual(10);
  expect(r.rendered.highlighted).toBeGreaterThanOrEqual(5);
  const selfTest = await page.evaluate(() => window.xss.auditSelfTest());
  expect(selfTest.some((p) => p.includes('<maction>'))).toBe(true);
  expect(selfTest.some((p) => p.includes('<mi href='))).toBe(true);
  expect(selfTest.some((p) => /<math> element/.test(p))).toBe(true);
  expect(watch.errors).toEqual([]);
});

test('payloads in every agent\'s proposal, critique and refinement and in the aggregate, with every detail and map cell opened: inert', async ({ page }) => {
  test.setTimeout(120_000);
  const watch = await open(page);
  for (let from = 0; from < COUNT; from += CHUNK) {
    const r = await page.evaluate(([a, b]) => window.xss.batch(a, b, 'markup'), [from, Math.min(COUNT, from + CHUNK)] as const);
    const ids = `${corpus.payloads[from]!.id} … ${corpus.payloads[Math.min(COUNT, from + CHUNK) - 1]!.id}`;
    expect(r.outcome, ids).toBe('done');
    expect(r.cells, ids).toBe(9);
    expect(r.problems, ids).toEqual([]);
    expect(r.hits, ids).toEqual([]);
    expect(watch.dialogs, ids).toEqual([]);
    expect(watch.requests, ids).toEqual([]);
  }
  expect(watch.errors).toEqual([]);
});
