import { expect, test } from '@playwright/test';
import { readFileSync, statSync } from 'node:fs';
import { build } from 'vite';
import { GENERATED_DIR, TINY_AGENTS } from '../fixtures/gguf/tiny-models.js';

// The prebuilt library (the element's self-contained file, which exports all of core) carries llama.cpp's wasm as a
// file next to it (not base64 in the JS, not a CDN URL), and the built code finds it and runs a real model from it.
// (The npm modules for bundlers ship no wasm: the app's bundler emits @wllama/wllama's; see fresh-apps.spec.ts.)
const OUT = 'test-results/element-build';

test('the self-contained build ships wllama.wasm once, as an asset, and runs a model from it on the page and in the agent worker', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await build({ configFile: 'vite.config.ts', mode: 'element', logLevel: 'warn', build: { outDir: OUT, emptyOutDir: true, sourcemap: false } });
  const wasm = statSync(`${OUT}/wllama.wasm`);
  expect(wasm.size).toBe(statSync('node_modules/@wllama/wllama/esm/wasm/wllama.wasm').size);
  const js = readFileSync(`${OUT}/attention-moa.js`, 'utf8');
  expect(js).toContain('new URL(`wllama.wasm`,import.meta.url)');
  expect(js).not.toContain('data:application/wasm');
  expect(js.length).toBeLessThan(350_000);
  expect(js).not.toMatch(/cdn\.jsdelivr|unpkg\.com/);

  const wasmRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('.wasm')) wasmRequests.push(new URL(r.url()).pathname);
  });
  await page.goto('/test/e2e/pages/wllama-built.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const modelUrl = `${baseURL}/${GENERATED_DIR}/${TINY_AGENTS[0]!.file}`;
  const result = await page.evaluate((m) => (window as unknown as { runBuilt(m: string): Promise<{ text: string; threads: number }> }).runBuilt(m), modelUrl);
  expect(result.text.trim().length).toBeGreaterThan(5);
  expect(result.threads).toBe(1);
  expect(wasmRequests).toEqual([`/${OUT}/wllama.wasm`]);
  // Through the built pool, in the built agent worker: the same single wasm file, the same greedy text.
  const pooled = await page.evaluate((m) => (window as unknown as { runBuiltPool(m: string): Promise<{ text: string }> }).runBuiltPool(m), modelUrl);
  expect(pooled.text).toBe(result.text);
  expect(wasmRequests).toEqual([`/${OUT}/wllama.wasm`, `/${OUT}/wllama.wasm`]);
  // One copy of the wasm in the package, shared by the page bundle and the worker chunk.
  const { readdirSync } = await import('node:fs');
  const wasmFiles = readdirSync(OUT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.wasm'));
  expect(wasmFiles).toEqual(['wllama.wasm']);
});
