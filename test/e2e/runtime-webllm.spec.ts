import { expect, test, type Page, type Request } from '@playwright/test';

// The real WebLLM path as far as this machine allows: SwiftShader WebGPU, no shader-f16, no model weights.
// Model files come from the test server (test/e2e/pages/models/), which answers unknown paths with real 404s.

async function open(page: Page) {
  await page.goto('/test/e2e/pages/runtime.html');
  await expect(page.locator('#status')).toHaveText('ready');
}

function record(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  return requests;
}

const MODELS = '/test/e2e/pages/models';

function fixture(origin: string, name: string, lib: string) {
  return {
    kind: 'webllm' as const,
    model: `Fixture-${name}-q4f32_1-MLC`,
    appConfig: { model_list: [{ model: `${origin}${MODELS}/${name}`, model_id: `Fixture-${name}-q4f32_1-MLC`, model_lib: `${origin}${MODELS}/libs/${lib}`, vram_required_MB: 100 }] },
  };
}

test.beforeEach(async ({ page }) => open(page));

test('capability detection finds the SwiftShader adapter and no shader-f16', async ({ page }) => {
  const caps: any = await page.evaluate(() => window.rt.capabilities());
  expect(caps.webgpu).toBe(true);
  expect(caps.problem).toBeUndefined();
  expect(caps.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true });
  expect(caps.f16).toBe(false);
  expect(caps.features).not.toContain('shader-f16');
  expect(caps.limits.maxStorageBufferBindingSize).toBe(1073741824);
  expect(caps.storage.quota).toBeGreaterThan(0);
});

test('planning picks the f32 builds and swap mode for a 2 GB budget, before any request or worker', async ({ page }) => {
  const requests = record(page);
  const r: any = await page.evaluate(() =>
    window.rt.plan({
      models: {
        qwen: { kind: 'webllm', model: 'Qwen2.5-0.5B-Instruct' },
        llama: { kind: 'webllm', model: 'Llama-3.2-1B-Instruct' },
        smol: { kind: 'webllm', model: 'SmolLM2-360M-Instruct' },
      },
      memoryBudgetMB: 2048,
      protocol: { agents: [{ name: 'A', model: 'qwen' }, { name: 'B', model: 'llama' }, { name: 'C', model: 'smol' }], aggregator: { model: 'qwen' }, layers: 1 },
    }));
  expect(r.error).toBeUndefined();
  expect(r.plan.models.map((m: any) => [m.key, m.model, m.via, m.avoidedF16 ?? false])).toEqual([
    ['qwen', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'family', true],
    ['llama', 'Llama-3.2-1B-Instruct-q4f32_1-MLC', 'family', true],
    ['smol', 'SmolLM2-360M-Instruct-q4f32_1-MLC', 'family', true],
  ]);
  expect(r.plan.memory).toMatchObject({ mode: 'swap', budgetMB: 2048 });
  expect(r.plan.memory.totalMB).toBeCloseTo(1060.2 + 1128.82 + 579.61, 1);
  expect(r.plan.loading).toBe('sequential');
  expect(r.events.map((e: any) => e.type)).toEqual(['plan', 'swap-mode', 'disposed']);
  expect(r.status.every((s: any) => s.state === 'unloaded' && s.loads === 0)).toBe(true);
  // Nothing was fetched for the models, and web-llm itself was not loaded.
  expect(requests.map((q) => q.url()).filter((u) => /huggingface|githubusercontent|web-llm|agent-worker/.test(u))).toEqual([]);
  // With 4 GB they all fit and load in parallel.
  const fit: any = await page.evaluate(() => window.rt.plan({ models: { qwen: { kind: 'webllm', model: 'Qwen2.5-0.5B-Instruct' }, llama: { kind: 'webllm', model: 'Llama-3.2-1B-Instruct' } }, memoryBudgetMB: 4096 }));
  expect(fit.plan.memory.mode).toBe('all-fit');
  expect(fit.plan.loading).toBe('parallel');
});

