import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

// An app whose bundler (Vite, no aliases) bundles the published package shape: @attention-moa/element resolved
// through node_modules and its package.json `exports` (dist/lib), with its dependencies deduplicated by the bundler.
const root = fileURLToPath(new URL('../..', import.meta.url));
let server: ChildProcess | undefined;
let origin = '';
let outDir = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  // The packages as they would be published: core (ES modules, tsc), then the element (self-contained file + dist/lib + d.ts).
  rmSync(join(root, 'packages/core/dist'), { recursive: true, force: true });
  run(['node_modules/typescript/bin/tsc', '-p', 'packages/core/tsconfig.build.json']);
  run(['node_modules/vite/bin/vite.js', 'build', '--mode', 'element', '--logLevel', 'error']);
  run(['node_modules/typescript/bin/tsc', '-p', 'packages/element/tsconfig.build.json']);
  outDir = mkdtempSync(join(tmpdir(), 'moa-bundled-'));
  // The app's build: plain Vite, no config file, so nothing points at the packages' sources.
  const script = `
    import { build } from 'vite';
    await build({ configFile: false, root: ${JSON.stringify(join(root, 'test/e2e/bundled'))}, logLevel: 'error',
      build: { outDir: ${JSON.stringify(outDir)}, emptyOutDir: true, target: 'es2022' }, worker: { format: 'es' } });`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'inherit' });
  origin = await new Promise<string>((resolve, reject) => {
    server = spawn(process.execPath, ['scripts/serve.mjs', outDir, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    server.stdout!.on('data', (chunk) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(String(chunk));
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    server.on('exit', (code) => reject(new Error(`serve.mjs exited ${code}`)));
  });
});

test.afterAll(() => {
  server?.kill();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('a bundled app uses the package by name: the element runs a question to the end', async ({ page }) => {
  const bundle = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
  const code = bundle.map((f) => readFileSync(join(outDir, 'assets', f), 'utf8')).join('\n');
  // Exactly one Lit in the app (Lit registers its version once per copy).
  expect(code.match(/litHtmlVersions/g)).toHaveLength(1);
  expect(code.match(/litElementVersions/g)).toHaveLength(1);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/index.html`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const input = page.locator('attention-moa textarea');
  await input.fill('Capital of France?');
  await input.press('Enter');
  await expect(page.locator('attention-moa [part=status]')).toHaveText(/^Done/, { timeout: 30_000 });
  await expect(page.locator('attention-moa [part=answer]')).toContainText('Paris is the capital of France (bundled app).');
  await expect(page.locator('body')).toHaveAttribute('data-calls', '33');
  expect(errors).toEqual([]);
});
