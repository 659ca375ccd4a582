import { describe, expect, it } from 'vitest';
import { AttentionMoA, ScriptedEngine, type AttentionMoAEvent } from '@attention-moa/core';
import { answerCall, reduceRun, startRun, wasCut, type RunView } from '../../../packages/element/src/view-model.js';

// Answers cut at their token limit: which calls the element marks, and which call's text became the final answer.

async function run(moa: AttentionMoA): Promise<RunView> {
  let state = startRun('Capital of France?', 0);
  let now = 0;
  for await (const event of moa.run('Capital of France?') as AsyncIterable<AttentionMoAEvent>) state = reduceRun(state, event, (now += 10));
  return state;
}

const LONG = 'Paris is the capital of France and its largest city, on the Seine, with many museums and bridges.';

describe('cut answers in the view', () => {
  it('marks every call that hit its cap, and finds the answer\'s call (the aggregate of one layer) cut too', async () => {
    const engine = (model: string) => new ScriptedEngine({ model, rules: [{ when: { role: 'critique' }, reply: 'Fine.' }], fallback: LONG });
    const moa = new AttentionMoA({
      agents: ['A', 'B'].map((name) => ({ name, engine: engine(name) })),
      aggregator: { engine: engine('agg') },
      maxTokens: { propose: 5, refine: 40, aggregate: 6 },
    });
    const view = await run(moa);
    const calls = Object.values(view.calls);
    const cut = calls.filter((c) => wasCut(c)).map((c) => `${c.role}:${c.agent}`).sort();
    expect(cut).toEqual(['aggregate:aggregator', 'propose:A', 'propose:B']);
    for (const c of calls) expect(c.record!.cut).toBe(c.record!.finishReason === 'length');
    expect(calls.find((c) => c.role === 'propose')!.record!.maxTokens).toBe(5);
    const answer = answerCall(view)!;
    expect(answer.role).toBe('aggregate');
    expect(wasCut(answer)).toBe(true);
    expect(view.answer).toBe(answer.record!.text);
  });

  it('takes the residual synthesis as the answer\'s call of a 2-layer run, and marks nothing when nothing hit its cap', async () => {
    const engine = (model: string) => new ScriptedEngine({ model, rules: [{ when: { role: 'residual' }, reply: 'Paris, as both rounds say.' }], fallback: 'Paris.' });
    const moa = new AttentionMoA({ agents: ['A', 'B'].map((name) => ({ name, engine: engine(name) })), aggregator: { engine: engine('agg') }, layers: 2 });
    const view = await run(moa);
    expect(Object.values(view.calls).some((c) => wasCut(c))).toBe(false);
    expect(answerCall(view)).toMatchObject({ role: 'residual', layer: 2 });
    expect(wasCut(answerCall(view))).toBe(false);
  });

  it('reads a saved record without the field (older conversations) by its finish reason', () => {
    let s = startRun('q', 0);
    const record = { id: 1, role: 'propose' as const, layer: 1, agent: 'A', messages: [], promptTokens: 3, cuts: [], output: 'x', text: 'x', finishReason: 'length' as const, queuedAt: 0, startedAt: 0, endedAt: 0 };
    s = reduceRun(s, { type: 'call-end', record }, 1);
    expect(wasCut(s.calls[1])).toBe(true);
    expect(wasCut(undefined)).toBe(false);
  });
});
