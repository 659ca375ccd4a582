import { expect, test, type Page } from '@playwright/test';

// <attention-moa> on scripted models in agent workers, with faults on cue (issue 9): the component shows what
// happened, and the next question works without reloading the page.
const EXPECTED = 'Final: tides follow the moon and the sun.';

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`console: ${message.text()}`);
  });
  await page.goto('/test/e2e/pages/reliability-element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return errors;
}
const el = (page: Page) => page.locator('attention-moa');
const lastTurn = (page: Page) => el(page).locator('li.turn').last();

async function ask(page: Page, question: string) {
  const input = el(page).locator('textarea');
  await input.fill(question);
  await input.press('Enter');
}
async function settled(page: Page, status: RegExp = /^(Done|Failed|Stopped)/) {
  await expect(lastTurn(page).locator('[part=status]')).toHaveText(status, { timeout: 30_000 });
}

/** The next question on the same page and engines: every agent answers, no drop, no problem shown. */
async function nextQuestionWorks(page: Page) {
  await page.evaluate(() => window.relEl.settle());
  await ask(page, 'And what about the sun?');
  await settled(page, /^Done.* · 1 layer · 16 calls/);
  const turn = lastTurn(page);
  await expect(turn.locator('[part=answer] .md')).toHaveText(EXPECTED);
  await expect(turn).not.toContainText('Dropped');
  await expect(turn).not.toContainText('stood in');
  await expect(el(page).locator('[part=error]')).toHaveCount(0);
}

const DROPS = [
  { kind: 'throw-at-token', reason: 'ScriptedFault: B broke at token 3', calls: 10 },
  { kind: 'hang', reason: 'CallTimeoutError: the call did not finish within callTimeoutMs (1500 ms)', calls: 10 },
  { kind: 'empty', reason: 'EmptyOutputError: the model returned no text', calls: 10 },
  { kind: 'terminate', reason: 'WorkerCrashedError: The worker running "B" crashed or stopped answering', calls: 10 },
  { kind: 'device-lost', reason: 'GpuMemoryError: The GPU device was lost while running "B"', calls: 10 },
] as const;

