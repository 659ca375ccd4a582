/**
 * The two renderers an answer may need, loaded on first need: the syntax highlighter (a fenced code block in a
 * known language) and the math renderer (a formula). Neither is part of the page chunk nor of the Markdown
 * renderer's; an answer without code or math never fetches them.
 *
 * Until a renderer has arrived, its blocks show plain text (code as written, a formula's source); the elements
 * wait here and are filled in once, when it arrives. After that, rendering is synchronous: the open block of a
 * stream is highlighted in the same (once-per-frame) render that shows it, so nothing flickers.
 */
import type { GrammarName } from './code-languages.js';
import { codeTokensToDom } from './code-tokens.js';
import { mathTreeToDom } from './math-tree.js';

type Highlighter = typeof import('./highlight.js');
type MathRenderer = typeof import('./math-render.js');

let highlighter: Highlighter | undefined;
let highlighterLoading: Promise<Highlighter> | undefined;
let mathRenderer: MathRenderer | undefined;
let mathLoading: Promise<MathRenderer> | undefined;

const waitingCode = new Map<HTMLElement, { code: string; grammar: GrammarName }>();
const waitingMath = new Map<HTMLElement, { tex: string; display: boolean }>();

/** Loads the highlighter (once; again after a failed attempt). */
export function loadHighlighter(): Promise<Highlighter> {
  highlighterLoading ??= import('./highlight.js').then(
    (module) => {
      highlighter = module;
      for (const [element, { code, grammar }] of waitingCode) paintCodeNow(module, element, code, grammar);
      waitingCode.clear();
      return module;
    },
    (error: unknown) => {
      highlighterLoading = undefined; // the code stays readable as plain text; the next block tries again
      waitingCode.clear();
      throw error;
    },
  );
  return highlighterLoading;
}

/** Loads the math renderer (once; again after a failed attempt). */
export function loadMathRenderer(): Promise<MathRenderer> {
  mathLoading ??= import('./math-render.js').then(
    (module) => {
      mathRenderer = module;
      for (const [element, { tex, display }] of waitingMath) paintMathNow(module, element, tex, display);
      waitingMath.clear();
      return module;
    },
    (error: unknown) => {
      mathLoading = undefined; // the source stays shown; the next formula tries again
      waitingMath.clear();
      throw error;
    },
  );
  return mathLoading;
}

/** Fills `element` (a `<code>` holding `code` as text) with highlighted tokens, now or when the highlighter arrives. */
export function paintCode(element: HTMLElement, code: string, grammar: GrammarName): void {
  if (highlighter) return paintCodeNow(highlighter, element, code, grammar);
  waitingCode.set(element, { code, grammar });
  loadHighlighter().catch(() => undefined);
}

/** Replaces `element`'s content (the formula's source) with the rendered formula, now or when the renderer arrives. */
export function paintMath(element: HTMLElement, tex: string, display: boolean): void {
  if (mathRenderer) return paintMathNow(mathRenderer, element, tex, display);
  waitingMath.set(element, { tex, display });
  loadMathRenderer().catch(() => undefined);
}

function paintCodeNow(module: Highlighter, element: HTMLElement, code: string, grammar: GrammarName): void {
  // The element may have been re-rendered with other text meanwhile (an open block): only paint what it shows.
  if (element.textContent !== code) return;
  try {
    element.replaceChildren(codeTokensToDom(module.highlightCode(code, grammar), element.ownerDocument));
    element.classList.add('highlighted');
  } catch {
    // A grammar that fails on some input leaves the block plain.
  }
}

function paintMathNow(module: MathRenderer, element: HTMLElement, tex: string, display: boolean): void {
  const doc = element.ownerDocument;
  const result = module.renderMath(tex, display);
  const math = result.ok ? mathTreeToDom(result.tree, doc) : null;
  if (math) {
    element.replaceChildren(math);
    element.classList.add('rendered');
    return;
  }
  // Not valid TeX (or not renderable): the source as code, with the reason on hover.
  const source = element.textContent ?? '';
  const code = doc.createElement('code');
  code.className = 'math-error';
  code.textContent = source;
  code.setAttribute('title', result.ok ? 'This formula could not be shown' : `Not shown as a formula: ${result.error}`);
  element.replaceChildren(code);
}

/** True once the renderer has arrived (tests). */
export const richRenderersLoaded = () => ({ highlighter: highlighter !== undefined, math: mathRenderer !== undefined });
