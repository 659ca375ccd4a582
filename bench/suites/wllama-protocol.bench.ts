import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { criticalPath, type TracedCall } from '../lib/critical-path.js';
import { recordSuite } from '../lib/results.js';
import { fmtSummary, summarize } from '../lib/stats.js';
import { generateTinyModels } from '../../test/fixtures/gguf/generate.js';

// 7–8. The protocol on real engines: 3 agents + an aggregator, each a tiny GGUF model run by llama.cpp (WASM) in its
// own agent worker, from the production build. Tiny models keep runs short; the ratios are what matters.

const REPS = 5;
type Run = { wallMs: number; answer: string; usage: { calls: number; promptTokens: number; completionTokens: number }; calls: TracedCall[] };
const MODES = ['single', 'classic-moa', 'attention-moa'] as const;

let page: Page;
test.beforeAll(async ({ browser }) => {
  generateTinyModels(fileURLToPath(new URL('../..', import.meta.url)));
  page = await browser.newPage();
  await page.goto('/bench/pages/wllama-protocol.html');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.evaluate(() => (window as unknown as { bench: { setup(): Promise<unknown> } }).bench.setup());
});
test.afterAll(async () => page.close());

const run = (mode: (typeof MODES)[number]) => page.evaluate((m) => (window as unknown as { bench: { run(m: string): Promise<Run> } }).bench.run(m), mode);

test('7. orchestration overhead on real engines: wall time ÷ critical path of engine time', async ({ browser }) => {
  test.setTimeout(6 * 60_000);
  const started = performance.now();
  await run('attention-moa'); // warm-up: wasm tier-up and first prompts
  const ratios: number[] = [];
  const walls: number[] = [];
  const paths: number[] = [];
  let answer: string | undefined;
  for (let i = 0; i < REPS; i++) {
    const r = await run('attention-moa');
    expect(r.calls).toHaveLength(16);
    expect(r.calls.every((c) => Number.isFinite(c.engineMs) && c.engineMs > 0)).toBe(true);
    answer ??= r.answer;
    expect(r.answer).toBe(answer); // greedy: every repetition answers the same
    const cp = criticalPath(r.calls);
    ratios.push(r.wallMs / cp.ms);
    walls.push(r.wallMs);
    paths.push(cp.ms);
  }
  const ratio = summarize(ratios);
  recordSuite(
    {
      id: '7-real-overhead',
      title: '7. Orchestration overhead with real llama.cpp engines',
      explanation:
        'One Attention-MoA layer (n = 3 + aggregator, 16 calls) on tiny GGUF models in 4 agent workers (production build). ' +
        'Critical path = longest chain of calls through the protocol\'s dependencies and each engine\'s queue, weighted by ' +
        'each call\'s engine time measured inside the worker; wall time ÷ critical path is the cost of everything else.',
      target: 'wall ÷ critical path ≤ 1.05',
      met: ratio.median <= 1.05,
      rows: [
        { case: 'wall ÷ critical path', values: { value: fmtSummary(ratio, 3) } },
        { case: 'wall time (ms)', values: { value: fmtSummary(summarize(walls), 0) } },
        { case: 'critical path (ms)', values: { value: fmtSummary(summarize(paths), 0) } },
      ],
      notes: ['2 cores shared by 4 llama.cpp workers (1 thread each) and the page; greedy decoding, so every repetition does the same work.'],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});

test('8. single model vs classic MoA vs Attention-MoA on the same question: calls, tokens, time', async ({ browser }) => {
  test.setTimeout(8 * 60_000);
  const started = performance.now();
  for (const mode of MODES) await run(mode); // warm-up
  const results: Record<string, Run[]> = { single: [], 'classic-moa': [], 'attention-moa': [] };
  // Interleaved, so a noisy moment hits every mode alike.
  for (let i = 0; i < REPS; i++) for (const mode of MODES) results[mode]!.push(await run(mode));
  const singleWall = summarize(results.single!.map((r) => r.wallMs)).median;
  const rows = MODES.map((mode) => {
    const runs = results[mode]!;
    const first = runs[0]!;
    for (const r of runs) expect(r.usage).toEqual(first.usage); // greedy: the same calls and tokens every time
    const wall = summarize(runs.map((r) => r.wallMs));
    return {
      case: mode,
      values: {
        calls: first.usage.calls,
        'prompt tokens': first.usage.promptTokens,
        'completion tokens': first.usage.completionTokens,
        'wall ms': fmtSummary(wall, 0),
        '× single': fmtSummary(summarize(runs.map((r) => r.wallMs / singleWall)), 2),
      },
    };
  });
  expect(rows.map((r) => r.values.calls)).toEqual([1, 4, 16]);
  recordSuite(
    {
      id: '8-real-modes',
      title: '8. Single model vs classic MoA vs Attention-MoA (real llama.cpp engines)',
      explanation:
        'The same question and engines in three modes: the aggregator\'s model alone; classic MoA (3 proposals + aggregation); ' +
        'Attention-MoA (one full layer: proposals, 3×3 critiques, refinements, aggregation). Tiny GGUF models with fixed ' +
        'token limits (propose 24, critique 12, refine 24, aggregate 32), so the cost ratios reflect the protocols, not answer lengths.',
      rows,
      notes: ['Calls and tokens are exact (greedy decoding repeats them); times are medians of interleaved repetitions.'],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
