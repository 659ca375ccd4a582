import { chromium, expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { findChromium } from './chromium.js';
import { serveDemo, type StaticServer } from './demo-server.js';
import { GENERATED_DIR } from '../fixtures/gguf/tiny-models.js';

// Without WebGPU the demo offers real models on the CPU (llama.cpp in WebAssembly) with their download sizes,
// besides the simulation. No weights can be downloaded here, so Hugging Face is answered by this test with the
// tiny generated GGUF models: everything else (the demo's build, the pool, llama.cpp, the element) is real.

let server: StaticServer;
let browser: Browser;
test.beforeAll(async () => {
  server = await serveDemo();
  browser = await chromium.launch({ executablePath: findChromium(), args: [] }); // no --enable-unsafe-webgpu: no adapter
});
test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const TINY: Record<string, string> = {
  'SmolLM2-135M-Instruct-Q8_0.gguf': 'tiny-agent-a.gguf',
  'smollm2-360m-instruct-q8_0.gguf': 'tiny-agent-b.gguf',
};

async function fakeHuggingFace(context: BrowserContext, requested: string[]) {
  await context.route('https://huggingface.co/**', async (route) => {
    const url = route.request().url();
    requested.push(url);
    const file = TINY[url.split('/').pop()!];
    if (!url.includes('/resolve/') || !file) return route.fulfill({ status: 404, body: 'not found' });
    const body = readFileSync(`${GENERATED_DIR}/${file}`);
    await route.fulfill({ status: 200, body, headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'access-control-allow-origin': '*' } });
  });
}

test('without WebGPU the demo offers GGUF models on the CPU with their sizes, loads them and answers with real tokens', async () => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requested: string[] = [];
  await fakeHuggingFace(context, requested);
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-level', 'blocked');

  // The offer: each model with its download size and licence, the total on the button, the simulation still there.
  const offer = page.getByTestId('wasm-offer');
  await expect(offer).toContainText('llama.cpp compiled to WebAssembly');
  await expect(page.getByTestId('wasm-model-smollm2-135m-instruct-q8_0')).toContainText('145 MB download · Apache-2.0');
  await expect(page.getByTestId('wasm-model-llama-3.2-1b-instruct-q4_k_m')).toContainText('808 MB download · Llama 3.2 Community License');
  await expect(page.getByTestId('start-wasm')).toContainText('Download ≈ 531 MB and run on the CPU');
  await expect(page.getByTestId('simulation-offer')).toBeVisible();
  // Unticking a model updates the size.
  await page.getByTestId('wasm-model-smollm2-135m-instruct-q8_0').locator('input').uncheck();
  await expect(page.getByTestId('start-wasm')).toContainText('Download ≈ 386 MB');
  await page.getByTestId('wasm-model-smollm2-135m-instruct-q8_0').locator('input').check();

  await page.getByTestId('start-wasm').click();
  await expect(page.locator('.session-bar .chip')).toHaveText(['SmolLM2 135M', 'SmolLM2 360M · aggregator'], { timeout: 60_000 });
  await expect(page.getByTestId('sim-banner')).toHaveCount(0);
  // One download per model (wllama also asks Hugging Face's /raw/ pointer for the file's sha256).
  expect(requested.filter((u) => u.includes('/resolve/')).sort()).toEqual([
    'https://huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/resolve/main/smollm2-360m-instruct-q8_0.gguf',
    'https://huggingface.co/bartowski/SmolLM2-135M-Instruct-GGUF/resolve/main/SmolLM2-135M-Instruct-Q8_0.gguf',
  ]);

  // One call (single-model mode keeps the tiny models' never-ending replies short): real tokens into the element.
  await page.getByTestId('mode-single').click();
  const answer = await page.evaluate(async () => {
    const el = document.querySelector('attention-moa') as HTMLElement & { ask(q: string): Promise<{ answer: string; trace: { usage?: { completion_tokens: number } }[] } | null> };
    const result = await el.ask('Why is the sky blue?');
    return { answer: result?.answer ?? '', tokens: result?.trace[0]?.usage?.completion_tokens ?? 0 };
  });
  expect(answer.tokens).toBeGreaterThan(20);
  expect(answer.answer.length).toBeGreaterThan(20);
  await expect(page.locator('attention-moa').locator('[part="answer"] .md').last()).toContainText(answer.answer.trim().split(' ').slice(0, 4).join(' '));
  await context.close();
});

test('when the CPU models cannot be downloaded, the demo says which file failed and keeps the simulation one click away', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('https://huggingface.co/**', (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  await page.goto(server.url);
  await expect(page.locator('html[data-ready]')).toBeAttached();
  await page.getByTestId('start-wasm').click();
  const error = page.getByTestId('start-error');
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(error).toContainText('The models could not be loaded');
  await expect(error).toContainText(/huggingface\.co\/.*\.gguf failed before any answer/);
  await expect(page.getByTestId('start-simulation')).toBeVisible();
  await context.close();
});

test('a second tab is told when models are already loaded in another tab, instead of silently loading a second copy', async () => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await fakeHuggingFace(context, []);
  const first = await context.newPage();
  await first.goto(server.url);
  await expect(first.locator('html[data-ready]')).toBeAttached();
  // A second tab open before the first loads anything: nothing to say yet.
  const second = await context.newPage();
  await second.goto(server.url);
  await expect(second.locator('html[data-ready]')).toBeAttached();
  await expect(second.getByTestId('models-elsewhere')).toHaveCount(0);

  await first.getByTestId('start-wasm').click();
  await expect(first.locator('.session-bar .chip')).toHaveText(['SmolLM2 135M', 'SmolLM2 360M · aggregator'], { timeout: 60_000 });
  // The open tab hears it at once; a tab opened later asks and is told too.
  const notice = 'Models are already loaded in another tab of this demo: SmolLM2 135M Instruct, SmolLM2 360M Instruct (on the CPU).';
  await expect(second.getByTestId('models-elsewhere')).toContainText(notice);
  const third = await context.newPage();
  await third.goto(server.url);
  await expect(third.getByTestId('models-elsewhere')).toContainText(notice);
  await expect(third.getByTestId('start-wasm')).toBeVisible(); // told, not blocked
  // The tab with the models closes: the others stop saying so.
  await first.close();
  await expect(second.getByTestId('models-elsewhere')).toHaveCount(0);
  await expect(third.getByTestId('models-elsewhere')).toHaveCount(0);
  await context.close();
});
