/**
 * `<div ${markdown(text, { final })}></div>`: binds a growing Markdown string to a StreamingMarkdown renderer that
 * lives as long as the element. Re-rendering the template with a longer string only appends; the renderer decides
 * what to re-render, at most once per frame. `final` renders the rest at once (the stream ended).
 *
 * The renderer and the Markdown parser are loaded on first use (`loadMarkdown()`; the element starts it with the
 * first question, so it is there before the first token). Text bound before then is shown as plain text, and
 * rendered as Markdown as soon as the parser has arrived.
 */
import { noChange, nothing } from 'lit';
import { AsyncDirective, directive, PartType, type ElementPart, type PartInfo } from 'lit/async-directive.js';
import type { StreamingMarkdown } from './streaming-markdown.js';
import type { RenderDomOptions } from './render-dom.js';

export interface MarkdownBinding extends RenderDomOptions {
  /** The text is complete: render it all now instead of on the next frame. */
  final?: boolean;
}

type Renderer = typeof import('./streaming-markdown.js');
let renderer: Renderer | undefined;
let loading: Promise<Renderer> | undefined;

/** Loads the Markdown renderer (once); resolves when `markdown()` renders Markdown instead of plain text. */
export function loadMarkdown(): Promise<Renderer> {
  loading ??= import('./streaming-markdown.js').then(
    (module) => (renderer = module),
    (error: unknown) => {
      loading = undefined; // try again next time (the plain text stays readable meanwhile)
      throw error;
    },
  );
  return loading;
}

class MarkdownDirective extends AsyncDirective {
  private renderer: StreamingMarkdown | undefined;
  private element: HTMLElement | undefined;
  private text = '';
  private binding: MarkdownBinding = {};
  private math = true;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('markdown() must be used on an element: <div ${markdown(text)}></div>');
  }

  render(_text: string, _binding?: MarkdownBinding) {
    return nothing;
  }

  override update(part: ElementPart, [text, binding]: Parameters<this['render']>) {
    this.element = part.element as HTMLElement;
    this.text = text;
    this.binding = binding ?? {};
    if (renderer) this.show();
    else {
      // Until the parser is here: the text as it is (readable, never parsed as HTML), then Markdown.
      if (this.element.textContent !== text) this.element.textContent = text;
      loadMarkdown().then(() => this.isConnected && this.element && this.show(), () => undefined);
    }
    return noChange;
  }

  private show(): void {
    const element = this.element!;
    const math = this.binding.math !== false;
    // A new renderer for a new element, or when math was turned on or off (the text is read differently).
    if (!this.renderer || this.renderer.container !== element || this.math !== math) {
      this.renderer?.dispose();
      this.renderer = new renderer!.StreamingMarkdown(element, this.binding);
      this.math = math;
    }
    this.renderer.set(this.text);
    if (this.binding.final) this.renderer.flush();
  }

  protected override disconnected(): void {
    this.renderer?.dispose();
  }

  protected override reconnected(): void {
    this.renderer?.flush();
  }
}

export const markdown = directive(MarkdownDirective);
