import { describe, expect, it } from 'vitest';
import { renderMath } from '../../../../packages/element/src/markdown/math-render.js';
import { MATH_TAGS, mathAttributeAllowed, mathTreeToDom, type MathTree } from '../../../../packages/element/src/markdown/math-tree.js';
import { asFake, fakeDocument } from './fake-dom.js';

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const ok = (tex: string, display = false) => {
  const result = renderMath(tex, display);
  if (!result.ok) throw new Error(`${tex}: ${result.error}`);
  return result.tree;
};
const walk = (tree: MathTree): { tag: string; attrs: Record<string, string> }[] => ('text' in tree ? [] : [{ tag: tree.tag, attrs: tree.attrs }, ...tree.children.flatMap(walk)]);
const text = (tree: MathTree): string => ('text' in tree ? tree.text : tree.children.map(text).join(''));

// Formulas of the kinds answers contain: every element and attribute KaTeX makes for them must pass the allowlist
// (or the allowlist would silently drop part of a formula).
const CORPUS = [
  'e^{i\\pi} + 1 = 0', '\\frac{a}{b}', '\\sqrt{x^2+y^2}', '\\sqrt[3]{z}', '\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}', '\\int_0^\\infty e^{-x^2}\\,dx = \\frac{\\sqrt\\pi}{2}',
  '\\lim_{x\\to 0} \\frac{\\sin x}{x} = 1', '\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}',
  '\\begin{cases} x & x > 0 \\\\ -x & \\text{otherwise} \\end{cases}', '\\mathbb{R}^n \\to \\mathcal{F}', '\\hat{x} + \\vec{v} + \\overline{AB} + \\underbrace{a+b}_{2}',
  '\\binom{n}{k}', '\\left( \\frac{1}{2} \\right)', '\\color{red}{x} + \\textcolor{#00f}{y}', '\\boxed{E = mc^2}', '\\cancel{x}', '\\xrightarrow{f}',
  '\\operatorname{argmax}_x f(x)', '\\alpha\\beta\\gamma \\quad \\Delta \\, \\Omega \\! \\; x', '\\rule{1em}{0.5em}', '\\kern2em x', '\\raisebox{0.5em}{a}', '\\colorbox{yellow}{z}',
  '\\mathrm{d}x \\cdot \\mathbf{v} \\times \\mathsf{T}', '\\text{if } x \\le 3', '\\phantom{x} \\smash{y} \\vphantom{z}', '\\overset{!}{=} \\stackrel{?}{=}', '\\tag{1} x',
];

