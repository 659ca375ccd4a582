/**
 * `<div ${markdown(text, { final })}></div>`: binds a growing Markdown string to a StreamingMarkdown renderer that
 * lives as long as the element. Re-rendering the template with a longer string only appends; the renderer decides
 * what to re-render, at most once per frame. `final` renders the rest at once (the stream ended).
 */
import { noChange, nothing } from 'lit';
import { AsyncDirective, directive, PartType, type ElementPart, type PartInfo } from 'lit/async-directive.js';
import { StreamingMarkdown } from './streaming-markdown.js';
import type { RenderDomOptions } from './render-dom.js';

export interface MarkdownBinding extends RenderDomOptions {
  /** The text is complete: render it all now instead of on the next frame. */
  final?: boolean;
}

class MarkdownDirective extends AsyncDirective {
  private renderer: StreamingMarkdown | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('markdown() must be used on an element: <div ${markdown(text)}></div>');
  }

  render(_text: string, _binding?: MarkdownBinding) {
    return nothing;
  }

  override update(part: ElementPart, [text, binding]: Parameters<this['render']>) {
    if (!this.renderer || this.renderer.container !== part.element) {
      this.renderer?.dispose();
      this.renderer = new StreamingMarkdown(part.element as HTMLElement, binding ?? {});
    }
    this.renderer.set(text);
    if (binding?.final) this.renderer.flush();
    return noChange;
  }

  protected override disconnected(): void {
    this.renderer?.dispose();
  }

  protected override reconnected(): void {
    this.renderer?.flush();
  }
}

export const markdown = directive(MarkdownDirective);