test.describe('faults through the component', () => {
  // One page for the group (each fault gets fresh worker engines and a reset element): a page load per test would
  // double the time.
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let errors: string[];
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    errors = await open(page);
  });
  test.afterAll(async () => {
    await page.close();
  });

  for (const { kind, reason, calls } of DROPS) {
    test(`fault "${kind}": the answer comes from the others, the turn says which agent was dropped and why; the next question works`, async () => {
      if (kind === 'terminate') test.slow();
      await page.evaluate((k) => window.relEl.setup(k), kind);
      await ask(page, 'Why are there tides?');
      await settled(page, new RegExp(`^Done.* · 1 layer · ${calls} calls`));
      const turn = lastTurn(page);
      await expect(turn.locator('[part=answer] .md')).toHaveText(EXPECTED);
      // Visible without opening anything: who was dropped, when, and why.
      await expect(turn.locator('.note.dropped')).toContainText(reason);
      // The details say it on B's card too.
      await turn.getByText('How this answer was made').click();
      await expect(turn.locator('[part=agent-card][data-agent=B]')).toContainText(`Dropped from the run at layer 1 (propose): ${reason}`);
      await expect(turn.locator('[part=agent-card][data-agent=B] .card-meta')).toContainText('dropped');
      await nextQuestionWorks(page);
      expect(await page.evaluate(() => window.relEl.unhandled())).toEqual([]);
      expect(errors).toEqual([]);
      await page.evaluate(() => window.relEl.teardown());
    });
  }

  test('no callTimeoutMs set (the element\'s default): an engine that hangs is dropped at a deadline from its measured speed, and the next question works', async () => {
    // B's 6th call (the second question's proposal) hangs for good, deaf to every signal. The first question
    // measures the models' speed; the default deadline for the hung call follows from it (seconds, not minutes).
    await page.evaluate(() => window.relEl.setup('stuck', { stuckOnCall: 6, defaultDeadline: true }));
    await ask(page, 'Why are there tides?');
    await settled(page, /^Done.* · 1 layer · 16 calls/);
    const asked = Date.now();
    await ask(page, 'Why are there two tides a day?');
    await settled(page, /^Done.* · 1 layer · 10 calls/);
    const waited = Date.now() - asked;
    const turn = lastTurn(page);
    await expect(turn.locator('[part=answer] .md')).toHaveText(EXPECTED);
    await expect(turn.locator('.note.dropped')).toContainText(/CallTimeoutError: the call did not finish within its deadline of 1\d s \(callTimeoutMs 'auto': 10 s \+ 4 × the time 512 tokens take at the \d+ tok\/s measured on this model/);
    expect(waited).toBeGreaterThan(10_000);
    expect(waited).toBeLessThan(25_000);
    // The watchdog restarted B's worker: the third question has every agent.
    await nextQuestionWorks(page);
    expect(errors).toEqual([]);
    await page.evaluate(() => window.relEl.teardown());
  });

  test('the aggregator fails mid-answer: the withdrawn text is replaced by the stand-in\'s answer, and a note says so', async () => {
    await page.evaluate(() => window.relEl.setup('aggregator'));
    await ask(page, 'Why are there tides?');
    await settled(page, /^Done/);
    const turn = lastTurn(page);
    await expect(turn.locator('[part=answer] .md')).toHaveText('A stands in: tides follow the moon and the sun.');
    await expect(turn).toContainText('The aggregator Agg failed (ScriptedFault: the aggregator broke); A stood in.');
    await nextQuestionWorks(page);
    expect(errors).toEqual([]);
    await page.evaluate(() => window.relEl.teardown());
  });

  test('every agent fails: an alert says what happened and what to do, moa-error carries ALL_AGENTS_FAILED; the next question works', async () => {
    await page.evaluate(() => window.relEl.setup('all-fail'));
    await ask(page, 'Why are there tides?');
    await settled(page, /^Failed/);
    const problem = el(page).locator('[part=error][role=alert]');
    await expect(problem).toContainText('Every model failed during the answer');
    await expect(problem).toContainText('AllAgentsFailedError: No agent is left to answer (layer 1, propose)');
    await expect(problem).toContainText('Next step: Try again');
    expect(await page.evaluate(() => window.relEl.errors())).toEqual([expect.objectContaining({ code: 'all-agents-failed', error: expect.objectContaining({ code: 'ALL_AGENTS_FAILED' }) })]);
    await expect(lastTurn(page).locator('.placeholder')).toHaveText('No answer: see the message above.');
    await nextQuestionWorks(page);
    // The failed turn is not part of the conversation sent as history; the successful one is.
    expect(await page.evaluate(() => window.relEl.el.conversation.map((m) => m.role))).toEqual(['user', 'assistant']);
    expect(errors).toEqual([]);
    await page.evaluate(() => window.relEl.teardown());
  });
});

test('ask() while a question is in flight rejects with AttentionMoABusyError (no queue) and leaves the running question alone', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.relEl.setup('none', { tokenDelayMs: 5 }));
  const r = await page.evaluate(async () => {
    const el = window.relEl.el;
    const first = el.ask('Why are there tides?');
    const second = await el.ask('A second question').then(() => 'resolved', (e: Error & { code?: string }) => ({ name: e.name, code: e.code ?? null, message: e.message }));
    const third = await el.ask('A third question').then(() => 'resolved', (e: Error) => e.name);
    return { second, third, first: (await first)?.answer ?? null, conversation: el.conversation.map((m) => m.content) };
  });
  expect(r.second).toEqual({ name: 'AttentionMoABusyError', code: 'busy', message: expect.stringMatching(/call stop\(\) first, or wait for the moa-done/) });
  expect(r.third).toBe('AttentionMoABusyError');
  expect(r.first).toBe(EXPECTED);
  expect(r.conversation).toEqual(['Why are there tides?', EXPECTED]);
  await page.evaluate(() => window.relEl.teardown());
});

