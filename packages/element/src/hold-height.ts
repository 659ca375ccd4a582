/**
 * `<div ${holdHeight(key)}>`: when what the box shows changes (`key`: a draft, the next draft, the answer), the box
 * keeps the height it had, so a text replaced by a shorter one (a draft by the final answer as it starts to
 * stream) moves nothing below it and the reader's scroll position holds. `key` undefined lets go: the box takes its
 * content's own height again (once, when the run has ended).
 *
 * Lit updates an element's own parts before its children's, so the height read here is still the old text's. One
 * layout read per replacement (a few per run), nothing per token; `min-height` is set through the CSSOM, which a
 * strict Content-Security-Policy allows.
 */
import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

class HoldHeightDirective extends Directive {
  private shown: string | undefined;

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('holdHeight() is an element directive: <div ${holdHeight(key)}>');
  }

  render(_key: string | undefined): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [key]: [string | undefined]): typeof noChange {
    const element = part.element as HTMLElement;
    if (key === undefined) {
      element.style.removeProperty('min-height');
    } else if (this.shown !== undefined && key !== this.shown && element.isConnected) {
      const height = element.getBoundingClientRect().height;
      if (height > 0) element.style.setProperty('min-height', `${height}px`);
    }
    this.shown = key;
    return noChange;
  }
}

export const holdHeight = directive(HoldHeightDirective);
