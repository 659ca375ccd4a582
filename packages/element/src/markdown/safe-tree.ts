/**
 * Markdown tokens (from marked's lexer) → a tree that can only describe allowed elements.
 *
 * This is where safety is decided: the tree has a closed set of tags and a closed set of typed attributes, link
 * destinations pass `safeHref`, and everything the allowlist does not cover (raw HTML, unknown token types) becomes
 * text. The DOM step (`render-dom.ts`) turns the tree into nodes with `createElement`/`textContent` only, so model
 * text is never parsed as HTML. Pure and DOM-free: unit-tested in Node.
 */
import { Lexer, type MarkedOptions, type Token, type Tokens } from 'marked';
import { decodeEntities } from './entities.js';
import { safeHref, shownDestination, textShowsDestination } from './url-policy.js';
import { mathLexerOptions, type MathToken } from './math-syntax.js';

export type SafeTag =
  | 'p' | 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6'
  | 'ul' | 'ol' | 'li' | 'pre' | 'code' | 'blockquote'
  | 'table' | 'thead' | 'tbody' | 'tr' | 'th' | 'td'
  | 'em' | 'strong' | 'del' | 'a' | 'hr' | 'br' | 'span' | 'div';

/** The only attributes the DOM step knows how to write; each is mapped to a fixed attribute there. */
export interface SafeAttrs {
  /** `a` only, already checked by `safeHref`. */
  href?: string;
  title?: string;
  /** `ol` start number. */
  start?: number;
  /** `th`/`td` alignment. */
  align?: 'left' | 'center' | 'right';
  /** `pre`: the fenced block's language label (restricted characters). */
  language?: string;
  /** `span`: a task-list box. */
  task?: 'done' | 'open';
  /** `span`/`p`: raw HTML from the model, shown as text. */
  rawHtml?: true;
  /** `a`: the link stands for an image that is deliberately not loaded. */
  image?: true;
  /** `span`: a link whose destination was refused; its text is kept. */
  blockedHref?: true;
  /** `span`: the real destination of the link just before it, shown as text. */
  destination?: true;
  /** `span` (inline) / `div` (a block of its own): a formula; its only child is the source as written (delimiters included). */
  math?: 'inline' | 'display';
  /** With `math`: the TeX between the delimiters. */
  tex?: string;
}

export interface SafeText {
  kind: 'text';
  text: string;
}
export interface SafeElement {
  kind: 'element';
  tag: SafeTag;
  attrs: SafeAttrs;
  children: SafeNode[];
}
export type SafeNode = SafeText | SafeElement;

export type LinkDefinitions = Record<string, { href: string; title?: string | null }>;

const text = (value: string): SafeText => ({ kind: 'text', text: value });
const el = (tag: SafeTag, children: SafeNode[] = [], attrs: SafeAttrs = {}): SafeElement => ({ kind: 'element', tag, attrs, children });

/**
 * Fresh options on every call: marked's Lexer mutates them, and must not pick up a page's global `marked.use()`.
 * `math`: also read `$…$`, `\(…\)`, `$$…$$` and `\[…\]` as formulas (math-syntax.ts).
 */
export function lexerOptions(math = false): MarkedOptions {
  // breaks: a single newline in a model's answer is a line break (as chat UIs show it), not a Markdown soft break.
  const options: MarkedOptions = { async: false, breaks: true, gfm: true, pedantic: false, silent: false, extensions: null, hooks: null, renderer: null, tokenizer: null, walkTokens: null };
  return math ? { ...options, ...mathLexerOptions() } : options;
}

export interface LexOptions {
  /** Read formulas (default true; the element's `math="off"` turns it off). */
  math?: boolean;
}

/** Lexes Markdown into block tokens; `links` seeds reference definitions seen in earlier blocks and receives new ones. */
export function lexBlocks(source: string, links?: LinkDefinitions, options: LexOptions = {}): Token[] {
  const lexer = new Lexer(lexerOptions(options.math ?? true));
  if (links) Object.assign(lexer.tokens.links, links);
  const tokens = lexer.lex(source);
  if (links) Object.assign(links, lexer.tokens.links);
  return tokens;
}