test('unknown ids, f16-only builds and models too big for the budget fail before any request or worker', async ({ page }) => {
  const requests = record(page);
  const unknown = await page.evaluate(() => window.rt.loadError({ kind: 'webllm', model: 'Qwen2.5-0.5B-Instruct-q4f32-MLC' }));
  expect(unknown.error).toMatchObject({ code: 'UNKNOWN_MODEL', name: 'UnknownModelError', details: { model: 'Qwen2.5-0.5B-Instruct-q4f32-MLC', suggestion: expect.stringMatching(/^Qwen2\.5-0\.5B-Instruct/) } });
  expect(unknown.error!.message).toContain('Did you mean');
  const f16 = await page.evaluate(() => window.rt.loadError({ kind: 'webllm', model: 'SmolLM2-360M-Instruct-q4f16_1-MLC' }));
  expect(f16.error).toMatchObject({ code: 'F16_MISSING', details: { suggestion: 'SmolLM2-360M-Instruct-q4f32_1-MLC' } });
  const big = await page.evaluate(() => window.rt.loadError({ kind: 'webllm', model: 'Llama-3.2-3B-Instruct' }, { memoryBudgetMB: 2048 }));
  expect(big.error).toMatchObject({ code: 'CANNOT_FIT', name: 'GpuMemoryError', details: { model: expect.stringContaining('Llama-3.2-3B-Instruct-q4f32_1-MLC'), budgetMB: 2048 } });
  expect(big.error!.message).toMatch(/needs about 2952 MB .* budget of 2048 MB/);
  for (const r of [unknown, f16, big]) expect(r.events.filter((e: any) => e.type === 'load-start')).toEqual([]);
  expect(requests.map((q) => q.url()).filter((u) => /huggingface|githubusercontent|web-llm|agent-worker|\/models\//.test(u))).toEqual([]);
});

test('a model whose files are missing (404) fails with HTTP_404 naming the config URL', async ({ page, baseURL }) => {
  // A relative model URL: the pool resolves it against the page before handing it to the worker.
  const r = await page.evaluate((models) => window.rt.loadError({
    kind: 'webllm',
    model: 'Fixture-missing-q4f32_1-MLC',
    appConfig: { model_list: [{ model: `${models}/missing`, model_id: 'Fixture-missing-q4f32_1-MLC', model_lib: `${models}/libs/missing.wasm`, vram_required_MB: 100 }] },
  }), MODELS);
  expect(r.error).toMatchObject({ code: 'HTTP_404', name: 'ModelFetchError', details: { url: `${baseURL}${MODELS}/missing/resolve/main/mlc-chat-config.json`, status: 404, model: 'Fixture-missing-q4f32_1-MLC' } });
  expect(r.error!.message).toContain(`HTTP 404): ${baseURL}${MODELS}/missing/resolve/main/mlc-chat-config.json`);
  expect(r.events.filter((e: any) => e.type === 'load-failed')).toHaveLength(1);
});

test('a fake config (an HTML page, or JSON that is not an MLC config) fails with BAD_MODEL_CONFIG and its URL', async ({ page, baseURL }) => {
  const html = await page.evaluate((spec) => window.rt.loadError(spec), fixture(baseURL!, 'fake-config', 'not-wasm.wasm'));
  expect(html.error).toMatchObject({ code: 'BAD_MODEL_CONFIG', details: { url: `${baseURL}${MODELS}/fake-config/resolve/main/mlc-chat-config.json` } });
  expect(html.error!.message).toMatch(/not a valid mlc-chat-config\.json \(not JSON: .*starts with "<!doctype html>/);
  const json = await page.evaluate((spec) => window.rt.loadError(spec), fixture(baseURL!, 'fake-json-config', 'not-wasm.wasm'));
  expect(json.error).toMatchObject({ code: 'BAD_MODEL_CONFIG', details: { url: `${baseURL}${MODELS}/fake-json-config/resolve/main/mlc-chat-config.json` } });
  expect(json.error!.message).toContain('no "tokenizer_files" list');
});

test('a missing model library (.wasm 404) fails with HTTP_404 naming the wasm URL; a corrupt one with BAD_MODEL_LIB', async ({ page, baseURL }) => {
  const missing = await page.evaluate((spec) => window.rt.loadError(spec), fixture(baseURL!, 'no-wasm', 'does-not-exist.wasm'));
  expect(missing.error).toMatchObject({ code: 'HTTP_404', details: { url: `${baseURL}${MODELS}/libs/does-not-exist.wasm`, status: 404 } });
  const corrupt = await page.evaluate((spec) => window.rt.loadError(spec), fixture(baseURL!, 'bad-wasm', 'not-wasm.wasm'));
  expect(corrupt.error).toMatchObject({ code: 'BAD_MODEL_LIB', details: { url: `${baseURL}${MODELS}/libs/not-wasm.wasm`, causeName: 'CompileError' } });
  expect(corrupt.error!.message).toContain('is not a valid WebAssembly module');
});

test('with the network blocked (route.abort) the error is NETWORK and names the URL', async ({ page, baseURL }) => {
  await page.context().route(`**${MODELS}/no-wasm/**`, (route) => route.abort('internetdisconnected'));
  const r = await page.evaluate((spec) => window.rt.loadError(spec), fixture(baseURL!, 'no-wasm', 'does-not-exist.wasm'));
  expect(r.error).toMatchObject({ code: 'NETWORK', name: 'ModelFetchError', details: { url: `${baseURL}${MODELS}/no-wasm/resolve/main/mlc-chat-config.json` } });
  expect(r.error!.message).toMatch(/^Could not download .*mlc-chat-config\.json: the network request failed/);
});

test('a prebuilt model with no internet fails with NETWORK naming its Hugging Face URL', async ({ page }) => {
  // This machine has no internet: WebLLM's real download fails. (On a connected machine this would download.)
  await page.context().route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  const r = await page.evaluate(() => window.rt.loadError({ kind: 'webllm', model: 'SmolLM2-135M-Instruct' }));
  expect(r.error).toMatchObject({ code: 'NETWORK', details: { url: 'https://huggingface.co/mlc-ai/SmolLM2-135M-Instruct-q0f32-MLC/resolve/main/mlc-chat-config.json' } });
});
