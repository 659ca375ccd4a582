/**
 * Syntax highlighting for fenced code blocks: loaded on demand (its own chunk, fetched only when an answer has a
 * fenced block in a language of code-languages.ts).
 *
 * Why refractor (Prism's grammars): it returns a token tree (hast: elements with class names, and text), never an
 * HTML string, so the block is built from data with text nodes like the rest of the answer; it is ESM with no
 * globals, unlike `prismjs` itself (whose core sets `window.Prism` and highlights every `<code class="language-*">`
 * of the host page on load); its grammars are Prism's, small (~26 kB gzip for these 16 languages) and regex-only
 * (no eval, nothing for a Content-Security-Policy to block). highlight.js builds HTML strings (a token tree only
 * through an internal emitter API); Lezer needs a parser package per language and is several times larger; Shiki
 * needs TextMate grammars and a regex engine (wasm or a large JS one) and colours tokens with inline styles.
 */
import { refractor } from 'refractor/core';
import bash from 'refractor/bash';
import c from 'refractor/c';
import cpp from 'refractor/cpp';
import css from 'refractor/css';
import diff from 'refractor/diff';
import go from 'refractor/go';
import java from 'refractor/java';
import javascript from 'refractor/javascript';
import json from 'refractor/json';
import markdown from 'refractor/markdown';
import markup from 'refractor/markup';
import python from 'refractor/python';
import rust from 'refractor/rust';
import sql from 'refractor/sql';
import typescript from 'refractor/typescript';
import yaml from 'refractor/yaml';
import type { GrammarName } from './code-languages.js';
import type { CodeToken, TokenKind } from './code-tokens.js';

for (const syntax of [markup, css, javascript, typescript, python, json, bash, c, cpp, java, rust, go, sql, yaml, markdown, diff]) refractor.register(syntax);

/** Prism token types (and aliases) → the few kinds the element colours; others keep the text colour. */
const KIND_OF: Record<string, TokenKind> = {
  comment: 'comment', prolog: 'comment', doctype: 'comment', cdata: 'comment', shebang: 'comment',
  keyword: 'keyword', rule: 'keyword', atrule: 'keyword', important: 'keyword', directive: 'keyword', 'directive-hash': 'keyword', title: 'keyword', bold: 'keyword',
  string: 'string', char: 'string', 'attr-value': 'string', 'template-string': 'string', url: 'string', 'code-snippet': 'string', code: 'string',
  number: 'number', boolean: 'number', constant: 'number', null: 'number', symbol: 'number', entity: 'number', 'named-entity': 'number', unit: 'number',
  function: 'function', 'function-definition': 'function', 'class-name': 'function', builtin: 'function', macro: 'function', decorator: 'function', annotation: 'function',
  tag: 'tag', selector: 'tag', namespace: 'tag',
  'attr-name': 'attribute', property: 'attribute', key: 'attribute',
  variable: 'variable', regex: 'variable', parameter: 'variable', environment: 'variable',
  inserted: 'inserted', 'inserted-sign': 'inserted',
  deleted: 'deleted', 'deleted-sign': 'deleted',
};

interface HastNode {
  type: string;
  value?: string;
  properties?: { className?: unknown };
  children?: HastNode[];
}

/** `code` in `grammar` as code tokens (their text is `code`, unchanged). */
export function highlightCode(code: string, grammar: GrammarName): CodeToken[] {
  const root = refractor.highlight(code, grammar) as unknown as HastNode;
  return convert(root.children ?? []);
}

function convert(nodes: readonly HastNode[]): CodeToken[] {
  const out: CodeToken[] = [];
  for (const node of nodes) {
    if (node.type === 'text') out.push(node.value ?? '');
    else if (node.type === 'element') {
      const children = convert(node.children ?? []);
      const kind = kindOf(node.properties?.className);
      if (kind) out.push({ kind, children });
      else out.push(...children);
    }
  }
  return out;
}

/** The first class (the token type, then its aliases) that has a kind. */
function kindOf(classNames: unknown): TokenKind | undefined {
  if (!Array.isArray(classNames)) return undefined;
  for (const name of classNames) if (typeof name === 'string' && Object.hasOwn(KIND_OF, name)) return KIND_OF[name];
  return undefined;
}
