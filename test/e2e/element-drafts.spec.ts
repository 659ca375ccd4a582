import { expect, test, type Page } from '@playwright/test';
import type { PageSetup } from './pages/element-page';

// Drafts in <attention-moa> (issue 15): while the ensemble works, the best text so far shows as a labelled draft;
// the final answer replaces it in place (nothing below it moves, no empty frame), and the live region, the only
// thing a screen reader announces, receives the final answer alone, once.

type Recorded = { type: string; detail: any };

async function open(page: Page, setup: PageSetup = {}, attributes: Record<string, string> = {}) {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate((a) => Object.entries(a).forEach(([k, v]) => window.moaTest.el.setAttribute(k, v)), attributes);
  await page.evaluate((s) => window.moaTest.setup(s), setup);
}
const el = (page: Page) => page.locator('attention-moa');
const events = (page: Page) => page.evaluate(() => window.moaTest.events as Recorded[]);

interface Frame {
  running: boolean;
  /** The turn's answer area exists (not while the question waits for its run to start). */
  answerArea: boolean;
  /** Text of the draft the reader sees (empty when none is shown). */
  draft: string;
  label: string;
  /** The live region: its text and aria-busy. */
  live: string;
  busy: string | null;
  liveRegions: number;
  /** The draft sits outside every live region. */
  draftOutsideLive: boolean;
  /** Where the status line under the answer is, and the page's scroll position. */
  statusTop: number;
  scrollY: number;
}

/** Records what the answer area shows on every animation frame until the run has ended; `follow`: when the first
 *  draft shows, scroll to the bottom of the page, as a reader following the answer does. */
