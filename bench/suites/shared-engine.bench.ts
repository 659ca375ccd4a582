import { expect, test } from '@playwright/test';
import { alternatingPairs } from '../lib/alternating-pairs.js';
import { QuestionDeck } from '../lib/questions.js';
import { ensureRealModel, benchPerFile, REAL_FILES, realUrl, SMOL_TOKENS, TINY_MODELS, TINY_TOKENS } from '../lib/real-setups.js';
import { recordSuite, type ResultRow } from '../lib/results.js';
import { fmt, fmtSummary, summarize } from '../lib/stats.js';
import type { AgentSetup, DecodeResult, ModelSetup, RunResult, RunSetup } from '../pages/wllama-protocol.js';

// 12. Agents that share a model share one engine and decode together: three agents on ONE model (one worker, one
// copy of the weights, llama.cpp with 3 slots: `parallel: 3`), one Attention-MoA layer, with `concurrency: 3` (the
// protocol sends an agent's calls together) vs `concurrency: 1` (one at a time), interleaved, a new question per run.

const PERSONAS = ['Answer as a physicist would.', 'Answer as a teacher of young children would.', 'Answer as a careful engineer would.'];

const bench = benchPerFile();
const deck = new QuestionDeck();

async function compare(models: Record<string, ModelSetup>, shared: string, aggregator: string, maxTokens: RunSetup['maxTokens'], temperature: number, reps: number) {
  const setup = await bench.setup(models);
  expect(setup.slots.find((s) => s.keys.includes(shared))).toMatchObject({ parallel: 3 });
  const agents = (concurrency: number): AgentSetup[] => ['A', 'B', 'C'].map((name, i) => ({ name, key: shared, system: PERSONAS[i]!, concurrency }));
  const run = (concurrency: number) =>
    bench.run({ mode: 'attention-moa', question: deck.draw(), agents: agents(concurrency), aggregator: { name: 'aggregator', key: aggregator }, maxTokens, temperature, contextWindow: 2048 });
  await run(3); // warm-up
  const pairs = await alternatingPairs(reps, () => run(3), () => run(1));
  return pairs.map(({ a, b }) => ({ together: a, serial: b }));
}

function rows(label: string, pairs: { together: RunResult; serial: RunResult }[]): { rows: ResultRow[]; ratio: number } {
  const ratio = summarize(pairs.map((p) => p.together.wallMs / p.serial.wallMs));
  // How much of the agents' work overlapped: calls of the shared model running at once, at most.
  const overlap = (r: RunResult) => {
    const calls = r.calls.filter((c) => c.engine !== 'agg' && c.role !== 'aggregate');
    let most = 0;
    for (const c of calls) most = Math.max(most, calls.filter((d) => d.startedAt <= c.startedAt && d.endedAt > c.startedAt).length);
    return most;
  };
  return {
    ratio: ratio.median,
    rows: [
      {
        case: label,
        values: {
          'concurrency 3 ÷ concurrency 1 (wall)': fmtSummary(ratio, 2),
          'wall ms, concurrency 3': fmtSummary(summarize(pairs.map((p) => p.together.wallMs)), 0),
          'wall ms, concurrency 1': fmtSummary(summarize(pairs.map((p) => p.serial.wallMs)), 0),
          'calls at once on the shared model (3 / 1)': `${Math.max(...pairs.map((p) => overlap(p.together)))} / ${Math.max(...pairs.map((p) => overlap(p.serial)))}`,
        },
      },
    ],
  };
}

