import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { PageSetup } from './pages/element-page';

// Highlighted code and formulas in <attention-moa> answers (issue 20), as users see them: coloured token spans,
// MathML, prices left alone, math="off", a streamed answer that ends right without flicker; and the built file:
// the page chunk stays small and the highlighter and math chunks load only for answers that need them.
const root = fileURLToPath(new URL('../..', import.meta.url));

const ANSWER = [
  '## Result',
  '',
  'Prices stay text: it costs $5 and $10. Euler: $e^{i\\pi} + 1 = 0$, and \\(a^2 + b^2 = c^2\\).',
  '',
  '$$',
  '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}',
  '$$',
  '',
  '```python',
  'def area(r):',
  '    """Area of a circle."""',
  '    return 3.14159 * r ** 2  # pi r squared',
  '```',
  '',
  '```brainfuck',
  '++>+<[-]',
  '```',
  '',
  '| n | sum |',
  '|---|---|',
  '| 3 | $6$ |',
  '',
  'Broken TeX shows as written: $\\frac{1$.',
].join('\n');

async function open(page: Page, setup: PageSetup = {}) {
  await page.goto('/test/e2e/pages/element.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate((s) => window.moaTest.setup(s), { layers: 1, ...setup });
}
const el = (page: Page) => page.locator('attention-moa');
const answer = (page: Page) => el(page).locator('[part=answer] .md:not(.draft)').last();

async function ask(page: Page, question: string) {
  const input = el(page).locator('textarea');
  await input.fill(question);
  await input.press('Enter');
  await expect(el(page).locator('[part=status]').last()).toHaveText(/^Done/, { timeout: 30_000 });
}

test('a fenced block in a known language is highlighted: coloured token spans, the code unchanged, copy gives the source; an unknown language stays plain', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, { rules: [{ when: { role: 'aggregate' }, reply: ANSWER }] });
  await ask(page, 'Show me code');
  const [python, unknown] = [answer(page).locator('[part=code-block]').nth(0), answer(page).locator('[part=code-block]').nth(1)];
  await expect(python.locator('.tok-keyword').first()).toHaveText('def');
  await expect(python.locator('.tok-comment')).toHaveText('# pi r squared');
  await expect(python.locator('.tok-string')).toHaveText('"""Area of a circle."""');
  await expect(python.locator('.tok-number').first()).toHaveText('3.14159');
  await expect(python.locator('pre')).toHaveText('def area(r):\n    """Area of a circle."""\n    return 3.14159 * r ** 2  # pi r squared');
  const colours = await python.evaluate((block) => {
    const colour = (selector: string) => getComputedStyle(block.querySelector(selector)!).color;
    return { code: colour('code'), keyword: colour('.tok-keyword'), comment: colour('.tok-comment'), string: colour('.tok-string'), italic: getComputedStyle(block.querySelector('.tok-comment')!).fontStyle };
  });
  expect(new Set([colours.code, colours.keyword, colours.comment, colours.string]).size).toBe(4);
  expect(colours.italic).toBe('italic');
  await expect(unknown.locator('pre')).toHaveText('++>+<[-]');
  await expect(unknown.locator('[class^=tok-]')).toHaveCount(0);
  await python.getByRole('button', { name: 'Copy code' }).click();
  await expect(python.getByRole('button')).toHaveText('Copied ✓');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('def area(r):\n    """Area of a circle."""\n    return 3.14159 * r ** 2  # pi r squared');
});

