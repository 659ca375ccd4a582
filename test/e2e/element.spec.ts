import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { PageSetup } from './pages/element-page';

// <attention-moa> from the package sources, with scripted engines: what users see and what pages receive.

type Recorded = { type: string; detail: any; bubbles: boolean; composed: boolean; target: string };
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

async function open(page: Page, setup: PageSetup = {}) {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate((s) => window.moaTest.setup(s), setup);
}
const el = (page: Page) => page.locator('attention-moa');
const events = (page: Page) => page.evaluate(() => window.moaTest.events as Recorded[]);
const statusLine = (page: Page) => el(page).locator('[part=status]').last();

async function ask(page: Page, question: string) {
  const input = el(page).locator('textarea');
  await input.fill(question);
  await input.press('Enter');
}
async function waitDone(page: Page) {
  await expect(statusLine(page)).toHaveText(/^Done/, { timeout: 30_000 });
}
/** The focused element inside the component's shadow root. */
function focused(page: Page) {
  return page.evaluate(() => {
    const active = window.moaTest.el.shadowRoot!.activeElement as HTMLElement | null;
    if (!active) return null;
    const style = getComputedStyle(active);
    return {
      tag: active.localName,
      part: active.getAttribute('part'),
      text: (active.getAttribute('aria-label') ?? active.textContent ?? '').trim().slice(0, 60),
      critic: active.dataset['critic'],
      target: active.dataset['target'],
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
    };
  });
}
async function tabUntil(page: Page, predicate: (f: Awaited<ReturnType<typeof focused>>) => boolean, key = 'Tab', max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (predicate(f)) return f;
  }
  throw new Error(`focus never reached the wanted element with ${key}`);
}