test('12. same-model agents at concurrency 3 ÷ concurrency 1: one engine decoding together', async ({ browser }) => {
  test.setTimeout(30 * 60_000);
  const started = performance.now();
  const tiny = await compare({ a: { ...TINY_MODELS.a!, parallel: 3 }, agg: TINY_MODELS.agg! }, 'a', 'agg', TINY_TOKENS, 0, 5);
  const tinyRows = rows('tiny GGUF model (3 agents on one worker) + tiny aggregator', tiny);
  const all = [...tinyRows.rows];
  const ratios = [tinyRows.ratio];
  if (ensureRealModel(REAL_FILES.smollm2)) {
    const url = realUrl(REAL_FILES.smollm2);
    const real = await compare(
      { smol: { url, modelId: 'smollm2-shared', parallel: 3, contextWindow: 2048 }, agg: { url, modelId: 'smollm2-aggregator', seed: 9, contextWindow: 2048 } },
      'smol', 'agg', SMOL_TOKENS, 0, Number(process.env.BENCH_REAL_REPS ?? 3),
    );
    const realRows = rows('SmolLM2-135M-Instruct (3 agents on one worker) + its own aggregator worker', real);
    all.push(...realRows.rows);
    ratios.push(realRows.ratio);
  }
  const worst = Math.max(...ratios);
  recordSuite(
    {
      id: '12-shared-engine',
      title: '12. Agents sharing a model decode together (one engine, llama.cpp slots)',
      explanation:
        'Three agents (different personas) on one model in one agent worker with `parallel: 3` (one copy of the weights, ' +
        'llama.cpp\'s server context with 3 slots decoding in one batch), the aggregator on its own worker; one Attention-MoA ' +
        'layer with the agents at `concurrency: 3` vs `concurrency: 1`, pairs run back to back (order alternating), a new ' +
        'question per run, greedy decoding.',
      target: 'concurrency 3 ÷ concurrency 1 wall time ≤ 0.65',
      met: worst <= 0.65,
      headline: `wall × concurrency 1: ${ratios.map((r, i) => `${fmt(r, 2)} (${i === 0 ? 'tiny' : 'SmolLM2'})`).join(', ')}`,
      rows: all,
      notes: [
        'Before this change a worker ran one request at a time, so concurrency 3 took the same time as concurrency 1. The aggregation cannot overlap anything (it needs every refinement), so it bounds the gain.',
        'Each llama.cpp engine runs on 1 thread (the bench page is not cross-origin isolated); with concurrency 1 the agents\' worker keeps one core busy, with concurrency 3 it still uses one core but decodes 3 sequences per step.',
        'Suite 12b measures the engine alone (the same 3 requests at once vs one after another, no protocol): that ratio is the most this suite can gain on this machine.',
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});

// 12b. The engine alone: is decoding together faster at all here? The same 3 requests on one llama.cpp engine with
// 3 slots, all at once vs one after another, no protocol. This bounds what suite 12 can gain on this machine.
const LONG_PROMPTS = [
  'Write a long story about a dragon who learns to bake bread.',
  'Explain in detail how a bicycle works, part by part.',
  'Describe a walk through a busy market in a big city.',
];

async function together(model: ModelSetup, maxTokens: number, reps: number) {
  await bench.setup({ m: { ...model, parallel: 3 } });
  await bench.decode({ key: 'm', prompts: LONG_PROMPTS, maxTokens: 8, together: true }); // warm-up
  const decode = (at: boolean) => () => bench.decode({ key: 'm', prompts: LONG_PROMPTS, maxTokens, together: at });
  const pairs = (await alternatingPairs(reps, decode(true), decode(false))).map(({ a, b }) => ({ together: a, serial: b }));
  const tokens = (r: DecodeResult) => r.requests.reduce((sum, q) => sum + q.completionTokens, 0);
  // Greedy, so both orders write the same tokens; the comparison is only fair if they do.
  for (const p of pairs) expect(tokens(p.together)).toBe(tokens(p.serial));
  const ratio = summarize(pairs.map((p) => p.together.wallMs / p.serial.wallMs));
  const rate = (r: DecodeResult) => (tokens(r) / r.wallMs) * 1000;
  return {
    ratio,
    values: {
      'at once ÷ one after another (wall)': fmtSummary(ratio, 2),
      'tokens/s at once': fmtSummary(summarize(pairs.map((p) => rate(p.together))), 1),
      'tokens/s one after another': fmtSummary(summarize(pairs.map((p) => rate(p.serial))), 1),
      'tokens per request': String(maxTokens),
    },
  };
}

test('12b. one engine decoding 3 requests at once ÷ one after another (no protocol)', async ({ browser }) => {
  test.setTimeout(20 * 60_000);
  const started = performance.now();
  const isolated = process.env.BENCH_ISOLATE === '1';
  const threadCounts = isolated ? [1, 2] : [1];
  const rows: ResultRow[] = [];
  const ratios: number[] = [];
  for (const threads of threadCounts) {
    const tiny = await together({ ...TINY_MODELS.a!, threads }, 64, 5);
    rows.push({ case: `tiny GGUF model, ${threads} thread${threads > 1 ? 's' : ''}`, values: tiny.values });
    if (ensureRealModel(REAL_FILES.smollm2)) {
      const real = await together({ url: realUrl(REAL_FILES.smollm2), modelId: 'smollm2', contextWindow: 1024, threads }, 48, 3);
      rows.push({ case: `SmolLM2-135M-Instruct, ${threads} thread${threads > 1 ? 's' : ''}`, values: real.values });
      ratios.push(real.ratio.median);
    }
  }
  recordSuite(
    {
      id: '12b-engine-together',
      title: '12b. One engine decoding 3 requests at once ÷ one after another (no protocol)',
      explanation:
        'The same 3 requests (long-answer prompts, greedy, each writing the same number of tokens both ways) on one llama.cpp ' +
        'engine with 3 slots (`parallel: 3`), sent all at once vs one after another, pairs alternating. No protocol: this is ' +
        'the most suite 12 can gain on this machine.',
      headline: ratios.length ? `SmolLM2: ${ratios.map((r, i) => `${fmt(r, 2)} (${threadCounts[i]} thread${threadCounts[i]! > 1 ? 's' : ''})`).join(', ')}` : 'no real model here',
      rows,
      notes: [
        'A ratio near 1 means llama.cpp\'s WebAssembly build is compute-bound here: decoding 3 sequences in one batch costs 3 times the arithmetic of one, so it takes as long as 3 one after another. Batching pays where one step is bound by reading the weights (a GPU; a native CPU build), which this machine cannot measure.',
        isolated
          ? '2 threads need a cross-origin isolated page (this run: `BENCH_ISOLATE=1`, the bench server sends COOP/COEP).'
          : 'Run with `BENCH_ISOLATE=1` to add 2-thread rows (the bench server then sends COOP/COEP, which WebAssembly threads need).',
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