describe('renderMath (KaTeX, MathML output, read as data)', () => {
  it('renders the formulas answers contain to <math> trees that pass the allowlist whole', () => {
    for (const tex of CORPUS) {
      const tree = ok(tex, true);
      expect('tag' in tree && tree.tag, tex).toBe('math');
      for (const node of walk(tree)) {
        expect(MATH_TAGS.has(node.tag), `${tex}: <${node.tag}>`).toBe(true);
        for (const [name, value] of Object.entries(node.attrs)) {
          if (name === 'xmlns') continue; // set by createElementNS
          expect(mathAttributeAllowed(name, value), `${tex}: <${node.tag} ${name}="${value}">`).toBe(true);
        }
      }
    }
  });

  it('has the structure of the formula: a fraction, a superscript, the TeX kept as its annotation', () => {
    const tree = ok('\\frac{a}{b} + x^2');
    const tags = walk(tree).map((n) => n.tag);
    expect(tags.slice(0, 3)).toEqual(['math', 'semantics', 'mrow']);
    expect(tags).toContain('mfrac');
    expect(tags).toContain('msup');
    expect(walk(tree).find((n) => n.tag === 'annotation')?.attrs.encoding).toBe('application/x-tex');
    expect(walk(ok('x', true))[0]!.attrs.display).toBe('block');
    expect(walk(ok('x', false))[0]!.attrs.display).toBeUndefined();
  });

  it('trust is off: \\href, \\url, \\includegraphics and \\html* make no link, image, class, id or style', () => {
    for (const tex of ['\\href{javascript:alert(1)}{click}', '\\url{javascript:alert(1)}', '\\includegraphics{https://attacker.example/x.png}',
      '\\htmlClass{x}{y}', '\\htmlId{x}{y}', '\\htmlStyle{color:red}{y}', '\\htmlData{foo=bar}{y}', '\\href{https://attacker.example}{x}']) {
      const result = renderMath(tex, false);
      if (!result.ok) continue; // refused outright is inert too
      const all = walk(result.tree);
      const attrs = all.flatMap((n) => Object.entries(n.attrs));
      expect(attrs.filter(([name]) => /href|src|class|id|style|data-/.test(name)), tex).toEqual([]);
      expect(JSON.stringify(attrs), tex).not.toMatch(/javascript|attacker/);
      expect(all.every((n) => MATH_TAGS.has(n.tag)), tex).toBe(true);
    }
  });

  it('bad TeX comes back as an error (the element shows the source as code), never a throw', () => {
    for (const tex of ['\\frac{a', '\\undefinedmacro', '}{', '\\begin{foo}x\\end{foo}']) {
      const result = renderMath(tex, false);
      expect(result.ok, tex).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatch(/KaTeX parse error/);
        expect(result.error).not.toContain('\u0332');
      }
    }
  });

  it('limits expansion and sizes', () => {
    const bomb = renderMath('\\def\\a{\\a\\a}\\a', false);
    expect(bomb.ok).toBe(false);
    const big = ok('\\rule{100000em}{100000em}');
    const space = walk(big).find((n) => n.tag === 'mspace')!;
    expect(Number.parseFloat(space.attrs.width!)).toBeLessThanOrEqual(50);
    // Macros defined in one formula do not leak into the next.
    ok('\\gdef\\leak{x}\\leak');
    expect(renderMath('\\leak', false).ok).toBe(false);
  });
});

describe('mathTreeToDom (allowlisted MathML → DOM)', () => {
  it('builds MathML-namespaced elements with allowed attributes and text', () => {
    const math = asFake(mathTreeToDom(ok('\\frac{1}{2}', true), fakeDocument));
    expect(math.name).toBe('math');
    expect(math.elements().every((e) => e.namespace === MATHML)).toBe(true);
    expect(math.attributes.get('display')).toBe('block');
    expect(math.attributes.has('xmlns')).toBe(false);
    expect(math.elements().map((e) => e.name)).toContain('mfrac');
    expect(math.textContent).toContain('12');
  });

  it('drops what is not allowlisted, whatever produced it: elements with their subtree, attributes alone', () => {
    const hostile: MathTree = {
      tag: 'math', attrs: { display: 'block', onload: 'alert(1)', href: 'javascript:alert(1)', style: 'x' },
      children: [
        { tag: 'mi', attrs: { mathcolor: 'url(javascript:alert(1))', mathvariant: 'bold', class: 'x', 'xlink:href': 'javascript:alert(1)' }, children: [{ text: 'a' }] },
        { tag: 'annotation-xml', attrs: { encoding: 'text/html' }, children: [{ tag: 'script', attrs: {}, children: [{ text: 'alert(1)' }] }] },
        { tag: 'maction', attrs: { actiontype: 'statusline' }, children: [{ text: 'b' }] },
        { tag: 'mspace', attrs: { width: '1em; background:url(x)', height: '2em' }, children: [] },
        { tag: 'annotation', attrs: { encoding: 'text/html' }, children: [{ text: 'c' }] },
      ],
    };
    const math = asFake(mathTreeToDom(hostile, fakeDocument));
    expect(math.elements().map((e) => e.name)).toEqual(['math', 'mi', 'mspace', 'annotation']);
    expect([...math.attributes]).toEqual([['display', 'block']]);
    const [, mi, mspace, annotation] = math.elements();
    expect([...mi!.attributes]).toEqual([['mathvariant', 'bold']]);
    expect([...mspace!.attributes]).toEqual([['height', '2em']]);
    expect([...annotation!.attributes]).toEqual([]);
    expect(math.textContent).toBe('ac');
    expect(mathTreeToDom({ tag: 'svg', attrs: {}, children: [] }, fakeDocument)).toBeNull();
    expect(mathTreeToDom({ text: 'x' }, fakeDocument)).toBeNull();
  });
});
