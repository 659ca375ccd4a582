import { expect, test } from '@playwright/test';
import { overheadParts, poolOverhead, promptCost, type CostedCall } from '../lib/call-costs.js';
import { criticalPath } from '../lib/critical-path.js';
import { QuestionDeck } from '../lib/questions.js';
import { benchPerFile, ensureRealModel, REAL_FILES, SMOL_AGENTS, SMOL_AGGREGATOR, SMOL_MODELS, SMOL_TOKENS, TINY_AGENTS, TINY_AGGREGATOR, TINY_MODELS, TINY_TOKENS } from '../lib/real-setups.js';
import { recordSuite } from '../lib/results.js';
import { fmt, fmtSummary, summarize } from '../lib/stats.js';
import type { AgentSetup, RunResult, RunSetup } from '../pages/wllama-protocol.js';

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

const REAL_REPS = Number(process.env.BENCH_REAL_REPS ?? 2);

/** One Attention-MoA layer `reps` times (after a warm-up) on the engines set up now: every call's costs. */
async function layerCalls(agents: AgentSetup[], aggregator: AgentSetup, maxTokens: RunSetup['maxTokens'], reps: number) {
  const once = () => bench.run({ mode: 'attention-moa', question: deck.draw(), agents, aggregator, maxTokens, contextWindow: 2048 });
  await once(); // warm-up: wasm tier-up and first prompts
  const runs: RunResult[] = [];
  for (let i = 0; i < reps; i++) runs.push(await once());
  for (const r of runs) {
    expect(r.calls).toHaveLength(16);
    expect(r.calls.every((c) => Number.isFinite(c.engineMs) && c.engineMs > 0 && c.transport)).toBe(true);
  }
  return runs;
}

function layerRow(label: string, runs: RunResult[]) {
  const row = overheadRow(label, runs.flatMap((r) => r.calls));
  const cp = summarize(runs.map((r) => r.wallMs / criticalPath(r.calls).ms));
  return { ...row, row: { ...row.row, values: { ...row.row.values, 'wall ÷ critical path': fmtSummary(cp, 3) } } };
}

/** One engine, requests one after another with nothing else computing: the pool's own cost without CPU contention. */
async function aloneRow(label: string, key: string, count: number, maxTokens: number) {
  const result = await bench.decode({ key, prompts: Array.from({ length: count }, () => deck.draw()), maxTokens, together: false });
  const calls: CostedCall[] = result.requests.map((r) => ({
    role: 'propose', startedAt: 0, endedAt: r.pageMs, engineMs: r.engineMs, promptTokens: r.promptTokens, cachedTokens: 0, promptMs: r.promptMs,
    ...(r.transport ? { transport: r.transport } : {}),
  }));
  const row = overheadRow(label, calls);
  return { ...row, row: { ...row.row, values: { ...row.row.values, 'wall ÷ critical path': '—' } } };
}

function overheadRow(label: string, calls: CostedCall[]) {
  const overhead = poolOverhead(calls);
  const parts = overheadParts(calls).parts;
  const engineMs = summarize(calls.map((c) => c.engineMs));
  const part = (p: { p50: number; p90: number }) => `${fmt(p.p50, 2)} / ${fmt(p.p90, 2)}`;
  return {
    overhead,
    engineMs,
    row: {
      case: label,
      values: {
        calls: String(calls.length),
        'engine time per call (ms)': fmtSummary(engineMs, 0),
        'overhead p50 / p90 / max (ms)': `${fmt(overhead.p50, 2)} / ${fmt(overhead.p90, 2)} / ${fmt(overhead.max, 2)}`,
        'p90, 95 % interval (ms)': `${fmt(overhead.p90Interval.low, 2)}–${fmt(overhead.p90Interval.high, 2)}`,
        'Σ overhead ÷ Σ engine time': `${fmt(overhead.share * 100, 3)} %`,
        'to the worker p50 / p90': part(parts.toWorker),
        'waiting in the worker': part(parts.workerQueue),
        'worker relaying tokens': part(parts.relay),
        'back to the page': part(parts.fromWorker),
        'page (protocol, pool)': part(parts.page),
      },
    },
  };
}

