import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { GENERATED_DIR } from '../fixtures/gguf/tiny-models.js';
import { buildAndPack, createApp, freePort, removeAll, root, serve, sh, start, type Packed, type Served } from './fresh-apps/harness.js';

// The packages the way page authors use them (issue 16): packed tarballs installed into fresh apps outside the
// workspace, each app built by its own bundler for production and served by a plain static server, then
// <attention-moa> runs a question to a streamed answer with GGUF models (llama.cpp in WebAssembly) and with scripted
// engines, in agent workers the app's bundler built. No request may fail and no console error may appear.

test.describe.configure({ mode: 'serial' });

let packed: Packed | undefined;
let gguf: Served | undefined;
const servers: { stop(): void }[] = [];
/** Seconds per step, printed at the end (the README quotes them). */
const timings: [string, number][] = [];

function timed<T>(step: string, fn: () => T): T {
  const started = performance.now();
  const done = () => timings.push([step, (performance.now() - started) / 1000]);
  const result = fn();
  if (result instanceof Promise) return result.finally(done) as T;
  done();
  return result;
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  packed = timed('build and pack both packages', () => buildAndPack());
  // The tiny GGUF models from another 127.0.0.1 origin (CORS), like a model host.
  gguf = await serve(join(root, GENERATED_DIR), { cors: true });
});

test.afterAll(() => {
  for (const s of servers) s.stop();
  gguf?.stop();
  removeAll(packed);
  console.log(`fresh apps: ${timings.map(([s, t]) => `${s} ${t.toFixed(1)} s`).join(' · ')}`);
});

/** Everything a page author would notice going wrong: failed requests (404s), console errors, uncaught errors. */
function watch(page: Page) {
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed ${r.url()}: ${r.failure()?.errorText}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  const workers: string[] = [];
  // The agent workers (one per model); wllama's own llama.cpp workers inside them start from blob: URLs.
  page.on('worker', (w) => {
    if (!w.url().startsWith('blob:')) workers.push(w.url());
  });
  return { problems, requests, workers };
}

