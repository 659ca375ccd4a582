import { expect, test } from '@playwright/test';
import { poolOverhead } from '../lib/call-costs.js';
import { QuestionDeck } from '../lib/questions.js';
import {
  ensureRealModel,
  benchPerFile,
  REAL_FILES,
  SMOL_AGENTS,
  SMOL_AGGREGATOR,
  SMOL_MODELS,
  SMOL_TOKENS,
  TINY_AGENTS,
  TINY_AGGREGATOR,
  TINY_MODELS,
  TINY_TOKENS,
} from '../lib/real-setups.js';
import { recordSuite, type ResultRow } from '../lib/results.js';
import { fmt, fmtSummary, summarize } from '../lib/stats.js';
import type { AgentSetup, ModelSetup, RunResult, RunSetup } from '../pages/wllama-protocol.js';

// 10–11. Time to answer on real llama.cpp engines: how long until the user sees answer text, and until the answer is
// complete, for a single model, classic MoA and Attention-MoA with 1 and 2 layers, each ÷ the single model's, with
// the progressive answer (drafts) on. Every run asks its own question (the prompt cache cannot serve an earlier run).

interface Mode {
  label: string;
  mode: RunSetup['mode'];
  layers: number;
}
const MODES: Mode[] = [
  { label: 'single model', mode: 'single', layers: 1 },
  { label: 'classic MoA (3 + aggregator)', mode: 'classic-moa', layers: 1 },
  { label: 'Attention-MoA, 1 layer', mode: 'attention-moa', layers: 1 },
  { label: 'Attention-MoA, 2 layers (residual)', mode: 'attention-moa', layers: 2 },
];

interface Engines {
  models: Record<string, ModelSetup>;
  agents: AgentSetup[];
  aggregator: AgentSetup;
  maxTokens: RunSetup['maxTokens'];
  temperature: number;
}

const bench = benchPerFile();
const deck = new QuestionDeck();

async function measure(engines: Engines, reps: number): Promise<{ rows: ResultRow[]; runs: RunResult[][] }> {
  await bench.setup(engines.models);
  const run = (m: Mode) =>
    bench.run({
      mode: m.mode, layers: m.layers, question: deck.draw(), agents: engines.agents, aggregator: engines.aggregator,
      maxTokens: engines.maxTokens, temperature: engines.temperature, contextWindow: 2048,
    });
  await run(MODES[0]!); // warm-up: wasm tier-up
  await run(MODES[1]!);
  const runs: RunResult[][] = MODES.map(() => []);
  // Interleaved: rep i runs every mode once, so a noisy moment hits them alike; ratios are taken within a rep.
  for (let i = 0; i < reps; i++) for (const [m, mode] of MODES.entries()) runs[m]!.push(await run(mode));
  const single = runs[0]!;
  const rows = MODES.map((mode, m) => {
    const mine = runs[m]!;
    const wall = summarize(mine.map((r) => r.wallMs));
    const visible = summarize(mine.map((r) => r.firstVisibleMs));
    return {
      case: mode.label,
      values: {
        calls: mine[0]!.calls.length,
        'wall ms': fmtSummary(wall, 0),
        'wall ÷ single': fmtSummary(summarize(mine.map((r, i) => r.wallMs / single[i]!.wallMs)), 2),
        'first visible token ms': fmtSummary(visible, 0),
        'first visible ÷ single': fmtSummary(summarize(mine.map((r, i) => r.firstVisibleMs / single[i]!.firstVisibleMs)), 2),
        'first visible, % of the run': `${fmt(summarize(mine.map((r) => (100 * r.firstVisibleMs) / r.wallMs)).median, 0)} %`,
        'without drafts: first answer token ÷ single': fmtSummary(summarize(mine.map((r, i) => r.firstAnswerMs! / single[i]!.firstVisibleMs)), 2),
        drafts: mine[0]!.drafts,
      },
    };
  });
  return { rows, runs };
}