function recordFrames(page: Page, follow = false) {
  return page.evaluate(
    (follow) =>
      new Promise<Frame[]>((resolve) => {
        let scrolled = false;
        const frames: Frame[] = [];
        const root = window.moaTest.el.shadowRoot!;
        const sample = () => {
          const turn = [...root.querySelectorAll('.turn')].at(-1);
          const draft = turn?.querySelector<HTMLElement>('[part~=draft]');
          const shown = draft && getComputedStyle(draft).visibility === 'visible' ? draft.textContent ?? '' : '';
          const live = turn?.querySelectorAll<HTMLElement>('[aria-live=polite]') ?? [];
          const status = turn?.querySelector('[part=status]');
          const ended = ['done', 'stopped', 'error'].includes(window.moaTest.el.status);
          const running = !ended;
          frames.push({
            running,
            answerArea: !!turn?.querySelector('[part=answer]'),
            draft: shown.trim(),
            label: [...(turn?.querySelector('[part=draft-label]')?.children ?? [])]
              .filter((span) => getComputedStyle(span).visibility === 'visible')
              .map((span) => span.textContent ?? '')
              .join(' ')
              .replace(/\s+/g, ' ')
              .trim(),
            live: live[0]?.textContent?.trim() ?? '',
            busy: live[0]?.getAttribute('aria-busy') ?? null,
            liveRegions: live.length,
            draftOutsideLive: !draft || (!draft.closest('[aria-live]') && !draft.querySelector('[aria-live]')),
            statusTop: status?.getBoundingClientRect().top ?? 0,
            scrollY: window.scrollY,
          });
          if (follow && shown && !scrolled) {
            scrolled = true;
            window.scrollTo(0, document.documentElement.scrollHeight);
          }
          if (ended) resolve(frames);
          else requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
      }),
    follow,
  );
}

/** Where one text replaced another (a draft by the next, a draft by the answer), the status line below stayed put. */
function expectNoJumpAtReplacements(frames: Frame[]) {
  const shown = (f: Frame) => (f.live ? 'answer' : f.draft ? `draft ${f.label}` : '');
  const replacements = frames
    .map((f, i) => ({ before: frames[i - 1], after: f }))
    .filter(({ before, after }) => before && after.running && shown(before) && shown(after) !== shown(before));
  expect(replacements.length).toBeGreaterThan(0);
  for (const { before, after } of replacements) {
    expect(after.statusTop, `${shown(before!)} → ${shown(after)}`).toBeGreaterThanOrEqual(before!.statusTop);
    expect(after.scrollY, `${shown(before!)} → ${shown(after)}: scroll position`).toBe(before!.scrollY);
  }
}

async function askAndRecord(page: Page, question: string, follow = false) {
  const recording = recordFrames(page, follow);
  const input = el(page).locator('textarea');
  await input.fill(question);
  await input.press('Enter');
  return recording;
}

test('a labelled draft shows while the ensemble works; the final answer replaces it in place, announced once', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // One layer: the first proposal is the draft, the aggregate the answer.
  await open(page, { layers: 1, tokenDelayMs: 12 });
  const frames = await askAndRecord(page, 'What is the capital of France?');
  await expect(el(page).locator('[part=status]')).toHaveText(/^Done/);

  // The draft appeared, with its label, before any answer token, and was on screen for a while.
  const drafting = frames.filter((f) => f.draft);
  expect(drafting.length).toBeGreaterThan(5);
  const first = drafting[0]!;
  expect(first.live).toBe('');
  expect(first.label).toMatch(/^Draft from (Ada|Ben|Cy)'s proposal — the ensemble is still working on the final answer\.$/);
  expect(drafting.at(-1)!.draft).toMatch(/(Ada|Ben|Cy) proposes: Paris is the capital of France\./);
  // Then the final answer took its place: the last frames show the answer and no draft.
  const firstAnswer = frames.findIndex((f) => f.live);
  expect(firstAnswer).toBeGreaterThan(frames.indexOf(first));
  expect(frames.slice(firstAnswer).every((f) => !f.draft)).toBe(true);
  expect(frames[firstAnswer]!.label).toBe('Final answer being written in place of the draft.');
  await expect(el(page).locator('[part=draft]')).toHaveCount(0);
  await expect(el(page).locator('[part=draft-label]')).toHaveCount(0);
  const answer = el(page).locator('[part=answer]');
  await expect(answer).toContainText('Paris is the capital of France.');
  await expect(answer).not.toContainText('proposes');

  // No flicker: from the first draft to the end, every frame shows text (the draft, then the answer).
  const fromDraft = frames.slice(frames.indexOf(first));
  expect(fromDraft.filter((f) => !f.draft && !f.live)).toEqual([]);
  // No jump: when the answer replaces the draft, what is below it does not move up; the page never scrolls.
  expectNoJumpAtReplacements(frames);
  expect(new Set(frames.map((f) => f.scrollY))).toEqual(new Set([0]));

  // Screen readers: one live region; the draft is never in it; it holds nothing but the final answer, busy while
  // that streams, so it is announced once, complete (busy true → false exactly once, with the final text).
  const answering = frames.filter((f) => f.answerArea);
  expect(answering.every((f) => f.liveRegions === 1 && f.draftOutsideLive)).toBe(true);
  expect(answering.filter((f) => f.running).every((f) => f.busy === 'true')).toBe(true);
  expect(frames.every((f) => !/proposes/.test(f.live))).toBe(true);
  const settled = frames.filter((f, i) => f.busy === 'false' && frames[i - 1]?.busy === 'true');
  expect(settled).toHaveLength(1);
  expect(settled[0]!.live).toContain('Paris is the capital of France.');
  await expect(answer.locator('[aria-live=polite]')).toHaveAttribute('aria-busy', 'false');
  await expect(answer.locator('[aria-live=polite]')).toContainText('Paris is the capital of France.');

  // Pages get the drafts as events too, before the answer.
  const types = (await events(page)).map((e) => e.type);
  expect(types.indexOf('moa-draft-start')).toBeGreaterThan(-1);
  expect(types.indexOf('moa-draft-start')).toBeLessThan(types.indexOf('moa-answer-token'));
  expect(types.lastIndexOf('moa-draft-token')).toBeLessThan(types.indexOf('moa-answer-token'));
  const start = (await events(page)).find((e) => e.type === 'moa-draft-start')!;
  expect(start.detail).toMatchObject({ draft: 1, source: { role: 'propose', layer: 1 }, final: false });
});

test('two layers: layer 1\'s synthesis replaces the first draft, then the final answer; none of it moves the page', async ({ page }) => {
  // A phone, the page scrolled to the bottom as the draft shows (a reader following it).
  await page.setViewportSize({ width: 390, height: 500 });
  await open(page, { layers: 2, earlyStop: false, tokenDelayMs: 8 });
  const frames = await askAndRecord(page, 'What is the capital of France?', true);
  expect(Math.max(...frames.map((f) => f.scrollY))).toBeGreaterThan(0);
  await expect(el(page).locator('[part=status]')).toHaveText(/^Done/);
  // Each draft replaced the one before: a proposal, layer 1's synthesis, layer 2's (a residual step follows it).
  const labels = [...new Set(frames.map((f) => f.label).filter(Boolean))];
  expect(labels.slice(0, 3)).toEqual([
    expect.stringMatching(/^Draft from (Ada|Ben|Cy)'s proposal — the ensemble is still working on the final answer\.$/),
    "Draft layer 1's synthesis, by Aggregator — the ensemble is still working on the final answer.",
    "Draft layer 2's synthesis, by Aggregator — the ensemble is still working on the final answer.",
  ]);
  // The residual's answer may arrive whole at the end (it is held while it could be the judge's stop verdict).
  expect(labels.slice(3)).toEqual(labels.length > 3 ? ['Final answer being written in place of the draft.'] : []);
  const synthesis = frames.find((f) => f.label.startsWith("Draft layer 1's synthesis"))!;
  expect(synthesis.draft).toMatch(/^Answer/);
  const fromDraft = frames.slice(frames.findIndex((f) => f.draft));
  expect(fromDraft.filter((f) => !f.draft && !f.live)).toEqual([]);
  expectNoJumpAtReplacements(frames);
  await expect(el(page).locator('[part=answer] [aria-live=polite]')).toContainText('Paris, capital of France since 987.');
  const answering = frames.filter((f) => f.answerArea);
  expect(answering.filter((f) => f.liveRegions !== 1 || !f.draftOutsideLive || (f.live !== '' && !f.live.startsWith('Residual')))).toEqual([]);
});

test('drafts="false" shows only the final answer; the protocol writes no drafts', async ({ page }) => {
  await open(page, { layers: 1, tokenDelayMs: 5 }, { drafts: 'false' });
  expect(await page.evaluate(() => window.moaTest.el.drafts)).toBe(false);
  const frames = await askAndRecord(page, 'What is the capital of France?');
  await expect(el(page).locator('[part=status]')).toHaveText(/^Done/);
  expect(frames.filter((f) => f.draft || f.label)).toEqual([]);
  await expect(el(page).locator('[part=answer]')).toContainText('Paris is the capital of France.');
  expect((await events(page)).filter((e) => e.type.startsWith('moa-draft'))).toEqual([]);
  // Back on (the property, and the attribute removed): drafts again.
  await page.evaluate(() => window.moaTest.el.removeAttribute('drafts'));
  expect(await page.evaluate(() => window.moaTest.el.drafts)).toBe(true);
  await page.evaluate(() => window.moaTest.setup({ layers: 1, tokenDelayMs: 5 }));
  await askAndRecord(page, 'Again?');
  await expect(el(page).locator('[part=status]').last()).toHaveText(/^Done/);
  expect((await events(page)).filter((e) => e.type === 'moa-draft-start').length).toBeGreaterThan(0);
});

test('a bad drafts value is a problem that names the attribute and the fix', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.moaTest.el.setAttribute('drafts', 'sometimes'));
  const alert = el(page).locator('[part=error]');
  await expect(alert).toContainText('The "drafts" setting is not valid');
  await expect(alert).toContainText('drafts must be true or false, got "sometimes"');
  await expect(alert).toContainText('drafts="false"');
  const problem = (await events(page)).find((e) => e.type === 'moa-error');
  expect(problem?.detail).toMatchObject({ code: 'invalid-attribute', field: 'drafts' });
});