test('formulas render as MathML: inline and display, the structure of the TeX; prices stay text; broken TeX shows as code; Copy answer gives the Markdown', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, { rules: [{ when: { role: 'aggregate' }, reply: ANSWER }] });
  await ask(page, 'Show me math');
  const md = answer(page);
  await expect(md.locator('[part=math] math')).toHaveCount(4);
  const formulas = await md.evaluate((root) =>
    [...root.querySelectorAll('.math')].map((box) => {
      const math = box.querySelector('math');
      return {
        kind: box.className,
        display: math?.getAttribute('display') ?? null,
        ns: math?.namespaceURI ?? null,
        tags: math ? [...new Set([...math.querySelectorAll('*')].map((e) => e.localName))].sort() : [],
        tex: math?.querySelector('annotation')?.textContent ?? null,
        error: box.querySelector('.math-error')?.textContent ?? null,
        width: box.getBoundingClientRect().width,
        height: box.getBoundingClientRect().height,
      };
    }),
  );
  expect(formulas.map((f) => [f.kind, f.display, f.tex, f.error])).toEqual([
    ['math math-inline rendered', null, 'e^{i\\pi} + 1 = 0', null],
    ['math math-inline rendered', null, 'a^2 + b^2 = c^2', null],
    ['math math-display rendered', 'block', '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}', null],
    ['math math-inline rendered', null, '6', null],
    ['math math-inline', null, null, '$\\frac{1$'],
  ]);
  expect(formulas.slice(0, 4).every((f) => f.ns === 'http://www.w3.org/1998/Math/MathML' && f.width > 0 && f.height > 0)).toBe(true);
  expect(formulas[0]!.tags).toEqual(expect.arrayContaining(['mi', 'mn', 'mo', 'msup', 'mrow']));
  expect(formulas[2]!.tags).toEqual(expect.arrayContaining(['mfrac', 'munderover']));
  // The display formula is a block of its own, centred, as wide as the answer.
  const display = await md.locator('.math-display').evaluate((box) => ({ display: getComputedStyle(box).display, width: box.getBoundingClientRect().width, parent: box.parentElement!.getBoundingClientRect().width }));
  expect(display.display).toBe('block');
  expect(Math.abs(display.width - display.parent)).toBeLessThan(2);
  await expect(md.locator('p').first()).toContainText('Prices stay text: it costs $5 and $10. Euler:');
  await expect(md.locator('td').nth(1).locator('math')).toHaveCount(1);
  await el(page).getByRole('button', { name: 'Copy answer' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ANSWER);
});

test('math="off": dollars and backslashes are shown as written, and switching it on renders them', async ({ page }) => {
  await open(page, { rules: [{ when: { role: 'aggregate' }, reply: 'Area $A = \\pi r^2$ and $$x^2$$ for $5.' }] });
  await el(page).evaluate((e) => e.setAttribute('math', 'off'));
  await ask(page, 'Area?');
  await expect(answer(page)).toHaveText('Area $A = \\pi r^2$ and $$x^2$$ for $5.');
  await expect(answer(page).locator('math')).toHaveCount(0);
  await el(page).evaluate((e) => e.setAttribute('math', 'on'));
  await expect(answer(page).locator('math')).toHaveCount(2);
  await el(page).evaluate((e) => e.setAttribute('math', 'maybe'));
  await expect(el(page).locator('[part=error]')).toContainText('math must be on or off, got "maybe"');
});

