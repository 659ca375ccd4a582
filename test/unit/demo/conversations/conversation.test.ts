import { describe, expect, it } from 'vitest';
import { costOf, messagesFor, newConversation, titleFrom, withTurn } from '../../../../demo/src/conversations/conversation.js';
import { turn } from './turn-fixture.js';

describe('conversations', () => {
  it('title the conversation from the first question and keep the history for the next run', () => {
    let c = newConversation(1000);
    c = withTurn(c, turn('Why is the sky blue?\nPlease explain.', 'Scattering.', 2000));
    c = withTurn(c, turn('And sunsets?', 'Longer path.', 3000));
    expect(c.title).toBe('Why is the sky blue?');
    expect(c.updatedAt).toBe(3000);
    expect(messagesFor(c, 'Third?')).toEqual([
      { role: 'user', content: 'Why is the sky blue?\nPlease explain.' },
      { role: 'assistant', content: 'Scattering.' },
      { role: 'user', content: 'And sunsets?' },
      { role: 'assistant', content: 'Longer path.' },
      { role: 'user', content: 'Third?' },
    ]);
  });

  it('leave failed turns out of the history', () => {
    let c = withTurn(newConversation(0), turn('ok?', 'yes', 1));
    c = withTurn(c, { ...turn('broken?', '', 2), main: { mode: 'attention-moa', answer: '', error: { name: 'Error', message: 'all agents failed' }, wallMs: 5 } });
    expect(messagesFor(c, 'next').map((m) => m.content)).toEqual(['ok?', 'yes', 'next']);
  });

  it('cut long titles at a word', () => {
    const t = titleFrom('word '.repeat(40));
    expect(t.length).toBeLessThanOrEqual(61);
    expect(t.endsWith('…')).toBe(true);
    expect(titleFrom('   ')).toBe('New conversation');
  });

  it('sum a run’s cost from the result', () => {
    expect(costOf(turn('q', 'a', 1).main)).toEqual({ calls: 3, promptTokens: 120, completionTokens: 36, durationMs: 2500, layersRun: 2, earlyStopLayer: 2 });
    expect(costOf({ mode: 'single', answer: '', wallMs: 1 })).toBeUndefined();
  });
});