function record(browser: { version(): string }, id: string, title: string, engines: string, reps: number, result: Awaited<ReturnType<typeof measure>>, started: number, notes: string[]) {
  const perMode = result.rows.slice(1).map((r) => Number(String(r.values['first visible ÷ single']).split(' ')[0]));
  const worst = Math.max(...perMode);
  recordSuite(
    {
      id,
      title,
      explanation:
        `${engines} The same question kinds in four modes, ${reps} interleaved repetitions, drafts on (the default): the first ` +
        'visible token is the first text the user sees (a draft from the first proposal to write, or the answer itself for a ' +
        'single model); wall time is until the final answer is complete. Each ratio is taken within a repetition (÷ the single ' +
        'model\'s run of that repetition).',
      target: 'first visible answer token ≤ 2 × the single model\'s',
      met: worst <= 2,
      headline: `first visible token ${perMode.map((v) => fmt(v, 2)).join(' / ')} × single (classic / 1 layer / 2 layers); wall ${result.rows.slice(1).map((r) => String(r.values['wall ÷ single']).split(' ')[0]).join(' / ')} × single`,
      rows: result.rows,
      notes,
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
}

test('10. time to answer on tiny llama.cpp models: first visible token and wall time ÷ a single model', async ({ browser }) => {
  test.setTimeout(10 * 60_000);
  const started = performance.now();
  const reps = 5;
  const result = await measure({ models: TINY_MODELS, agents: TINY_AGENTS, aggregator: TINY_AGGREGATOR, maxTokens: TINY_TOKENS, temperature: 0 }, reps);
  expect(result.runs.map((r) => r[0]!.calls.length)).toEqual([1, 4, 16, 33]);
  record(browser, '10-time-to-answer-tiny', '10. Time to answer, tiny llama.cpp models', 'Tiny generated GGUF models (3 agents + an aggregator, one worker each; every call writes to its limit: propose 24, critique 12, refine 24, aggregate and residual 32 tokens).', reps, result, started, [
    'A single model streams its answer from its first token; the ensembles show a draft (the first proposal to write, streamed live) long before their final answer, then each layer\'s output before the last, then the answer. "Without drafts" is when the final answer\'s first token came: what the user saw first before drafts existed.',
  ]);
});

test('11. time to answer on a real instruct model (SmolLM2-135M-Instruct): first visible token and wall time ÷ a single model', async ({ browser }) => {
  test.skip(!ensureRealModel(REAL_FILES.smollm2), `models/${REAL_FILES.smollm2} is missing: run npm run models`);
  test.setTimeout(60 * 60_000);
  const started = performance.now();
  const reps = Number(process.env.BENCH_REAL_REPS ?? 3);
  await bench.setup(SMOL_MODELS);
  const run = (m: Mode, stopAtFirstVisible: boolean) =>
    bench.run({
      mode: m.mode, layers: m.layers, question: deck.draw(), agents: SMOL_AGENTS, aggregator: SMOL_AGGREGATOR,
      maxTokens: SMOL_TOKENS, temperature: 0.7, contextWindow: 2048, stopAtFirstVisible,
    });
  await run(MODES[0]!, false); // warm-up
  // First visible text: every mode, `reps` interleaved repetitions; the ensembles stop there (cheap), the single
  // model runs whole (its answer is short).
  const firsts: RunResult[][] = MODES.map(() => []);
  for (let i = 0; i < reps; i++) for (const [m, mode] of MODES.entries()) firsts[m]!.push(await run(mode, m > 0));
  // Wall time: one whole run of each ensemble (a real Attention-MoA run takes minutes on this shared machine).
  const wholeRuns: (RunResult | undefined)[] = [undefined];
  for (const mode of MODES.slice(1)) wholeRuns.push(await run(mode, false));
  const single = firsts[0]!;
  const singleWall = summarize(single.map((r) => r.wallMs)).median;
  const singleFirst = summarize(single.map((r) => r.firstVisibleMs)).median;
  const rows: ResultRow[] = MODES.map((mode, m) => {
    const mine = firsts[m]!;
    const full = m === 0 ? undefined : wholeRuns[m]!;
    return {
      case: mode.label,
      values: {
        calls: m === 0 ? 1 : full!.calls.length,
        'wall ms': m === 0 ? fmtSummary(summarize(single.map((r) => r.wallMs)), 0) : fmt(full!.wallMs, 0),
        'wall ÷ single': m === 0 ? '1.00' : fmt(full!.wallMs / singleWall, 2),
        'first visible token ms': fmtSummary(summarize(mine.map((r) => r.firstVisibleMs)), 0),
        'first visible ÷ single': fmtSummary(summarize(mine.map((r, i) => r.firstVisibleMs / single[i]!.firstVisibleMs)), 2),
        'first visible, % of the run': m === 0 ? `${fmt(summarize(single.map((r) => (100 * r.firstVisibleMs) / r.wallMs)).median, 0)} %` : `${fmt((100 * summarize(mine.map((r) => r.firstVisibleMs)).median) / full!.wallMs, 1)} %`,
        'without drafts: first answer token ÷ single': m === 0 ? '1.00' : fmt(full!.firstAnswerMs! / singleFirst, 2),
        drafts: m === 0 ? 0 : full!.drafts,
      },
    };
  });
  const calls = wholeRuns.flatMap((r) => r?.calls ?? []);
  const overhead = poolOverhead(calls);
  record(browser, '11-time-to-answer-real', '11. Time to answer, SmolLM2-135M-Instruct (llama.cpp, WASM)', 'SmolLM2-135M-Instruct Q4_1 in three agent workers (agents A, B, C differ by sampling seed at temperature 0.7; the aggregator shares agent A\'s worker), limits propose 32, critique 24, refine 32, aggregate and residual 48 tokens (small, for this shared 2-core machine).', reps, { rows, runs: firsts }, started, [
    `First visible token: ${reps} interleaved repetitions per mode (the ensembles stopped once it appeared); wall time and "without drafts": one whole run per ensemble mode, ÷ the single model's median. A new question for every run.`,
    `Pool overhead on the whole runs' calls (page-side duration − engine time, ${calls.length} calls of ${fmt(summarize(calls.map((c) => c.engineMs)).median, 0)} ms median): p50 ${fmt(overhead.p50, 1)} ms, p90 ${fmt(overhead.p90, 1)} ms, ${fmt(overhead.share * 100, 3)} % of engine time.`,
    'Answers may end before their limit (the model writes an end of turn), so runs differ in length with their question.',
  ]);
});
