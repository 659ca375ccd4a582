import { describe, expect, it } from 'vitest';
import { AttentionMoA, AttentionMoAError, ScriptedEngine, type AttentionMoAEvent, type CallRecord } from '@attention-moa/core';
import {
  agentStats, answerArea, attentionMatrix, callText, critiquePlanned, critiqueStageOver, errorInfo, reduceRun, startRun, type RunAction, type RunView,
} from '../../../packages/element/src/view-model.js';

function scriptedRun(stopAtLayer2: boolean) {
  const rules = [
    { when: { role: 'critique' as const, agent: 'A', target: 'B' }, reply: 'A on B: cite the source for the second claim, because it is unverified and long enough to be the longest critique here.' },
    { when: { role: 'critique' as const }, reply: '{agent} on {target}: fine.' },
    { when: { role: 'residual' as const }, reply: stopAtLayer2 ? 'No further improvement.' : 'Residual synthesis of both rounds.' },
    { when: { role: 'aggregate' as const }, reply: 'Aggregate of layer {layer}: **Paris**.' },
  ];
  const engine = (name: string) => new ScriptedEngine({ rules, model: name });
  const agents = ['A', 'B', 'C'].map((name) => ({ name, engine: engine(name) }));
  return new AttentionMoA({ agents, aggregator: { name: 'Aggregator', engine: engine('agg') }, layers: 2 });
}

async function reduceAll(events: AsyncIterable<AttentionMoAEvent> | Iterable<RunAction>, question = 'Capital of France?') {
  let state = startRun(question, 0);
  let now = 0;
  const seen: string[] = [];
  for await (const event of events as AsyncIterable<RunAction>) {
    now += 10;
    seen.push(event.type);
    state = reduceRun(state, event, now);
  }
  return { state, seen, now };
}

describe('reduceRun over a whole 3-agent, 2-layer run', () => {
  it('builds the layers, the n×n critique map, the early stop and the final answer', async () => {
    const { state, seen } = await reduceAll(scriptedRun(true).run([{ role: 'user', content: 'Capital of France?' }]));
    expect(seen[0]).toBe('run-start');
    expect(seen.at(-1)).toBe('done');
    expect(state.status).toBe('done');
    expect(state.agents).toEqual(['A', 'B', 'C']);
    expect(state.aggregator).toBe('Aggregator');
    expect(state.layers).toHaveLength(2);
    for (const layer of state.layers) {
      expect(Object.keys(layer.propose).sort()).toEqual(['A', 'B', 'C']);
      expect(Object.keys(layer.refine).sort()).toEqual(['A', 'B', 'C']);
      for (const critic of ['A', 'B', 'C']) expect(Object.keys(layer.critique[critic]!).sort()).toEqual(['A', 'B', 'C']);
      expect(layer.aggregate).toBeDefined();
    }
    expect(state.layers[0]!.residual).toBeUndefined();
    expect(state.layers[1]!.residual).toBeDefined();
    // 2 layers × (3 propose + 9 critiques + 3 refine + 1 aggregate) + 1 residual
    expect(state.callOrder).toHaveLength(33);
    expect(Object.values(state.calls).every((c) => c.status === 'done')).toBe(true);
    expect(state.earlyStop).toMatchObject({ layer: 2, mode: 'judge' });
    expect(state.layers[1]!.earlyStop?.reason).toContain('did not improve');
    expect(state.answer).toBe('Aggregate of layer 2: **Paris**.');
    expect(state.answerFinal).toBe(true);
    // ScriptedEngine marks its usage as scripted: the UI must say "simulated".
    expect(state.simulated).toBe(true);
  });

  it('the attention map puts critic i, target j at row i, column j, with length-relative intensity', async () => {
    const { state } = await reduceAll(scriptedRun(false).run([{ role: 'user', content: 'q' }]));
    const matrix = attentionMatrix(state, state.layers[0]!);
    expect(matrix.map((row) => row.map((c) => `${c.critic}>${c.target}`))).toEqual([
      ['A>A', 'A>B', 'A>C'], ['B>A', 'B>B', 'B>C'], ['C>A', 'C>B', 'C>C'],
    ]);
    expect(matrix.map((row) => row.map((c) => c.self))).toEqual([[true, false, false], [false, true, false], [false, false, true]]);
    const ab = matrix[0]![1]!;
    expect(callText(ab.call!)).toMatch(/^A on B: cite the source/);
    expect(ab.intensity).toBe(1);
    expect(matrix[1]![0]!.intensity).toBeGreaterThan(0);
    expect(matrix[1]![0]!.intensity).toBeLessThan(1);
    expect(state.earlyStop).toBeUndefined();
    expect(state.answer).toBe('Residual synthesis of both rounds.');
    expect(state.layers[1]!.source).toBe('residual');
  });

  it('per-agent stats count tokens and compute decode speed from the engine timings', async () => {
    const { state, now } = await reduceAll(scriptedRun(true).run([{ role: 'user', content: 'q' }]));
    const stats = agentStats(state, now);
    expect(stats.map((s) => s.agent)).toEqual(['A', 'B', 'C', 'Aggregator']);
    const a = stats[0]!;
    expect(a.calls).toBe(2 * (1 + 3 + 1));
    const tokens = Object.values(state.calls).filter((c) => c.agent === 'A').reduce((n, c) => n + c.tokens, 0);
    expect(a.completionTokens).toBe(tokens);
  });
});