test('screenshots: a draft on screen, then the final answer, at 1280 and 390 px, light and dark', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = 'test-results/screenshots';
  // Slow critiques keep the finished draft on screen while the shots are taken.
  const rules = [
    { when: { role: 'critique' as const }, reply: '{agent} on {target}: clear; add the year of the figure.', tokenDelayMs: 400 },
    { when: { role: 'aggregate' as const }, reply: '**Paris** is the capital of France, on the Seine, with about 2.1 million people (2023). It has been the capital for most of the time since 987, and it is by far the largest city of the country.', tokenDelayMs: 250 },
  ];
  await open(page, { layers: 1, tokenDelayMs: 6, rules });
  await page.setViewportSize({ width: 1280, height: 800 });
  const input = el(page).locator('textarea');
  await input.fill('What is the capital of France, and what should I know about it?');
  await input.press('Enter');
  await expect(el(page).locator('[part=draft]')).toContainText('Population about 2.1 million');
  await expect(el(page).locator('[part=draft-label]')).toContainText('still working');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `${dir}/element-draft-${width}-${colorScheme}.png`, fullPage: true });
    }
  }
  // The final answer streaming in the draft's place (the area holds the draft's height until the run ends).
  await expect(el(page).locator('[part=answer] [aria-live]')).toContainText('capital of France, on', { timeout: 60_000 });
  await expect(el(page).locator('[part=draft]')).toHaveCount(0);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `${dir}/element-replacing-${width}-${colorScheme}.png`, fullPage: true });
    }
  }
  await expect(el(page).locator('[part=status]')).toHaveText(/^Done/, { timeout: 60_000 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `${dir}/element-final-${width}-${colorScheme}.png`, fullPage: true });
    }
  }
  // The phone width never scrolls sideways, draft or not.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
});