const LANGUAGE = /^[\w+#.-]{1,32}$/;

export function blocksToSafeTree(tokens: readonly Token[]): SafeNode[] {
  const out: SafeNode[] = [];
  for (const token of tokens) out.push(...block(token));
  return out;
}

export function markdownToSafeTree(source: string, options: LexOptions = {}): SafeNode[] {
  return blocksToSafeTree(lexBlocks(source, undefined, options));
}

/** A formula: the source as written is its text (what copying or a failed render shows). */
function math(token: MathToken): SafeElement {
  return el(token.block ? 'div' : 'span', [text(token.raw.trim())], { math: token.display ? 'display' : 'inline', tex: token.text });
}

function block(token: Token): SafeNode[] {
  switch (token.type) {
    case 'space':
    case 'def': // definitions feed links; they render nothing, as in CommonMark
      return [];
    case 'paragraph':
      return [el('p', inline((token as Tokens.Paragraph).tokens))];
    case 'heading': {
      const t = token as Tokens.Heading;
      const depth = Math.min(6, Math.max(1, t.depth));
      return [el(`h${depth}` as SafeTag, inline(t.tokens))];
    }
    case 'code': {
      const t = token as Tokens.Code;
      const language = (t.lang ?? '').trim().split(/\s+/)[0] ?? '';
      const attrs: SafeAttrs = LANGUAGE.test(language) ? { language } : {};
      // Code text is literal: no entity decoding, no inline parsing.
      return [el('pre', [el('code', [text(t.text)])], attrs)];
    }
    case 'blockquote':
      return [el('blockquote', blocksToSafeTree((token as Tokens.Blockquote).tokens))];
    case 'hr':
      return [el('hr')];
    case 'list': {
      const t = token as Tokens.List;
      const items = t.items.map((item) => el('li', listItem(item)));
      if (!t.ordered) return [el('ul', items)];
      const start = typeof t.start === 'number' ? t.start : Number.parseInt(String(t.start), 10);
      return [el('ol', items, Number.isFinite(start) && start !== 1 ? { start } : {})];
    }
    case 'table': {
      const t = token as Tokens.Table;
      const cell = (tag: 'th' | 'td', c: Tokens.TableCell) => el(tag, inline(c.tokens), c.align ? { align: c.align } : {});
      const head = el('thead', [el('tr', t.header.map((c) => cell('th', c)))]);
      const rows = t.rows.map((row) => el('tr', row.map((c) => cell('td', c))));
      return [el('table', rows.length ? [head, el('tbody', rows)] : [head])];
    }
    case 'html':
      // Raw HTML is shown as the text it is.
      return [el('p', [text((token as Tokens.HTML).text)], { rawHtml: true })];
    case 'math':
      return [math(token as unknown as MathToken)];
    case 'text': {
      // Block-level text appears inside tight list items.
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens) : [text(decodeEntities(t.text))];
    }
    default:
      return token.raw ? [el('p', [text(token.raw)])] : [];
  }
}

function listItem(item: Tokens.ListItem): SafeNode[] {
  const out: SafeNode[] = [];
  for (const token of item.tokens) {
    if (token.type === 'checkbox') {
      out.push(el('span', [text((token as Tokens.Checkbox).checked ? '☑' : '☐')], { task: (token as Tokens.Checkbox).checked ? 'done' : 'open' }), text(' '));
      continue;
    }
    out.push(...block(token));
  }
  return out;
}

function inline(tokens: readonly Token[] | undefined): SafeNode[] {
  const out: SafeNode[] = [];
  for (const token of tokens ?? []) out.push(...inlineToken(token));
  // A display formula inside a paragraph sits on its own line already: the line breaks around it would add blank lines.
  return out.filter((node, i) => !(isBr(node) && (isDisplayMath(out[i - 1]) || isDisplayMath(out[i + 1]))));
}

const isBr = (node: SafeNode | undefined) => node?.kind === 'element' && node.tag === 'br';
const isDisplayMath = (node: SafeNode | undefined) => node?.kind === 'element' && node.attrs.math === 'display';

function inlineToken(token: Token): SafeNode[] {
  switch (token.type) {
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens ? inline(t.tokens) : [text(decodeEntities(t.text))];
    }
    case 'escape':
      return [text((token as Tokens.Escape).text)];
    case 'strong':
      return [el('strong', inline((token as Tokens.Strong).tokens))];
    case 'em':
      return [el('em', inline((token as Tokens.Em).tokens))];
    case 'del':
      return [el('del', inline((token as Tokens.Del).tokens))];
    case 'codespan':
      return [el('code', [text((token as Tokens.Codespan).text)])];
    case 'br':
      return [el('br')];
    case 'link': {
      const t = token as Tokens.Link;
      const href = safeHref(decodeEntities(t.href));
      const children = inline(t.tokens);
      if (href === null) return [el('span', children, { blockedHref: true })];
      const attrs: SafeAttrs = { href };
      if (t.title) attrs.title = decodeEntities(t.title);
      return withDestination(el('a', children, attrs));
    }
    case 'image': {
      // Never an <img>: model text must not make the page fetch anything. A safe destination becomes a link.
      const t = token as Tokens.Image;
      const alt = decodeEntities(t.text).trim() || 'image';
      const href = safeHref(decodeEntities(t.href));
      if (href === null) return [text(`[image: ${alt}]`)];
      return withDestination(el('a', [text(`image: ${alt}`)], { href, image: true }));
    }
    case 'html':
      return [el('span', [text((token as Tokens.HTML).text)], { rawHtml: true })];
    case 'math':
      return [math(token as unknown as MathToken)];
    case 'checkbox':
      return [el('span', [text((token as Tokens.Checkbox).checked ? '☑' : '☐')], { task: (token as Tokens.Checkbox).checked ? 'done' : 'open' })];
    default:
      return token.raw ? [text(token.raw)] : [];
  }
}

/**
 * A link followed by where it really goes, unless its text already says so: a model (or text injected into its
 * answer) cannot hide a destination, or the conversation it carries in a query string, behind friendly words.
 */
function withDestination(link: SafeElement): SafeNode[] {
  const href = link.attrs.href!;
  if (!link.attrs.image && textShowsDestination(safeTreeText(link.children), href)) return [link];
  return [link, el('span', [text(` (${shownDestination(href)})`)], { destination: true })];
}

/** Plain text of a tree (for copy buttons and tests). */
export function safeTreeText(nodes: readonly SafeNode[]): string {
  return nodes.map((n) => (n.kind === 'text' ? n.text : safeTreeText(n.children))).join('');
}