test('a streamed answer with code and math ends right; a highlighted block never turns plain again and formulas never go back to source', async ({ page }) => {
  await open(page, { tokenDelayMs: 3, burst: 3, rules: [{ when: { role: 'aggregate' }, reply: ANSWER }] });
  // Sample the final answer's DOM every frame while it streams.
  await page.evaluate(() => {
    const w = window as unknown as { frames: { highlighted: number; rendered: number; blocks: number }[]; stopSampling: boolean };
    w.frames = [];
    w.stopSampling = false;
    const sample = () => {
      const md = document.querySelector('attention-moa')!.shadowRoot!.querySelector('[part=answer] .md:not(.draft)');
      if (md) {
        w.frames.push({
          highlighted: md.querySelectorAll('code.highlighted').length,
          rendered: md.querySelectorAll('.math.rendered').length,
          blocks: md.querySelectorAll('[part=code-block]').length,
        });
      }
      if (!w.stopSampling) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  await ask(page, 'Stream it');
  const frames = await page.evaluate(() => {
    const w = window as unknown as { frames: { highlighted: number; rendered: number }[]; stopSampling: boolean };
    w.stopSampling = true;
    return w.frames;
  });
  expect(frames.length).toBeGreaterThan(10);
  // Monotonic: once highlighted / rendered, it stays so in every later frame (no flicker back to plain).
  for (let i = 1; i < frames.length; i++) {
    expect(frames[i]!.highlighted, `frame ${i}`).toBeGreaterThanOrEqual(frames[i - 1]!.highlighted);
    expect(frames[i]!.rendered, `frame ${i}`).toBeGreaterThanOrEqual(frames[i - 1]!.rendered);
  }
  // Highlighting and formulas appeared while the answer was still streaming, not only at the end.
  const firstHighlighted = frames.findIndex((f) => f.highlighted > 0);
  expect(firstHighlighted).toBeGreaterThan(-1);
  expect(firstHighlighted).toBeLessThan(frames.length - 1);
  const md = answer(page);
  await expect(md.locator('code.highlighted')).toHaveCount(1);
  await expect(md.locator('.math.rendered')).toHaveCount(4);
  await expect(md.locator('.math-error')).toHaveText('$\\frac{1$');
  await expect(md.locator('table td')).toHaveCount(2);
  await expect(md.locator('h4')).toHaveText('Result');
});

test.describe('the built file (dist/attention-moa.js)', () => {
  test.beforeAll(() => {
    test.setTimeout(120_000);
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'element', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  });

  async function openBuilt(page: Page) {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.route('**/rich-probe.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><meta charset="utf-8"><script type="module" src="/packages/element/dist/attention-moa.js"></script><attention-moa></attention-moa>`,
      }),
    );
    await page.goto('/rich-probe.html');
    await page.waitForFunction(() => customElements.get('attention-moa') !== undefined);
    await page.waitForLoadState('networkidle');
    return requested;
  }

  test('the page chunk is ≤ 40 kB gzip and holds neither the highlighter, nor KaTeX, nor marked', async ({ page }) => {
    const requested = await openBuilt(page);
    const scripts = requested.filter((p) => p.endsWith('.js'));
    const bytes = scripts.map((p) => readFileSync(`${root}${p}`));
    const gzip = bytes.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
    console.log(`page: ${scripts.map((s) => s.split('/').pop()).join(' + ')} = ${(gzip / 1024).toFixed(1)} kB gzip`);
    expect(gzip).toBeLessThanOrEqual(40 * 1024);
    const code = bytes.join('\n');
    for (const marker of ['refractor', 'KaTeX parse error', 'Infinite loop on byte', 'mathvariant']) expect(code, marker).not.toContain(marker);
  });

  test('an answer without code or math never requests the highlighter or the math chunk; code loads only the highlighter, a formula the math renderer', async ({ page }) => {
    const requested = await openBuilt(page);
    const answers = ['**Paris** is the capital.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nIt costs $5 and $10.\n\n```\nplain block\n```\n\n    indented code', '```js\nconst x = 1;\n```', 'So $x^2$.'];
    await page.evaluate(async (replies) => {
      const core = await import('/packages/element/dist/core.js' as string);
      const el = document.querySelector('attention-moa') as HTMLElement & { agents: unknown; setAttribute(n: string, v: string): void };
      el.setAttribute('attention', 'none');
      // One call per question (a single agent, no critiques): the replies in turn.
      el.agents = [{ name: 'Solo', engine: new core.ScriptedEngine({ rules: [{ reply: replies }] }) }];
    }, answers);
    const chunks = () => requested.map((p) => /\/(highlight|math-render)-[\w-]+\.js$/.exec(p)?.[1]).filter(Boolean);
    const askBuilt = async (q: string) => {
      await page.evaluate((question) => (document.querySelector('attention-moa') as unknown as { ask(q: string): Promise<unknown> }).ask(question), q);
      await page.waitForLoadState('networkidle');
    };
    await askBuilt('Plain?');
    await expect(page.locator('attention-moa [part=answer] td').first()).toHaveText('1');
    expect(chunks()).toEqual([]);
    await askBuilt('Code?');
    await expect(page.locator('attention-moa [part=answer] .tok-keyword').last()).toHaveText('const');
    expect(chunks()).toEqual(['highlight']);
    await askBuilt('Math?');
    await expect(page.locator('attention-moa [part=answer] math')).toHaveCount(1);
    expect(chunks()).toEqual(['highlight', 'math-render']);
  });
});
