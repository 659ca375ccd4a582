import { describe, expect, it } from 'vitest';
import { highlightCode } from '../../../../packages/element/src/markdown/highlight.js';
import { GRAMMARS, grammarFor } from '../../../../packages/element/src/markdown/code-languages.js';
import { codeTokensText, codeTokensToDom, TOKEN_KINDS, type CodeToken } from '../../../../packages/element/src/markdown/code-tokens.js';
import { asFake, fakeDocument } from './fake-dom.js';

const SAMPLES: Record<string, string> = {
  js: 'const answer = 42; // the answer\nfunction greet(name) { return `hi ${name}`; }',
  ts: 'interface User { id: number }\nexport const u: User = { id: 1 };',
  python: 'def f(x):\n    """Doc."""\n    return x + 1  # add one\n\n@decorator\nclass A: pass',
  json: '{"name": "moa", "ok": true, "n": [1, 2.5, null]}',
  bash: '#!/bin/sh\necho "$HOME" | grep -v tmp  # filter\nif [ -f a ]; then ls; fi',
  html: '<a href="https://example.com" title="x">link &amp; text</a><!-- note -->',
  css: '.card > h2 { color: #333 !important; margin: 0 auto; }\n@media (max-width: 600px) { .card { padding: 0 } }',
  c: '#include <stdio.h>\nint main(void) { printf("%d\\n", 1); return 0; }',
  cpp: 'template <typename T> T max(T a, T b) { return a > b ? a : b; } // std::max',
  java: '@Override\npublic String toString() { return "A" + 1; }',
  rust: 'fn main() { let x: u32 = 5; println!("{}", x); }',
  go: 'package main\nimport "fmt"\nfunc main() { fmt.Println(1) }',
  sql: "SELECT name, COUNT(*) FROM users WHERE active = 1 AND name LIKE 'a%' -- active\nGROUP BY name;",
  yaml: 'name: moa\nitems:\n  - 1\n  - true # yes',
  markdown: '# Title\n\nSome **bold** and `code` with a [link](https://example.com).',
  diff: '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-old line\n+new line\n same',
};

const kinds = (tokens: readonly CodeToken[]): string[] => tokens.flatMap((t) => (typeof t === 'string' ? [] : [t.kind, ...kinds(t.children)]));

describe('the highlighter (refractor: Prism grammars → a token tree)', () => {
  it('knows every listed language by its usual fence names, and nothing else', () => {
    expect(new Set(Object.keys(SAMPLES).map(grammarFor))).toEqual(new Set(GRAMMARS));
    for (const [name, grammar] of [['JS', 'javascript'], ['py', 'python'], ['sh', 'bash'], ['shell', 'bash'], ['xml', 'markup'], ['c++', 'cpp'], ['yml', 'yaml'], ['rs', 'rust'], ['md', 'markdown'], ['patch', 'diff'], ['tsx', 'typescript']] as const) {
      expect(grammarFor(name), name).toBe(grammar);
    }
    for (const name of [undefined, '', 'brainfuck', 'text', 'plaintext', '__proto__', 'constructor', 'toString']) expect(grammarFor(name), String(name)).toBeUndefined();
  });

  it('keeps the text exactly and marks tokens with kinds from the closed set, in every language', () => {
    for (const [name, code] of Object.entries(SAMPLES)) {
      const tokens = highlightCode(code, grammarFor(name)!);
      expect(codeTokensText(tokens), name).toBe(code);
      const found = kinds(tokens);
      expect(found.length, `${name}: some tokens`).toBeGreaterThan(1);
      for (const kind of found) expect(TOKEN_KINDS, name).toContain(kind);
    }
  });

  it('gives the kinds a reader expects', () => {
    const first = (code: string, grammar: Parameters<typeof highlightCode>[1], text: string) => {
      const find = (tokens: readonly CodeToken[]): string | undefined => {
        for (const t of tokens) {
          if (typeof t === 'string') continue;
          if (codeTokensText(t.children) === text) return t.kind;
          const inner = find(t.children);
          if (inner) return inner;
        }
        return undefined;
      };
      return find(highlightCode(code, grammar));
    };
    expect(first(SAMPLES.js!, 'javascript', 'const')).toBe('keyword');
    expect(first(SAMPLES.js!, 'javascript', '42')).toBe('number');
    expect(first(SAMPLES.js!, 'javascript', '// the answer')).toBe('comment');
    expect(first(SAMPLES.js!, 'javascript', 'greet')).toBe('function');
    expect(first(SAMPLES.python!, 'python', '# add one')).toBe('comment');
    expect(first(SAMPLES.json!, 'json', '"name"')).toBe('attribute');
    expect(first(SAMPLES.html!, 'markup', '="https://example.com"')).toBe('string');
    expect(first(SAMPLES.diff!, 'diff', '-old line\n')).toBe('deleted');
    expect(first(SAMPLES.diff!, 'diff', '+new line\n')).toBe('inserted');
  });

  it('a hostile "code" block is still just text in spans', () => {
    const code = '<script>alert(1)</script><img src=x onerror=alert(2)>\n"</span><b>';
    const tokens = highlightCode(code, 'markup');
    expect(codeTokensText(tokens)).toBe(code);
    const dom = asFake(codeTokensToDom(tokens, fakeDocument));
    expect(dom.textContent).toBe(code);
    expect(new Set(dom.elements().map((e) => e.name))).toEqual(new Set(['span']));
  });
});

describe('codeTokensToDom (token tree → DOM)', () => {
  it('builds spans with a tok-* class and text nodes only, nested as the tree', () => {
    const tokens: CodeToken[] = ['a ', { kind: 'string', children: ['"x', { kind: 'variable', children: ['${y}'] }, '"'] }, ' b'];
    const dom = asFake(codeTokensToDom(tokens, fakeDocument));
    expect(dom.textContent).toBe('a "x${y}" b');
    expect(dom.children.map((c) => c.kind)).toEqual(['text', 'element', 'text']);
    const [outer] = dom.elements();
    expect(outer!.name).toBe('span');
    expect(outer!.className).toBe('tok-string');
    expect(outer!.attributes.size).toBe(0);
    expect(outer!.elements().map((e) => e.className)).toEqual(['tok-string', 'tok-variable']);
  });

  it('a kind outside the closed set never becomes a class (its text stays)', () => {
    const dom = asFake(codeTokensToDom([{ kind: 'x" onclick="alert(1)' as never, children: ['text'] }], fakeDocument));
    expect(dom.elements()).toEqual([]);
    expect(dom.textContent).toBe('text');
  });
});
