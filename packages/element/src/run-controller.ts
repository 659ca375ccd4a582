/**
 * The bridge between a run of the protocol and the element: consumes the run's events into the view model and asks
 * the host to re-render, at most once per animation frame however fast tokens arrive (a 20k-token answer must not
 * cost 20k renders). Stopping is immediate in the UI even if an engine is slow to notice the abort.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AttentionMoAEvent, ChatMessage, RunOptions } from '@attention-moa/core';
import { errorInfo, reduceRun, startRun, type RunAction, type RunView } from './view-model.js';

/** Anything that runs the protocol: `AttentionMoA` from @attention-moa/core, or your own with the same `run`. */
export interface MoaRunner {
  run(messages: ChatMessage[], options?: RunOptions): AsyncIterable<AttentionMoAEvent>;
}

export function isMoaRunner(value: unknown): value is MoaRunner {
  return typeof (value as { run?: unknown } | null)?.run === 'function';
}

export class RunController implements ReactiveController {
  /** The current (or last) run; undefined before the first. */
  view: RunView | undefined;
  private abortController: AbortController | undefined;
  private frame: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Called for every action after it was applied (the element turns them into DOM events). */
    private readonly onAction: (action: RunAction, view: RunView) => void,
  ) {
    host.addController(this);
  }

  get running(): boolean {
    return this.view?.status === 'running';
  }

  /** Runs to the end (done, stopped or failed) and returns the final view. Never throws. */
  async run(runner: MoaRunner, messages: ChatMessage[], question: string): Promise<RunView> {
    const abort = new AbortController();
    this.abortController = abort;
    this.view = startRun(question, performance.now());
    this.host.requestUpdate();
    const stopped = new Promise<'stopped'>((resolve) => abort.signal.addEventListener('abort', () => resolve('stopped'), { once: true }));
    let iterator: AsyncIterator<AttentionMoAEvent> | undefined;
    try {
      iterator = runner.run(messages, { signal: abort.signal })[Symbol.asyncIterator]();
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next === 'stopped' || next.done) break;
        this.apply(next.value);
        if (next.value.type === 'done' || next.value.type === 'error') break;
      }
    } catch (error) {
      if (!abort.signal.aborted) this.apply({ type: 'failed', error: errorInfo(error) });
    } finally {
      if (abort.signal.aborted) this.apply({ type: 'stopped' });
      else if (this.view.status === 'running') {
        this.apply({ type: 'failed', error: { name: 'IncompleteRunError', message: 'The run ended without a final answer (no "done" event).' } });
      }
      // Let the protocol clean up (engines interrupted, workers freed) without making the UI wait for it.
      iterator?.return?.()?.catch(() => undefined);
      if (this.abortController === abort) this.abortController = undefined;
    }
    return this.view;
  }

  /** Stops the run in flight: the UI settles at once and the protocol's signal is aborted. */
  stop(): void {
    this.abortController?.abort(new DOMException('Stopped by the user', 'AbortError'));
  }

  /** Forgets the last run (the element keeps finished turns itself). */
  clear(): void {
    this.stop();
    this.view = undefined;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    // A move in the DOM disconnects and reconnects at once; only a real removal stops the run.
    setTimeout(() => {
      if (!this.host.isConnected) this.stop();
    }, 0);
  }

  private apply(action: RunAction): void {
    if (!this.view) return;
    const next = reduceRun(this.view, action, performance.now());
    if (next === this.view) return;
    this.view = next;
    this.onAction(action, next);
    if (next.status === 'running') this.scheduleUpdate();
    else this.updateNow();
  }

  private scheduleUpdate(): void {
    if (this.frame !== undefined || this.timer !== undefined) return;
    const update = () => this.updateNow();
    this.frame = requestAnimationFrame(update);
    // No frames in hidden tabs: still progress, slowly.
    this.timer = setTimeout(update, 250);
  }

  private updateNow(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.frame = undefined;
    this.timer = undefined;
    this.host.requestUpdate();
  }
}
