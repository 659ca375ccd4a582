/**
 * The progressive answer: `draft-*` events that show a provisional answer long before the final one, at no extra
 * call. The first draft is a layer-1 proposal (streamed live by default, as soon as one writes a visible token);
 * each layer's output before the last replaces it (an aggregate live, a residual whole once it is known not to be
 * the judge's stop verdict). The final answer (`answer-token`, see answer-stream.ts) replaces any draft. One draft
 * streams at a time; a draft whose call fails ends with status 'failed', and the first proposal that completed
 * stands in for it.
 */
import type { ResolvedDrafts } from './options.js';
import { ReasoningFilter } from './reasoning.js';
import type { AttentionMoAEvent, DraftSource } from './types.js';

/** What a call tells an observer of its stream (the call runner calls these in order: start, token…, end). */
export interface CallTap {
  start(call: number): void;
  token(raw: string): void;
  /** The call ended: its passed-on text when it succeeded, undefined when it failed. */
  end(text: string | undefined): void;
}

type Emit = (event: AttentionMoAEvent) => void;

/** One call's view of the draft: its own reasoning filter, and whether it owns the draft being streamed. */
class DraftTap implements CallTap {
  readonly filter = new ReasoningFilter();
  call = 0;
  /** Visible text so far (what a claim shows first). */
  text = '';
  /** The draft id this call streams, once it claimed the draft. */
  draft: number | undefined;

  constructor(
    private readonly owner: DraftStream,
    readonly source: Omit<DraftSource, 'call'>,
    /** Claims the draft on its first visible token (live); otherwise it can only be shown whole. */
    readonly live: (tap: DraftTap) => boolean,
  ) {}

  start(call: number): void {
    this.call = call;
  }

  token(raw: string): void {
    const visible = this.filter.push(raw);
    if (!visible) return;
    this.text += visible;
    if (this.draft === undefined && this.live(this)) this.owner.claim(this);
    else if (this.draft !== undefined) this.owner.token(this, visible);
  }

  end(text: string | undefined): void {
    this.owner.ended(this, text);
  }
}

export class DraftStream {
  private next = 1;
  /** The tap streaming the current draft. */
  private streaming: DraftTap | undefined;
  /** Layer 1's proposals are still choosing the first draft (none has completed as a draft yet). */
  private firstOpen = true;
  /** Proposals that completed while another one owned the draft, oldest first: stand-ins if it fails. */
  private finished: { tap: DraftTap; text: string }[] = [];
  /** The live choice for the first draft failed once: completed proposals now stand in as they come. */
  private failedOnce = false;
  private closed = false;

  constructor(
    private readonly emit: Emit,
    private readonly options: ResolvedDrafts | false,
  ) {}

  /** A tap for a layer-1 proposal (undefined when drafts are off). */
  proposal(agent: string): CallTap | undefined {
    const { options } = this;
    if (!options) return undefined;
    const first = options.first;
    const live =
      first === 'first-finished'
        ? () => false
        : typeof first === 'object'
          ? (tap: DraftTap) => tap.source.agent === first.agent && this.canStart()
          : () => this.canStart();
    return new DraftTap(this, { role: 'propose', layer: 1, agent }, live);
  }

  /** A tap for an aggregate whose output is not the final answer (a layer before the last, or a residual follows). */
  aggregate(layer: number, agent: string): CallTap | undefined {
    if (!this.options || !this.options.layers) return undefined;
    return new DraftTap(this, { role: 'aggregate', layer, agent }, () => !this.closed);
  }

  /** A layer's output that arrived whole and is not the final answer (a residual's synthesis). */
  whole(source: DraftSource, text: string): void {
    if (!this.options || !this.options.layers || this.closed || !text) return;
    this.firstOpen = false;
    const id = this.begin(source);
    this.emit({ type: 'draft-token', draft: id, token: text, final: false });
    this.emit({ type: 'draft-end', draft: id, status: 'done', text, final: false });
  }

  /** The final answer begins: no draft event after this. */
  close(): void {
    this.closed = true;
  }

  // ---- used by the taps ---------------------------------------------------------------------

  private canStart(): boolean {
    return !this.closed && this.firstOpen && this.streaming === undefined;
  }

  private begin(source: DraftSource): number {
    const id = this.next++;
    this.emit({ type: 'draft-start', draft: id, source, final: false });
    return id;
  }

  claim(tap: DraftTap): void {
    if (this.closed) return;
    tap.draft = this.begin({ ...tap.source, call: tap.call });
    this.streaming = tap;
    this.emit({ type: 'draft-token', draft: tap.draft, token: tap.text, final: false });
  }

  token(tap: DraftTap, visible: string): void {
    if (this.closed || tap !== this.streaming) return;
    this.emit({ type: 'draft-token', draft: tap.draft!, token: visible, final: false });
  }

  ended(tap: DraftTap, text: string | undefined): void {
    if (this.closed) return;
    if (tap.draft !== undefined && tap === this.streaming) {
      // What the end of the stream still held (a tag that never completed was text after all).
      const rest = tap.filter.end();
      if (rest) this.emit({ type: 'draft-token', draft: tap.draft, token: rest, final: false });
      this.streaming = undefined;
      const done = text !== undefined && text.length > 0;
      this.emit({ type: 'draft-end', draft: tap.draft, status: done ? 'done' : 'failed', text: done ? text : tap.text + rest, final: false });
      if (done) {
        if (tap.source.role === 'propose') this.firstOpen = false;
        return;
      }
      // The draft's call failed: the first proposal that completed meanwhile stands in.
      if (tap.source.role === 'propose') this.standIn();
      return;
    }
    if (tap.source.role !== 'propose' || !this.firstOpen || text === undefined || !text) return;
    this.finished.push({ tap, text });
    if (this.streaming === undefined && this.mayShowWhole(tap)) this.standIn();
  }

  /**
   * Whether a completed proposal that never streamed may be shown whole now: always with 'first-finished'; otherwise
   * only once the live choice failed (until then it waits as a stand-in), or when it is the named agent's own.
   */
  private mayShowWhole(tap: DraftTap): boolean {
    const first = this.options && this.options.first;
    if (first === 'first-finished') return true;
    if (typeof first === 'object' && tap.source.agent === first.agent) return true;
    return this.failedOnce;
  }

  private standIn(): void {
    this.failedOnce = true;
    const next = this.finished.shift();
    if (!next) return;
    this.firstOpen = false;
    const id = this.begin({ ...next.tap.source, call: next.tap.call });
    this.emit({ type: 'draft-token', draft: id, token: next.text, final: false });
    this.emit({ type: 'draft-end', draft: id, status: 'done', text: next.text, final: false });
  }
}
