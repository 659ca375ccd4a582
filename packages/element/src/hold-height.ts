/**
 * `<div ${holdHeight(key)}>`: when what the box shows changes (`key`: a draft, the next draft, the answer), the box
 * keeps the height it had, so a text replaced by a shorter one (a draft by the final answer as it starts to
 * stream) moves nothing below it and the reader's scroll position holds. `key` undefined lets go: the box takes its
 * content's own height again (once, when the run has ended).
 *
 * Lit updates an element's own parts before its children's, so the height read here is still the old text's. One
 * layout read per replacement (a few per run), nothing per token. The height goes into a custom property through
 * the CSSOM (a strict Content-Security-Policy allows it); the element's stylesheet turns it into `min-height`.
 */
import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

class HoldHeightDirective extends Directive {
  private shown: string | undefined;
  private held = false;

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
      // Set back to 0 rather than removed: removing an inline property can leave an empty style attribute behind
      // (Chromium syncs the attribute lazily), and the element's markup carries no style but its own numbers.
      if (this.held) {
        element.style.setProperty('--_held', '0');
        this.held = false;
      }
    } else if (this.shown !== undefined && key !== this.shown && element.isConnected) {
      const height = element.getBoundingClientRect().height;
      // A number in a custom property; the stylesheet makes it the box's min-height (`.answer-stack`).
      if (height > 0) {
        element.style.setProperty('--_held', String(Math.ceil(height)));
        this.held = true;
      }
    }
    this.shown = key;
    return noChange;
  }
}

export const holdHeight = directive(HoldHeightDirective);
