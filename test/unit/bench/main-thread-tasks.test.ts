import { describe, expect, it } from 'vitest';
import { longestBetween, mainThreadTasks, type TraceEvent } from '../../../bench/lib/main-thread-tasks.js';

// A trace as Chromium writes it (toplevel + blink.user_timing): thread names, RunTask slices, performance.mark instants.
const events: TraceEvent[] = [
  { name: 'thread_name', ph: 'M', pid: 1, tid: 1, ts: 0, args: { name: 'CrBrowserMain' } },
  { name: 'thread_name', ph: 'M', pid: 2, tid: 2, ts: 0, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', pid: 2, tid: 3, ts: 0, args: { name: 'DedicatedWorker thread' } },
  { name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: 2, tid: 2, ts: 500, dur: 90_000, tdur: 80_000 }, // before the window
  { name: 'el:0', ph: 'I', pid: 2, tid: 2, ts: 1_000 },
  { name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: 2, tid: 2, ts: 2_000, dur: 30_000, tdur: 12_000 },
  { name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: 2, tid: 2, ts: 40_000, dur: 20_000, tdur: 19_000 },
  { name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: 2, tid: 3, ts: 41_000, dur: 99_000, tdur: 99_000 }, // a worker
  { name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: 1, tid: 1, ts: 42_000, dur: 99_000, tdur: 99_000 }, // the browser
  { name: 'el:end', ph: 'I', pid: 2, tid: 2, ts: 70_000 },
  { name: 'ThreadControllerImpl::RunTask', ph: 'X', pid: 2, tid: 2, ts: 80_000, dur: 70_000, tdur: 70_000 }, // after
];

describe('bench main-thread tasks from a Chromium trace (suite 4)', () => {
  it('finds the renderer main thread by its mark and the longest task between two marks, by wall and CPU time', () => {
    const trace = mainThreadTasks(events, 'el:0');
    expect(trace.tasks).toHaveLength(4);
    expect(longestBetween(trace, 'el:0', 'el:end')).toEqual({ wallMs: 30, cpuMs: 19 });
  });

  it('says what is missing', () => {
    expect(() => mainThreadTasks(events, 'nope')).toThrow(/no mark "nope"/);
    expect(() => longestBetween(mainThreadTasks(events, 'el:0'), 'el:0', 'el:5')).toThrow(/missing mark el:5/);
  });
});
