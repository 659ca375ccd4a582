import { expect, test, type Page } from '@playwright/test';
import { BROKEN_FILES, GENERATED_DIR, TINY_AGENTS } from '../fixtures/gguf/tiny-models.js';

// The WASM engine with real llama.cpp and the tiny generated models, each engine in its own module worker
// (wllama nests its own worker inside). Every token here is computed by llama.cpp.

const model = (file: string) => `/${GENERATED_DIR}/${file}`;
const [A, B] = TINY_AGENTS;
const question = [
  { role: 'system' as const, content: 'You are one agent of several. Answer briefly.' },
  { role: 'user' as const, content: 'Why is the sky blue?' },
];

async function openHarness(page: Page) {
  await page.goto('/test/e2e/pages/wllama-engine.html');
  await expect(page.locator('#status')).toHaveText('ready');
}

type LoadSpec = Parameters<Window['harness']['load']>[0];
async function load(page: Page, spec: LoadSpec) {
  const result = await page.evaluate((s) => window.harness.load(s), spec);
  if (!result.ok) throw new Error(`load failed: ${JSON.stringify(result.error)}`);
  return result;
}
async function loadError(page: Page, spec: LoadSpec) {
  const result = await page.evaluate((s) => window.harness.load(s), spec);
  expect(result.ok, 'the load should fail').toBe(false);
  return (result as { error: { name: string; code?: string; message: string; details?: { url?: string; status?: number; log?: string[] } } }).error;
}
const chat = (page: Page, index: number, params: object, control: object = {}) =>
  page.evaluate(([i, p, c]) => window.harness.chat(i as number, p as never, c as never), [index, params, control] as const);

