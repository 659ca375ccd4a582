import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, test, type Page } from '@playwright/test';
import { GENERATED_DIR } from '../fixtures/gguf/tiny-models.js';
import { findChromium } from './chromium.js';
import { buildDemo } from './demo-server.js';

// The demo and a page using the component, built, served by a plain static server with a strict
// Content-Security-Policy header (scripts/serve.mjs --csp): no inline script or style, no eval (issue 9).
const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
const temporary: string[] = [];

interface Served {
  origin: string;
  policy: string;
  /** Violation reports the browser sent (report-uri), from the page and from its workers. */
  reports: string[];
}

/** scripts/serve.mjs on a free port; resolves to its origin, the policy it sends and the reports it receives. */
function serve(dir: string, args: string[]): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/serve.mjs', dir, '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    const served: Served = { origin: '', policy: '', reports: [] };
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      served.reports.splice(0, Infinity, ...[...out.matchAll(/^CSP violation: (.*)$/gm)].map((m) => m[1]!));
      const origin = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      const policy = /Content-Security-Policy: (.*)\n/.exec(out);
      if (!served.origin && origin && (policy || !args.includes('--csp'))) {
        Object.assign(served, { origin: `http://127.0.0.1:${origin[1]}`, policy: policy?.[1] ?? '' });
        resolve(served);
      }
    });
    child.stderr!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`serve.mjs ${dir} exited (${code}): ${out}`)));
  });
}

/** The reports, once the browser had time to send the last ones (they are posted asynchronously). */
async function reportsOf(page: Page, served: Served): Promise<string[]> {
  await page.waitForTimeout(500);
  return served.reports.map((r) => {
    const report = (JSON.parse(r) as { 'csp-report': Record<string, string> })['csp-report'];
    return `${report['effective-directive']} blocked ${report['blocked-uri']} in ${report['document-uri']}`;
  });
}

let demo: Served;
let samePage: Served;
let cdn: Served;
let cdnPage: Served;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'element', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  buildDemo();
  // The page's files next to the built element, served from one origin.
  const site = mkdtempSync(join(tmpdir(), 'moa-csp-'));
  temporary.push(site);
  for (const file of ['index.html', 'main.js', 'page.css']) symlinkSync(join(root, 'test/e2e/pages/csp', file), join(site, file));
  symlinkSync(join(root, 'packages/element/dist'), join(site, 'lib'));
  demo = await serve('dist/demo', ['--base', '/demo/', '--csp', 'strict']);
  samePage = await serve(site, ['--csp', 'strict']);
  // The element from a "CDN" on another origin: the page's policy names it in script-src.
  cdn = await serve('packages/element/dist', ['--cors']);
  cdnPage = await serve(site, ['--csp', samePage.policy.replace("script-src 'self'", `script-src 'self' ${cdn.origin}`)]);
});
test.afterAll(() => {
  for (const child of children) child.kill();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Collects CSP violations (the page's securitypolicyviolation events and the browser's console reports, workers included). */
async function watch(page: Page) {
  const problems: string[] = [];
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`));
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`console${message.worker() ? ' (worker)' : ''}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return async () => [...problems, ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))];
}

test('the documented policy is what the server sends: no unsafe-inline, no unsafe-eval', () => {
  for (const policy of [demo.policy, samePage.policy, cdnPage.policy]) {
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("'wasm-unsafe-eval'");
    expect(policy).toContain("worker-src 'self' blob:");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toMatch(/unsafe-inline|'unsafe-eval'/);
  }
  expect(demo.policy).toMatch(/connect-src 'self' https:\/\/huggingface\.co https:\/\/\*\.huggingface\.co https:\/\/\*\.hf\.co https:\/\/raw\.githubusercontent\.com;/);
});

