/**
 * Reasoning blocks (`<think>…</think>`, also `<thinking>…</thinking>`) are the model's scratchpad: they are
 * stripped before an output is passed to another call or shown as an answer. Three shapes occur:
 * - complete blocks anywhere in the output;
 * - an unterminated block at the end (the answer was cut by max_tokens while still thinking);
 * - a closing tag with no opening one: chat templates that open the block in the prompt (Qwen3) make the model
 *   emit only `…reasoning</think>answer`.
 */

const OPEN = /<(think|thinking)>/i;
const CLOSE = /<\/(think|thinking)>/i;
const BLOCK = /<(think|thinking)>[\s\S]*?<\/\1>/gi;
const UNTERMINATED = /<(think|thinking)>[\s\S]*$/i;

/** Splits an output into the answer (trimmed, reasoning removed) and the reasoning text. */
export function splitReasoning(output: string): { answer: string; reasoning: string } {
  const reasoning: string[] = [];
  let text = output;
  const close = CLOSE.exec(text);
  const open = OPEN.exec(text);
  if (close && (!open || close.index < open.index)) {
    reasoning.push(text.slice(0, close.index));
    text = text.slice(close.index + close[0].length);
  }
  text = text.replace(BLOCK, (block) => {
    reasoning.push(block.replace(/^<[^>]+>|<\/[^>]+>$/g, ''));
    return '';
  });
  text = text.replace(UNTERMINATED, (block) => {
    reasoning.push(block.replace(/^<[^>]+>/, ''));
    return '';
  });
  return { answer: text.trim(), reasoning: reasoning.map((r) => r.trim()).filter(Boolean).join('\n\n') };
}

/** The output with reasoning blocks removed, trimmed: what is passed on and shown. */
export function stripReasoning(output: string): string {
  return splitReasoning(output).answer;
}

const TAGS = ['<think>', '<thinking>'];
const CLOSE_TAGS = ['</think>', '</thinking>'];

/** Length of the longest suffix of `text` that could be the start of one of `tags` (case-insensitive). */
function partialTagSuffix(text: string, tags: string[]): number {
  const lower = text.toLowerCase();
  const from = lower.lastIndexOf('<');
  if (from < 0) return 0;
  const tail = lower.slice(from);
  return tags.some((tag) => tag.startsWith(tail) && tag !== tail) ? tail.length : 0;
}

/**
 * `stripReasoning` for the text of a call still streaming (the whole output so far, shown again on every token):
 * also hides a tag cut at the end ("…<thi"), which the next token may complete. A lone closing tag is handled as in
 * `stripReasoning`, so Qwen3-style output (`reasoning</think>answer`) reads the same while streaming and at the end.
 */
export function stripPartialReasoning(partial: string): string {
  return stripReasoning(partial.slice(0, partial.length - partialTagSuffix(partial, [...TAGS, ...CLOSE_TAGS])));
}

/**
 * The streaming form of `stripReasoning` for text that is shown while it arrives: hides reasoning blocks, holds
 * back a possibly partial tag, drops leading whitespace and holds trailing whitespace until more text follows.
 * Its output joined equals `stripReasoning(input)` except for an orphan closing tag, which only the end of a
 * stream can reveal (callers compare with the final text and correct).
 */
export class ReasoningFilter {
  private pending = '';
  private inside = false;
  private started = false;
  private heldSpace = '';

  /** Feeds raw output; returns the visible text to emit now (maybe ''). */
  push(raw: string): string {
    this.pending += raw;
    let visible = '';
    for (;;) {
      if (this.inside) {
        const close = CLOSE.exec(this.pending);
        if (!close) {
          this.pending = this.pending.slice(this.pending.length - partialTagSuffix(this.pending, CLOSE_TAGS));
          break;
        }
        this.pending = this.pending.slice(close.index + close[0].length);
        this.inside = false;
      } else {
        const open = OPEN.exec(this.pending);
        const close = CLOSE.exec(this.pending);
        // A closing tag outside a block is an orphan (the prompt opened the block): hide the tag itself.
        if (close && (!open || close.index < open.index)) {
          visible += this.pending.slice(0, close.index);
          this.pending = this.pending.slice(close.index + close[0].length);
          continue;
        }
        if (!open) {
          const keep = partialTagSuffix(this.pending, [...TAGS, ...CLOSE_TAGS]);
          visible += this.pending.slice(0, this.pending.length - keep);
          this.pending = this.pending.slice(this.pending.length - keep);
          break;
        }
        visible += this.pending.slice(0, open.index);
        this.pending = this.pending.slice(open.index + open[0].length);
        this.inside = true;
      }
    }
    return this.trim(visible);
  }

  /** End of stream: a held partial tag that never completed was text after all. */
  end(): string {
    const rest = this.inside ? '' : this.pending;
    this.pending = '';
    const out = this.trim(rest);
    this.heldSpace = '';
    return out;
  }

  private trim(text: string): string {
    if (!text) return '';
    let out = this.heldSpace + text;
    if (!this.started) {
      out = out.replace(/^\s+/, '');
      if (!out) {
        this.heldSpace = '';
        return '';
      }
      this.started = true;
    }
    const trailing = /\s+$/.exec(out);
    this.heldSpace = trailing ? trailing[0] : '';
    return trailing ? out.slice(0, trailing.index) : out;
  }
}
