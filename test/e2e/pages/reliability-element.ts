// <attention-moa> on scripted models in agent workers with faults on cue (issue 9): what the user sees when things
// go wrong, and that the next question works without reloading.
import '@attention-moa/element';
import type { AttentionMoAElement } from '@attention-moa/element';
import { errorInfo, makeCast, type Cast, type FaultKind } from './reliability-cast.js';

const el = document.querySelector('attention-moa') as AttentionMoAElement;
const unhandled: string[] = [];
addEventListener('unhandledrejection', (event) => unhandled.push(`unhandledrejection: ${errorInfo(event.reason).name}: ${errorInfo(event.reason).message}`));
addEventListener('error', (event) => unhandled.push(`error: ${event.message}`));
const errors: unknown[] = [];
el.addEventListener('moa-error', (event) => errors.push(JSON.parse(JSON.stringify({ ...event.detail, error: event.detail.error ? errorInfo(event.detail.error) : undefined }))));

let cast: Cast | undefined;
let terminateB = false;
let bTokens = 0;
// 'terminate': B's worker is killed from outside while it streams its proposal.
el.addEventListener('moa-call-token', (event) => {
  const { agent, role } = event.detail;
  if (terminateB && agent === 'B' && role === 'propose' && ++bTokens === 3) {
    cast?.workers.find((w) => w.label.includes(' B ') && !w.terminated)?.worker.terminate();
  }
});

const relEl = {
  el,
  unhandled: () => unhandled.slice(),
  errors: () => errors.slice(),

  /** Worker engines with one fault on cue, handed to the element as agents + aggregator. */
  async setup(kind: FaultKind = 'none', options: { tokenDelayMs?: number; stuckOnCall?: number; defaultDeadline?: boolean } = {}) {
    el.reset();
    await cast?.pool.dispose();
    cast = makeCast({
      kind, ...(kind === 'hang' ? { callTimeoutMs: 1500 } : {}), tokenDelayMs: options.tokenDelayMs ?? (kind === 'terminate' ? 10 : 1),
      ...(options.stuckOnCall ? { stuckOnCall: options.stuckOnCall } : {}),
    });
    terminateB = kind === 'terminate';
    bTokens = 0;
    await cast.pool.load();
    el.setAttribute('layers', '1');
    // defaultDeadline: the element's own default (nothing set), as on a page that only writes the tag.
    el.options = { earlyStop: cast.protocol.earlyStop, ...(options.defaultDeadline ? {} : { callTimeoutMs: cast.protocol.callTimeoutMs }) };
    el.aggregator = cast.aggregator;
    el.agents = cast.agents;
    errors.length = 0;
    return true;
  },

  /** Waits until crashed workers are back. */
  async settle() {
    for (let i = 0; i < 100 && !cast!.pool.status().every((s) => s.state === 'loaded' || s.state === 'failed'); i++) await new Promise((r) => setTimeout(r, 50));
  },

  /** Requests still running or queued in the workers. */
  async workerLoad() {
    const stats = await Promise.all(['A', 'B', 'C', 'Agg'].map((key) => cast!.pool.stats(key)));
    return stats.reduce((sum, s) => sum + (s?.active ?? 0) + (s?.queued ?? 0), 0);
  },

  /** Requests the workers received so far (all models). */
  async requests() {
    const stats = await Promise.all(['A', 'B', 'C', 'Agg'].map((key) => cast!.pool.stats(key)));
    return stats.reduce((sum, s) => sum + (s?.requests ?? 0), 0);
  },

  /** 50 (or n) ask() calls, each stopped at once or after a short, varying delay; then one that runs to the end. */
  async rapidAskStop(n = 50) {
    const outcomes: string[] = [];
    for (let i = 0; i < n; i++) {
      const asked = el.ask(`Question ${i}: why are there tides?`).then(
        (result) => (result === null ? 'stopped' : 'done'),
        (error) => `rejected ${errorInfo(error).name}`,
      );
      // Same task, next microtask, or up to ~120 ms in (while proposing, critiquing, refining or aggregating).
      if (i % 3 === 1) await Promise.resolve();
      if (i % 3 === 2) await new Promise((r) => setTimeout(r, (i * 37) % 120));
      el.stop();
      outcomes.push(await asked);
    }
    const last = await el.ask('Why are there tides?').then((r) => r?.answer ?? null, (e) => `rejected ${errorInfo(e).name}: ${errorInfo(e).message}`);
    const phases = [...el.shadowRoot!.querySelectorAll('li.turn [part=status]')].map((p) => p.textContent ?? '');
    return { outcomes, last, status: el.status, phases, conversation: el.conversation.map((m) => `${m.role}: ${m.content}`) };
  },

  async teardown() {
    await cast?.pool.dispose();
    cast = undefined;
  },
};

declare global {
  interface Window {
    relEl: typeof relEl;
  }
}
window.relEl = relEl;
document.body.dataset.ready = 'true';
