import { expect, test } from '@playwright/test';
import { fmt, fmtSummary, summarize } from '../lib/stats.js';
import { recordSuite, type ResultRow } from '../lib/results.js';
import { longestBetween, mainThreadTasks, type TraceEvent } from '../lib/main-thread-tasks.js';
import type { FeedResult, RenderBench } from '../pages/render.js';

// 4. Streaming render: 20,000 tokens of realistic Markdown fed into <attention-moa>'s answer, 40 tokens per animation
// frame (2,400 tokens/s at 60 fps, 24× a fast GPU model), and the same stream into a naive renderer that re-parses
// the whole Markdown into innerHTML on every token. Main-thread cost comes from Chromium's own accounting
// (CDP Performance.getMetrics: TaskDuration, i.e. script + style + layout + paint of the page's main thread).
const REPS = 5;
const TOKENS = 20_000;
const PER_FRAME = 40;
const WINDOW = 1_000;
/** The naive renderer's last window is shorter: its cost per token there is ~15 ms and flat (the text grows by 2.5 %
 *  over it), and 5 × 1,000 of them would take half the 10-minute budget of the whole bench on a busy machine. */
const NAIVE_LAST_WINDOW = 500;
const windows = { element: { first: WINDOW, last: WINDOW }, naive: { first: WINDOW, last: NAIVE_LAST_WINDOW } } as const;
const marksOf = (kind: 'element' | 'naive') => [0, windows[kind].first, TOKENS - windows[kind].last, TOKENS];
const MARKS = marksOf('element');
const TARGET_RATIO = 1.5;
const TARGET_LONGEST_MS = 50;

type Metrics = Record<string, number>;

