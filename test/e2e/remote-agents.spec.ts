import { expect, test, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFaultServer, type FaultServer } from '../servers/fault-server.js';
import { startLlamaServer, unavailable, type LlamaServer } from '../servers/llama-server.js';
import type { MixedRun } from './pages/remote-agents.js';

// Remote agents on a REAL OpenAI-compatible server: llama.cpp's server (llama-cpp-python) on 127.0.0.1 serving
// SmolLM2-135M-Instruct, mixed with the same model running in this browser (llama.cpp in WASM) to a streamed answer.
// The browser reaches the server through a fault proxy on 127.0.0.1 that can answer 429/503 on cue; no request
// goes anywhere but 127.0.0.1. Skipped, saying why, where the server is not installed.

const MODEL_FILE = 'SmolLM2-135M-Instruct.Q4_1.gguf';
const modelPath = fileURLToPath(new URL(`../../models/${MODEL_FILE}`, import.meta.url));

test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

let llama: LlamaServer | undefined;
let proxy: FaultServer | undefined;
let page: Page;
const requested: string[] = [];

// The model comes from `npm run models` (scripts/models.mjs), fetched in beforeAll when that script exists.
const MODELS_SCRIPT = '../../scripts/models.mjs';
const modelsScript = fileURLToPath(new URL(MODELS_SCRIPT, import.meta.url));
const why = unavailable(existsSync(modelsScript) ? undefined : modelPath);
test.skip(why !== undefined, `skipped: ${why}`);
// Said in the run's output too (the list reporter shows skipped tests without their reason).
if (why) console.log(`[skip] remote-agents.spec.ts: ${why}`);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  if (!existsSync(modelPath)) {
    const { ensureModels } = (await import(/* @vite-ignore */ MODELS_SCRIPT)) as { ensureModels(): Promise<unknown> };
    await ensureModels();
  }
  const started = Date.now();
  llama = await startLlamaServer({ model: modelPath, alias: 'smollm2', contextSize: 2048 });
  console.log(`[measure] llama.cpp server (llama-cpp-python) ready in ${Date.now() - started} ms`);
  proxy = await startFaultServer({ upstream: llama.baseURL.replace(/\/v1$/, ''), cors: true });
  page = await browser.newPage();
  page.on('request', (r) => requested.push(r.url()));
  await page.goto('/test/e2e/pages/remote-agents.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const loadStarted = Date.now();
  const setup = await page.evaluate((o) => window.remote.setup(o), { serverURL: `${proxy.url}/v1`, gguf: `/models/${MODEL_FILE}` });
  console.log(`[measure] pool ready (WASM model loaded in its worker) in ${Date.now() - loadStarted} ms`);
  expect(setup.plan).toMatchObject([
    { key: 'wasm', kind: 'wllama', vramMB: 0 },
    { key: 'server', kind: 'openai', vramMB: 0, remote: { baseURL: `${proxy.url}/v1`, host: proxy.url.slice(7), loopback: true } },
  ]);
  expect(setup.remoteEvent).toMatchObject({ type: 'remote', key: 'server', model: 'smollm2', loopback: true });
  expect(setup.offDevice).toEqual({ wasm: null, server: { baseURL: `${proxy.url}/v1`, host: proxy.url.slice(7), loopback: true } });
});

test.afterAll(async () => {
  await page?.evaluate(() => window.remote.dispose()).catch(() => undefined);
  await page?.close();
  await proxy?.close();
  await llama?.close();
  // Nothing left this machine: every request the page made went to 127.0.0.1.
  expect(requested.filter((url) => /^(https?|wss?):/.test(url) && new URL(url).hostname !== '127.0.0.1')).toEqual([]);
});

const run = (options: Parameters<Window['remote']['run']>[0] = {}): Promise<MixedRun> => page.evaluate((o) => window.remote.run(o), options);

