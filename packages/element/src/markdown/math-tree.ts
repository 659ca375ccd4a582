/**
 * A rendered formula as data (MathML elements, attributes, text), and the allowlist it must pass to become DOM.
 *
 * The math chunk (math-render.ts) produces the tree from KaTeX; `mathTreeToDom` builds it with `createElementNS`,
 * `setAttribute` for allowlisted attributes whose values match a strict pattern, and text nodes. Anything outside
 * the allowlist is dropped (an element with its subtree, an attribute alone), whatever produced it: no `href`, no
 * `xlink:href`, no `style`, no `class`, no event handler, no `<annotation-xml>` (which can hold HTML), no
 * `<maction>`; colours must be a name or a hex value, lengths a number and a unit.
 */
export type MathTree = { tag: string; attrs: Record<string, string>; children: MathTree[] } | { text: string };

const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

export const MATH_TAGS: ReadonlySet<string> = new Set([
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup',
  'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mtable', 'mtr',
  'mtd', 'mlabeledtr', 'mstyle', 'mpadded', 'mphantom', 'menclose', 'merror',
]);

const BOOL = /^(?:true|false)$/;
const LENGTH = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[a-z]{2}|%)?$/;
const LENGTHS = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[a-z]{2}|%)?\s*)+$/;
const WORDS = /^[a-z]+(?: [a-z]+)*$/;

/** Attribute → the pattern its value must match. */
export const MATH_ATTRIBUTES: ReadonlyMap<string, RegExp> = new Map([
  ['display', /^(?:block|inline)$/],
  ['mathvariant', /^[a-z-]{1,24}$/],
  ['displaystyle', BOOL], ['stretchy', BOOL], ['fence', BOOL], ['separator', BOOL], ['accent', BOOL], ['accentunder', BOOL],
  ['largeop', BOOL], ['movablelimits', BOOL], ['symmetric', BOOL],
  ['scriptlevel', /^[+-]?\d{1,2}$/],
  ['lspace', LENGTH], ['rspace', LENGTH], ['width', LENGTH], ['height', LENGTH], ['depth', LENGTH], ['voffset', LENGTH],
  ['minsize', LENGTH], ['maxsize', LENGTH], ['linethickness', LENGTH], ['mathsize', LENGTH],
  ['columnspacing', LENGTHS], ['rowspacing', LENGTHS],
  ['columnalign', WORDS], ['rowalign', WORDS], ['columnlines', WORDS], ['rowlines', WORDS], ['notation', WORDS], ['linebreak', WORDS],
  ['mathcolor', /^(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,24})$/], ['mathbackground', /^(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,24})$/],
  ['encoding', /^application\/x-tex$/],
]);

/** True when `name="value"` may be written on a MathML element. */
export function mathAttributeAllowed(name: string, value: string): boolean {
  const pattern = MATH_ATTRIBUTES.get(name);
  return pattern !== undefined && value.length <= 200 && pattern.test(value);
}

/** A MathTree → a `<math>` element, or null when the root is not `<math>`. */
export function mathTreeToDom(tree: MathTree, doc: Document): Element | null {
  if ('text' in tree || tree.tag !== 'math') return null;
  return build(tree, doc) as Element | null;
}

function build(tree: MathTree, doc: Document): Node | null {
  if ('text' in tree) return doc.createTextNode(tree.text);
  if (!MATH_TAGS.has(tree.tag)) return null;
  const element = doc.createElementNS(MATHML_NS, tree.tag);
  for (const [name, value] of Object.entries(tree.attrs)) if (mathAttributeAllowed(name, value)) element.setAttribute(name, value);
  for (const child of tree.children) {
    const node = build(child, doc);
    if (node) element.append(node);
  }
  return element;
}
