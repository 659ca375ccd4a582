/**
 * `cssProps({ '--heat': '40%', width: '40%' })`: sets style properties (custom ones too) through the CSSOM, always. Lit's `styleMap` writes a
 * `style` attribute on first render, which a Content-Security-Policy without `'unsafe-inline'` in style-src blocks
 * (the cells of the attention map lost their colour under a strict policy); `style.setProperty` is allowed.
 * Exported for pages built with Lit that want the same (the demo uses it).
 */
import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

class CssPropsDirective extends Directive {
  private previous = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('cssProps() is an element directive: <div ${cssProps({ ... })}>');
  }

  render(_props: Record<string, string>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [props]: [Record<string, string>]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const name of this.previous) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.previous = new Set(Object.keys(props));
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);