test('50 rapid ask()/stop() pairs: each resolves (stopped or done), nothing leaks into the conversation or the workers, the next ask answers', async ({ page }) => {
  test.slow();
  const errors = await open(page);
  await page.evaluate(() => window.relEl.setup('none', { tokenDelayMs: 2 }));
  const workersBefore = page.workers().length;
  const r = await page.evaluate(() => window.relEl.rapidAskStop(50));
  expect(r.outcomes).toHaveLength(50);
  expect(r.outcomes.every((o) => o === 'stopped' || o === 'done')).toBe(true);
  // The stops landed in different phases: some before any call finished, some after several.
  const finished = r.phases.slice(0, -1).map((p) => Number(/· (\d+)(?: of 16)? calls? done/.exec(p)?.[1] ?? -1));
  expect(finished.filter((n) => n === 0).length).toBeGreaterThan(5);
  expect(finished.filter((n) => n >= 3).length).toBeGreaterThan(3);
  expect(r.last).toBe(EXPECTED);
  expect(r.status).toBe('done');
  // Only completed questions join the conversation: the stopped ones do not.
  const done = r.outcomes.filter((o) => o === 'done').length;
  expect(r.conversation).toHaveLength(2 * (done + 1));
  expect(r.conversation.slice(-2)).toEqual(['user: Why are there tides?', `assistant: ${EXPECTED}`]);
  // No worker was added or lost, and none is still busy with a stopped question.
  expect(page.workers().length).toBe(workersBefore);
  await expect.poll(() => page.evaluate(() => window.relEl.workerLoad())).toBe(0);
  await expect(lastTurn(page).locator('[part=status]')).toHaveText(/^Done/);
  expect(await page.evaluate(() => window.relEl.unhandled())).toEqual([]);
  expect(errors).toEqual([]);
  await page.evaluate(() => window.relEl.teardown());
});

test('bad questions through the component: a clear problem, the text back in the prompt box, the conversation so far kept', async ({ page }) => {
  const errors = await open(page);
  await page.evaluate(() => window.relEl.setup('none'));
  await ask(page, 'Why are there tides?');
  await settled(page, /^Done/);
  const requestsBefore = await page.evaluate(() => window.relEl.requests());
  const problem = el(page).locator('[part=error][role=alert]');
  const input = el(page).locator('textarea');

  // Typed into the box: a control character.
  await ask(page, 'Why\u0000 is the sea salty?');
  await expect(problem).toContainText('The question cannot be sent as it is');
  await expect(problem).toContainText('has the control character U+0000 at index 3');
  await expect(problem).toContainText('Next step: Edit it as the message says');
  await expect(input).toHaveValue('Why\u0000 is the sea salty?');

  // Through ask(): a 1 MB paste and half an emoji.
  await input.fill('');
  const big = await page.evaluate(async () => {
    const text = 'All work and no play makes a long question. '.repeat(23_000).slice(0, 1_000_000);
    const outcome = await window.relEl.el.ask(text).then(() => 'resolved', (e: Error & { code?: string }) => e.code ?? e.name);
    return { outcome, draftLength: (window.relEl.el.shadowRoot!.querySelector('textarea') as HTMLTextAreaElement).value.length };
  });
  expect(big).toEqual({ outcome: 'invalid-question', draftLength: 1_000_000 });
  await expect(problem).toContainText('is far too long for the models');
  await expect(problem).toContainText('Shorten the question to under about');
  await input.fill('');
  const surrogate = await page.evaluate(() => window.relEl.el.ask('cut emoji \uD83D').then(() => 'resolved', (e: Error & { code?: string }) => e.code));
  expect(surrogate).toBe('invalid-question');
  await expect(problem).toContainText('unpaired UTF-16 surrogate (U+D83D) at index 10');

  // Empty and whitespace-only: Send stays unavailable; ask() says what it needs.
  await input.fill('   \n ');
  await expect(el(page).locator('[part=send-button]')).toHaveAttribute('aria-disabled', 'true');
  expect(await page.evaluate(() => window.relEl.el.ask('   ').then(() => 'resolved', (e: Error) => `${e.name}: ${e.message}`))).toMatch(/^TypeError: ask\(text\): text must be a non-empty string/);

  // Nothing reached a model; the first turn and its place in the conversation are intact; a good question goes on.
  expect(await page.evaluate(() => window.relEl.requests())).toBe(requestsBefore);
  expect(await page.evaluate(() => window.relEl.el.conversation.map((m) => m.role))).toEqual(['user', 'assistant']);
  await input.fill('');
  await ask(page, 'And what about the sun?');
  await settled(page, /^Done/);
  await expect(problem).toHaveCount(0);
  const history = await page.evaluate(() => window.relEl.el.lastResult!.trace.find((c) => c.role === 'propose')!.messages.map((m) => m.content));
  expect(history).toEqual(['Why are there tides?', 'Final: tides follow the moon and the sun.', 'And what about the sun?']);
  expect(errors).toEqual([]);
  await page.evaluate(() => window.relEl.teardown());
});

