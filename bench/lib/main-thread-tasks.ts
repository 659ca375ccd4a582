/**
 * Main-thread tasks from a Chromium trace (categories `toplevel` + `blink.user_timing`), for suite 4: each task's wall
 * duration and its thread (CPU) duration, between two `performance.mark()`s of the page. On a loaded machine a task's
 * wall time includes the time its thread waited for a CPU; its thread time is the work itself.
 */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; [key: string]: unknown };
}

export interface Task {
  /** µs, trace clock. */
  start: number;
  /** ms */
  wallMs: number;
  /** ms of thread (CPU) time; undefined when the trace has none. */
  cpuMs?: number;
}

export interface MainThreadTrace {
  tasks: Task[];
  /** µs, trace clock, by mark name (the last one of that name). */
  marks: Map<string, number>;
}

const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/** The renderer main thread that recorded `markName`, its tasks and all its marks. */
export function mainThreadTasks(events: TraceEvent[], markName: string): MainThreadTrace {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const marker = events.find((e) => e.name === markName && mains.has(`${e.pid}:${e.tid}`));
  if (!marker) throw new Error(`mainThreadTasks: no mark "${markName}" on a renderer main thread (trace with blink.user_timing?)`);
  const key = `${marker.pid}:${marker.tid}`;
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === key);
  const marks = new Map<string, number>();
  for (const e of onMain) if (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || (e.ph === 'b' && e.name)) marks.set(e.name, e.ts);
  const tasks = onMain
    .filter((e) => e.ph === 'X' && TASK_NAMES.has(e.name) && typeof e.dur === 'number')
    .map((e) => ({ start: e.ts, wallMs: e.dur! / 1000, ...(typeof e.tdur === 'number' ? { cpuMs: e.tdur / 1000 } : {}) }));
  return { tasks, marks };
}

/** The longest task starting between two marks: by wall time and by CPU time. */
export function longestBetween(trace: MainThreadTrace, from: string, to: string): { wallMs: number; cpuMs: number } {
  const a = trace.marks.get(from);
  const b = trace.marks.get(to);
  if (a === undefined || b === undefined) throw new Error(`longestBetween: missing mark ${a === undefined ? from : to}`);
  const inside = trace.tasks.filter((t) => t.start >= a && t.start < b);
  return { wallMs: Math.max(0, ...inside.map((t) => t.wallMs)), cpuMs: Math.max(0, ...inside.map((t) => t.cpuMs ?? 0)) };
}
