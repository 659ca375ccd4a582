import { describe, expect, it } from 'vitest';
import type { AttentionMoAResult, CallRecord } from '@attention-moa/core';
import { newConversation, withTurn, type Turn } from '../../../../demo/src/conversations/conversation.js';
import { EXPORT_FORMAT, exportFileName, toJSON, toMarkdown } from '../../../../demo/src/conversations/export.js';
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

  it('names files from the title', () => {
    expect(exportFileName(c, 'json', new Date('2026-02-01T10:00:00Z'))).toBe('why-is-the-sky-blue-2026-02-01.json');
  });
});