test('runs a 3-agent, 2-layer question: answer, agent cards, attention map, early stop', async ({ page }) => {
  await open(page);
  await ask(page, 'What is the capital of France?');
  await waitDone(page);
  const answer = el(page).locator('[part=answer]');
  await expect(answer).toContainText('Paris is the capital of France.');
  await expect(answer.locator('table')).toContainText('Seine');
  await expect(el(page).locator('[part=early-stop]')).toContainText('Stopped early after layer 2 of 2');
  await expect(el(page).locator('[part=header] .badge')).toHaveText('simulated');
  // Details are collapsed until asked for.
  await expect(el(page).locator('[part=agent-card]')).toHaveCount(0);
  await el(page).getByText('How this answer was made').click();
  await expect(el(page).locator('[part=layer]')).toHaveCount(2);
  const cards = el(page).locator('[part=agent-card]');
  await expect(cards).toHaveCount(6);
  await expect(cards.first()).toContainText('Ada proposes: Paris is the capital of France.');
  await expect(cards.first()).toContainText('Ada refined:');
  await expect(cards.first().locator('.badge')).toHaveText('simulated');
  const map = el(page).locator('[part=attention-map]').first();
  await expect(map.locator('button.cell')).toHaveCount(9);
  await expect(map.locator('button.cell.self')).toHaveCount(3);
  const adaOnBen = map.locator('button[data-critic=Ada][data-target=Ben]');
  await expect(adaOnBen).toHaveAccessibleName(/^\d+: Ada's critique of Ben, \d+ tokens$/);
  await adaOnBen.click();
  await expect(adaOnBen).toHaveAttribute('aria-expanded', 'true');
  await expect(map.locator('[part=critique]')).toContainText('Ben should cite the population source');
  await expect(el(page).locator('[part=stats] tbody tr')).toHaveCount(4);
  await expect(el(page).locator('[part=synthesis]').last()).toContainText('Stopped early after layer 2.');
});

test('events: names, order and payloads, bubbling and composed', async ({ page }) => {
  await open(page);
  await ask(page, 'What is the capital of France?');
  await waitDone(page);
  const list = await events(page);
  expect(list.every((e) => e.bubbles && e.composed && e.target === 'attention-moa')).toBe(true);
  const types = list.map((e) => e.type);
  expect(types[0]).toBe('moa-ready');
  expect(types[1]).toBe('moa-run-start');
  expect(types.at(-1)).toBe('moa-done');
  const start = list[1]!.detail;
  expect(start).toMatchObject({ question: 'What is the capital of France?', turn: 0, messages: [{ role: 'user', content: 'What is the capital of France?' }] });
  expect(start.plan.agents).toEqual(['Ada', 'Ben', 'Cy']);
  // Every call: start, then its tokens, then its end.
  const seen = new Map<number, string>();
  for (const e of list) {
    if (e.type === 'moa-call-start') {
      expect(seen.has(e.detail.call)).toBe(false);
      seen.set(e.detail.call, 'started');
    } else if (e.type === 'moa-call-token') {
      expect(seen.get(e.detail.call)).toBe('started');
      expect(typeof e.detail.token).toBe('string');
    } else if (e.type === 'moa-call-end') {
      expect(seen.get(e.detail.record.id)).toBe('started');
      seen.set(e.detail.record.id, 'ended');
    }
  }
  expect([...seen.values()].every((s) => s === 'ended')).toBe(true);
  expect(seen.size).toBe(33);
  const critiques = list.filter((e) => e.type === 'moa-call-start' && e.detail.role === 'critique');
  expect(critiques).toHaveLength(18);
  const layerEnds = list.filter((e) => e.type === 'moa-layer-end').map((e) => e.detail.layer);
  expect(layerEnds).toEqual([1, 2]);
  const early = types.indexOf('moa-early-stop');
  expect(early).toBeGreaterThan(types.lastIndexOf('moa-call-end'));
  expect(list[early]!.detail).toMatchObject({ layer: 2, mode: 'judge' });
  const answerTokens = list.filter((e) => e.type === 'moa-answer-token');
  const done = list.at(-1)!.detail;
  expect(answerTokens.map((e) => e.detail.token).join('')).toBe(done.result.answer);
  expect(answerTokens.at(-1)!.detail.answer).toBe(done.result.answer);
  expect(done.question).toBe('What is the capital of France?');
  expect(done.result.trace).toHaveLength(33);
  expect(done.result.earlyStop.layer).toBe(2);
  expect(types).not.toContain('moa-error');
  expect(types).not.toContain('moa-stopped');
});

test('stop() mid-run: the UI settles at once, the partial work stays, no further events, ask() resolves null', async ({ page }) => {
  await open(page, { tokenDelayMs: 40 });
  const outcome = page.evaluate(() => window.moaTest.el.ask('Slow question').then((r) => (r === null ? 'null' : 'result'), (e) => `rejected ${e.name}`));
  await expect.poll(async () => (await events(page)).filter((e) => e.type === 'moa-call-token').length).toBeGreaterThan(3);
  const stoppedWithin = await page.evaluate(async () => {
    const t0 = performance.now();
    const stopped = new Promise<number>((resolve) => window.moaTest.el.addEventListener('moa-stopped', () => resolve(performance.now() - t0), { once: true }));
    window.moaTest.el.stop();
    return stopped;
  });
  expect(stoppedWithin).toBeLessThan(100);
  expect(await outcome).toBe('null');
  await expect(statusLine(page)).toHaveText(/^Stopped/);
  const count = (await events(page)).length;
  await page.waitForTimeout(500);
  const after = await events(page);
  expect(after.length).toBe(count);
  expect(after.filter((e) => e.type === 'moa-stopped')).toHaveLength(1);
  expect(after.map((e) => e.type)).not.toContain('moa-done');
  // No final answer: the draft written so far stays, labelled as a draft that never became the answer.
  // (The first agent to write is the draft's: with equal engines, any of them.)
  await expect(el(page).locator('[part=draft-label]')).toContainText(/Draft from (Ada|Ben|Cy)'s proposal — stopped before the final answer\./);
  await expect(el(page).locator('[part=draft]')).toContainText(/Ada|Ben|Cy/);
  await expect(el(page).locator('[part=answer] [aria-live]')).toHaveText('');
  await el(page).getByText('How this answer was made').click();
  await expect(el(page).locator('[part=agent-card]').first()).toContainText('Ada');
  await expect(el(page).locator('[part=stop-button]')).toHaveAttribute('aria-disabled', 'true');
  // The element is usable again.
  await page.evaluate(() => window.moaTest.setup({}));
  await ask(page, 'Again');
  await waitDone(page);
});

test('ask() while a question is in flight rejects with AttentionMoABusyError and does not disturb the run', async ({ page }) => {
  await open(page, { tokenDelayMs: 5 });
  const first = page.evaluate(() => window.moaTest.el.ask('First').then((r) => r?.answer));
  const second = await page.evaluate(() => window.moaTest.el.ask('Second').then(() => 'resolved', (e) => ({ name: e.name, code: e.code })));
  expect(second).toEqual({ name: 'AttentionMoABusyError', code: 'busy' });
  expect(await first).toContain('Paris');
  await expect(el(page).locator('[part=question]')).toHaveCount(1);
});

test('keyboard only: ask, open the details, open a critique from the map, stop a run', async ({ page }) => {
  await open(page, { tokenDelayMs: 1 });
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const input = await tabUntil(page, (f) => f?.part === 'input');
  expect(input!.outline).toMatch(/solid [1-9]/);
  await page.keyboard.type('First line');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  await page.keyboard.press('Enter');
  await waitDone(page);
  await expect(el(page).locator('[part=question]')).toContainText('First line\nsecond line');
  const summary = await tabUntil(page, (f) => f?.tag === 'summary', 'Shift+Tab');
  expect(summary!.text).toContain('How this answer was made');
  expect(summary!.outline).toMatch(/solid [1-9]/);
  await page.keyboard.press('Enter');
  await expect(el(page).locator('[part=agent-card]')).toHaveCount(6);
  const cell = await tabUntil(page, (f) => f?.critic === 'Cy' && f?.target === 'Ada');
  expect(cell!.outline).toMatch(/solid [1-9]/);
  await page.keyboard.press('Enter');
  await expect(el(page).locator('[part=critique]').first()).toContainText('Cy on Ada: clear, add one fact.');
  await page.keyboard.press('Space');
  await expect(el(page).locator('[part=critique]')).toHaveCount(0);
  // A slow question, stopped from the keyboard.
  await page.evaluate(() => window.moaTest.setup({ tokenDelayMs: 50 }));
  await tabUntil(page, (f) => f?.part === 'input');
  await page.keyboard.type('Slow one');
  await page.keyboard.press('Enter');
  await expect(statusLine(page)).toHaveText(/^Layer 1/);
  const stop = await tabUntil(page, (f) => f?.part === 'stop-button');
  expect(stop!.outline).toMatch(/solid [1-9]/);
  await page.keyboard.press('Enter');
  await expect(statusLine(page)).toHaveText(/^Stopped/);
});

/** axe-core on the component (shadow DOM included): every violation, with the first nodes of each. */
async function axeViolations(page: Page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown; failureSummary: string }[] }[] }> } }).axe;
    const result = await axe.run({ include: [['attention-moa']] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, summary: n.failureSummary })) }));
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe-core: no serious or critical violations (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await open(page);
    await ask(page, 'What is the capital of France?');
    await waitDone(page);
    await el(page).getByText('How this answer was made').click();
    await el(page).locator('button[data-critic=Ada][data-target=Ben]').first().click();
    await el(page).locator('[part=agent-card] summary').first().click();
    const violations = await axeViolations(page);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
}