// One page and three loaded engines serve the model tests (loads are the slow part on 2 cores); the tests
// run in order on the same engines, which also shows that each keeps working after aborts and interrupts.
test.describe('WASM engine (wllama) with real tiny models', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let loadedA: Awaited<ReturnType<typeof load>>;
  let fileA: Awaited<ReturnType<typeof load>>;
  let loadedB: Awaited<ReturnType<typeof load>>;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openHarness(page);
    loadedA = await load(page, { model: model(A!.file), cache: false });
    fileA = await load(page, { model: { blobFrom: model(A!.file), name: 'picked.gguf' } });
    loadedB = await load(page, { model: model(B!.file), cache: false });
  });
  test.afterAll(async () => page.close());

  test('loads a GGUF from a URL in a worker and streams a chat completion in the contract shape', async () => {
    const loaded = loadedA;
    expect(loaded.stats).toMatchObject({ modelId: A!.file, source: 'url', contextWindow: 2048, trainingContext: 2048, threads: 1, chatTemplate: true, fromCache: false, architecture: 'llama' });
    expect(loaded.progress.at(-1)).toMatchObject({ progress: 1 });
    expect(loaded.progress.some((p) => /Downloading tiny-agent-a\.gguf/.test(p.text))).toBe(true);

    const run = await chat(page, loaded.index, { messages: question, max_tokens: 24, temperature: 0, stream_options: { include_usage: true } });
    expect(run.error).toBeUndefined();
    // Every token is a content chunk; then one finish chunk; then the usage chunk.
    expect(run.contentChunks).toBe(24);
    expect(run.text.trim().length).toBeGreaterThan(10);
    const [finish, usage] = run.chunks.slice(-2);
    expect(finish).toMatchObject({ object: 'chat.completion.chunk', model: A!.file, choices: [{ index: 0, delta: {}, finish_reason: 'length' }] });
    expect(usage!.choices).toEqual([]);
    expect(usage!.usage).toMatchObject({ completion_tokens: 24, prompt_tokens: expect.any(Number) });
    expect(usage!.usage!.prompt_tokens).toBeGreaterThan(10);
    expect(usage!.usage!.total_tokens).toBe(usage!.usage!.prompt_tokens + 24);
    expect(usage!.usage!.extra).toMatchObject({ engine: 'wllama', decode_tokens_per_s: expect.any(Number), prefill_tokens_per_s: expect.any(Number), time_to_first_token_s: expect.any(Number) });
    for (const c of run.chunks.slice(0, -2)) expect(c.choices[0]).toMatchObject({ index: 0, delta: { role: 'assistant', content: expect.any(String) }, finish_reason: null });
    // All chunks of one stream share id/created/model, as OpenAI's do.
    expect(new Set(run.chunks.map((c) => `${c.id}|${c.created}|${c.model}`)).size).toBe(1);

    const stats = await page.evaluate((i) => window.harness.stats(i), loaded.index);
    expect(stats!.decodeTokensPerSecond).toBeGreaterThan(0);
    console.log(`[measure] tiny model: load ${loaded.ms.toFixed(0)} ms (download+wasm+llama.cpp), ${stats!.text}, 24 tokens in ${run.wallMs.toFixed(0)} ms wall`);
  });

  test('without include_usage there is no usage chunk; finish_reason comes last', async () => {
    const { index } = loadedA;
    const run = await chat(page, index, { messages: question, max_tokens: 5, temperature: 0 });
    expect(run.chunks).toHaveLength(6);
    expect(run.chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
    expect(run.chunks.some((c) => c.usage)).toBe(false);
  });

  test('greedy decoding is deterministic: same model → byte-identical text across calls, workers and URL vs File; another seed differs', async () => {
    const [a1, a2, b] = [loadedA, fileA, loadedB];
    expect(a2.stats).toMatchObject({ source: 'blob', modelId: 'picked.gguf' });
    const params = { messages: question, max_tokens: 32, temperature: 0 };
    const first = await chat(page, a1.index, params);
    const again = await chat(page, a1.index, params);
    const otherWorker = await chat(page, a2.index, params);
    const otherSeed = await chat(page, b.index, params);
    expect(first.text.length).toBeGreaterThan(20);
    expect(again.text).toBe(first.text);
    expect(otherWorker.text).toBe(first.text);
    expect(otherSeed.text).not.toBe(first.text);
    // A different question gives a different answer (the output depends on the prompt).
    const otherQuestion = await chat(page, a1.index, { ...params, messages: [{ role: 'user', content: 'Name three rivers.' }] });
    expect(otherQuestion.text).not.toBe(first.text);
  });

  test('sampling (temperature > 0) is reproducible per seed and never emits invalid UTF-8; overlapping requests both complete', async () => {
    const { index } = loadedB;
    const params = { messages: question, max_tokens: 48 };
    const greedy = await chat(page, index, { ...params, temperature: 0 });
    const hot = await chat(page, index, { ...params, temperature: 1.5, seed: 11 });
    const hotAgain = await chat(page, index, { ...params, temperature: 1.5, seed: 11 });
    const otherSeed = await chat(page, index, { ...params, temperature: 1.5, seed: 12 });
    for (const run of [hot, hotAgain, otherSeed]) expect(run.error).toBeUndefined();
    expect(hotAgain.text).toBe(hot.text);
    expect(hot.text).not.toBe(greedy.text);
    expect(otherSeed.text).not.toBe(hot.text);
    // Two requests at once on one engine (llama.cpp has slots for them): both finish, greedy output unchanged.
    const [same, other] = await page.evaluate(
      ([i, p]) => Promise.all([window.harness.chat(i, { ...p, temperature: 0 } as never), window.harness.chat(i, { ...p, temperature: 0, max_tokens: 20 } as never)]),
      [index, params] as const,
    );
    expect(same.text).toBe(greedy.text);
    expect(other.contentChunks).toBe(20);
  });

  test('parallel: 3 decodes three requests together in one llama.cpp context; a repeated prompt is served from the KV cache', async () => {
    const wide = await load(page, { model: model(A!.file), cache: false, parallel: 3 });
    // Each request keeps the whole window; the slots share one KV cache of 3 × 2048 tokens.
    expect(wide.stats).toMatchObject({ parallel: 3, contextWindow: 2048 });
    const params = { messages: question, max_tokens: 24, temperature: 0, stream_options: { include_usage: true } };
    const runs = await page.evaluate(([i, p]) => Promise.all([0, 1, 2].map(() => window.harness.chat(i, p as never))), [wide.index, params] as const);
    const usages = runs.map((r) => r.chunks.at(-1)!.usage!);
    for (const r of runs) expect(r).toMatchObject({ contentChunks: 24, finishReason: 'length' });
    // Decoded together: every request wrote its first token before any of them finished (one after another, the
    // second would wait for the whole first).
    const firstTokens = usages.map((u) => Number(u.extra!.time_to_first_token_s));
    const ends = usages.map((u) => Number(u.extra!.e2e_latency_s));
    expect(Math.max(...firstTokens)).toBeLessThan(Math.min(...ends));
    await page.evaluate((i) => window.harness.unload(i), wide.index);

    // One slot (parallel 1): the same prompt again reuses the cached prefix, and usage says how much.
    const cold = await chat(page, loadedA.index, { ...params, messages: [{ role: 'user', content: 'Name three colours of the rainbow.' }] });
    const warm = await chat(page, loadedA.index, { ...params, messages: [{ role: 'user', content: 'Name three colours of the rainbow.' }] });
    const [coldUsage, warmUsage] = [cold.chunks.at(-1)!.usage!, warm.chunks.at(-1)!.usage!];
    expect(warmUsage.prompt_tokens).toBe(coldUsage.prompt_tokens);
    expect(warmUsage.prompt_tokens_details!.cached_tokens!).toBeGreaterThan(coldUsage.prompt_tokens_details?.cached_tokens ?? 0);
    expect(warmUsage.prompt_tokens_details!.cached_tokens!).toBeGreaterThanOrEqual(warmUsage.prompt_tokens - 1);
  });

  test('abort: the stream rejects within 200 ms, llama.cpp lets go of the request, and the same engine answers the next call identically', async () => {
    const { index } = loadedA;
    const params = { messages: question, max_tokens: 40, temperature: 0 };
    const reference = await chat(page, index, params);
    const aborted = await chat(page, index, { ...params, max_tokens: 400 }, { abortAfterTokens: 5 });
    expect(aborted.error).toMatchObject({ name: 'AbortError' });
    expect(aborted.contentChunks).toBeLessThan(10);
    expect(aborted.abortLatencyMs).toBeLessThan(200);
    expect(aborted.settleLatencyMs).toBeLessThan(200);
    expect(reference.text.startsWith(aborted.text)).toBe(true);
    const next = await chat(page, index, params);
    expect(next.error).toBeUndefined();
    expect(next.text).toBe(reference.text);
  });

  test('interruptGenerate ends the stream normally with finish_reason "abort"; leaving the loop early frees the request', async () => {
    const { index } = loadedB;
    const params = { messages: question, max_tokens: 400, temperature: 0 };
    const interrupted = await chat(page, index, params, { interruptAfterTokens: 3 });
    expect(interrupted.error).toBeUndefined();
    expect(interrupted.finishReason).toBe('abort');
    expect(interrupted.contentChunks).toBeLessThan(10);
    const left = await chat(page, index, params, { breakAfterTokens: 3 });
    expect(left.error).toBeUndefined();
    expect(left.settleLatencyMs).toBeLessThan(200);
    const after = await chat(page, index, { ...params, max_tokens: 8 });
    expect(after.contentChunks).toBe(8);
  });

  test('bad requests fail with a message naming the field', async () => {
    const { index } = loadedA;
    expect((await chat(page, index, { messages: [] })).error?.message).toMatch(/messages. must be a non-empty array/);
    expect((await chat(page, index, { messages: question, max_tokens: 0 })).error?.message).toMatch(/max_tokens must be a whole number/);
    expect((await chat(page, index, { messages: [{ role: 'robot', content: 'x' }] })).error?.message).toMatch(/messages\[0\]\.role/);
  });
});

