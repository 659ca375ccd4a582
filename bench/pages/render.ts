/**
 * Bench page for suite 4 (streaming render). A long Markdown answer is fed token by token, a fixed number of tokens
 * per animation frame, into
 * - `<attention-moa>` (the built, self-contained element file, as a page without a build step loads it), through its
 *   `moa` property: a runner that streams `answer-token` events, as the protocol does for the final answer;
 * - a naive baseline: on every token, `marked.parse` of the whole text so far into a div's `innerHTML`.
 * At marks the feed waits for rendering to settle and calls `benchMark(label)` (a Playwright binding that samples
 * Chromium's main-thread metrics over CDP), so the suite can compare the cost of the first and last 1,000 tokens.
 */
import { marked } from 'marked';
import { markdownCorpus } from '../lib/markdown-corpus.js';
import type { AttentionMoAEvent, AttentionMoAResult, RunPlan } from '@attention-moa/core';

declare global {
  interface Window {
    benchMark(label: string): Promise<void>;
  }
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
/** Two frames: whatever the last batch scheduled has been rendered and painted. */
const settle = async () => {
  await frame();
  await frame();
};

const longTasks: PerformanceEntry[] = [];
/** When each mark was taken (performance.now()), by label. */
const markTimes: Record<string, number> = {};
async function mark(label: string): Promise<void> {
  markTimes[label] = performance.now();
  performance.mark(label); // also in a Chromium trace (blink.user_timing), to find the window's tasks
  await window.benchMark(label);
}
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

export interface FeedOptions {
  tokens: number;
  perFrame: number;
  /** Token counts at which to call `benchMark` (after rendering settled). */
  marks: number[];
}

export interface FeedResult {
  frames: number;
  /** Long tasks (≥ 50 ms) during the feed: start (performance.now()) and duration, ms. */
  longTasks: { start: number; duration: number }[];
  /** performance.now() at each mark. */
  marks: Record<string, number>;
  /** Text length fed, and what the page shows at the end (characters of text content). */
  chars: number;
  shownChars: number;
}

function longTasksSince(t0: number): { start: number; duration: number }[] {
  return longTasks.filter((e) => e.startTime >= t0).map((e) => ({ start: e.startTime, duration: e.duration }));
}

const PLAN: RunPlan = {
  agents: ['agent1'],
  aggregator: 'aggregator',
  layers: 1,
  attention: 'none',
  residual: false,
  earlyStop: 'off',
  expectedCalls: 2,
  callsPerLayer: [2],
  critiques: [],
};

let elementLoaded: Promise<unknown> | undefined;
/** The element as users get it without a bundler: the built file, loaded at run time (not bundled into this page). */
function loadElement(): Promise<unknown> {
  const url = new URL('../../packages/element/dist/attention-moa.js', location.href).href;
  elementLoaded ??= import(/* @vite-ignore */ url).then(() => customElements.whenDefined('attention-moa'));
  return elementLoaded;
}

async function feedElement(options: FeedOptions): Promise<FeedResult> {
  await loadElement();
  const { tokens } = markdownCorpus(options.tokens);
  const text = tokens.join('');
  document.querySelector('attention-moa')?.remove();
  const element = document.createElement('attention-moa') as HTMLElement & { moa?: unknown; ask(q: string): Promise<unknown> };
  document.body.append(element);
  await settle();
  let frames = 0;
  const t0 = performance.now();
  const runner = {
    async *run(): AsyncGenerator<AttentionMoAEvent> {
      yield { type: 'run-start', plan: PLAN };
      const marks = new Set(options.marks);
      for (let i = 0; i < tokens.length; ) {
        if (marks.has(i)) {
          await settle();
          await mark(`element:${i}`);
        }
        await frame();
        frames++;
        const end = Math.min(tokens.length, i + options.perFrame);
        for (; i < end; i++) yield { type: 'answer-token', token: tokens[i]! };
      }
      await settle();
      if (marks.has(tokens.length)) await mark(`element:${tokens.length}`);
      const result: AttentionMoAResult = {
        answer: text,
        layerOutputs: [text],
        layersRun: 1,
        trace: [],
        dropped: [],
        usage: { calls: 2, promptTokens: 0, processedPromptTokens: 0, reusedPromptTokens: 0, completionTokens: tokens.length },
        durationMs: performance.now() - t0,
      };
      yield { type: 'done', result };
    },
  };
  element.moa = runner;
  await element.ask('Write a long technical answer.');
  await settle();
  performance.mark('element:end');
  const answer = element.shadowRoot?.querySelector('[part~="answer"]');
  return { frames, longTasks: longTasksSince(t0), marks: { ...markTimes }, chars: text.length, shownChars: (answer?.textContent ?? '').length };
}

/**
 * The naive baseline: re-render the whole Markdown on every token. Its cost per token depends only on the text so
 * far (it keeps no state), so the tokens between the two measured windows are set in one go to keep the suite short.
 */
async function feedNaive(options: FeedOptions & { skipFrom: number; skipTo: number }): Promise<FeedResult> {
  const { tokens } = markdownCorpus(options.tokens);
  document.querySelector('#naive')?.remove();
  const target = document.createElement('div');
  target.id = 'naive';
  document.body.append(target);
  await settle();
  let frames = 0;
  let text = '';
  const t0 = performance.now();
  const marks = new Set(options.marks);
  for (let i = 0; i < tokens.length; ) {
    if (marks.has(i)) {
      await settle();
      await mark(`naive:${i}`);
    }
    if (i === options.skipFrom) {
      text = tokens.slice(0, options.skipTo).join('');
      target.innerHTML = marked.parse(text, { async: false });
      i = options.skipTo;
      continue;
    }
    await frame();
    frames++;
    const end = Math.min(tokens.length, i + options.perFrame);
    for (; i < end; i++) {
      text += tokens[i]!;
      target.innerHTML = marked.parse(text, { async: false });
    }
  }
  await settle();
  if (marks.has(tokens.length)) await mark(`naive:${tokens.length}`);
  return { frames, longTasks: longTasksSince(t0), marks: { ...markTimes }, chars: text.length, shownChars: (target.textContent ?? '').length };
}

const bench = { feedElement, feedNaive, ready: true };
export type RenderBench = typeof bench;
(window as unknown as { bench: RenderBench }).bench = bench;