for (const where of ['same-origin', 'cdn'] as const) {
  test(`a page using the component (${where === 'cdn' ? 'element from another origin, blob: worker bootstrap' : 'element from the same origin'}) answers under the strict policy with no violation`, async ({ page }) => {
    const problems = await watch(page);
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    const origin = where === 'cdn' ? cdnPage.origin : samePage.origin;
    await page.goto(`${origin}/index.html${where === 'cdn' ? `?cdn=${encodeURIComponent(cdn.origin)}` : ''}`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    const el = page.locator('attention-moa');
    const input = el.getByRole('textbox', { name: 'Your question' });
    await input.fill('What is the capital of France?');
    await input.press('Enter');
    await expect(el.locator('[part=loading] [part=progress]')).toHaveCount(3);
    await expect(el.locator('[part=status]')).toHaveText(/^Done/, { timeout: 30_000 });
    await expect(el.locator('[part=answer]')).toContainText('Paris is the capital of France.');
    await expect(el.locator('[part=answer] table td')).toHaveText(['Paris', 'France']);
    // The highlighter and the math renderer (chunks loaded on demand) work under the policy: coloured tokens, MathML.
    await expect(el.locator('[part=answer] [part=code-block] .tok-keyword').first()).toHaveText('def');
    const keyword = await el.locator('[part=answer] .tok-keyword').first().evaluate((s) => getComputedStyle(s).color);
    const plain = await el.locator('[part=answer] [part=code-block] code').first().evaluate((s) => getComputedStyle(s).color);
    expect(keyword).not.toBe(plain);
    await expect(el.locator('[part=answer] [part=math] math')).toHaveCount(2);
    await expect(el.locator('[part=answer] [part=math] mfrac')).toHaveCount(1);
    // The component's styles (adoptedStyleSheets) apply: the send button has its accent background, not the default.
    const send = await el.locator('[part=send-button]').evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(send).not.toMatch(/^rgba?\(0, 0, 0, 0\)$|^rgb\(239, 239, 239\)$/);
    // The details and the attention map (its cells are styled through CSSOM custom properties).
    await el.getByText('How this answer was made').click();
    const cell = el.locator('button[data-critic=Ada][data-target=Ben]').first();
    await cell.click();
    await expect(el.locator('[part=critique]').first()).toContainText('Ada on Ben');
    expect(await cell.evaluate((b) => getComputedStyle(b).getPropertyValue('--heat'))).toMatch(/^\d+%$/);
    // One agent worker per model: module workers from this origin, or blob: bootstraps of the CDN's worker.
    expect(workers).toHaveLength(3);
    expect(workers.every((url) => url.startsWith(where === 'cdn' ? `blob:${origin}/` : `${origin}/lib/assets/agent-worker-`))).toBe(true);
    expect(await problems()).toEqual([]);
    expect(await reportsOf(page, where === 'cdn' ? cdnPage : samePage)).toEqual([]);
  });
}

test('the demo under the strict policy: the simulation answers and compares, the panels open, a model download fails as a network error (not a CSP block)', async ({ page }) => {
  test.slow();
  const problems = await watch(page);
  await page.goto(`${demo.origin}/demo/`);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  // The page stylesheet applies (a <link> to the same origin).
  expect(await page.locator('body').evaluate((b) => getComputedStyle(b).fontFamily)).not.toBe('');
  await page.getByTestId('sim-speed').selectOption('instant');
  await page.getByTestId('start-simulation').click();
  await page.getByTestId('compare-toggle').check();
  await page.getByTestId('example').first().click();
  const el = page.locator('attention-moa');
  await expect.poll(() => el.evaluate((e: Element & { status?: string }) => e.status), { timeout: 60_000 }).toBe('done');
  // The comparison table's bars are sized from script: they must have a width under the policy.
  await expect(page.getByTestId('cmp-calls')).toHaveCount(3, { timeout: 30_000 });
  const widths = await page.locator('.bar span').evaluateAll((spans) => spans.map((s) => (s as HTMLElement).getBoundingClientRect().width));
  expect(widths.length).toBeGreaterThanOrEqual(6);
  expect(widths.some((w) => w > 10)).toBe(true);
  await page.getByTestId('open-cache').click();
  await expect(page.getByTestId('storage-used')).not.toHaveText('—');
  const meter = await page.locator('#panel-cache .meter span').evaluate((s) => (s as HTMLElement).style.width);
  expect(meter).toMatch(/%$/);
  await page.keyboard.press('Escape');
  // Real models: the download is allowed by connect-src and fails only because this machine is offline.
  await page.getByRole('button', { name: 'Setup' }).click();
  await page.getByTestId('start-models').click();
  await expect(page.getByTestId('start-error')).toContainText('could not be loaded', { timeout: 30_000 });
  await expect(page.getByTestId('start-error')).not.toContainText(/Content Security Policy|Refused/i);
  const list = await problems();
  // The offline download logs network failures; nothing else may appear, and nothing from the policy, in the page
  // or in the model workers (whose violations only the reports show).
  expect(list.filter((p) => !/net::ERR_NAME_NOT_RESOLVED|Failed to load resource|Failed to fetch/.test(p))).toEqual([]);
  expect(await reportsOf(page, demo)).toEqual([]);
});

test('the WASM engine (llama.cpp in WebAssembly) loads and answers under the strict policy: \'wasm-unsafe-eval\' is all it needs', async () => {
  test.setTimeout(120_000);
  // No --enable-unsafe-webgpu: no adapter, so the demo offers the CPU models. Hugging Face is answered with the
  // tiny generated GGUF models (connect-src allows the host; the route answers instead of the network).
  const browser = await chromium.launch({ executablePath: findChromium(), args: [] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const TINY: Record<string, string> = { 'SmolLM2-135M-Instruct-Q8_0.gguf': 'tiny-agent-a.gguf', 'smollm2-360m-instruct-q8_0.gguf': 'tiny-agent-b.gguf' };
    await context.route('https://huggingface.co/**', async (route) => {
      const file = TINY[route.request().url().split('/').pop()!];
      if (!route.request().url().includes('/resolve/') || !file) return route.fulfill({ status: 404, body: 'not found' });
      const body = readFileSync(`${root}/${GENERATED_DIR}/${file}`);
      await route.fulfill({ status: 200, body, headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'access-control-allow-origin': '*' } });
    });
    const page = await context.newPage();
    const problems = await watch(page);
    await page.goto(`${demo.origin}/demo/`);
    await expect(page.locator('html[data-ready]')).toBeAttached();
    await page.getByTestId('start-wasm').click();
    await expect(page.locator('.session-bar .chip')).toHaveText(['SmolLM2 135M', 'SmolLM2 360M · aggregator'], { timeout: 60_000 });
    await page.getByTestId('mode-single').click();
    const answer = await page.evaluate(async () => {
      const el = document.querySelector('attention-moa') as HTMLElement & { ask(q: string): Promise<{ trace: { usage?: { completion_tokens: number } }[] } | null> };
      const result = await el.ask('Why is the sky blue?');
      return result?.trace[0]?.usage?.completion_tokens ?? 0;
    });
    expect(answer).toBeGreaterThan(20);
    expect(await problems()).toEqual([]);
    expect(await reportsOf(page, demo)).toEqual([]);
  } finally {
    await browser.close();
  }
});