test('8. pool overhead per call on real engines', async ({ browser }) => {
  test.setTimeout(20 * 60_000);
  const started = performance.now();
  const tiny = layerRow('tiny GGUF models (4 workers)', await layerCalls(TINY_AGENTS, TINY_AGGREGATOR, TINY_TOKENS, REPS));
  const rows = [tiny.row, (await aloneRow('tiny GGUF model, one call at a time, nothing else computing', 'a', 40, 24)).row];
  let real: ReturnType<typeof layerRow> | undefined;
  if (ensureRealModel(REAL_FILES.smollm2)) {
    await bench.setup(SMOL_MODELS);
    real = layerRow('SmolLM2-135M-Instruct (3 workers, aggregator on agent A\'s)', await layerCalls(SMOL_AGENTS, SMOL_AGGREGATOR, SMOL_TOKENS, REAL_REPS));
    rows.push(real.row, (await aloneRow('SmolLM2-135M-Instruct, one call at a time, nothing else computing', 's1', 12, 16)).row);
    await bench.setup(TINY_MODELS); // suite 9 runs on them
  }
  // The goal is set on real models: their calls take seconds, the tiny models' tens of ms.
  const judged = real ?? tiny;
  const met = !!real && judged.overhead.p90 <= 3 && judged.overhead.share <= 0.005;
  recordSuite(
    {
      id: '8-real-overhead',
      title: '8. Pool overhead per call with real llama.cpp engines',
      explanation:
        'One Attention-MoA layer (n = 3 + aggregator, 16 calls) on llama.cpp engines in agent workers (production build), ' +
        `${REPS} runs on tiny GGUF models and ${REAL_REPS} on SmolLM2, after a warm-up each. Per call, the pool's overhead is the call's ` +
        'duration as the protocol saw it (from starting the call to its last chunk) minus the engine\'s own time, measured ' +
        'inside the worker around llama.cpp. The worker\'s clock splits it (p50 / p90, ms): the request\'s trip to the ' +
        'worker, its wait there for a free slot, the worker\'s time around the engine call beyond the engine\'s own ' +
        '(relaying tokens), the end\'s trip back, and the rest on the page (protocol and pool before posting and after the end).',
      target: 'pool overhead per call p90 ≤ 3 ms and ≤ 0.5 % of engine time on real models',
      met,
      headline: `${real ? 'SmolLM2' : 'tiny models (no real model here: not judged)'}: p90 ${fmt(judged.overhead.p90, 1)} ms per call (95 % interval ${fmt(judged.overhead.p90Interval.low, 1)}–${fmt(judged.overhead.p90Interval.high, 1)}), ${fmt(judged.overhead.share * 100, 3)} % of engine time (calls of ${fmt(judged.engineMs.median, 0)} ms median)`,
      rows,
      notes: [
        'The tiny models make calls of tens to hundreds of ms, so their share is an upper bound; the goal is judged on SmolLM2 in the protocol run.',
        '"One call at a time, nothing else computing": the same engine answering calls one after another with every other worker idle, timed from the page\'s create() to the stream\'s end. What the protocol runs add to it is the trips waiting for a core: there 3–4 llama.cpp threads compute on 2 cores, and a worker woken by a message (or the page woken by the end) waits for one.',
        'The p90\'s 95 % interval is distribution-free (the order statistics a binomial puts around the 90th percentile): when it straddles 3 ms, another run may land on the other side of the goal.',
        'Page and worker clocks are epoch times (`performance.timeOrigin + performance.now()`) of different threads; they can disagree by a fraction of a millisecond.',
        'Critical path = longest chain of calls through the protocol\'s dependencies and each engine\'s queue, weighted by engine time; what wall time adds to it is the pool, the protocol and the page, and the CPU time the workers take from each other on 2 shared cores.',
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