test.describe('WASM engine errors are typed', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openHarness(page);
  });
  test.afterAll(async () => page.close());

  test('HTTP 404 names the URL and the status', async ({ baseURL }) => {
    const error = await loadError(page, { model: '/no/such/model.gguf' });
    expect(error).toMatchObject({ name: 'WllamaEngineError', code: 'HTTP_404', details: { status: 404, url: `${baseURL}/no/such/model.gguf` } });
    expect(error.message).toMatch(/HTTP 404.*check the model URL/);
    const uncached = await loadError(page, { model: '/no/such/model.gguf', cache: false });
    expect(uncached).toMatchObject({ code: 'HTTP_404', details: { status: 404 } });
  });

  test('a network failure names the URL', async () => {
    // Port 9 (discard) has nothing listening: the connection is refused at once.
    const url = 'http://127.0.0.1:9/model.gguf';
    for (const cache of [true, false]) {
      const error = await loadError(page, { model: url, cache });
      expect(error).toMatchObject({ name: 'WllamaEngineError', code: 'NETWORK', details: { url } });
      expect(error.message).toContain(url);
    }
  });

  test('corrupt GGUF files fail as bad-gguf with the reason, and are not kept in the cache', async ({ baseURL }) => {
    const truncated = await loadError(page, { model: model(BROKEN_FILES.truncated) });
    expect(truncated).toMatchObject({ code: 'BAD_GGUF' });
    expect(truncated.message).toMatch(/truncated/);
    const html = await loadError(page, { model: model(BROKEN_FILES.html) });
    expect(html).toMatchObject({ code: 'BAD_GGUF' });
    expect(html.message).toMatch(/not a GGUF file.*HTML page/);
    const missing = await loadError(page, { model: model(BROKEN_FILES.missingTensor) });
    expect(missing).toMatchObject({ code: 'BAD_GGUF' });
    expect(missing.message).toMatch(/llama\.cpp cannot load .*output_norm\.weight/);
    const cached = await page.evaluate(() => window.harness.listCache());
    expect(cached.map((e) => e.url)).not.toContain(`${baseURL}${model(BROKEN_FILES.truncated)}`);
    expect(cached.map((e) => e.url)).not.toContain(`${baseURL}${model(BROKEN_FILES.html)}`);
  });

  test('a context that cannot fit the 4 GiB wasm heap fails as out-of-memory', async () => {
    // 2 layers × 32 KV dims × 2 (K,V) × 2 bytes × 16.7 M tokens = 4 GiB of KV cache: llama.cpp's allocation fails at once.
    const error = await loadError(page, { model: model(A!.file), cache: false, contextWindow: 1 << 24 });
    expect(error).toMatchObject({ name: 'WllamaEngineError', code: 'OUT_OF_MEMORY' });
    expect(error.message).toMatch(/out of memory.*MiB/);
  });

  test('an invalid spec names the field', async () => {
    expect(await loadError(page, { model: '' })).toMatchObject({ code: 'BAD_SPEC', message: expect.stringMatching(/spec\.model/) });
    expect(await loadError(page, { model: model(A!.file), threads: 0 })).toMatchObject({ code: 'BAD_SPEC', message: expect.stringMatching(/spec\.threads/) });
  });
});

