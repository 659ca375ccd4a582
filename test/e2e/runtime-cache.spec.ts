import { expect, test, chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from './chromium.js';

// The model cache: WebLLM's IndexedDB layout (read without web-llm on the page), the registry, persistence.

const HF = 'https://huggingface.co/mlc-ai/';
const LIBS = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/';
type Seed = { db: 'webllm/model' | 'webllm/config' | 'webllm/wasm'; url: string; json?: unknown; bytes?: number };

/** What WebLLM stores for a model: the weights manifest, the shards listed in it, tokenizer, config, library. */
function webllmFiles(id: string, lib: string, shards: number[], options: { present?: number[]; base?: string } = {}) {
  const base = options.base ?? `${HF}${id}/resolve/main/`;
  const manifest = { metadata: { ParamSize: shards.length, ParamBytes: shards.reduce((a, b) => a + b, 0) }, records: shards.map((nbytes, i) => ({ dataPath: `params_shard_${i}.bin`, format: 'raw-shard', nbytes, records: [] })) };
  const seeds: Seed[] = [
    { db: 'webllm/model', url: `${base}tensor-cache.json`, json: manifest },
    ...shards.map((nbytes, i) => ({ db: 'webllm/model' as const, url: `${base}params_shard_${i}.bin`, bytes: nbytes })).filter((_, i) => !options.present || options.present.includes(i)),
    { db: 'webllm/model', url: `${base}tokenizer.json`, bytes: 300 },
    { db: 'webllm/config', url: `${base}mlc-chat-config.json`, bytes: 200 },
    { db: 'webllm/wasm', url: `${LIBS}${lib}`, bytes: 400 },
  ];
  return { seeds, manifestBytes: new TextEncoder().encode(JSON.stringify(manifest)).byteLength, base };
}

async function open(page: Page) {
  await page.goto('/test/e2e/pages/runtime.html');
  await expect(page.locator('#status')).toHaveText('ready');
}

test('the cache API lists, sizes and deletes models stored the way WebLLM stores them, and WebLLM agrees', async ({ page }) => {
  await open(page);
  const smol = webllmFiles('SmolLM2-135M-Instruct-q0f32-MLC', 'SmolLM2-135M-Instruct-q0f32_cs1k-webgpu.wasm', [1000, 2500]);
  const qwen = webllmFiles('Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm', [4000, 4000], { present: [0] });
  const gemma = webllmFiles('gemma-2-2b-it-q4f32_1-MLC', 'gemma-2-2b-it-q4f32_1_cs1k-webgpu.wasm', [700]);
  await page.evaluate((seeds) => window.rt.seedWebLLMCache(seeds as never), [...smol.seeds, ...qwen.seeds, ...gemma.seeds]);
  await page.evaluate(() => window.rt.recordUse({ model: 'https://huggingface.co/mlc-ai/SmolLM2-135M-Instruct-q0f32-MLC', model_id: 'SmolLM2-135M-Instruct-q0f32-MLC', model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/SmolLM2-135M-Instruct-q0f32_cs1k-webgpu.wasm' }, 1_700_000_000_000));

  const list: any[] = await page.evaluate(() => window.rt.cacheList()) as any[];
  expect(list.map((m) => m.modelId).sort()).toEqual(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'SmolLM2-135M-Instruct-q0f32-MLC', 'gemma-2-2b-it-q4f32_1-MLC']);
  const smolEntry = list.find((m) => m.modelId === 'SmolLM2-135M-Instruct-q0f32-MLC');
  expect(smolEntry).toMatchObject({
    modelUrl: smol.base,
    complete: true,
    files: 6,
    parts: { weights: 3500 + smol.manifestBytes, tokenizer: 300, config: 200, library: 400 },
    sizeBytes: 3500 + smol.manifestBytes + 900,
    lastUsed: 1_700_000_000_000,
  });
  expect(list.find((m) => m.modelId.startsWith('Qwen'))).toMatchObject({ complete: false, parts: { weights: 4000 + qwen.manifestBytes } });
  // The 1k-context build uses the same weights: one entry, both ids.
  expect(list.find((m) => m.modelId.startsWith('gemma')).modelIds).toEqual(['gemma-2-2b-it-q4f32_1-MLC', 'gemma-2-2b-it-q4f32_1-MLC-1k']);

  // has(): same answer as WebLLM's own hasModelInCache (asked inside a worker).
  for (const [id, expected] of [['SmolLM2-135M-Instruct-q0f32-MLC', true], ['Qwen2.5-0.5B-Instruct-q4f32_1-MLC', false], ['gemma-2-2b-it-q4f32_1-MLC-1k', true], ['Llama-3.2-1B-Instruct-q4f32_1-MLC', false]] as const) {
    expect(await page.evaluate((x) => window.rt.cacheHas(x), id), id).toBe(expected);
    expect(await page.evaluate((x) => window.rt.webllmHasModel(x), id), id).toEqual({ has: expected });
  }
  const registry: any[] = await page.evaluate(() => window.rt.registry()) as any[];
  expect(registry).toEqual([expect.objectContaining({ modelId: 'SmolLM2-135M-Instruct-q0f32-MLC', modelUrl: smol.base, lastUsed: 1_700_000_000_000, sizeBytes: smolEntry.sizeBytes })]);

  // Delete one: its files, library and registry row go; WebLLM no longer finds it; the others stay.
  const deleted: any = await page.evaluate(() => window.rt.cacheDelete('SmolLM2-135M-Instruct-q0f32-MLC'));
  expect(deleted).toEqual({ files: 6, bytes: smolEntry.sizeBytes });
  expect(await page.evaluate(() => window.rt.webllmHasModel('SmolLM2-135M-Instruct-q0f32-MLC'))).toEqual({ has: false });
  expect(((await page.evaluate(() => window.rt.cacheList())) as any[]).map((m) => m.modelId).sort()).toEqual(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'gemma-2-2b-it-q4f32_1-MLC']);
  expect(await page.evaluate(() => window.rt.registry())).toEqual([]);

  // Delete all.
  const all: any = await page.evaluate(() => window.rt.cacheDeleteAll());
  expect(all.files).toBe(5 + 5); // Qwen: manifest, 1 of 2 shards, tokenizer, config, library; gemma: manifest, 1 shard, tokenizer, config, library
  expect(await page.evaluate(() => window.rt.cacheList())).toEqual([]);
  expect(await page.evaluate(() => window.rt.webllmHasModel('gemma-2-2b-it-q4f32_1-MLC'))).toEqual({ has: false });

  // Unknown ids are an error that says so.
  const unknown = await page.evaluate(() => window.rt.cacheDelete('No-Such-Model').catch((e: Error & { code?: string }) => ({ code: e.code, message: e.message })));
  expect(unknown).toMatchObject({ code: 'UNKNOWN_MODEL' });

  const estimate: any = await page.evaluate(() => window.rt.cacheEstimate());
  expect(estimate.quota).toBeGreaterThan(0);
  expect(typeof estimate.persisted).toBe('boolean');
  expect(typeof (await page.evaluate(() => window.rt.cachePersist()))).toBe('boolean');
});

test('a cached model loads from IndexedDB without a network request for its files', async ({ page, baseURL }) => {
  await open(page);
  // A model whose files exist only in the cache (the server has nothing at this URL). The library is not real
  // WebAssembly (no real model can be downloaded here), so the load ends at compiling it, after reading the
  // config and the library from the cache.
  const base = `${baseURL}/test/e2e/pages/models/only-in-cache/resolve/main/`;
  const lib = `${baseURL}/test/e2e/pages/models/only-in-cache/lib.wasm`;
  const config = { tokenizer_files: ['tokenizer.json'], conv_template: { name: 'chatml' }, context_window_size: 1024 };
  await page.evaluate((seeds) => window.rt.seedWebLLMCache(seeds as never), [
    { db: 'webllm/config', url: `${base}mlc-chat-config.json`, json: null },
    { db: 'webllm/wasm', url: lib, bytes: 64 },
  ]);
  // WebLLM stores the config as bytes: write the real JSON bytes.
  await page.evaluate(async ({ url, text }) => {
    const db = await new Promise<IDBDatabase>((resolve) => { const r = indexedDB.open('webllm/config', 1); r.onsuccess = () => resolve(r.result); });
    await new Promise<void>((resolve) => { const tx = db.transaction('urls', 'readwrite'); tx.objectStore('urls').put({ url, data: new TextEncoder().encode(text).buffer }); tx.oncomplete = () => resolve(); });
    db.close();
  }, { url: `${base}mlc-chat-config.json`, text: JSON.stringify(config) });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const r = await page.evaluate(({ model, lib }) => window.rt.loadError({
    kind: 'webllm', model: 'Cached-q4f32_1-MLC', appConfig: { model_list: [{ model, model_id: 'Cached-q4f32_1-MLC', model_lib: lib, vram_required_MB: 10 }] },
  }), { model: base.replace(/resolve\/main\/$/, ''), lib });
  expect(r.error).toMatchObject({ code: 'BAD_MODEL_LIB', details: { url: lib } });
  expect(requests.filter((u) => u.includes('/models/only-in-cache/'))).toEqual([]);
  await page.evaluate(() => window.rt.cacheDeleteAll());
});

test('the registry and the cached files survive a browser restart (persistent context)', async ({ baseURL }) => {
  test.slow();
  const dir = mkdtempSync(join(tmpdir(), 'amoa-persist-'));
  const launch = () => chromium.launchPersistentContext(dir, { executablePath: findChromium(), args: ['--enable-unsafe-webgpu'], baseURL: baseURL! });
  try {
    const smol = webllmFiles('SmolLM2-360M-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1_cs1k-webgpu.wasm', [5000, 6000, 7000]);
    let context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await open(page);
    await page.evaluate((seeds) => window.rt.seedWebLLMCache(seeds as never), smol.seeds);
    await page.evaluate(() => window.rt.recordUse({ model: 'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f32_1-MLC', model_id: 'SmolLM2-360M-Instruct-q4f32_1-MLC', model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/SmolLM2-360M-Instruct-q4f32_1_cs1k-webgpu.wasm' }, 1_750_000_000_000));
    const before = await page.evaluate(() => window.rt.cacheList());
    await context.close();

    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await open(page);
    const after: any[] = await page.evaluate(() => window.rt.cacheList()) as any[];
    expect(after).toEqual(before);
    expect(after).toEqual([expect.objectContaining({ modelId: 'SmolLM2-360M-Instruct-q4f32_1-MLC', complete: true, lastUsed: 1_750_000_000_000, sizeBytes: 18000 + smol.manifestBytes + 900 })]);
    expect(await page.evaluate(() => window.rt.registry())).toEqual([expect.objectContaining({ modelId: 'SmolLM2-360M-Instruct-q4f32_1-MLC' })]);
    expect(await page.evaluate(() => window.rt.webllmHasModel('SmolLM2-360M-Instruct-q4f32_1-MLC'))).toEqual({ has: true });
    await context.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