test('axe-core: loading, running and error states have no violations either', async ({ page }) => {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(() => window.moaTest.setupLoader({ models: ['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC'], totalBytes: [9e8, 4e8], steps: 30, stepMs: 100 }));
  await ask(page, 'q');
  await expect(el(page).locator('[part=progress]')).toHaveCount(2);
  expect(await axeViolations(page), 'loading').toEqual([]);
  await page.evaluate(() => window.moaTest.el.stop());
  await page.evaluate(() => window.moaTest.setup({ tokenDelayMs: 30 }));
  await ask(page, 'q');
  await el(page).getByText('How this answer was made').click();
  await expect(statusLine(page)).toHaveText(/critiquing/, { timeout: 20_000 });
  expect(await axeViolations(page), 'running').toEqual([]);
  await page.evaluate(() => window.moaTest.el.stop());
  await page.evaluate(() => window.moaTest.el.setAttribute('layers', 'abc'));
  await expect(el(page).locator('[part=error]')).toBeVisible();
  expect(await axeViolations(page), 'error').toEqual([]);
});

test('a model reply with HTML/Markdown attack payloads renders inert', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  const attack = [
    '<script>alert("s")</script>', '<img src="https://attacker.example/x.png" onerror="alert(1)">', '<iframe srcdoc="<script>alert(2)</script>"></iframe>',
    '[click](javascript:alert(3))', '[click2](JAVASCRIPT:alert(4))', '<a href="javascript:alert(5)">x</a>', '![p](https://attacker.example/p.png)',
    '<svg/onload=alert(6)>', '<style>*{color:red}</style>', '<form action="https://attacker.example"><button>go</button></form>',
    '<input autofocus onfocus=alert(7)>', '[data](data:text/html,<script>alert(8)</script>)',
  ].join('\n\n');
  await open(page, {
    rules: [
      { when: { role: 'propose' }, reply: attack },
      { when: { role: 'critique' }, reply: attack },
      { when: { role: 'aggregate' }, reply: attack },
    ],
  });
  await ask(page, '<img src=x onerror=alert("question")> what?');
  await waitDone(page);
  await el(page).getByText('How this answer was made').click();
  await el(page).locator('button[data-critic=Ada][data-target=Ben]').first().click();
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => {
    const root = window.moaTest.el.shadowRoot!;
    const all = [...root.querySelectorAll('*')];
    return {
      tags: [...new Set(all.map((e) => e.localName))],
      on: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.localName}[${a.name}]`)),
      hrefs: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      rels: [...root.querySelectorAll('a')].map((a) => a.getAttribute('rel')),
      question: root.querySelector('[part=question]')!.textContent,
      answer: root.querySelector('[part=answer]')!.textContent,
    };
  });
  expect(dialogs).toBe(0);
  expect(requests.filter((u) => u.includes('attacker.example'))).toEqual([]);
  expect(r.on).toEqual([]);
  for (const tag of ['script', 'iframe', 'img', 'svg', 'style', 'input']) expect(r.tags).not.toContain(tag);
  expect(r.tags.filter((t) => t === 'form')).toHaveLength(1); // only the component's own prompt form
  expect(r.hrefs.filter((h) => h && !/^https:\/\/attacker\.example\/p\.png$/.test(h))).toEqual([]);
  expect(r.rels.every((rel) => rel === 'noopener noreferrer')).toBe(true);
  expect(r.question).toContain('<img src=x onerror=alert("question")> what?');
  expect(r.answer).toContain('<script>alert("s")</script>');
});

test('bad attribute values are shown in the component and sent as moa-error, never thrown', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page);
  await page.evaluate(() => window.moaTest.el.setAttribute('layers', 'abc'));
  const alert = el(page).locator('[part=error]');
  await expect(alert).toContainText('The "layers" setting is not valid');
  await expect(alert).toContainText('got "abc"');
  await expect(alert).toContainText('Next step: Use e.g. layers="2"');
  await expect(alert).toHaveAttribute('role', 'alert');
  const list = await events(page);
  expect(list.filter((e) => e.type === 'moa-error').map((e) => e.detail)).toEqual([
    expect.objectContaining({ code: 'invalid-attribute', field: 'layers', message: expect.stringContaining('"abc"') }),
  ]);
  const rejected = await page.evaluate(() => window.moaTest.el.ask('q').then(() => 'resolved', (e) => ({ name: e.name, code: e.code })));
  expect(rejected).toEqual({ name: 'AttentionMoAElementError', code: 'invalid-attribute' });
  await page.evaluate(() => window.moaTest.el.setAttribute('attention', 'everyone'));
  await expect(alert).toContainText('"attention"');
  await page.evaluate(() => {
    window.moaTest.el.setAttribute('layers', '2');
    window.moaTest.el.setAttribute('attention', 'full');
  });
  await expect(alert).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a conversation: follow-ups send the history, turns stay visible, New conversation clears them', async ({ page }) => {
  await open(page);
  await ask(page, 'What is the capital of France?');
  await waitDone(page);
  await ask(page, 'And its river?');
  await expect(statusLine(page)).toHaveText(/^Done/, { timeout: 30_000 });
  await expect(el(page).locator('[part=question]')).toHaveText([/What is the capital of France\?/, /And its river\?/]);
  const starts = (await events(page)).filter((e) => e.type === 'moa-run-start');
  expect(starts.map((e) => e.detail.turn)).toEqual([0, 1]);
  expect(starts[1]!.detail.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(starts[1]!.detail.messages[1].content).toContain('Paris');
  expect(await page.evaluate(() => window.moaTest.el.conversation.length)).toBe(4);
  // Only the current answer is a live region.
  await expect(el(page).locator('[part=answer] [aria-live=polite]')).toHaveCount(1);
  await el(page).getByRole('button', { name: 'New conversation' }).click();
  await expect(el(page).locator('[part=question]')).toHaveCount(0);
  expect(await page.evaluate(() => window.moaTest.el.conversation.length)).toBe(0);
});

test('scripted engines are labelled "simulated" even when the page forgets to say so', async ({ page }) => {
  await page.goto('/test/e2e/pages/element.html');
  await page.evaluate(() => window.moaTest.el.removeAttribute('simulated'));
  // Engines handed over as agents are recognised at once.
  await page.evaluate(() => window.moaTest.setup({}));
  await expect(el(page).locator('[part=header] .badge')).toHaveText('simulated');
  // A prepared runner hides its engines: the scripted usage reports give them away during the run.
  await page.reload();
  await page.evaluate(() => window.moaTest.el.removeAttribute('simulated'));
  await page.evaluate(() => window.moaTest.setup({ via: 'moa' }));
  await expect(el(page).locator('[part=header] .badge')).toHaveCount(0);
  await ask(page, 'q');
  await waitDone(page);
  await expect(el(page).locator('[part=header] .badge')).toHaveText('simulated');
  await expect(el(page).locator('[part=answer] .badge')).toHaveText('simulated');
  expect((await events(page)).find((e) => e.type === 'moa-ready')!.detail).toEqual({ source: 'moa', agents: [], simulated: false });
});

test('Copy answer puts the Markdown answer on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await ask(page, 'q');
  await waitDone(page);
  const button = el(page).locator('[part=answer] > .answer-head button');
  await button.click();
  await expect(button).toHaveText('Copied ✓');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  expect(clip).toBe((await events(page)).find((e) => e.type === 'moa-done')!.detail.result.answer);
});

test('a failing run shows what happened and the next step, and sends moa-error', async ({ page }) => {
  await open(page, { rules: [{ when: { role: 'propose' }, fault: { kind: 'throw', atToken: 1, name: 'DeviceLostError', message: 'The WebGPU device was lost' } }] });
  const outcome = page.evaluate(() => window.moaTest.el.ask('q').then(() => 'resolved', (e) => ({ name: e.name, code: e.code })));
  const alert = el(page).locator('[part=error]');
  await expect(alert).toContainText('The GPU stopped responding');
  await expect(alert).toContainText('Next step:');
  expect(await outcome).toMatchObject({ name: 'AttentionMoAElementError' });
  const errs = (await events(page)).filter((e) => e.type === 'moa-error');
  expect(errs).toHaveLength(1);
  expect(errs[0]!.detail.nextStep).toMatch(/smaller or fewer models/);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);
});

test('models load with a progress bar per model (size, %, ETA) and the one-time download line, then answer', async ({ page }) => {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const models = ['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Llama-3.2-1B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC'];
  await page.evaluate(() => window.moaTest.el.removeAttribute('simulated'));
  await page.evaluate((m) => window.moaTest.setupLoader({ models: m, totalBytes: [945e6, 879e6, 376e6], steps: 8, stepMs: 150 }), models);
  await ask(page, 'Hello?');
  const loading = el(page).locator('[part=loading]');
  await expect(loading).toContainText('Downloading 2.2 GB once; cached in this browser for next time.');
  const rows = loading.locator('[part=progress]');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText(models[0]!);
  await expect(rows.nth(0)).toContainText(/\d+ % · \d+ MB of 945 MB · (about \d+ min|\d+ s) left/);
  await expect(rows.nth(2).locator('progress')).toHaveAccessibleName(models[2]!);
  await expect(el(page).locator('[part=header]')).toContainText('Loading models…');
  await expect(el(page).locator('[part=question]')).toContainText('Hello?');
  await expect(el(page).locator('[part=conversation]')).toContainText('Waiting for the models to load…');
  await expect(loading).toHaveCount(0, { timeout: 10_000 });
  await waitDone(page);
  const list = await events(page);
  const progress = list.filter((e) => e.type === 'moa-load-progress');
  expect(progress).toHaveLength(24);
  expect(progress.at(-1)!.detail).toMatchObject({ model: models[2], progress: 1, totalBytes: 376e6 });
  expect(progress.find((e) => e.detail.etaSeconds !== undefined && e.detail.etaSeconds > 0)).toBeTruthy();
  const ready = list.find((e) => e.type === 'moa-ready')!;
  expect(ready.detail).toEqual({ source: 'models', agents: ['Qwen2.5', 'Llama', 'SmolLM2'], simulated: true });
  expect(list.indexOf(ready)).toBeLessThan(list.findIndex((e) => e.type === 'moa-run-start'));
  // A second question reuses the loaded models.
  await ask(page, 'Again?');
  await expect(el(page).locator('[part=status]').last()).toHaveText(/^Done/, { timeout: 30_000 });
  expect((await events(page)).filter((e) => e.type === 'moa-load-progress')).toHaveLength(24);
});

test('stop() during model loading cancels the load; a failed load shows the next step', async ({ page }) => {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(() => window.moaTest.setupLoader({ models: ['A-MLC', 'B-MLC'], totalBytes: [1e9, 1e9], steps: 50, stepMs: 100 }));
  const outcome = page.evaluate(() => window.moaTest.el.ask('q').then((r) => (r === null ? 'null' : 'result'), (e) => `rejected ${e.name}`));
  await expect(el(page).locator('[part=progress]')).toHaveCount(2);
  await page.evaluate(() => window.moaTest.el.stop());
  expect(await outcome).toBe('null');
  await expect(el(page).locator('[part=loading]')).toHaveCount(0);
  await expect(el(page).locator('[part=error]')).toHaveCount(0);
  // The question that never ran is not lost: it is back in the prompt box.
  await expect(el(page).locator('[part=question]')).toHaveCount(0);
  await expect(el(page).locator('textarea')).toHaveValue('q');

  await page.evaluate(() => window.moaTest.setupLoader({
    models: ['A-MLC'], totalBytes: [1e9], steps: 2, stepMs: 50,
    fail: { name: 'StorageQuotaError', message: 'The storage quota is exhausted while caching weights.', code: 'QUOTA_EXCEEDED' },
  }));
  const failed = await page.evaluate(() => window.moaTest.el.ask('q').then(() => 'resolved', (e) => ({ name: e.name, code: e.code })));
  expect(failed).toEqual({ name: 'AttentionMoAElementError', code: 'storage-full' });
  const alert = el(page).locator('[part=error]');
  await expect(alert).toContainText('There is not enough storage to cache the models');
  await expect(alert).toContainText('Next step: Free some disk space');
  const err = (await events(page)).find((e) => e.type === 'moa-error')!;
  expect(err.detail).toMatchObject({ code: 'storage-full', error: { code: 'QUOTA_EXCEEDED' } });
});

test('compact hides the timeline but keeps the answer, status and early-stop notice', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.moaTest.el.setAttribute('compact', ''));
  await ask(page, 'q');
  await waitDone(page);
  await expect(el(page).locator('[part=answer]')).toContainText('Paris is the capital of France.');
  await expect(el(page).locator('[part=early-stop]')).toBeVisible();
  await expect(el(page).locator('[part=details]')).toHaveCount(0);
});

test('a 20k-token answer: at most one element render per animation frame, and the whole answer arrives', async ({ page }) => {
  test.setTimeout(120_000);
  const words = Array.from({ length: 20_000 }, (_, i) => (i % 50 === 49 ? `w${i}.\n\n` : `w${i}`));
  const long = words.join(' ');
  await open(page, { layers: 1, burst: 20, aggregatorContextWindow: 40_000, rules: [{ when: { role: 'aggregate' }, reply: long }] });
  await page.evaluate(() => window.moaTest.el.setAttribute('max-tokens', 'aggregate:30000'));
  const stats = await page.evaluate(async () => {
    const el = window.moaTest.el as unknown as { performUpdate(): void };
    const proto = Object.getPrototypeOf(el);
    let updates = 0;
    const original = proto.performUpdate;
    proto.performUpdate = function (this: unknown) {
      updates++;
      return original.call(this);
    };
    let frames = 0;
    let running = true;
    const tick = () => {
      frames++;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    const result = await window.moaTest.el.ask('Write a lot');
    running = false;
    proto.performUpdate = original;
    return { updates, frames, ms: performance.now() - t0, answerLength: result?.answer.length ?? 0 };
  });
  console.log(`20k-token answer: ${Math.round(stats.ms)} ms, ${stats.frames} frames, ${stats.updates} element renders`);
  expect(stats.answerLength).toBe(long.trim().length);
  expect(stats.updates).toBeLessThanOrEqual(stats.frames + 5);
  await expect(el(page).locator('[part=answer] p')).toHaveCount(400);
  await expect(el(page).locator('[part=answer] p').last()).toHaveText(/w19999\.$/);
});

test('preload starts loading the models when the element knows them, before any question', async ({ page }) => {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate(() => window.moaTest.setupLoader({ models: ['A-MLC', 'B-MLC'], totalBytes: [5e8, 5e8], steps: 4, stepMs: 100 }));
  await expect(el(page).locator('[part=loading]')).toHaveCount(0);
  await page.evaluate(() => window.moaTest.el.setAttribute('preload', ''));
  await expect(el(page).locator('[part=progress]')).toHaveCount(2);
  await expect.poll(async () => (await events(page)).some((e) => e.type === 'moa-ready')).toBe(true);
  await ask(page, 'q');
  await waitDone(page);
  expect((await events(page)).filter((e) => e.type === 'moa-ready')).toHaveLength(1);
});

test('restoreTurns shows saved turns as they were live (Markdown, status, details), as history; a bad turn throws a TypeError naming it', async ({ page }) => {
  await open(page);
  await ask(page, 'What is the capital of France?');
  await waitDone(page);
  const live = await statusLine(page).textContent();
  const saved = await page.evaluate(() => {
    const result = window.moaTest.el.lastResult!;
    // The same result, as if its answer had been cut at max_tokens (finish reason "length").
    const cut = structuredClone(result);
    const writer = [...cut.trace].reverse().find((c) => c.text.trim() === cut.answer.trim())!;
    writer.finishReason = 'length';
    writer.cut = true;
    return { result, cut };
  });
  await page.evaluate(() => window.moaTest.el.reset());
  await expect(el(page).locator('li.turn')).toHaveCount(0);
  await page.evaluate((s) => window.moaTest.el.restoreTurns([
    { question: 'What is the capital of France?', result: s.result },
    { question: 'Again, briefly?', result: s.cut },
  ]), saved);
  const turns = el(page).locator('li.turn');
  await expect(turns).toHaveCount(2);
  await expect(turns.first().locator('[part=answer] table')).toContainText('Seine');
  // The same status as live (layers, calls, tokens written); only the clock differs (the result's own duration).
  const restoredStatus = (await turns.first().locator('[part=status]').textContent())!;
  expect(restoredStatus.split(' · ').slice(1)).toEqual(live!.split(' · ').slice(1));
  expect(restoredStatus).toMatch(/tokens written$/);
  await expect(turns.first().locator('[part=answer] [part=cut-mark]')).toHaveCount(0);
  await expect(turns.nth(1).locator('[part=answer] [part=cut-mark]')).toContainText('Cut at the token limit');
  await turns.first().getByText('How this answer was made').click();
  await expect(turns.first().locator('[part=agent-card]').first()).toBeVisible();
  expect(await page.evaluate(() => window.moaTest.el.conversation.length)).toBe(4);
  // Regenerate the last turn, through its button: the run starts as turn 1 again and replaces it.
  await turns.nth(1).locator('[part=regenerate-button]').click();
  await waitDone(page);
  await expect(turns).toHaveCount(2);
  const starts = (await events(page)).filter((e) => e.type === 'moa-run-start');
  expect(starts.at(-1)!.detail.turn).toBe(1);
  expect(starts.at(-1)!.detail.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
  // Edit the first question: it comes back in the box; Send replaces it and drops the later turn.
  await turns.first().locator('[part=edit-button]').click();
  await expect(el(page).locator('textarea')).toHaveValue('What is the capital of France?');
  await expect(el(page).locator('textarea')).toBeFocused();
  await el(page).locator('textarea').fill('What is the capital of Italy?');
  await el(page).locator('textarea').press('Enter');
  await waitDone(page);
  await expect(el(page).locator('[part=question]')).toHaveText([/capital of Italy/]);
  expect((await events(page)).filter((e) => e.type === 'moa-run-start').at(-1)!.detail.turn).toBe(0);
  const bad = await page.evaluate(() => {
    try {
      window.moaTest.el.restoreTurns([{ question: 'ok' }, { question: '', result: undefined }] as never);
      return 'no error';
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  });
  expect(bad).toBe('TypeError: restoreTurns(turns): turns[1].question must be a non-empty string.');
});

test('Stop puts the question back in the prompt box, focused, and keeps the partial turn', async ({ page }) => {
  await open(page, { tokenDelayMs: 40 });
  await ask(page, 'Slow question');
  await expect.poll(async () => (await events(page)).filter((e) => e.type === 'moa-call-token').length).toBeGreaterThan(3);
  await el(page).locator('[part=stop-button]').click();
  await expect(statusLine(page)).toHaveText(/^Stopped/);
  await expect(el(page).locator('textarea')).toHaveValue('Slow question');
  await expect(el(page).locator('textarea')).toBeFocused();
  await expect(el(page).locator('li.turn')).toHaveCount(1);
});