describe('reduceRun edge cases', () => {
  const record = (over: Partial<CallRecord>): CallRecord => ({
    id: 1, role: 'propose', layer: 1, agent: 'A', messages: [], promptTokens: 12, cuts: [], output: '', text: '',
    finishReason: 'stop', queuedAt: 0, startedAt: 0, endedAt: 0, ...over,
  });

  it('tokens that arrive before (or without) call-start still create the call; answer tokens accumulate', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, { type: 'call-token', call: 7, role: 'critique', layer: 2, agent: 'B', target: 'A', token: 'Hi' }, 5);
    s = reduceRun(s, { type: 'call-token', call: 7, role: 'critique', layer: 2, agent: 'B', target: 'A', token: ' there' }, 6);
    expect(s.layers).toHaveLength(2);
    expect(s.layers[1]!.critique['B']!['A']).toBe(7);
    expect(s.calls[7]).toMatchObject({ output: 'Hi there', tokens: 2, status: 'streaming', firstTokenAt: 5 });
    expect(s.agents).toEqual(['B']);
    s = reduceRun(s, { type: 'answer-token', token: 'The' }, 7);
    s = reduceRun(s, { type: 'answer-token', token: ' end' }, 8);
    expect(s.answer).toBe('The end');
  });

  it('hides reasoning blocks while streaming and shows the cleaned text at the end', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, { type: 'call-start', call: 1, role: 'propose', layer: 1, agent: 'A', promptTokens: 3, cuts: [] }, 1);
    s = reduceRun(s, { type: 'call-token', call: 1, role: 'propose', layer: 1, agent: 'A', token: '<think>hmm' }, 2);
    expect(callText(s.calls[1]!)).toBe('');
    s = reduceRun(s, { type: 'call-token', call: 1, role: 'propose', layer: 1, agent: 'A', token: '</think> Answer' }, 3);
    expect(callText(s.calls[1]!)).toBe('Answer');
    s = reduceRun(s, { type: 'call-end', record: record({ output: '<think>hmm</think> Answer', text: 'Answer.' }) }, 4);
    expect(callText(s.calls[1]!)).toBe('Answer.');
    expect(s.calls[1]!.status).toBe('done');
  });

  // Qwen3-style output: the template opens the block, so the stream starts inside it and shows only `</think>`;
  // others write <thinking>. Either must be hidden while streaming, as the protocol hides it once the call ends.
  it('hides <thinking> blocks and a lone </think> prefix while streaming, as the final text does', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, { type: 'call-start', call: 1, role: 'propose', layer: 1, agent: 'A', promptTokens: 3, cuts: [] }, 1);
    s = reduceRun(s, { type: 'call-start', call: 2, role: 'propose', layer: 1, agent: 'B', promptTokens: 3, cuts: [] }, 1);
    s = reduceRun(s, { type: 'call-token', call: 1, role: 'propose', layer: 1, agent: 'A', token: '<thinking>weighing it' }, 2);
    expect(callText(s.calls[1]!)).toBe('');
    s = reduceRun(s, { type: 'call-token', call: 1, role: 'propose', layer: 1, agent: 'A', token: '</thinking> Four' }, 3);
    expect(callText(s.calls[1]!)).toBe('Four');
    s = reduceRun(s, { type: 'call-token', call: 2, role: 'propose', layer: 1, agent: 'B', token: 'the template opened the block' }, 2);
    s = reduceRun(s, { type: 'call-token', call: 2, role: 'propose', layer: 1, agent: 'B', token: '</think>\n\nFive' }, 3);
    expect(callText(s.calls[2]!)).toBe('Five');
    // A tag cut between tokens is not shown half-written.
    s = reduceRun(s, { type: 'call-token', call: 2, role: 'propose', layer: 1, agent: 'B', token: ' <thi' }, 4);
    expect(callText(s.calls[2]!)).toBe('Five');
  });

  it('a failed call is marked failed; agent-dropped and aggregator-fallback are kept for the UI', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, { type: 'call-start', call: 1, role: 'propose', layer: 1, agent: 'A', promptTokens: 3, cuts: [] }, 1);
    s = reduceRun(s, { type: 'call-end', record: record({ finishReason: 'error', error: { name: 'DeviceLostError', message: 'lost' } }) }, 2);
    s = reduceRun(s, { type: 'agent-dropped', dropped: { agent: 'A', layer: 1, role: 'propose', reason: 'engine failed' } }, 3);
    s = reduceRun(s, { type: 'aggregator-fallback', from: 'Agg', to: 'B', reason: 'timeout' }, 4);
    expect(s.calls[1]!.status).toBe('failed');
    expect(s.dropped).toHaveLength(1);
    expect(s.aggregatorFallback).toEqual({ from: 'Agg', to: 'B', reason: 'timeout' });
  });

  it('stop settles streaming calls, keeps partial text, and is ignored once the run ended', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, { type: 'call-token', call: 1, role: 'propose', layer: 1, agent: 'A', token: 'partial' }, 1);
    s = reduceRun(s, { type: 'stopped' }, 2);
    expect(s.status).toBe('stopped');
    expect(s.calls[1]).toMatchObject({ status: 'stopped', output: 'partial', endedAt: 2 });
    const again = reduceRun(s, { type: 'stopped' }, 3);
    expect(again).toBe(s);
  });

  it('error events and thrown values become an ErrorInfo with name, message and code', () => {
    const coded = new AttentionMoAError('ALL_AGENTS_FAILED', 'No agent is left to answer');
    let s = reduceRun(startRun('q', 0), { type: 'error', error: coded }, 1);
    expect(s.status).toBe('error');
    expect(s.error).toEqual({ name: 'AttentionMoAError', message: 'No agent is left to answer', code: 'ALL_AGENTS_FAILED' });
    expect(errorInfo('DeviceLostError: The WebGPU device was lost')).toEqual({ name: 'DeviceLostError', message: 'The WebGPU device was lost' });
    expect(errorInfo(42)).toEqual({ name: 'Error', message: '42' });
    s = reduceRun(startRun('q', 0), { type: 'failed', error: { name: 'TypeError', message: 'x' } }, 1);
    expect(s.error?.name).toBe('TypeError');
  });

  it('the reducer never mutates its input state', async () => {
    const states: RunView[] = [];
    let s = startRun('q', 0);
    const frozen = (v: RunView) => JSON.stringify(v);
    const snapshots: string[] = [];
    for await (const e of scriptedRun(true).run([{ role: 'user', content: 'q' }])) {
      states.push(s);
      snapshots.push(frozen(s));
      s = reduceRun(s, e, 1);
    }
    states.forEach((old, i) => expect(frozen(old)).toBe(snapshots[i]));
  });

  it('an empty map cell reads as "not in this topology" only after the critique stage', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, { type: 'call-start', call: 1, role: 'critique', layer: 1, agent: 'A', target: 'A', promptTokens: 1, cuts: [] }, 1);
    expect(critiqueStageOver(s, s.layers[0]!)).toBe(false);
    s = reduceRun(s, { type: 'call-start', call: 2, role: 'refine', layer: 1, agent: 'A', promptTokens: 1, cuts: [] }, 2);
    expect(critiqueStageOver(s, s.layers[0]!)).toBe(true);
  });

  it('answer-reset withdraws the streamed answer (the streaming call failed and another engine answers)', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, { type: 'answer-token', token: 'half an ans' }, 1);
    s = reduceRun(s, { type: 'answer-reset', reason: 'the aggregator failed' }, 2);
    expect(s.answer).toBe('');
    s = reduceRun(s, { type: 'answer-token', token: 'Whole answer.' }, 3);
    expect(s.answer).toBe('Whole answer.');
  });
});

