import { describe, expect, it } from 'vitest';
import type { AttentionMoAResult, CallRecord } from '@attention-moa/core';
import { costOf, messagesFor, newConversation, titleFrom, withTurn, type Turn } from '../../../../demo/src/conversations/conversation.js';
import { DEFAULT_SETTINGS } from '../../../../demo/src/run/modes.js';

function call(id: number, role: CallRecord['role'], layer: number, agent: string, target?: string): CallRecord {
  return {
    id, role, layer, agent, target, messages: [{ role: 'user', content: 'q' }], promptTokens: 40, cuts: [],
    output: `${role} by ${agent}`, text: `${role} by ${agent}`, finishReason: 'stop',
    usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 }, queuedAt: 0, startedAt: id * 10, endedAt: id * 10 + 7,
  };
}

function result(answer: string): AttentionMoAResult {
  const trace = [call(1, 'propose', 1, 'Agent A'), call(2, 'critique', 1, 'Agent A', 'Agent B'), call(3, 'aggregate', 1, 'Agent A')];
  return { answer, layerOutputs: [answer], layersRun: 2, earlyStop: { layer: 2, mode: 'judge', reason: 'no improvement' }, trace, dropped: [], usage: { calls: 3, promptTokens: 120, completionTokens: 36 }, durationMs: 2500 };
}

function turn(question: string, answer: string, at: number): Turn {
  return {
    id: `t${at}`, question, askedAt: at,
    ensemble: { agents: ['Agent A', 'Agent B'], aggregator: 'Agent A', settings: DEFAULT_SETTINGS, simulated: true },
    main: { mode: 'attention-moa', answer, result: result(answer), wallMs: 2600 },
    comparisons: [{ mode: 'single', answer: 'single answer', result: { ...result('single answer'), usage: { calls: 1, promptTokens: 10, completionTokens: 5 } }, wallMs: 300 }],
  };
}

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