test('streaming render: cost of the last 1,000 tokens ÷ the first 1,000, longest task; element vs naive', async ({ page, browser }) => {
  test.setTimeout(6 * 60_000);
  const started = performance.now();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const samples = new Map<string, Metrics>();
  await page.exposeBinding('benchMark', async (_source, label: string) => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    samples.set(label, Object.fromEntries(metrics.map((m) => [m.name, m.value])));
  });
  await page.goto('/dist/bench/render.html');
  await page.waitForFunction(() => (window as unknown as { bench?: { ready: boolean } }).bench?.ready === true);
  const bench = {
    element: (tokens = TOKENS, marks = MARKS) =>
      page.evaluate((o) => (window as unknown as { bench: RenderBench }).bench.feedElement(o), { tokens, perFrame: PER_FRAME, marks }),
    naive: () =>
      page.evaluate((o) => (window as unknown as { bench: RenderBench }).bench.feedNaive(o), {
        tokens: TOKENS,
        perFrame: PER_FRAME,
        marks: marksOf('naive'),
        skipFrom: windows.naive.first,
        skipTo: TOKENS - windows.naive.last,
      }),
  };

  /** Main-thread seconds (and its parts) between two marks. */
  const cost = (kind: string, from: number, to: number, metric = 'TaskDuration') => samples.get(`${kind}:${to}`)![metric]! - samples.get(`${kind}:${from}`)![metric]!;
  const longest = (r: FeedResult, windows: [number, number][] | 'all') =>
    Math.max(0, ...r.longTasks.filter((t) => windows === 'all' || windows.some(([a, b]) => t.start >= a && t.start < b)).map((t) => t.duration));

  const runs: Record<'element' | 'naive', { ratio: number; first: number; last: number; longest: number; longestCpu: number; longTasks: number; parts: Record<string, number> }[]> = { element: [], naive: [] };
  // Warm-up: the element file loaded and compiled, its rendering paths run once.
  await bench.element(2_000, []);
  for (let rep = 0; rep < REPS; rep++) {
    for (const kind of ['element', 'naive'] as const) {
      samples.clear();
      // A trace of the main thread's tasks (small categories: task boundaries and the page's marks), for each task's
      // CPU time next to its wall time.
      await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing'] });
      const r = await bench[kind]();
      const traceJson = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      const trace = mainThreadTasks(Array.isArray(traceJson) ? traceJson : traceJson.traceEvents ?? [], `${kind}:0`);
      const cpu =
        kind === 'element'
          ? longestBetween(trace, 'element:0', 'element:end').cpuMs
          : Math.max(longestBetween(trace, 'naive:0', `naive:${WINDOW}`).cpuMs, longestBetween(trace, `naive:${TOKENS - NAIVE_LAST_WINDOW}`, `naive:${TOKENS}`).cpuMs);
      expect(r.chars).toBeGreaterThan(60_000);
      // The renderer really shows the text (Markdown syntax removed, so somewhat shorter).
      expect(r.shownChars, `${kind} shows the answer`).toBeGreaterThan(0.6 * r.chars);
      // Main-thread seconds per 1,000 tokens in the first and the last window.
      const { first: firstLength, last: lastLength } = windows[kind];
      const first = (cost(kind, 0, firstLength) * WINDOW) / firstLength;
      const last = (cost(kind, TOKENS - lastLength, TOKENS) * WINDOW) / lastLength;
      const measured: [number, number][] = [
        [r.marks[`${kind}:0`]!, r.marks[`${kind}:${firstLength}`]!],
        [r.marks[`${kind}:${TOKENS - lastLength}`]!, r.marks[`${kind}:${TOKENS}`]!],
      ];
      const parts = Object.fromEntries(
        ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'].map((m) => [m, cost(kind, TOKENS - lastLength, TOKENS, m) / cost(kind, TOKENS - lastLength, TOKENS)]),
      );
      runs[kind].push({
        ratio: last / first,
        first,
        last,
        // The element: every task of the whole feed; the naive renderer: its two measured windows (in between, the
        // text was set in one go, which is not what it does per token).
        longest: longest(r, kind === 'element' ? 'all' : measured),
        longestCpu: cpu,
        longTasks: r.longTasks.filter((t) => kind === 'element' || measured.some(([a, b]) => t.start >= a && t.start < b)).length,
        parts,
      });
    }
  }

  const rows: ResultRow[] = [];
  for (const kind of ['element', 'naive'] as const) {
    const rs = runs[kind];
    const ms = (s: number) => s * 1000;
    const parts = (name: string) => `${fmt(100 * summarize(rs.map((r) => r.parts[name]!)).median, 0)} %`;
    rows.push({
      case: kind === 'element' ? '`<attention-moa>` (built element)' : 'naive: marked.parse(whole text) → innerHTML per token',
      values: {
        'last ÷ first (per token)': fmtSummary(summarize(rs.map((r) => r.ratio))),
        'first 1,000 tokens (ms main thread)': fmtSummary(summarize(rs.map((r) => ms(r.first))), 0),
        [`last ${WINDOW.toLocaleString('en')} tokens (ms main thread)`]: `${fmtSummary(summarize(rs.map((r) => ms(r.last))), 0)}${kind === 'naive' ? ` ¹` : ''}`,
        'longest task (ms)': fmtSummary(summarize(rs.map((r) => r.longest)), 0),
        'longest task, CPU time (ms)': fmtSummary(summarize(rs.map((r) => r.longestCpu)), 0),
        'tasks ≥ 50 ms': fmtSummary(summarize(rs.map((r) => r.longTasks)), 0),
        'last window: script / style / layout': `${parts('ScriptDuration')} / ${parts('RecalcStyleDuration')} / ${parts('LayoutDuration')}`,
      },
    });
  }
  const element = runs.element;
  const ratio = summarize(element.map((r) => r.ratio)).median;
  const longestTask = summarize(element.map((r) => r.longest)).median;
  // The target is the issue's: no main-thread task over 50 ms of CPU time (wall time on this shared machine includes
  // time the thread waited for a core; it is reported next to it).
  const longestCpu = summarize(element.map((r) => r.longestCpu)).median;
  const naiveLast = summarize(runs.naive.map((r) => r.last)).median;
  const elementLast = summarize(element.map((r) => r.last)).median;
  recordSuite(
    {
      id: '4-streaming-render',
      title: '4. Streaming render',
      explanation:
        `${TOKENS.toLocaleString('en')} tokens of generated Markdown (headings, paragraphs, lists, quotes, code blocks, inline markup; bench/lib/markdown-corpus.ts) fed ${PER_FRAME} per animation frame into the answer; main-thread time (Chromium's TaskDuration) of the last ${WINDOW.toLocaleString('en')} tokens ÷ the first ${WINDOW.toLocaleString('en')}, and the longest task (PerformanceObserver 'longtask': tasks ≥ 50 ms; 0 = none).`,
      target: `element: last ÷ first ≤ ${TARGET_RATIO} and no main-thread task over ${TARGET_LONGEST_MS} ms of CPU time`,
      met: ratio <= TARGET_RATIO && longestCpu < TARGET_LONGEST_MS,
      headline: `element: last ÷ first ${fmt(ratio)}, longest task ${fmt(longestCpu, 0)} ms CPU (${longestTask > 0 ? `${fmt(longestTask, 0)} ms wall` : 'none ≥ 50 ms wall'}); naive: ${fmt(summarize(runs.naive.map((r) => r.ratio)).median, 1)}, longest ${fmt(summarize(runs.naive.map((r) => r.longest)).median, 0)} ms`,
      rows,
      notes: [
        `Over the last ${WINDOW.toLocaleString('en')} tokens the naive renderer spends ${fmt(naiveLast / elementLast, 0)}× the element's main-thread time.`,
        'Longest task: PerformanceObserver(\'longtask\') reports wall time of tasks ≥ 50 ms (0 = none), which on a loaded machine includes time the main thread waited for a CPU; the CPU-time column is the same tasks\' thread time from a Chromium trace (all tasks, not only ≥ 50 ms).',
        'The element gets the tokens as `answer-token` events through its `moa` property (a runner streaming the answer, as the protocol does), so what is measured is its event handling, view model and Markdown rendering; no model or worker is involved.',
        `The naive renderer keeps no state, so its cost per token depends only on the text so far: tokens ${WINDOW.toLocaleString('en')}–${(TOKENS - NAIVE_LAST_WINDOW).toLocaleString('en')} are set in one go between its two measured windows (it would take minutes otherwise). ¹ Its last window is the last ${NAIVE_LAST_WINDOW} tokens, given per 1,000 tokens (×${WINDOW / NAIVE_LAST_WINDOW}); its cost per token is flat there. It does not sanitize; the element does.`,
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