describe('drafts', () => {
  const source = (role: 'propose' | 'aggregate', agent: string, layer = 1) => ({ role, layer, agent, call: layer * 10 });
  const start = (draft: number, role: 'propose' | 'aggregate', agent: string, layer = 1): RunAction => ({ type: 'draft-start', draft, source: source(role, agent, layer), final: false });
  const token = (draft: number, t: string): RunAction => ({ type: 'draft-token', draft, token: t, final: false });

  it('a draft shows until the answer has visible text; the next draft waits for its own first visible token', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, start(1, 'propose', 'A'), 1);
    expect(answerArea(s, true)).toEqual({ shows: 'none', key: 'none' });
    s = reduceRun(s, token(1, 'Paris'), 2);
    s = reduceRun(s, token(1, ' is the capital.'), 3);
    expect(answerArea(s, true)).toMatchObject({ shows: 'draft', key: 'draft:1', draft: { text: 'Paris is the capital.', status: 'streaming', source: { agent: 'A' } } });
    s = reduceRun(s, { type: 'draft-end', draft: 1, status: 'done', text: 'Paris is the capital.', final: false }, 4);
    // The next draft: the old text stays while the new one has written only Markdown syntax.
    s = reduceRun(s, start(2, 'aggregate', 'Agg'), 5);
    s = reduceRun(s, token(2, '## '), 6);
    expect(answerArea(s, true)).toMatchObject({ key: 'draft:1', draft: { text: 'Paris is the capital.', status: 'done' } });
    s = reduceRun(s, token(2, 'Answer'), 7);
    expect(answerArea(s, true)).toMatchObject({ key: 'draft:2', draft: { text: '## Answer', source: { role: 'aggregate', agent: 'Agg' } } });
    // The answer: "**" alone is no visible text, so the draft stays; a word replaces it.
    s = reduceRun(s, { type: 'answer-token', token: '**' }, 8);
    expect(answerArea(s, true).shows).toBe('draft');
    s = reduceRun(s, { type: 'answer-token', token: 'Paris**' }, 9);
    expect(answerArea(s, true)).toEqual({ shows: 'answer', key: 'answer' });
    // Drafts off: the answer shows from its first token, and no draft ever.
    expect(answerArea(reduceRun(reduceRun(startRun('q', 0), start(1, 'propose', 'A'), 1), token(1, 'x'), 2), false).shows).toBe('none');
  });

  it('answer-reset brings the draft back; done drops it; a stop keeps it', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, start(1, 'propose', 'A'), 1);
    s = reduceRun(s, token(1, 'Draft text'), 2);
    s = reduceRun(s, { type: 'answer-token', token: 'Half' }, 3);
    s = reduceRun(s, { type: 'answer-reset', reason: 'the aggregator failed' }, 4);
    expect(answerArea(s, true)).toMatchObject({ shows: 'draft', draft: { text: 'Draft text' } });
    const stopped = reduceRun(s, { type: 'stopped' }, 5);
    expect(answerArea(stopped, true)).toMatchObject({ shows: 'draft', draft: { text: 'Draft text' } });
    const done = reduceRun(s, { type: 'done', result: { answer: 'Final.', layerOutputs: ['Final.'], layersRun: 1, trace: [], dropped: [], usage: { calls: 1, promptTokens: 0, processedPromptTokens: 0, reusedPromptTokens: 0, completionTokens: 1 }, durationMs: 1 } }, 6);
    expect(done.draft).toBeUndefined();
    expect(answerArea(done, true)).toEqual({ shows: 'answer', key: 'answer' });
  });

  it('a failed draft keeps its text; one that never wrote anything is dropped; drafts after the answer are ignored', () => {
    let s = startRun('q', 0);
    s = reduceRun(s, start(1, 'propose', 'A'), 1);
    s = reduceRun(s, token(1, 'Half a dra'), 2);
    s = reduceRun(s, { type: 'draft-end', draft: 1, status: 'failed', text: 'Half a dra', final: false }, 3);
    expect(s.draft).toMatchObject({ status: 'failed', text: 'Half a dra' });
    s = reduceRun(s, start(2, 'propose', 'B'), 4);
    s = reduceRun(s, { type: 'draft-end', draft: 2, status: 'failed', text: '', final: false }, 5);
    expect(s.nextDraft).toBeUndefined();
    expect(s.draft?.id).toBe(1);
    s = reduceRun(s, { type: 'answer-token', token: 'Answer' }, 6);
    expect(reduceRun(s, start(3, 'aggregate', 'Agg'), 7)).toBe(s);
  });

  it('from a real 2-layer run: proposal, then layer syntheses, then the answer; every draft source named', async () => {
    const engine = (name: string) => new ScriptedEngine({ rules: [{ when: { role: 'residual' }, reply: 'Residual answer.' }, { reply: '{agent} writes {role} {layer}' }], model: name });
    const moa = new AttentionMoA({ agents: ['A', 'B'].map((name) => ({ name, engine: engine(name) })), aggregator: { name: 'Agg', engine: engine('agg') }, layers: 2, earlyStop: 'off' });
    let s = startRun('q', 0);
    const shown: string[] = [];
    for await (const event of moa.run('q')) {
      s = reduceRun(s, event, 1);
      const area = answerArea(s, true);
      const label = area.shows === 'draft' ? `${area.draft!.source.role} ${area.draft!.source.layer}` : area.shows;
      if (shown.at(-1) !== label) shown.push(label);
    }
    expect(shown).toEqual(['none', 'propose 1', 'aggregate 1', 'aggregate 2', 'answer']);
    expect(s.answer).toBe('Residual answer.');
  });
});

describe('topologies from the real protocol', () => {
  it('ring: the plan says which cells exist; the others read "not planned"', async () => {
    const engine = () => new ScriptedEngine({ rules: [{ reply: '{agent} {role} {target}' }] });
    const moa = new AttentionMoA({
      agents: ['A', 'B', 'C', 'D'].map((name) => ({ name, engine: engine() })),
      aggregator: { engine: engine(), name: 'Agg' },
      attention: 'ring',
    });
    const { state } = await reduceAll(moa.run('q'));
    const matrix = attentionMatrix(state, state.layers[0]!);
    const made = matrix.flat().filter((c) => c.call).map((c) => `${c.critic}>${c.target}`);
    expect(made).toHaveLength(8);
    for (const cell of matrix.flat()) expect(critiquePlanned(state, cell.critic, cell.target)).toBe(cell.call !== undefined);
    expect(state.callOrder).toHaveLength(moa.plan().expectedCalls);
  });
});