test('a WASM agent in the browser and an agent on llama.cpp\'s server answer together, streamed', async () => {
  const before = proxy!.requests.length;
  const started = Date.now();
  const result = await run();
  console.log(`[measure] mixed run (1 layer, 2 agents, ${result.calls.length} calls) in ${Date.now() - started} ms; answer: ${JSON.stringify(result.answer)}`);
  expect(result.error).toBeUndefined();
  expect(result.answer.trim().length).toBeGreaterThan(0);
  expect(result.streamed).toBe(result.answer);
  expect(result.finishReason).toBe('stop');
  expect(result.chunks).toBeGreaterThan(3);
  // Both agents answered, each with real text; the server's calls named its model.
  const by = (agent: string) => result.calls.filter((c) => c.agent === agent);
  expect(by('in-browser').map((c) => c.role)).toEqual(['propose']);
  expect(by('server').map((c) => c.role)).toEqual(['propose']);
  expect(result.calls.find((c) => c.role === 'aggregate')).toMatchObject({ agent: 'aggregator' });
  for (const call of result.calls) {
    expect(call.text.trim().length, `${call.role} of ${call.agent}`).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(call.finishReason);
  }
  // usage sums every call of the run
  expect(result.usage).toEqual({ prompt_tokens: result.traceUsage.prompt, completion_tokens: result.traceUsage.completion, total_tokens: result.traceUsage.prompt + result.traceUsage.completion });
  // What the real server was sent: our model name, streaming, OpenAI's fields only.
  const served = proxy!.requests.slice(before).filter((r) => r.method === 'POST');
  expect(served.length).toBe(2); // the server agent's proposal and the aggregate
  for (const r of served) {
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ model: 'smollm2', stream: true, temperature: 0 });
    expect(Object.keys(r.body).sort()).toEqual(['max_tokens', 'messages', 'model', 'stream', 'stream_options', 'temperature']);
  }
});

test('429 and 503 from the real server\'s proxy are retried with backoff (Retry-After honoured, as CORS exposes it)', async () => {
  proxy!.queue({ status: 429, retryAfter: '0.3' }, { status: 503 });
  const before = proxy!.requests.length;
  const result = await page.evaluate(() => window.remote.direct({ maxTokens: 8 }));
  expect(result.error).toBeUndefined();
  expect(result.text.trim().length).toBeGreaterThan(0);
  const posts = proxy!.requests.slice(before);
  expect(posts.map((r) => r.status)).toEqual([429, 503, 200]);
  expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(280); // Retry-After 0.3 s beats the 100 ms first delay
  expect(posts[2]!.at - posts[1]!.at).toBeGreaterThanOrEqual(190); // 100 ms × 2
});

test('aborting a stream from the real server hangs up at once', async () => {
  const before = proxy!.requests.length;
  const result = await page.evaluate(() => window.remote.direct({ maxTokens: 200, abortAfterChunks: 2 }));
  expect(result.chunks).toBe(2);
  expect(result.error?.name).toBe('AbortError');
  await expect.poll(() => proxy!.requests[before]?.clientClosedEarly, { timeout: 5000 }).toBe(true);
});

test('<attention-moa remote-models> answers from the server and says the privacy promise does not hold for it', async ({ browser }) => {
  const elementPage = await browser.newPage();
  elementPage.on('request', (r) => requested.push(r.url()));
  const before = proxy!.requests.length;
  await elementPage.goto(`/test/e2e/pages/remote-element.html?server=${encodeURIComponent(`${proxy!.url}/v1`)}`);
  const host = proxy!.url.slice(7);
  const notice = elementPage.locator('attention-moa').locator('[part="off-device-notice"]');
  // Before anything is asked: the notice names the agent and the server.
  await expect(notice).toContainText('Not everything stays on this device.');
  await expect(notice).toContainText(`smollm2 (${host}) runs on the server at ${host}`);
  await expect(notice).toContainText('the promise that nothing leaves this device does not hold for that agent');
  await expect(elementPage.locator('attention-moa').locator('header [part="off-device-badge"]')).toHaveText('not all on this device');
  await expect(elementPage.locator('attention-moa').locator('.empty-state')).toContainText('The agents run on servers (see above), not in this browser.');

  const result = await elementPage.evaluate(() => (document.querySelector('attention-moa') as HTMLElement & { ask(q: string): Promise<{ answer: string } | null> }).ask('What is 2 + 2?'));
  expect(result!.answer.trim().length).toBeGreaterThan(0);
  await expect(elementPage.locator('attention-moa').locator('[part="answer"]').last()).toContainText(result!.answer.trim().slice(0, 20));
  // The agent's card carries the server's badge.
  await elementPage.locator('attention-moa').locator('[part="details"]').last().evaluate((d) => ((d as HTMLDetailsElement).open = true));
  const card = elementPage.locator('attention-moa').locator(`[part="agent-card"][data-agent="smollm2 (${host})"]`);
  await expect(card.locator('[part="off-device-badge"]')).toHaveText(`on ${host}`);
  const posts = proxy!.requests.slice(before).filter((r) => r.method === 'POST');
  expect(posts.map((r) => r.body.model)).toEqual(['smollm2']);
  await elementPage.close();
});

test.describe('without the real server', () => {
  test('the skip reason names the fix', () => {
    // Runs wherever the suite runs (the server is installed here), so the message is checked once.
    expect(unavailable('/nonexistent/model.gguf')).toMatch(/^the model \/nonexistent\/model\.gguf is missing: run npm run models$|is not installed at .*: run scripts\/install-llama-server\.sh/);
    expect(existsSync(modelPath)).toBe(true);
  });
});