test('bad settings: layers 0 / -1 / 1.5 / "abc" / 1e9, an unknown topology, malformed or duplicate model ids, a negative memory budget — each named, none thrown, the conversation kept', async ({ page }) => {
  const errors = await open(page);
  await page.evaluate(() => window.relEl.setup('none'));
  await ask(page, 'Why are there tides?');
  await settled(page, /^Done/);
  const problem = el(page).locator('[part=error]');
  const cases: [string, string | number, RegExp][] = [
    ['layers', '0', /layers must be a whole number from 1 to 10, got "?0"?/],
    ['layers', '-1', /from 1 to 10, got "?-1"?/],
    ['layers', '1.5', /from 1 to 10, got "?1\.5"?/],
    ['layers', 'abc', /from 1 to 10, got "abc"/],
    ['layers', 1e9, /layers must be a whole number from 1 to 10, got 1000000000/],
    ['attention', 'star', /attention must be one of full, self, ring, none, got "star"/],
    ['models', 'Qwen2.5-0.5B-Instruct!!, <b>', /"Qwen2\.5-0\.5B-Instruct!!", "<b>" are not model ids/],
    ['models', 'SmolLM2-360M-Instruct-q4f32_1-MLC, SmolLM2-360M-Instruct-q4f32_1-MLC', /is listed more than once/],
    ['memory-budget', '-1GB', /memory-budget must be a size like "4GB" or "1500MB", got "-1GB"/],
  ];
  for (const [field, value, message] of cases) {
    await page.evaluate(([f, v]) => {
      const el = window.relEl.el as unknown as Record<string, unknown> & HTMLElement;
      if (typeof v === 'number') el[f as string] = v; // a property set from script
      else el.setAttribute(f as string, v as string);
    }, [field, value] as const);
    await expect(problem, `${field}=${value}`).toContainText(`The "${field}" setting is not valid`);
    await expect(problem).toContainText(message);
    expect(await page.evaluate(() => window.relEl.el.ask('q').then(() => 'resolved', (e: Error & { code?: string }) => e.code))).toBe('invalid-attribute');
    await page.evaluate(([f, v]) => {
      const el = window.relEl.el as unknown as Record<string, unknown> & HTMLElement;
      if (typeof v === 'number') el[f as string] = undefined;
      el.removeAttribute(f as string);
      if (f === 'layers') el.setAttribute('layers', '1');
    }, [field, value] as const);
    await expect(problem).toHaveCount(0);
  }
  expect(await page.evaluate(() => window.relEl.el.conversation.length)).toBe(2);
  await expect(el(page).locator('[part=question]')).toHaveCount(1);
  await ask(page, 'And what about the sun?');
  await settled(page, /^Done/);
  expect(await page.evaluate(() => window.relEl.el.conversation.length)).toBe(4);
  expect(errors).toEqual([]);
  await page.evaluate(() => window.relEl.teardown());
});