test.describe('WASM engine browser cache', () => {
  // (A page reload loading every model from the cache is in wllama-moa.spec.ts; here: a fresh worker, list, delete.)
  test('a second load reads the weights from the browser cache with zero network requests; list and delete work', async ({ page, baseURL }) => {
    const ggufRequests: string[] = [];
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (/\.gguf($|\?)/.test(r.url())) ggufRequests.push(r.url());
      if (!r.url().startsWith(baseURL!) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    const url = `${baseURL}${model(B!.file)}`;
    await openHarness(page);
    await page.evaluate((u) => window.harness.deleteCached(u), url);

    const first = await load(page, { model: model(B!.file) });
    expect(first.stats).toMatchObject({ fromCache: false });
    expect(ggufRequests.filter((u) => u === url).length).toBeGreaterThanOrEqual(1);
    const text = (await chat(page, first.index, { messages: question, max_tokens: 16, temperature: 0 })).text;
    expect(await page.evaluate(() => window.harness.listCache())).toContainEqual(expect.objectContaining({ url, complete: true, bytes: expect.any(Number) }));

    ggufRequests.length = 0;
    const second = await load(page, { model: model(B!.file) }); // another worker: nothing in memory, only the cache
    expect(second.stats).toMatchObject({ fromCache: true });
    expect(second.progress.some((p) => /browser cache/.test(p.text))).toBe(true);
    expect(ggufRequests).toEqual([]);
    expect((await chat(page, second.index, { messages: question, max_tokens: 16, temperature: 0 })).text).toBe(text);
    console.log(`[measure] load from the browser cache: ${second.ms.toFixed(0)} ms (first load with download: ${first.ms.toFixed(0)} ms)`);

    // The runtime's cache API (the one WebLLM's models use) lists, checks and deletes GGUF files too, on the page.
    const listed = await page.evaluate(() => window.harness.runtimeCache.list());
    expect(listed).toContainEqual({
      engine: 'wllama', modelId: B!.file, modelIds: [B!.file], modelUrl: url, sizeBytes: first.stats.modelBytes,
      parts: { weights: first.stats.modelBytes, tokenizer: 0, config: 0, library: 0 }, files: 1, complete: true,
    });
    expect(await page.evaluate((f) => window.harness.runtimeCache.has(f), B!.file)).toBe(true);
    expect(await page.evaluate((f) => window.harness.runtimeCache.delete(f), B!.file)).toEqual({ files: 1, bytes: first.stats.modelBytes });
    expect(await page.evaluate((f) => window.harness.runtimeCache.has(f), B!.file)).toBe(false);
    expect(await page.evaluate((u) => window.harness.runtimeCache.delete(u), url)).toEqual({ files: 0, bytes: 0 });
    expect((await page.evaluate(() => window.harness.listCache())).map((e) => e.url)).not.toContain(url);
    expect(await page.evaluate((u) => window.harness.deleteCached(u), url)).toBe(false);
    const third = await load(page, { model: model(B!.file) });
    expect(third.stats).toMatchObject({ fromCache: false });
    expect(ggufRequests).toContain(url);
    // Nothing in the WASM path left the page's origin (the wasm is served with the app, no CDN).
    expect(foreign).toEqual([]);
  });
});

test('backend auto-choice in this browser: SwiftShader WebGPU cannot run an f16 model and is a software adapter, so WASM, 1 thread', async ({ page }) => {
  await openHarness(page);
  const wasm = { model: model(A!.file), bytes: 640_000 };
  const f16 = await page.evaluate((w) => window.harness.chooseBackend({ webgpu: { model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', needsF16: true }, wasm: w }), wasm);
  // Debian Chromium with --enable-unsafe-webgpu exposes SwiftShader; without it, no adapter at all. Either way: WASM.
  expect(f16.choice).toMatchObject({ backend: 'wasm', model: wasm.model });
  expect(['no-f16', 'no-adapter']).toContain(f16.choice.webgpuBlocker);
  const f32 = await page.evaluate((w) => window.harness.chooseBackend({ webgpu: { model: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', needsF16: false }, wasm: w }), wasm);
  expect(f32.choice.backend).toBe('wasm');
  if (f32.gpu.adapter) expect(f32.choice).toMatchObject({ webgpuBlocker: 'software-adapter', reason: expect.stringMatching(/software one \(swiftshader\)/) });
  expect(f32.threads).toMatchObject({ threads: 1, reason: expect.stringMatching(/not cross-origin isolated/) });
});