/** Asks through the UI and returns the answer texts the user saw while it streamed (one per change). */
async function askAndWatchStream(page: Page, question: string): Promise<string[]> {
  const el = page.locator('attention-moa');
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    const host = document.querySelector('attention-moa')!;
    const sample = () => {
      const text = host.shadowRoot?.querySelector('[part="answer"] .md')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      if (text && text !== w.seen.at(-1)) w.seen.push(text);
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  const input = el.getByRole('textbox', { name: 'Your question' });
  await input.fill(question);
  await input.press('Enter');
  await expect(el.locator('[part=status]')).toHaveText(/^Done/, { timeout: 90_000 });
  return page.evaluate(() => (window as unknown as { seen: string[] }).seen);
}

/** A run with two GGUF models in agent workers: real llama.cpp tokens streamed into the element. */
async function runWasm(page: Page, url: string, options: { example?: boolean } = {}) {
  const seen = watch(page);
  await page.goto(`${url}?engine=wasm&gguf=${encodeURIComponent(gguf!.origin)}`);
  // The test apps say when their script has run; the examples are left as a user would copy them.
  if (options.example) await expect(page.locator('attention-moa').getByRole('textbox', { name: 'Your question' })).toBeVisible();
  else await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const frames = await askAndWatchStream(page, 'Why is the sky blue?');
  const answer = page.locator('attention-moa [part="answer"] .md');
  const final = ((await answer.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  expect(final.length).toBeGreaterThan(10);
  // Streamed: the user saw at least one partial answer before the whole one.
  expect(frames.some((f) => f.length < final.length)).toBe(true);
  expect(seen.workers).toHaveLength(2);
  expect(seen.requests.filter((r) => r.endsWith('.wasm')).length).toBeGreaterThanOrEqual(1);
  expect(seen.problems).toEqual([]);
  return seen;
}

/** A run with scripted engines (test doubles, labelled simulated) in agent workers. */
async function runScripted(page: Page, url: string, expected: string) {
  const seen = watch(page);
  await page.goto(`${url}?engine=scripted`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await askAndWatchStream(page, 'Capital of France?');
  await expect(page.locator('attention-moa [part="answer"]')).toContainText(expected);
  await expect(page.locator('attention-moa').getByText('simulated').first()).toBeVisible();
  expect(seen.workers).toHaveLength(2);
  expect(seen.problems).toEqual([]);
  return seen;
}

/** The app's built file that holds web-llm (its cache class and engine name), if the build has one. */
function webllmChunk(dist: string): string | undefined {
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  return files.find((f) => {
    const code = readFileSync(join(dist, f), 'utf8');
    return code.includes('ArtifactIndexedDBCache') && code.includes('MLCEngine');
  });
}

/** Every file of `entry`'s module graph in an unpacked package: relative static and dynamic imports, followed. */
function moduleGraph(entry: string): { files: string[]; bare: string[] } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files: [...files], bare: [...bare] };
}

test('the tarballs: what apps need and nothing else, publint and attw clean, sizes reported', () => {
  const { core, element } = packed!;
  const paths = (t: typeof core) => t.files.map((f) => f.path);
  for (const t of [core, element]) {
    // No tests, no sources, no source maps (theirs would point into this repository), and the license.
    expect(paths(t).filter((p) => /(^|\/)(test|src)\/|\.map$|\.spec\.|\.test\./.test(p)), `${t.name}: files that must not ship`).toEqual([]);
    expect(paths(t)).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']));
  }
  // Core: ES modules for bundlers, the worker entry and its engine modules, declarations; no wasm of its own
  // (the app's bundler takes @wllama/wllama's).
  expect(paths(core)).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/protocol.js', 'dist/protocol.d.ts', 'dist/runtime/agent-worker.js', 'dist/runtime/default-worker.js', 'dist/engine/webllm/webllm.js', 'dist/engine/wllama/wllama.js', 'dist/engine/scripted/scripted-hosted.js']));
  expect(paths(core).filter((p) => p.endsWith('.wasm'))).toEqual([]);
  expect(paths(core).filter((p) => p.includes('prebuilt'))).toEqual([]);
  // Element: the self-contained file with its worker, chunks and the one wasm; the modules for bundlers.
  expect(paths(element)).toEqual(expect.arrayContaining(['dist/attention-moa.js', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'custom-elements.json', 'dist/THIRD-PARTY-NOTICES.txt']));
  expect(paths(element).filter((p) => /^dist\/assets\/agent-worker-.*\.js$/.test(p))).toHaveLength(1);
  expect(paths(element).filter((p) => p.endsWith('.wasm'))).toEqual(['dist/wllama.wasm']);

  // Unpacked, the protocol entry reaches no worker, runtime, WebLLM or wllama code: it is what Node imports.
  const unpacked = join(packed!.dir, 'unpacked-core');
  rmSync(unpacked, { recursive: true, force: true });
  mkdirSync(unpacked);
  execFileSync('tar', ['-xzf', core.file, '-C', unpacked]);
  const protocol = moduleGraph(join(unpacked, 'package/dist/protocol.js'));
  const reached = protocol.files.map((f) => posix.relative(join(unpacked, 'package/dist'), f));
  expect(reached.filter((f) => !/^(protocol\/|engine\/(contract|tokens|moa-error|scripted\/scripted)\.js$|protocol\.js$)/.test(f))).toEqual([]);
  expect(protocol.bare).toEqual([]);
  // The backends (optional peers) are reached only lazily, by import() in the engine that needs them (and the wasm by
  // new URL): an app without one still builds and loads, and a page that never runs an engine never fetches it.
  const distFiles = readdirSync(join(unpacked, 'package/dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  const staticBackend = distFiles.filter((f) => /\bfrom\s*['"]@(mlc-ai\/web-llm|wllama\/wllama)/.test(readFileSync(join(unpacked, 'package/dist', f), 'utf8')));
  expect(staticBackend).toEqual([]);

  // The linters page authors' tools trust.
  for (const t of [core, element]) expect(sh('npx', ['publint', 'run', t.file, '--strict'], root)).toMatch(/All good/);
  for (const t of [core, element]) sh('npx', ['attw', t.file, '--profile', 'esm-only', '--format', 'ascii'], root);

  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  console.log(`tarballs: ${[core, element].map((t) => `${t.name} ${mb(t.packed)} packed, ${mb(t.unpacked)} unpacked, ${t.files.length} files`).join(' · ')}`);
});

let viteApp = '';

test('Vite: a fresh TypeScript app type-checks with skipLibCheck off, builds, and streams answers from workers it built', async ({ page }) => {
  test.setTimeout(300_000);
  viteApp = timed('vite app: npm install', () => createApp(packed!, join(root, 'test/e2e/fresh-apps/vite'), 'vite-app'));
  timed('vite app: tsc --noEmit + vite build', () => sh('npm', ['run', 'build'], viteApp));
  const dist = join(viteApp, 'dist');
  // The agent worker and one lazy chunk per engine kind were emitted by the app's build, next to its own files.
  const chunk = webllmChunk(dist);
  expect(chunk, 'web-llm is installed in this app, so its lazy chunk is built').toBeDefined();
  expect(statSync(join(dist, chunk!)).size).toBeGreaterThan(5_000_000);
  const site = await serve(dist);
  servers.push(site);
  const wasm = await timed('vite app: runs', async () => {
    const seenWasm = await runWasm(page, `${site.origin}/index.html`);
    await runScripted(page, `${site.origin}/index.html`, 'Paris is the capital of France (fresh Vite app).');
    return seenWasm;
  });
  // web-llm stays a lazy chunk of the worker: a WASM-only page never fetches it.
  expect(wasm.requests.some((r) => r.endsWith(chunk!.split('/').pop()!))).toBe(false);

  // Core alone: createEnsemble from two GGUF URLs, each agent's context window and system turn from its model's record.
  const seen = watch(page);
  await timed('vite app: createEnsemble', async () => {
    await page.goto(`${site.origin}/index.html?engine=ensemble&gguf=${encodeURIComponent(gguf!.origin)}`);
    await expect(page.locator('body')).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
  });
  const body = page.locator('body');
  // 2048: the tiny models' own context length (their GGUF header), not the protocol's 4096 default.
  expect(await body.getAttribute('data-agents')).toBe('tiny-agent-a.gguf:2048:system,tiny-agent-b.gguf:2048:system');
  expect(Number(await body.getAttribute('data-tokens'))).toBeGreaterThan(3);
  expect(((await page.locator('#answer').textContent()) ?? '').trim().length).toBeGreaterThan(5);
  expect(seen.problems).toEqual([]);

  // The protocol alone, in Node, from the installed package.
  const node = JSON.parse(sh(process.execPath, ['protocol-in-node.mjs'], viteApp));
  // 2 agents, 1 layer, full attention: 2 proposals, 4 critiques, 2 refinements, 1 aggregate.
  expect(node).toEqual({ answer: 'Paris (from Node).', calls: 9, errorIsMoAError: true, code: 'CONFIG_INVALID' });
});

test("a chunk the app's server lost is reported as a missing file of the library, with its URL", async ({ page }) => {
  test.skip(!viteApp, 'needs the Vite app of the first test');
  const dist = join(viteApp, 'dist');
  const chunk = readdirSync(join(dist, 'assets')).find((f) => /^scripted-hosted-.*\.js$/.test(f));
  expect(chunk, 'the scripted engine is a lazy chunk of the worker').toBeDefined();
  const broken = join(viteApp, 'dist-broken');
  execFileSync('cp', ['-r', dist, broken]);
  rmSync(join(broken, 'assets', chunk!));
  const site = await serve(broken);
  servers.push(site);
  await page.goto(`${site.origin}/index.html?engine=scripted`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const el = page.locator('attention-moa');
  const input = el.getByRole('textbox', { name: 'Your question' });
  await input.fill('Capital of France?');
  await input.press('Enter');
  const problem = el.getByRole('alert');
  await expect(problem).toContainText('A file of this page could not be loaded', { timeout: 30_000 });
  await expect(problem).toContainText(`${site.origin}/assets/${chunk}`);
  await expect(problem).not.toContainText(/internet connection/i);
});

test("Vite: the same app on Vite's dev server", async ({ page }) => {
  test.setTimeout(180_000);
  test.skip(!viteApp, 'needs the Vite app of the previous test');
  const port = await freePort();
  const dev = await start('npx', ['vite', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], viteApp, /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//);
  servers.push(dev);
  const origin = dev.match[1]!;
  await timed('vite dev: runs', async () => {
    await runScripted(page, `${origin}/index.html`, 'Paris is the capital of France (fresh Vite app).');
    await runWasm(page, `${origin}/index.html`);
  });
});

test('webpack 5: a fresh app with only the WASM backend installed builds and streams answers from workers it built', async ({ page }) => {
  test.setTimeout(300_000);
  const app = timed('webpack app: npm install', () => createApp(packed!, join(root, 'test/e2e/fresh-apps/webpack'), 'webpack-app'));
  expect(() => statSync(join(app, 'node_modules/@mlc-ai/web-llm')), 'this app does not install WebLLM').toThrow();
  timed('webpack app: webpack build', () => sh('npm', ['run', 'build'], app));
  const dist = join(app, 'dist');
  expect(webllmChunk(dist)).toBeUndefined();
  const site = await serve(dist);
  servers.push(site);
  await timed('webpack app: runs', async () => {
    await runWasm(page, `${site.origin}/index.html`);
    await runScripted(page, `${site.origin}/index.html`, 'Paris is the capital of France (fresh webpack app).');
  });
});

// The examples in examples/, each installed from the tarballs, built by its own toolchain and run (issue 16).
const EXAMPLES = [
  { name: 'plain-html', build: false, site: '.' },
  { name: 'vite-react', build: true, site: 'dist' },
  { name: 'vite-vue', build: true, site: 'dist' },
] as const;

for (const example of EXAMPLES) {
  test(`examples/${example.name}: installed, ${example.build ? 'built and ' : ''}run to a streamed answer from two GGUF models`, async ({ page }) => {
    test.setTimeout(300_000);
    const app = timed(`${example.name}: npm install`, () => createApp(packed!, join(root, 'examples', example.name), example.name));
    if (example.build) timed(`${example.name}: npm run build`, () => sh('npm', ['run', 'build'], app));
    const site = await serve(join(app, example.site));
    servers.push(site);
    await timed(`${example.name}: runs`, () => runWasm(page, `${site.origin}/index.html`, { example: true }));
    if (example.name !== 'plain-html') await expect(page.locator('#answers')).toHaveText('1 answered');
  });
}
