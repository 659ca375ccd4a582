import { describe, expect, it } from 'vitest';
import { matchBlockMath, matchInlineMath, maskMathDelimiters } from '../../../../packages/element/src/markdown/math-syntax.js';
import { lexBlocks, markdownToSafeTree, safeTreeText, type SafeElement, type SafeNode } from '../../../../packages/element/src/markdown/safe-tree.js';
import { inertMarkdown } from '../../../../packages/element/src/markdown/inert-markdown.js';

function elements(nodes: readonly SafeNode[]): SafeElement[] {
  return nodes.flatMap((n) => (n.kind === 'element' ? [n, ...elements(n.children)] : []));
}
/** The formulas found in `source`: [tex, inline|display, tag]. */
const formulas = (source: string, math = true) =>
  elements(markdownToSafeTree(source, { math })).filter((e) => e.attrs.math).map((e) => [e.attrs.tex, e.attrs.math, e.tag]);

describe('inline math: $…$ (Pandoc\'s rules), \\(…\\), and $$…$$ / \\[…\\] inside a paragraph', () => {
  it('finds formulas with their TeX and kind', () => {
    expect(formulas('Euler: $e^{i\\pi} + 1 = 0$, and \\(a^2+b^2\\).')).toEqual([['e^{i\\pi} + 1 = 0', 'inline', 'span'], ['a^2+b^2', 'inline', 'span']]);
    expect(formulas('So $$\\sum_{k=1}^n k$$ and \\[x\\] too')).toEqual([['\\sum_{k=1}^n k', 'display', 'span'], ['x', 'display', 'span']]);
    expect(formulas('$x$')).toEqual([['x', 'inline', 'span']]);
    // An escaped dollar inside a formula is TeX.
    expect(formulas('$a\\$b$')).toEqual([['a\\$b', 'inline', 'span']]);
  });

  it('leaves prices and other dollars as text', () => {
    for (const text of ['It costs $5 and $10.', 'Between $5-$10 a day', 'From $20 to $30', 'I have $ 5 and 6 $', 'A lone $ sign', '$x $y', 'pay $5, get $5', 'US$5 vs $6']) {
      expect(formulas(text), text).toEqual([]);
      expect(safeTreeText(markdownToSafeTree(text)), text).toBe(text);
    }
    // No space right inside the delimiters; the closing $ not followed by a digit.
    expect(matchInlineMath('$ x$')).toBeUndefined();
    expect(matchInlineMath('$x $')).toBeUndefined();
    expect(matchInlineMath('$x$5')).toBeUndefined();
    expect(matchInlineMath('$x$.')?.text).toBe('x');
  });

  it('an escaped \\$ is a dollar, not a delimiter', () => {
    expect(formulas('\\$x$ and y')).toEqual([]);
    expect(safeTreeText(markdownToSafeTree('\\$x$ and y'))).toBe('$x$ and y');
  });

  it('nothing inside code spans or code blocks is math; a backtick ends the chance of a formula', () => {
    expect(formulas('Use `$x$` and `\\(y\\)` literally')).toEqual([]);
    expect(formulas('```tex\n$x$ and $$y$$\n```')).toEqual([]);
    expect(formulas('    $x$ indented code')).toEqual([]);
    expect(formulas('$a `b$` c$')).toEqual([]);
    expect(elements(markdownToSafeTree('$a `b$` c')).map((e) => e.tag)).toEqual(['p', 'code']);
  });

  it('does not span a paragraph break, and an unclosed formula stays text (a stream that has not closed it yet)', () => {
    expect(formulas('$x\n\ny$')).toEqual([]);
    expect(formulas('$x^2')).toEqual([]);
    expect(formulas('$$x^2')).toEqual([]);
    expect(formulas('\\(x')).toEqual([]);
    expect(formulas('$x\ny$')).toEqual([['x\ny', 'inline', 'span']]);
  });

  it('emphasis does not pair a * or _ outside a formula with one inside it', () => {
    const tree = markdownToSafeTree('*a $x*y$ b*');
    expect(elements(tree).map((e) => e.tag)).toEqual(['p', 'em', 'span']);
    expect(formulas('_a $x_1$ b_')).toEqual([['x_1', 'inline', 'span']]);
    expect(maskMathDelimiters('*a $x*y_z$ b*')).toBe('*a $x+y+z$ b*');
    expect(maskMathDelimiters('$5 and *b*')).toBe('$5 and *b*');
  });

  it('works in lists, tables, headings and quotes', () => {
    expect(formulas('- item $a$\n\n| h | $b$ |\n|---|---|\n| $c$ | d |\n\n## Title $e$\n\n> quote $f$').map((f) => f[0])).toEqual(['a', 'b', 'c', 'e', 'f']);
  });

  it('display math inside a paragraph takes its own line without blank lines around it', () => {
    const [p] = markdownToSafeTree('The sum is:\n$$\nx^2\n$$\nas shown.') as SafeElement[];
    expect(p!.children.map((c) => (c.kind === 'text' ? 'text' : c.tag))).toEqual(['text', 'span', 'text']);
  });
});

describe('display math blocks: $$…$$ and \\[…\\] on their own lines', () => {
  it('is a block of its own with its source as text', () => {
    const tree = markdownToSafeTree('Intro\n\n$$\n\\int_0^1 x\\,dx = \\tfrac12\n$$\n\nAfter\n\n\\[ E = mc^2 \\]');
    expect(tree.map((n) => (n.kind === 'element' ? `${n.tag}${n.attrs.math ? `:${n.attrs.math}` : ''}` : 'text'))).toEqual(['p', 'div:display', 'p', 'div:display']);
    const block = tree[1] as SafeElement;
    expect(block.attrs.tex).toBe('\\int_0^1 x\\,dx = \\tfrac12');
    expect(safeTreeText([block])).toBe('$$\n\\int_0^1 x\\,dx = \\tfrac12\n$$');
  });

  it('needs the closing delimiter at the end of its line and no blank line inside', () => {
    expect(matchBlockMath('$$x$$ tail\n')).toBeUndefined();
    expect(matchBlockMath('$$\nx\n\ny\n$$')).toBeUndefined();
    expect(matchBlockMath('   $$x$$  \nnext')?.raw).toBe('   $$x$$  \n');
    expect(matchBlockMath('    $$x$$')).toBeUndefined();
  });

  it('keeps the streaming split exact: the blocks\' raw text adds up to the source', () => {
    const source = 'A $x$ b.\n\n$$\ny\n$$\n\n- $z$\n\n\\[\nw\n\\]\ntext after';
    expect(lexBlocks(source).map((t) => t.raw).join('')).toBe(source);
  });
});

describe('math="off" and the plain-text paths', () => {
  it('off: every dollar and backslash is shown as written', () => {
    expect(formulas('$x$ and $$y$$ and \\(z\\)', false)).toEqual([]);
    expect(safeTreeText(markdownToSafeTree('$x$ and $$y$$', { math: false }))).toBe('$x$ and $$y$$');
  });

  it('inertMarkdown (the export) keeps formulas as written, and still escapes HTML inside dollars', () => {
    const answer = 'Inline $e^{i\\pi}=-1$ and\n\n$$\n\\frac{a}{b}\n$$\n\nand \\(x<y\\).';
    expect(inertMarkdown(answer)).toBe(answer);
    expect(inertMarkdown('$<img src=x onerror=alert(1)>$')).toBe('$&lt;img src=x onerror=alert(1)>$');
  });
});
