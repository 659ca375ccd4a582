import { expect, test, type Page } from '@playwright/test';
import { ensureModels } from '../../scripts/models.mjs';
import { leaksIn } from './real-output-checks.js';
import type { RealEngineInfo, RealRun } from './pages/real-moa.js';

// Attention-MoA on real, trained models in the runtime's agent workers, through llama.cpp in WebAssembly: SmolLM2
// 135M Instruct and Gemma 3 270M (two families, two tokenizers) answer, SmolLM2 aggregates; 2 layers, judge early
// stop, greedy. The assertions are what a user would notice. Small token caps keep the run to a few minutes on 2
// cores; the caps are also what makes answers get cut, so the "cut" marks are exercised for real.

const QUESTION = 'What is the capital of France?';
const MAX_TOKENS = { propose: 32, critique: 24, refine: 32, aggregate: 32, residual: 32 };
/** Small windows, so that the prompts' fit is checked near a real limit (llama.cpp rejects a prompt that overflows). */
const N_CTX = 768;

test.describe.configure({ mode: 'serial' });
let page: Page;
let engines: RealEngineInfo[];
let run: RealRun;

test.beforeAll(async ({ browser }, info) => {
  info.setTimeout(30 * 60_000); // a shared, busy machine is many times slower than an idle one
  // `npm run models` (CI runs it first); here too, so that `npm test` works on a fresh clone.
  await ensureModels();
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith('[call]')) console.log(m.text().slice(0, 400));
  });
  await page.goto('/test/e2e/pages/real-moa.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const setup = await page.evaluate((n) => window.real.setup({ contextWindow: n }), N_CTX);
  engines = setup.engines;
  console.log(`[measure] SmolLM2 135M + Gemma 3 270M loaded in 2 workers in ${(setup.loadMs / 1000).toFixed(1)} s`);
  const started = Date.now();
  run = await page.evaluate(
    ({ question, maxTokens, n }) => window.real.run({ question, maxTokens, contextWindow: { smol: n, gemma: n }, verbose: true }),
    { question: QUESTION, maxTokens: MAX_TOKENS, n: N_CTX },
  );
  console.log(`[measure] 2 agents + aggregator, ${run.layersRun} layer(s), ${run.calls.length} calls: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`[real] answer: ${JSON.stringify(run.answer)}${run.earlyStop ? ` (early stop: ${run.earlyStop.mode}, layer ${run.earlyStop.layer})` : ''}`);
});
test.afterAll(async () => {
  await page?.evaluate(() => window.real.dispose()).catch(() => undefined);
  await page?.close();
});

test('both models load from the GGUF files npm run models fetched, each with its own architecture and window', () => {
  expect(engines.map((e) => [e.key, e.architecture])).toEqual([
    ['smol', 'llama'],
    ['gemma', 'gemma3'],
  ]);
  for (const e of engines) expect(e.contextWindow).toBe(N_CTX);
  expect(engines.find((e) => e.key === 'smol')!.trainingContext).toBe(8192);
  expect(engines.find((e) => e.key === 'gemma')!.trainingContext).toBe(32768);
});

test('the run completes on the real models with the call graph of 2 agents and an aggregator', () => {
  expect(run.error).toBeUndefined();
  expect(run.dropped).toEqual([]);
  const layer1 = run.calls.filter((c) => c.layer === 1);
  const roles = (calls: typeof run.calls) => calls.map((c) => c.role).sort();
  // Per layer: 2 proposals, 2×2 critiques (cross and self), 2 refinements, 1 aggregation.
  expect(roles(layer1)).toEqual(['aggregate', 'critique', 'critique', 'critique', 'critique', 'propose', 'propose', 'refine', 'refine']);
  expect(run.layersRun).toBeGreaterThanOrEqual(1);
  if (run.layersRun === 2) {
    expect(roles(run.calls.filter((c) => c.layer === 2))).toEqual([...roles(layer1), 'residual'].sort());
  }
  expect(new Set(run.calls.filter((c) => c.role === 'propose').map((c) => c.agent))).toEqual(new Set(['SmolLM2', 'Gemma']));
  expect(run.streamedAnswer).toBe(run.answer);
});

test('every call returns text', () => {
  for (const c of run.calls) {
    expect(c.error, `L${c.layer} ${c.role} ${c.agent}`).toBeUndefined();
    expect(c.text.trim().length, `L${c.layer} ${c.role} ${c.agent} returned ${JSON.stringify(c.output)}`).toBeGreaterThan(0);
  }
  expect(run.answer.trim().length).toBeGreaterThan(0);
});

test('no fence marker, data label, template token, stop phrase or reasoning block reaches what the user is shown', () => {
  const shown: [string, string][] = [
    ['the answer', run.answer],
    ...run.layerOutputs.map((o, i): [string, string] => [`layer ${i + 1}'s output`, o]),
    ...run.calls.map((c): [string, string] => [`L${c.layer} ${c.role} ${c.agent}${c.target ? `→${c.target}` : ''}`, c.text]),
  ];
  const leaks = shown.flatMap(([where, text]) => leaksIn(text).map((leak) => `${where}: ${leak}`));
  expect(leaks, 'real outputs that leak scaffolding').toEqual([]);
});

test('every prompt fits its model\'s real context window, counted by llama.cpp with the model\'s own tokenizer', () => {
  for (const c of run.calls) {
    expect(c.usage, `L${c.layer} ${c.role} ${c.agent}: llama.cpp reported usage`).toBeDefined();
    expect(c.usage!.prompt + c.maxTokens, `L${c.layer} ${c.role} ${c.agent}: ${c.usage!.prompt} prompt tokens + ${c.maxTokens}`).toBeLessThanOrEqual(N_CTX);
    expect(c.usage!.completion).toBeLessThanOrEqual(c.maxTokens);
  }
  // How far the protocol's own count was from llama.cpp's (a report, not a pass condition).
  const ratios = run.calls.map((c) => c.promptTokens / c.usage!.prompt);
  console.log(`[measure] protocol's prompt count / llama.cpp's: ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)} over ${ratios.length} calls`);
});

test('an answer cut by its token limit is marked as cut in the trace', () => {
  const cut = run.calls.filter((c) => c.finishReason === 'length');
  // Caps of 24–32 tokens cut some of a real model's answers; each is marked, and only those.
  expect(cut.length).toBeGreaterThan(0);
  for (const c of run.calls) {
    expect(c.cut, `L${c.layer} ${c.role} ${c.agent} (${c.finishReason})`).toBe(c.finishReason === 'length');
    if (c.cut) expect(c.usage!.completion).toBe(c.maxTokens);
  }
});
