/**
 * TeX → MathTree with KaTeX: loaded on demand (its own chunk, fetched only when an answer contains a formula).
 *
 * MathML output only: browsers render MathML Core themselves (Chromium 109+, Firefox, Safari), so no fonts and no
 * stylesheet go into the shadow root. `trust: false` turns `\href`, `\url`, `\includegraphics` and `\html*` into
 * plain red text; sizes and macro expansion are capped. KaTeX's build tree is read as data (`__renderToDomTree`,
 * exported for custom output) and passes math-tree.ts's allowlist on its way to the DOM: KaTeX never writes to the
 * page, and never produces a string that is parsed. The version is pinned; a unit test checks the tree's shape.
 */
import katex from 'katex';
import type { MathTree } from './math-tree.js';

interface KatexNode {
  type?: unknown;
  attributes?: unknown;
  children?: unknown;
  text?: unknown;
  width?: unknown;
  character?: unknown;
}

type RenderToDomTree = (tex: string, options: katex.KatexOptions) => KatexNode;
const renderToDomTree = (katex as unknown as { __renderToDomTree: RenderToDomTree }).__renderToDomTree;

const options = (displayMode: boolean): katex.KatexOptions => ({
  displayMode,
  output: 'mathml',
  throwOnError: true, // the element shows the source as code instead of KaTeX's red error text
  trust: false,
  strict: 'ignore', // no console warnings for Unicode text in math
  maxSize: 50, // em, for \rule and \kern
  maxExpand: 500,
});

export type MathResult = { ok: true; tree: MathTree } | { ok: false; error: string };

const cache = new Map<string, MathResult>();
const CACHE_SIZE = 300;

/** Renders `tex` (what is between the delimiters). Never throws: a TeX error comes back as `{ ok: false, error }`. */
export function renderMath(tex: string, display: boolean): MathResult {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last: the open block renders the same formulas frame after frame.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  let result: MathResult;
  try {
    const root = renderToDomTree(tex, options(display));
    const math = findMath(root);
    if (!math) throw new Error('KaTeX returned no <math> element');
    result = { ok: true, tree: convert(math) };
  } catch (error) {
    // KaTeX underlines the bad part with combining low lines (U+0332): unreadable in a tooltip.
    result = { ok: false, error: (error instanceof Error ? error.message : String(error)).replace(/\u0332/g, '') };
  }
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}

function findMath(node: KatexNode): KatexNode | undefined {
  if (node.type === 'math') return node;
  if (!Array.isArray(node.children)) return undefined;
  for (const child of node.children as KatexNode[]) {
    const found = findMath(child);
    if (found) return found;
  }
  return undefined;
}

function convert(node: KatexNode): MathTree {
  const [tree, ...rest] = convertAll(node);
  if (!tree || rest.length || 'text' in tree) throw new Error('KaTeX returned no <math> element');
  return tree;
}

/** One KaTeX node → MathTree nodes (a fragment gives its children). */
function convertAll(node: KatexNode): MathTree[] {
  if (typeof node.text === 'string') return [{ text: node.text }];
  const children = () => (Array.isArray(node.children) ? (node.children as KatexNode[]).flatMap(convertAll) : []);
  if (typeof node.type === 'string') {
    const attrs: Record<string, string> = {};
    for (const [name, value] of Object.entries((node.attributes ?? {}) as Record<string, unknown>)) if (typeof value === 'string') attrs[name] = value;
    return [{ tag: node.type, attrs, children: children() }];
  }
  // A space: a character when it has one, else an <mspace> of its width (em).
  if (typeof node.width === 'number' && 'character' in node) {
    if (typeof node.character === 'string' && node.character) return [{ text: node.character }];
    return [{ tag: 'mspace', attrs: { width: `${Number(node.width.toFixed(4))}em` }, children: [] }];
  }
  // A fragment (several nodes where one is expected).
  if (Array.isArray(node.children) && !('type' in node)) return children();
  throw new Error('unexpected node in KaTeX\'s tree');
}
