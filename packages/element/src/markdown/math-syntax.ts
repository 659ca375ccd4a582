/**
 * Where math starts and ends in a model's Markdown: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]` display (as a
 * block of their own, or inside a paragraph). Tokenizer extensions for the marked lexer the renderer already uses;
 * pure, no DOM, unit-tested.
 *
 * The rules for a single `$` are Pandoc's, so prices stay prices: the opening `$` has a non-space right after it,
 * the closing `$` (the first unescaped `$` after it) has a non-space right before it and no digit right after it
 * ("$5 and $10", "costs $5-$10" are text). Code spans and code blocks come first: marked hands them to its own
 * tokenizers before math is looked for, and inline math cannot contain a backtick, so "`$x$`" stays code.
 */
import type { MarkedOptions, Token } from 'marked';

export interface MathToken {
  type: 'math';
  raw: string;
  /** The TeX between the delimiters. */
  text: string;
  /** `$$…$$` or `\[…\]`: centred on its own line. */
  display: boolean;
  /** A block of its own (not inside a paragraph). */
  block: boolean;
}

/** Longest TeX taken as math (longer is shown as written): keeps the renderer's work per formula small. */
export const MAX_TEX_LENGTH = 4000;

const BLANK_LINE = /\n[ \t]*\n/;
const SPACE = /\s/;

/** Inline math at the start of `src`, or undefined. */
export function matchInlineMath(src: string): MathToken | undefined {
  if (src.startsWith('$$')) return delimited(src, '$$', '$$', true, false);
  if (src.startsWith('$')) return singleDollar(src);
  if (src.startsWith('\\(')) return delimited(src, '\\(', '\\)', false, false);
  if (src.startsWith('\\[')) return delimited(src, '\\[', '\\]', true, false);
  return undefined;
}

/** Display math as a block of its own at the start of `src` (up to 3 spaces indentation, alone on its lines). */
export function matchBlockMath(src: string): MathToken | undefined {
  const indent = /^ {0,3}/.exec(src)![0].length;
  const rest = src.slice(indent);
  const open = rest.startsWith('$$') ? '$$' : rest.startsWith('\\[') ? '\\[' : undefined;
  if (!open) return undefined;
  const token = delimited(rest, open, open === '$$' ? '$$' : '\\]', true, true);
  if (!token) return undefined;
  // Nothing but spaces may follow the closing delimiter on its line.
  const after = /^[ \t]*(?:\n|$)/.exec(rest.slice(token.raw.length));
  if (!after) return undefined;
  return { ...token, raw: src.slice(0, indent) + token.raw + after[0] };
}

function delimited(src: string, open: string, close: string, display: boolean, block: boolean): MathToken | undefined {
  const end = src.indexOf(close, open.length);
  if (end < 0) return undefined;
  const tex = src.slice(open.length, end);
  if (!tex.trim() || tex.length > MAX_TEX_LENGTH || BLANK_LINE.test(tex)) return undefined;
  // `$$…$$` must not close on the first two characters of a `$$$`.
  if (open === '$$' && src[end + 2] === '$') return undefined;
  return { type: 'math', raw: src.slice(0, end + close.length), text: tex.trim(), display, block };
}

function singleDollar(src: string): MathToken | undefined {
  if (src.length < 3 || SPACE.test(src[1]!)) return undefined;
  for (let i = 1; i < src.length && i <= MAX_TEX_LENGTH + 1; i++) {
    const c = src[i];
    if (c === '\\') {
      i += 1; // an escaped character, `\$` included, is part of the TeX
      continue;
    }
    if (c === '`') return undefined; // a code span wins
    if (c === '\n' && /^\n[ \t]*(?:\n|$)/.test(src.slice(i))) return undefined;
    if (c !== '$') continue;
    // The first unescaped $ closes or nothing does.
    if (SPACE.test(src[i - 1]!) || /\d/.test(src[i + 1] ?? '')) return undefined;
    return { type: 'math', raw: src.slice(0, i + 1), text: src.slice(1, i), display: false, block: false };
  }
  return undefined;
}

/** Where inline math could start in `src` (marked stops its plain-text runs there), or -1. */
const inlineStart = (src: string) => src.search(/\$|\\[([]/);

/**
 * Emphasis must not pair a `*` or `_` outside a formula with one inside it (`*a $x*y$`): marked asks this hook for
 * a copy of the inline source in which delimiters it should not see are masked, of the same length.
 */
export function maskMathDelimiters(src: string): string {
  let out = '';
  let at = 0;
  for (let i = inlineStart(src); i >= 0 && at < src.length; ) {
    const start = at + i;
    const math = matchInlineMath(src.slice(start));
    if (math) {
      out += src.slice(at, start) + math.raw.replace(/[*_~]/g, '+');
      at = start + math.raw.length;
    } else {
      out += src.slice(at, start + 1);
      at = start + 1;
    }
    i = inlineStart(src.slice(at));
  }
  return out + src.slice(at);
}

/** The lexer options that turn math on (marked's resolved extension format, as `marked.use()` would build it). */
export function mathLexerOptions(): Pick<MarkedOptions, 'extensions' | 'hooks'> {
  const inline = (src: string) => matchInlineMath(src) as Token | undefined;
  const block = (src: string) => matchBlockMath(src) as Token | undefined;
  return {
    extensions: { renderers: {}, childTokens: {}, inline: [inline], block: [block], startInline: [inlineStart] } as unknown as MarkedOptions['extensions'],
    hooks: { emStrongMask: maskMathDelimiters } as unknown as MarkedOptions['hooks'],
  };
}
