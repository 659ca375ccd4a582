import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The prebuilt library (the element's self-contained file, which also exports all of core; the npm modules for
// bundlers are tested in fresh-apps.spec.ts): web-llm must never be in the page's code; the agent worker is its own
// file (not inlined as base64) and loads web-llm as a lazy chunk of its own; the built files work, also from another origin.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'test/fixtures/generated/element-dist');
const OUT_URL = '/test/fixtures/generated/element-dist';
/** Strings that exist only in web-llm's bundle (its cache classes, TVM runtime, GPU detection). */
const WEBLLM_SIGNATURES = ['ArtifactIndexedDBCache', 'detectGPUDevice', 'tvmjs_runtime', 'MLCEngine'];

/** Every file reachable from `entry` through static (and optionally dynamic) relative imports. */
function graph(entry: string, dynamic: boolean): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    const specifiers = [...code.matchAll(/(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g)].map((m) => m[1]!);
    if (dynamic) specifiers.push(...[...code.matchAll(/import\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!));
    for (const s of specifiers) visit(resolve(dirname(file), s));
  };
  visit(entry);
  return [...seen];
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--mode', 'element', '--outDir', outDir, '--logLevel', 'error'], { cwd: root, stdio: 'pipe', timeout: 180_000 });
});

test('the page code of the built library contains no web-llm; the worker is a separate file that loads it lazily', () => {
  const index = join(outDir, 'attention-moa.js');
  const pageFiles = graph(index, true);
  for (const file of pageFiles) {
    const code = readFileSync(file, 'utf8');
    for (const signature of WEBLLM_SIGNATURES) expect(code.includes(signature), `${file} contains web-llm code (${signature})`).toBe(false);
    expect(code).not.toMatch(/data:(?:text|application)\/javascript;base64/);
  }
  // Lit, the Markdown renderer and core's page side, minified.
  expect(statSync(index).size).toBeLessThan(350_000);

  const assets = readdirSync(join(outDir, 'assets'));
  const worker = assets.find((f) => /^agent-worker-.*\.js$/.test(f));
  expect(worker, `agent worker file in ${assets.join(', ')}`).toBeDefined();
  // The page finds the worker next to itself (relative to import.meta.url), whatever path the package is served from.
  expect(readFileSync(index, 'utf8')).toContain(`new URL(\`assets/${worker}\`,import.meta.url)`);
  // The worker itself does not contain web-llm: it imports it on demand, for kind 'webllm' only.
  const workerFile = join(outDir, 'assets', worker!);
  const workerStatic = graph(workerFile, false);
  for (const file of workerStatic) for (const signature of WEBLLM_SIGNATURES) expect(readFileSync(file, 'utf8').includes(signature), `${file} (${signature})`).toBe(false);
  const withLazy = graph(workerFile, true);
  const webllmChunks = withLazy.filter((file) => WEBLLM_SIGNATURES.every((s) => readFileSync(file, 'utf8').includes(s)));
  expect(webllmChunks).toHaveLength(1);
  expect(statSync(webllmChunks[0]!).size).toBeGreaterThan(5_000_000);
  expect(pageFiles).not.toContain(webllmChunks[0]);
});

test('the built files run a pool, from the same origin and from another origin (blob bootstrap)', async ({ page, baseURL }) => {
  expect(existsSync(join(outDir, 'attention-moa.js'))).toBe(true);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/test/e2e/pages/runtime-built.html');
  const same: any = await page.evaluate((url) => (window as any).runBuilt(url), `${baseURL}${OUT_URL}/attention-moa.js`);
  expect(same).toMatchObject({ text: 'tokens from the built worker' });
  expect(same.workerUrl).toMatch(new RegExp(`^${baseURL}${OUT_URL}/assets/agent-worker-.*\\.js$`));
  const other = baseURL!.replace('127.0.0.1', 'localhost');
  const cross: any = await page.evaluate((url) => (window as any).runBuilt(url), `${other}${OUT_URL}/attention-moa.js`);
  expect(cross).toMatchObject({ text: 'tokens from the built worker' });
  expect(cross.workerUrl).toContain('localhost');
  // A scripted pool never fetched web-llm.
  expect(requests.filter((u) => /\/assets\/lib-/.test(u))).toEqual([]);
});
