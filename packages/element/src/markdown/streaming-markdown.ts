/**
 * Streaming Markdown into a container, at a cost that does not grow with the answer.
 *
 * The source is split at block boundaries: blocks that are followed by another block are finished (Markdown cannot
 * change them any more) and are rendered once into the container and kept; only the open block (the last one) is
 * re-lexed and re-rendered, at most once per animation frame, however many tokens arrive in between.
 */
import type { Token } from 'marked';
import { blocksToSafeTree, lexBlocks, type LinkDefinitions } from './safe-tree.js';
import { renderSafeNodes, type HeadingState, type RenderDomOptions } from './render-dom.js';

export interface StreamingMarkdownStats {
  /** Blocks rendered once and kept. */
  committedBlocks: number;
  /** How many times the open block was rendered. */
  openBlockRenders: number;
  /** Characters re-lexed in total (the work that stays small when blocks are committed). */
  lexedChars: number;
}

const isSpace = (t: Token) => t.type === 'space' || t.type === 'def';

/**
 * Committed blocks go into groups of this many (`div.md-group`): when the open block changes, the container lays out
 * a few groups and the open block instead of every block of a long answer, and the element's styles let the browser
 * skip groups that are off screen (`content-visibility: auto`), so a frame late in a 20k-token answer costs about
 * what an early one does (bench suite 4).
 */
const GROUP_SIZE = 24;

export class StreamingMarkdown {
  readonly container: HTMLElement;
  readonly stats: StreamingMarkdownStats = { committedBlocks: 0, openBlockRenders: 0, lexedChars: 0 };
  private readonly options: RenderDomOptions;
  /** All text received, normalized to \n line endings. */
  private source = '';
  /** A trailing \r held back until we know whether \n follows. */
  private pendingCR = false;
  /** How much of `source` is committed (rendered and kept). */
  private committed = 0;
  private readonly links: LinkDefinitions = Object.create(null);
  /** Heading levels of the committed blocks (the open block renders from a copy). */
  private headings: HeadingState;
  private readonly open: HTMLElement;
  /** The group committed blocks go into (see GROUP_SIZE). */
  private group: HTMLElement | undefined;
  private frame: number | undefined;
  private fallbackTimer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;

  constructor(container: HTMLElement, options: RenderDomOptions = {}) {
    this.container = container;
    this.options = options;
    this.headings = { last: options.headingBase ?? 0 };
    this.open = container.ownerDocument.createElement('div');
    this.open.className = 'md-open';
    this.container.replaceChildren(this.open);
  }

  /** The full Markdown source received so far. */
  get text(): string {
    return this.pendingCR ? `${this.source}\n` : this.source;
  }

  append(chunk: string): void {
    if (!chunk) return;
    let next = (this.pendingCR ? '\r' : '') + chunk;
    this.pendingCR = next.endsWith('\r');
    if (this.pendingCR) next = next.slice(0, -1);
    this.source += next.replace(/\r\n?/g, '\n');
    this.schedule();
  }

  /**
   * Shows `full`: appends the difference when it extends what is shown, otherwise starts over. Text arriving in an
   * empty container is rendered at once, not on the next frame: a box that replaces another (a draft by the answer)
   * is never shown empty for a frame.
   */
  set(full: string): void {
    const current = this.source;
    if (full.length >= current.length && !this.pendingCR && full.startsWith(current)) {
      this.append(full.slice(current.length));
      if (!current && full) this.flush();
      return;
    }
    this.reset();
    this.append(full);
    if (full) this.flush();
  }

  reset(): void {
    this.cancel();
    this.source = '';
    this.pendingCR = false;
    this.committed = 0;
    this.headings = { last: this.options.headingBase ?? 0 };
    for (const key of Object.keys(this.links)) delete this.links[key];
    this.open.replaceChildren();
    this.group = undefined;
    this.container.replaceChildren(this.open);
  }

  /** Renders whatever is pending now (end of a stream, tests). */
  flush(): void {
    if (this.pendingCR) {
      this.source += '\n';
      this.pendingCR = false;
      this.dirty = true;
    }
    this.cancel();
    if (this.dirty) this.render();
  }

  dispose(): void {
    this.cancel();
  }

  private schedule(): void {
    this.dirty = true;
    if (this.frame !== undefined || this.fallbackTimer !== undefined) return;
    const view = this.container.ownerDocument.defaultView;
    const run = () => {
      this.cancel();
      this.render();
    };
    if (view?.requestAnimationFrame) this.frame = view.requestAnimationFrame(run);
    // Hidden tabs get no animation frames; keep the text current there at a low rate anyway.
    this.fallbackTimer = setTimeout(run, 250);
  }

  private cancel(): void {
    if (this.frame !== undefined) this.container.ownerDocument.defaultView?.cancelAnimationFrame(this.frame);
    if (this.fallbackTimer !== undefined) clearTimeout(this.fallbackTimer);
    this.frame = undefined;
    this.fallbackTimer = undefined;
  }

  private commit(blocks: DocumentFragment): void {
    for (const node of [...blocks.childNodes]) {
      if (!this.group || this.group.childNodes.length >= GROUP_SIZE) {
        this.group = this.container.ownerDocument.createElement('div');
        this.group.className = 'md-group';
        this.container.insertBefore(this.group, this.open);
      }
      this.group.append(node);
    }
  }

  private render(): void {
    this.dirty = false;
    const tail = this.source.slice(this.committed);
    const tokens = lexBlocks(tail, this.links, { math: this.options.math !== false });
    this.stats.lexedChars += tail.length;
    // The last real block may still grow; everything before it is final.
    let last = tokens.length - 1;
    while (last >= 0 && isSpace(tokens[last]!)) last -= 1;
    if (last > 0) {
      const finished = tokens.slice(0, last);
      const doc = this.container.ownerDocument;
      this.commit(renderSafeNodes(blocksToSafeTree(finished), doc, this.options, this.headings));
      this.stats.committedBlocks += finished.filter((t) => !isSpace(t)).length;
      this.committed += finished.reduce((n, t) => n + t.raw.length, 0);
    }
    const openTokens = last >= 0 ? tokens.slice(Math.max(last, 0)) : [];
    this.open.replaceChildren(renderSafeNodes(blocksToSafeTree(openTokens), this.container.ownerDocument, this.options, { ...this.headings }));
    this.stats.openBlockRenders += 1;
  }
}
