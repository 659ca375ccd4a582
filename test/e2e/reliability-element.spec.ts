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

for (const { kind, reason, calls } of DROPS) {
  test(`fault "${kind}": the answer comes from the others, the turn says which agent was dropped and why; the next question works`, async ({ page }) => {
    if (kind === 'terminate') test.slow();
    const errors = await open(page);
    await page.evaluate((k) => window.relEl.setup(k), kind);
    await ask(page, 'Why are there tides?');
    await settled(page, new RegExp(`^Done.* · 1 layer · ${calls} calls`));
    const turn = lastTurn(page);
    await expect(turn.locator('[part=answer] .md')).toHaveText(EXPECTED);
    // Visible without opening anything: who was dropped, when, and why.
    await expect(turn.locator('[data-testid=dropped-note], .note').filter({ hasText: 'B was dropped' })).toContainText(reason);
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

test('the aggregator fails mid-answer: the withdrawn text is replaced by the stand-in\'s answer, and a note says so', async ({ page }) => {
  const errors = await open(page);
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

test('every agent fails: an alert says what happened and what to do, moa-error carries ALL_AGENTS_FAILED; the next question works', async ({ page }) => {
  const errors = await open(page);
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
