/**
 * SafeNode tree → DOM nodes. Only `createElement` with the tree's closed tag set, `textContent`-style text nodes
 * and a fixed mapping of typed attributes: no HTML parsing, no attribute copied by name from model text.
 */
import type { SafeAttrs, SafeElement, SafeNode } from './safe-tree.js';
import { safeTreeText } from './safe-tree.js';
import { grammarFor, MAX_HIGHLIGHT_LENGTH } from './code-languages.js';
import { paintCode, paintMath } from './rich-loaders.js';

export interface RenderDomOptions {
  /** The level of the heading the Markdown sits under (e.g. 3 under an <h3>): Markdown headings nest below it. */
  headingBase?: number;
  /** Copy-to-clipboard for code blocks; without it code blocks get no copy button. */
  copy?: (text: string) => Promise<void>;
  /** Read `$…$`, `\(…\)`, `$$…$$` and `\[…\]` as formulas (default true; false: dollars stay dollars). */
  math?: boolean;
}

/** The last heading level rendered, so later headings never skip a level (h3 → h5) whatever the model wrote. */
export interface HeadingState {
  last: number;
}

export function renderSafeNodes(
  nodes: readonly SafeNode[],
  doc: Document,
  options: RenderDomOptions = {},
  headings: HeadingState = { last: options.headingBase ?? 0 },
): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const node of nodes) fragment.append(renderNode(node, doc, options, headings));
  return fragment;
}

/** Markdown depth d sits at base + d, but at most one level below the previous heading, and never above h6. */
export function headingLevel(depth: number, base: number, headings: HeadingState): number {
  return Math.max(Math.min(6, base + 1), Math.min(6, base + depth, headings.last + 1));
}

function renderNode(node: SafeNode, doc: Document, options: RenderDomOptions, headings: HeadingState): Node {
  if (node.kind === 'text') return doc.createTextNode(node.text);
  if (node.tag === 'pre') return codeBlock(node, doc, options, headings);
  if (node.attrs.math) return formula(node, doc);
  let tag: string = node.tag;
  if (/^h[1-6]$/.test(tag)) {
    const level = headingLevel(Number(tag[1]), options.headingBase ?? 0, headings);
    headings.last = level;
    tag = `h${level}`;
  }
  const element = doc.createElement(tag);
  if (tag !== node.tag) element.dataset.level = node.tag[1]!;
  applyAttrs(element, node.attrs);
  for (const child of node.children) element.append(renderNode(child, doc, options, headings));
  return element;
}

function applyAttrs(element: HTMLElement, attrs: SafeAttrs): void {
  if (attrs.href !== undefined && element.localName === 'a') {
    element.setAttribute('href', attrs.href);
    // Model links open outside the page and cannot reach back into it.
    element.setAttribute('target', '_blank');
    element.setAttribute('rel', 'noopener noreferrer');
    element.setAttribute('referrerpolicy', 'no-referrer');
  }
  if (attrs.title !== undefined) element.setAttribute('title', attrs.title);
  if (attrs.start !== undefined) element.setAttribute('start', String(attrs.start));
  if (attrs.align !== undefined) element.dataset.align = attrs.align;
  if (attrs.task !== undefined) {
    element.className = 'task';
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', attrs.task === 'done' ? 'done' : 'not done');
  }
  if (attrs.rawHtml) element.className = 'raw-html';
  if (attrs.image) element.className = 'image-link';
  if (attrs.destination) element.className = 'link-destination';
  if (attrs.blockedHref) {
    element.className = 'blocked-link';
    element.setAttribute('title', 'Link removed: only http(s), mailto and relative links are allowed');
  }
}

function codeBlock(node: SafeElement, doc: Document, options: RenderDomOptions, headings: HeadingState): Node {
  const wrapper = doc.createElement('div');
  wrapper.className = 'code-block';
  const pre = doc.createElement('pre');
  if (node.attrs.language) pre.dataset.language = node.attrs.language;
  for (const child of node.children) pre.append(renderNode(child, doc, options, headings));
  // Scrollable regions must be reachable by keyboard (WCAG 2.1.1).
  pre.tabIndex = 0;
  if (node.attrs.language || options.copy) {
    const head = doc.createElement('div');
    head.className = 'code-head';
    const label = doc.createElement('span');
    label.className = 'code-language';
    label.textContent = node.attrs.language ?? 'code';
    head.append(label);
    if (options.copy) head.append(copyButton(safeTreeText(node.children), doc, options.copy));
    wrapper.append(head);
  }
  pre.setAttribute('aria-label', node.attrs.language ? `${node.attrs.language} code` : 'code');
  wrapper.setAttribute('part', 'code-block');
  wrapper.append(pre);
  // Highlighted (now, or when the highlighter has loaded) only in a language it knows; plain text otherwise.
  const grammar = grammarFor(node.attrs.language);
  const code = pre.firstElementChild as HTMLElement | null;
  const text = safeTreeText(node.children);
  if (grammar && code && text.length <= MAX_HIGHLIGHT_LENGTH) paintCode(code, text, grammar);
  return wrapper;
}

/**
 * A formula: its source as written until the math renderer has it (right away once loaded), then MathML. Display
 * formulas scroll sideways inside their own box when wider than the answer.
 */
function formula(node: SafeElement, doc: Document): Node {
  const display = node.attrs.math === 'display';
  const box = doc.createElement(node.tag === 'div' ? 'div' : 'span');
  box.className = display ? 'math math-display' : 'math math-inline';
  box.setAttribute('part', 'math');
  // Scrollable regions must be reachable by keyboard (WCAG 2.1.1), like code blocks.
  if (display) box.tabIndex = 0;
  const source = doc.createElement('code');
  source.className = 'math-source';
  source.textContent = safeTreeText(node.children);
  box.append(source);
  paintMath(box, node.attrs.tex ?? '', display);
  return box;
}

function copyButton(code: string, doc: Document, copy: (text: string) => Promise<void>): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'copy-code';
  button.setAttribute('part', 'copy-button');
  button.textContent = 'Copy code';
  let timer: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', () => {
    copy(code).then(
      () => (button.textContent = 'Copied ✓'),
      () => (button.textContent = 'Copy failed'),
    ).finally(() => {
      clearTimeout(timer);
      timer = setTimeout(() => (button.textContent = 'Copy code'), 2000);
    });
  });
  return button;
}
