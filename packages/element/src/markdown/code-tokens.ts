/**
 * A highlighted code block as data: text runs and token spans of a closed set of kinds. The highlighter chunk
 * produces it, `codeTokensToDom` turns it into `<span class="tok-KIND">` elements with text nodes. Nothing in it is
 * markup and nothing is copied by name from the highlighter's output, so a highlighted block is as inert as a
 * plain one.
 */
export const TOKEN_KINDS = ['comment', 'keyword', 'string', 'number', 'function', 'tag', 'attribute', 'variable', 'inserted', 'deleted'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

export type CodeToken = string | { kind: TokenKind; children: CodeToken[] };

const KINDS = new Set<string>(TOKEN_KINDS);

/** Code tokens → DOM: spans with a class from TOKEN_KINDS and text nodes, nothing else. */
export function codeTokensToDom(tokens: readonly CodeToken[], doc: Document): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const token of tokens) fragment.append(tokenNode(token, doc));
  return fragment;
}

function tokenNode(token: CodeToken, doc: Document): Node {
  if (typeof token === 'string') return doc.createTextNode(token);
  const children = codeTokensToDom(token.children, doc);
  // A kind outside the closed set (never produced; a guard) keeps its text without a span.
  if (!KINDS.has(token.kind)) return children;
  const span = doc.createElement('span');
  span.className = `tok-${token.kind}`;
  span.append(children);
  return span;
}

/** The text of code tokens (what the block shows; a test checks it equals the source). */
export function codeTokensText(tokens: readonly CodeToken[]): string {
  return tokens.map((t) => (typeof t === 'string' ? t : codeTokensText(t.children))).join('');
}
