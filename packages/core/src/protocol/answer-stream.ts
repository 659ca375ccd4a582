/**
 * The final answer as the UI sees it: `answer-token` events whose concatenation (since the last `answer-reset`)
 * equals `result.answer`. The call that produces the last layer's output streams through here live, with
 * reasoning blocks hidden; a judge's reply is held back while it could still be the stop phrase (that reply is a
 * verdict, not an answer). Whatever ends up as the answer, `complete()` reconciles: it emits what is missing, or
 * resets and emits the answer whole when the streamed text went another way.
 */
import { couldBeStopPhrase, parseVerdict } from './early-stop.js';
import { ReasoningFilter } from './reasoning.js';
import type { AttentionMoAEvent } from './types.js';

export class AnswerStream {
  private emitted = '';
  private filter = new ReasoningFilter();
  private held = '';
  private stopPhrase: string | undefined;

  constructor(private readonly emit: (event: AttentionMoAEvent) => void) {}

  /** The answer text emitted since the last reset. */
  get text(): string {
    return this.emitted;
  }

  /** A call starts streaming as the answer; with `stopPhrase` its reply may be a judge's stop verdict. */
  begin(stopPhrase?: string): void {
    this.filter = new ReasoningFilter();
    this.held = '';
    this.stopPhrase = stopPhrase;
  }

  push(raw: string): void {
    const visible = this.filter.push(raw);
    if (!visible) return;
    if (this.stopPhrase !== undefined) {
      this.held += visible;
      // Decision first: once the first line is complete, a stop verdict is held for good (the run's answer will be
      // the layer's aggregate), and the continue word's line is dropped so the answer streams without it.
      const lineEnd = this.held.search(/\S[^\n]*\n/);
      if (lineEnd >= 0) {
        const verdict = parseVerdict(this.held.slice(0, this.held.indexOf('\n', lineEnd) + 1), this.stopPhrase);
        if (verdict.form === 'stop') return;
        if (verdict.form === 'continue') {
          const rest = this.held.slice(this.held.indexOf('\n', lineEnd) + 1).replace(/^\s+/, '');
          this.stopPhrase = undefined;
          this.held = '';
          if (rest) this.out(rest);
          return;
        }
      }
      if (couldBeStopPhrase(this.held, this.stopPhrase)) return;
      this.stopPhrase = undefined;
      const out = this.held;
      this.held = '';
      this.out(out);
      return;
    }
    this.out(visible);
  }

  /** Drops the answer so far (its call failed; another engine will answer). */
  reset(reason: string): void {
    if (this.emitted) this.emit({ type: 'answer-reset', reason });
    this.emitted = '';
    this.begin();
  }

  /** Makes the emitted answer equal `answer`. */
  complete(answer: string): void {
    if (!answer.startsWith(this.emitted)) this.reset('the final answer differs from the text streamed so far');
    const rest = answer.slice(this.emitted.length);
    if (rest) this.out(rest);
    this.begin();
  }

  private out(token: string): void {
    this.emitted += token;
    this.emit({ type: 'answer-token', token });
  }
}
