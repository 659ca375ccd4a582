import { expect, test } from '@playwright/test';
import { poolOverhead, promptCost } from '../lib/call-costs.js';
import { criticalPath } from '../lib/critical-path.js';
import { QuestionDeck } from '../lib/questions.js';
import { benchPerFile, TINY_AGENTS, TINY_AGGREGATOR, TINY_MODELS, TINY_TOKENS } from '../lib/real-setups.js';
import { recordSuite } from '../lib/results.js';
import { fmt, fmtSummary, summarize } from '../lib/stats.js';
import type { RunResult, RunSetup } from '../pages/wllama-protocol.js';

// 8–9. The protocol on real engines: 3 agents + an aggregator, each a tiny GGUF model run by llama.cpp (WASM) in its
// own agent worker, from a production build. Tiny models keep runs short; the ratios are what matters. Every run
// asks a question no earlier run asked, so llama.cpp's prompt cache never serves a whole prompt from an earlier run.

const REPS = 5;
const MODES = ['single', 'classic-moa', 'attention-moa'] as const;

const bench = benchPerFile();
const deck = new QuestionDeck();
test.beforeAll(async () => {
  await bench.setup(TINY_MODELS);
});

const run = (mode: RunSetup['mode']) =>
  bench.run({ mode, question: deck.draw(), agents: TINY_AGENTS, aggregator: TINY_AGGREGATOR, maxTokens: TINY_TOKENS, contextWindow: 2048 });

test('8. pool overhead per call on real engines', async ({ browser }) => {
  test.setTimeout(8 * 60_000);
  const started = performance.now();
  await run('attention-moa'); // warm-up: wasm tier-up and first prompts
  const runs: RunResult[] = [];
  for (let i = 0; i < REPS; i++) runs.push(await run('attention-moa'));
  const calls = runs.flatMap((r) => r.calls);
  for (const r of runs) {
    expect(r.calls).toHaveLength(16);
    expect(r.calls.every((c) => Number.isFinite(c.engineMs) && c.engineMs > 0)).toBe(true);
  }
  const overhead = poolOverhead(calls);
  const engineMs = summarize(calls.map((c) => c.engineMs));
  const cp = summarize(runs.map((r) => r.wallMs / criticalPath(r.calls).ms));
  const met = overhead.p90 <= 3 && overhead.share <= 0.005;
  recordSuite(
    {
      id: '8-real-overhead',
      title: '8. Pool overhead per call with real llama.cpp engines',
      explanation:
        'One Attention-MoA layer (n = 3 + aggregator, 16 calls) on tiny GGUF models in 4 agent workers (production build), ' +
        `${REPS} runs. Per call, the pool's overhead is the call's duration as the protocol saw it (from starting the call to its ` +
        'last chunk) minus the engine\'s own time, measured inside the worker around llama.cpp: the request\'s trip to the ' +
        'worker, the worker\'s queue, and the tokens\' trip back.',
      target: 'pool overhead per call p90 ≤ 3 ms and ≤ 0.5 % of engine time',
      met,
      headline: `p90 ${fmt(overhead.p90, 1)} ms per call, ${fmt(overhead.share * 100, 2)} % of engine time (calls of ${fmt(engineMs.median, 0)} ms median)`,
      rows: [
        { case: 'pool overhead per call, p50 (ms)', values: { value: fmt(overhead.p50, 2) } },
        { case: 'pool overhead per call, p90 (ms)', values: { value: fmt(overhead.p90, 2) } },
        { case: 'pool overhead per call, max (ms)', values: { value: fmt(overhead.max, 2) } },
        { case: 'Σ overhead ÷ Σ engine time', values: { value: `${fmt(overhead.share * 100, 3)} %` } },
        { case: 'engine time per call (ms)', values: { value: fmtSummary(engineMs, 0) } },
        { case: 'wall ÷ critical path of engine time (for information)', values: { value: fmtSummary(cp, 3) } },
      ],
      notes: [
        `${calls.length} calls. The tiny models make calls of tens to hundreds of ms, so the share is an upper bound: real models' calls take seconds (suite 11 has the same figure for SmolLM2).`,
        'Critical path = longest chain of calls through the protocol\'s dependencies and each engine\'s queue, weighted by engine time; what wall time adds to it is the pool, the protocol and the page, and the CPU time the 4 workers take from each other on 2 shared cores.',
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});

test('9. single model vs classic MoA vs Attention-MoA: calls, tokens computed and reused, time', async ({ browser }) => {
  test.setTimeout(8 * 60_000);
  const started = performance.now();
  for (const mode of MODES) await run(mode); // warm-up
  const results: Record<string, RunResult[]> = { single: [], 'classic-moa': [], 'attention-moa': [] };
  // Interleaved, so a noisy moment hits every mode alike; each run its own question.
  for (let i = 0; i < REPS; i++) for (const mode of MODES) results[mode]!.push(await run(mode));
  const singleWall = summarize(results.single!.map((r) => r.wallMs)).median;
  const med = (values: number[]) => summarize(values).median;
  const rows = MODES.map((mode) => {
    const runs = results[mode]!;
    const all = runs.map((r) => promptCost(r.calls));
    return {
      case: mode,
      values: {
        calls: runs[0]!.usage.calls,
        'prompt tokens': med(runs.map((r) => r.usage.promptTokens)),
        'computed (prefill)': med(runs.map((r) => r.usage.processedPromptTokens)),
        'reused from the KV cache': med(runs.map((r) => r.usage.reusedPromptTokens)),
        'prefill ms (llama.cpp)': fmt(med(all.map((c) => c.promptMs)), 0),
        'completion tokens': med(runs.map((r) => r.usage.completionTokens)),
        'wall ms': fmtSummary(summarize(runs.map((r) => r.wallMs)), 0),
        '× single': fmtSummary(summarize(runs.map((r) => r.wallMs / singleWall)), 2),
      },
    };
  });
  expect(rows.map((r) => r.values.calls)).toEqual([1, 4, 16]);
  // The engines' own counts agree with the protocol's: reused + computed = prompt.
  for (const r of Object.values(results).flat()) expect(r.usage.processedPromptTokens + r.usage.reusedPromptTokens).toBe(r.usage.promptTokens);
  recordSuite(
    {
      id: '9-real-modes',
      title: '9. Single model vs classic MoA vs Attention-MoA (real llama.cpp engines)',
      explanation:
        'The same engines in three modes, a new question for every run: the aggregator\'s model alone; classic MoA (3 ' +
        'proposals + aggregation); Attention-MoA (one full layer: proposals, 3×3 critiques, refinements, aggregation). Tiny ' +
        'GGUF models with fixed token limits (propose 24, critique 12, refine 24, aggregate 32: they always write to the limit), ' +
        'so the cost ratios reflect the protocols, not answer lengths. Prompt tokens are split into those llama.cpp computed ' +
        'and those it reused from its KV cache (the longest prefix shared with the previous prompt on the same model).',
      rows,
      notes: [
        `Medians of ${REPS} interleaved runs per mode (min–max for times). A question is never asked twice, so no run reuses an earlier run's prompt: what is reused is shared within a run (a critic's consecutive critiques share instruction, question and own answer; the chat template's opening).`,
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
