/** A finished turn with a three-call trace and a single-model comparison, as the conversation stores it. */
import type { AttentionMoAResult, CallRecord } from '@attention-moa/core';
import type { Turn } from '../../../../demo/src/conversations/conversation.js';
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
  return { answer, layerOutputs: [answer], layersRun: 2, earlyStop: { layer: 2, mode: 'judge', reason: 'no improvement' }, trace, dropped: [], usage: { calls: 3, promptTokens: 120, processedPromptTokens: 120, reusedPromptTokens: 0, completionTokens: 36 }, durationMs: 2500 };
}

export function turn(question: string, answer: string, at: number): Turn {
  return {
    id: `t${at}`, question, askedAt: at,
    ensemble: { agents: ['Agent A', 'Agent B'], aggregator: 'Agent A', settings: DEFAULT_SETTINGS, simulated: true },
    main: { mode: 'attention-moa', answer, result: result(answer), wallMs: 2600 },
    comparisons: [{ mode: 'single', answer: 'single answer', result: { ...result('single answer'), usage: { calls: 1, promptTokens: 10, processedPromptTokens: 10, reusedPromptTokens: 0, completionTokens: 5 } }, wallMs: 300 }],
  };
}
