import { expect, test } from '@playwright/test';
import { SCENARIOS, runScenario, type ScenarioRun } from '../lib/early-stop-scenarios.js';
import { fmt, fmtSummary, summarize } from '../lib/stats.js';
import { recordSuite } from '../lib/results.js';

// 5. Early-stop savings: calls and tokens of a run with earlyStop 'judge' / 'similarity' ÷ the same run with 'off', on
// scripted deliberations that converge at layer 2 of 4. The counts come from the protocol alone (engine usage and
// trace), so this runs in the test process (Node) on in-thread scripted engines; they are deterministic, and the
// repetitions show it (min = max).
const REPS = 5;
const TARGET = 0.7;

test('early stop: calls and tokens saved on answers that converge at layer 2 of 4', async ({ browser }) => {
  const started = performance.now();
  const rows = [];
  let met = true;
  let worst = 0;
  for (const scenario of SCENARIOS) {
    const runs: Record<'off' | 'judge' | 'similarity', ScenarioRun[]> = { off: [], judge: [], similarity: [] };
    for (let rep = 0; rep < REPS; rep++) {
      // Side by side: each repetition runs the three modes back to back.
      for (const mode of ['off', 'judge', 'similarity'] as const) runs[mode].push(await runScenario(scenario, mode));
    }
    for (const mode of ['judge', 'similarity'] as const) {
      const calls = summarize(runs[mode].map((r, i) => r.calls / runs.off[i]!.calls));
      const tokens = summarize(runs[mode].map((r, i) => r.tokens / runs.off[i]!.tokens));
      const stops = [...new Set(runs[mode].map((r) => r.stopLayer ?? 'none'))];
      // The scenario converges at layer 2: a mode that stops elsewhere measures something else.
      expect(stops, `${scenario.name}, ${mode}: stop layer`).toEqual([2]);
      met &&= calls.median <= TARGET && tokens.median <= TARGET;
      worst = Math.max(worst, calls.median, tokens.median);
      const first = runs[mode][0]!;
      rows.push({
        case: `${scenario.name} — ${mode}`,
        values: {
          'calls ÷ off': fmtSummary(calls),
          'tokens ÷ off': fmtSummary(tokens),
          'stopped at layer': `${stops.join(', ')} of 4`,
          calls: `${first.calls} vs ${runs.off[0]!.calls}`,
          'tokens (prompt + completion)': `${first.tokens} vs ${runs.off[0]!.tokens}`,
          ...(first.similarity !== undefined ? { similarity: fmt(first.similarity, 3) } : {}),
        },
      });
    }
  }
  recordSuite(
    {
      id: '5-early-stop',
      title: '5. Early-stop savings',
      explanation:
        'Calls and tokens (prompt + completion, engine usage) of a 4-layer run with earlyStop judge / similarity ÷ the same run with earlyStop off, on scripted deliberations whose answers converge at layer 2 (the judge sees no improvement; layer 2 rewords layer 1).',
      target: `calls and tokens ≤ ${TARGET} × off`,
      met,
      headline: `calls and tokens ÷ off ≤ ${fmt(worst)} in every scenario; stopped at layer 2 of 4`,
      rows,
      notes: [
        'Scripted engines in the test process (Node): these counts do not depend on the machine, so min = max. The scripted judge answers the stop phrase from layer 2 on, standing in for a model that sees no improvement; similarity uses the protocol\'s own measure (threshold 0.9).',
        'Token ratios fall below call ratios because later layers carry longer prompts (the residual call sees every earlier round).',
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
