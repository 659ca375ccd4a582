import { expect, test } from '@playwright/test';
import { alternatingPairs } from '../lib/alternating-pairs.js';
import { promptCost } from '../lib/call-costs.js';
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

// 13. Prompts laid out for the KV cache: llama.cpp reuses the longest prefix a prompt shares with the previous one on
// the same model. The critique/refine layout puts what a critic's calls share first; the layout before it
// (bench/lib/legacy-prompts.ts) named the target first. Both run on the same question back to back (same proposals:
// greedy or seeded sampling), order alternating, a new question per pair.

const bench = benchPerFile();
const deck = new QuestionDeck();

interface Pair {
  now: RunResult;
  before: RunResult;
}

async function pairs(models: Record<string, ModelSetup>, agents: AgentSetup[], aggregator: AgentSetup, maxTokens: RunSetup['maxTokens'], temperature: number, reps: number): Promise<Pair[]> {
  await bench.setup(models);
  const run = (question: string, legacyPrompts: boolean) =>
    bench.run({ mode: 'attention-moa', question, agents, aggregator, maxTokens, temperature, contextWindow: 2048, legacyPrompts });
  await run(deck.draw(), false); // warm-up
  // Both layouts answer the same question within a repetition.
  const questions = Array.from({ length: reps }, () => deck.draw());
  const pairs = await alternatingPairs(reps, (rep) => run(questions[rep]!, false), (rep) => run(questions[rep]!, true));
  return pairs.map(({ a, b }) => ({ now: a, before: b }));
}

function rowsOf(label: string, list: Pair[]): { rows: ResultRow[]; ratio: number } {
  const critique = (r: RunResult) => promptCost(r.calls, 'critique');
  const refine = (r: RunResult) => promptCost(r.calls, 'refine');
  const ratio = summarize(list.map((p) => critique(p.now).processed / critique(p.before).processed));
  return {
    ratio: ratio.median,
    rows: [
      {
        case: label,
        values: {
          'critique prefill tokens, now ÷ before': fmtSummary(ratio, 2),
          'critique prefill ms, now ÷ before': fmtSummary(summarize(list.map((p) => critique(p.now).promptMs / critique(p.before).promptMs)), 2),
          'critique tokens reused, now / before': `${fmt(summarize(list.map((p) => critique(p.now).reused)).median, 0)} / ${fmt(summarize(list.map((p) => critique(p.before).reused)).median, 0)} of ${fmt(summarize(list.map((p) => critique(p.now).prompt)).median, 0)} / ${fmt(summarize(list.map((p) => critique(p.before).prompt)).median, 0)}`,
          'refine prefill tokens, now ÷ before': fmtSummary(summarize(list.map((p) => refine(p.now).processed / refine(p.before).processed)), 2),
          'whole run prefill tokens, now ÷ before': fmtSummary(summarize(list.map((p) => p.now.usage.processedPromptTokens / p.before.usage.processedPromptTokens)), 2),
        },
      },
    ],
  };
}

test('13. critique prefill with the KV-cache layout ÷ the layout before, same run', async ({ browser }) => {
  test.setTimeout(30 * 60_000);
  const started = performance.now();
  const tiny = rowsOf('tiny GGUF models (3 agents + aggregator)', await pairs(TINY_MODELS, TINY_AGENTS, TINY_AGGREGATOR, TINY_TOKENS, 0, 5));
  const all = [...tiny.rows];
  const ratios = [tiny.ratio];
  if (ensureRealModel(REAL_FILES.smollm2)) {
    const real = rowsOf('SmolLM2-135M-Instruct (3 agents by seed + aggregator)', await pairs(SMOL_MODELS, SMOL_AGENTS, SMOL_AGGREGATOR, SMOL_TOKENS, 0.7, Number(process.env.BENCH_REAL_REPS ?? 3)));
    all.push(...real.rows);
    ratios.push(real.ratio);
  }
  expect(ratios.every((r) => r > 0)).toBe(true);
  recordSuite(
    {
      id: '13-prompt-cache',
      title: '13. Prompts laid out for the KV cache: critique prefill',
      explanation:
        'One Attention-MoA layer twice on the same question, back to back: with the critique/refine layout that puts what a ' +
        'critic\'s calls share first (instruction, history, question, own answer; the answer under review and the task last), ' +
        'and with the layout before it (each critique\'s system message named its target first). Prefill = prompt tokens ' +
        'llama.cpp computed (the rest it reused from its KV cache: the longest prefix shared with the previous prompt on that ' +
        'model); ms = llama.cpp\'s own prompt processing time.',
      target: 'critique prefill ≤ 0.75 × the layout before',
      met: Math.max(...ratios) <= 0.75,
      headline: `critique prefill tokens × before: ${ratios.map((r, i) => `${fmt(r, 2)} (${i === 0 ? 'tiny' : 'SmolLM2'})`).join(', ')}`,
      rows: all,
      notes: [
        'Each critic writes its 3 critiques one after another on its model (self first, then the others in agent order); the first computes the shared part, the next two reuse it, and the refinement after them reuses it again.',
        'The saving grows with answer length: the own answer is part of the shared prefix, the answer under review is not.',
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
