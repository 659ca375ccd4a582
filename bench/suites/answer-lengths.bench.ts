import { expect, test } from '@playwright/test';
import { percentile } from '../lib/call-costs.js';
import { QuestionDeck } from '../lib/questions.js';
import { ensureRealModel, benchPerFile, REAL_FILES, SMOL_MODELS } from '../lib/real-setups.js';
import { recordSuite } from '../lib/results.js';
import { fmt } from '../lib/stats.js';
import type { CallRow } from '../pages/wllama-protocol.js';

// 14. How long critiques are when nothing cuts them, on a real instruct model: the data behind the default
// maxTokens.critique. Two SmolLM2 agents (seeds 1 and 2, temperature 0.7) answer a new question each, critique
// both answers (4 critiques per question) with the old default limit of 256 tokens; the run stops when the
// refinements would start. Reports the length distribution and what each candidate limit would cut.

const CAPS = [96, 128, 160, 192, 256];

const bench = benchPerFile();

test('14. critique and answer lengths on SmolLM2 with a 256-token critique limit', async ({ browser }) => {
  test.skip(!ensureRealModel(REAL_FILES.smollm2), `models/${REAL_FILES.smollm2} is missing: run npm run models`);
  test.setTimeout(60 * 60_000);
  const started = performance.now();
  const questions = Number(process.env.BENCH_LENGTH_QUESTIONS ?? 4);
  const deck = new QuestionDeck();
  await bench.setup({ s1: SMOL_MODELS.s1!, s2: SMOL_MODELS.s2! });
  const calls: CallRow[] = [];
  for (let i = 0; i < questions; i++) {
    const r = await bench.run({
      mode: 'attention-moa', question: deck.draw(), agents: [{ name: 'A', key: 's1' }, { name: 'B', key: 's2' }], aggregator: { name: 'aggregator', key: 's1' },
      maxTokens: { propose: 256, critique: 256, refine: 16, aggregate: 16, residual: 16 }, temperature: 0.7, contextWindow: 2048, stopAtRole: 'refine', drafts: false,
    });
    calls.push(...r.calls.filter((c) => c.finishReason === 'stop' || c.finishReason === 'length'));
  }
  const critiques = calls.filter((c) => c.role === 'critique');
  const proposals = calls.filter((c) => c.role === 'propose');
  expect(critiques.length).toBeGreaterThanOrEqual(questions * 3);
  const describe = (list: CallRow[], cap: number) => {
    const n = list.map((c) => c.completionTokens);
    return {
      calls: list.length,
      'median tokens': percentile(n, 50),
      'p90 tokens': percentile(n, 90),
      max: Math.max(...n),
      [`cut at ${cap} (finish "length")`]: `${fmt((100 * list.filter((c) => c.finishReason === 'length').length) / list.length, 0)} %`,
      ...Object.fromEntries(CAPS.map((limit) => [`a ${limit} limit would cut`, `${fmt((100 * n.filter((t) => t >= limit).length) / n.length, 0)} %`])),
      [`decode tokens kept with a 160 limit`]: `${fmt((100 * n.reduce((s, t) => s + Math.min(t, 160), 0)) / n.reduce((s, t) => s + t, 0), 0)} %`,
    };
  };
  recordSuite(
    {
      id: '14-answer-lengths',
      title: '14. Critique lengths on a real instruct model (the data behind maxTokens.critique)',
      explanation:
        `SmolLM2-135M-Instruct, two agents (sampling seeds 1 and 2, temperature 0.7), ${questions} questions, each agent critiquing ` +
        'both answers (4 critiques a question) with a 256-token critique limit and 256 for proposals: how many tokens the model ' +
        'writes before it ends its turn, and what share of the calls a lower limit would cut. The run stops when the ' +
        'refinements would start.',
      rows: [
        { case: 'critiques', values: describe(critiques, 256) },
        { case: 'proposals', values: describe(proposals, 256) },
      ],
      notes: [
        'Quality is not measured here (the eval harness is another issue, not merged when this ran): only lengths. A cut critique loses its last suggestions; the prompt asks for at most five as a short list.',
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
