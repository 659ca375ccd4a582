/**
 * The start screen's progress while a session on real models loads: one row per chosen model, the pool's overall
 * line above them, and what to say when the load fails or is cancelled. Pure (no DOM): the app shows what it gets.
 */
import type { PoolEvent } from '@attention-moa/core';
import type { DemoState } from './state.js';

export type StartingView = NonNullable<DemoState['starting']>;
type Row = StartingView['models'][number];

export class StartProgress {
  private readonly rows: Map<string, Row>;

  /** `models`: pool key (model id) → the name the row shows. */
  constructor(models: readonly { id: string; label: string }[], private readonly show: (view: StartingView) => void) {
    this.rows = new Map(models.map((m) => [m.id, { model: m.label, fraction: 0, text: 'waiting', state: 'waiting' }]));
  }

  /** Shows `text` (and the overall fraction) above the rows. */
  say(text: string, progress?: number): void {
    this.show({ text, ...(progress !== undefined ? { progress } : {}), models: [...this.rows.values()] });
  }

  /** The pool's `onEvent`: progress and failures per model, the overall line, the swap-mode notice. */
  readonly onEvent = (e: PoolEvent): void => {
    if (e.type === 'progress') {
      const row = this.rows.get(e.model);
      if (row) this.rows.set(e.model, { ...row, fraction: e.progress.fraction, text: e.progress.text, state: e.progress.state });
      this.say(e.overall.text, e.overall.fraction);
    } else if (e.type === 'load-failed') {
      const row = this.rows.get(e.model);
      if (row) this.rows.set(e.model, { ...row, state: 'failed', text: e.error.message });
    } else if (e.type === 'swap-mode') {
      this.say(e.message);
    }
  };
}

/** What the start screen says when loading ended without a session. */
export function startErrorText(error: unknown, aborted: boolean): string {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === 'LOAD_CANCELLED' || aborted
    ? 'Loading was cancelled. Nothing is lost: what was downloaded stays cached for next time.'
    : `The models could not be loaded: ${e?.message ?? String(error)} You can still try the protocol in the simulation.`;
}
