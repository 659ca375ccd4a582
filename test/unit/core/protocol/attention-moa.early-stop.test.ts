import { describe, expect, it } from 'vitest';
import { AttentionMoA, ScriptedEngine, type AttentionMoAEvent, type ScriptRule } from '@attention-moa/core';

const agentEngine = () => new ScriptedEngine({ rules: [{ reply: '{agent} {role} L{layer}' }] });

function build(aggregatorRules: ScriptRule[], options: Partial<ConstructorParameters<typeof AttentionMoA>[0]> = {}) {
  const aggregator = new ScriptedEngine({ rules: aggregatorRules });
  const moa = new AttentionMoA({
    agents: [
      { name: 'A', engine: agentEngine() },
      { name: 'B', engine: agentEngine() },
    ],
    aggregator: { engine: aggregator, name: 'Z' },
    layers: 4,
    ...options,
  });
  return { moa, aggregator };
}

async function collect(moa: AttentionMoA) {
  const events: AttentionMoAEvent[] = [];
  const result = await moa.complete('Q?', { onEvent: (e) => events.push(e) });
  const answer = events.flatMap((e) => (e.type === 'answer-token' ? [e.token] : [])).join('');
  return { events, result, answer };
}

const aggregateRule: ScriptRule = { when: { role: 'aggregate' }, reply: 'aggregate of layer {layer}' };

describe('early stop: judge', () => {
  it.each([
    'NO FURTHER IMPROVEMENT',
    'no further improvement.',
    '**No Further Improvement**',
    '`NO_FURTHER_IMPROVEMENT`',
    '\n\n  NO FURTHER IMPROVEMENT  \n',
    '<think>Round 2 adds nothing new.</think>\nNO FURTHER IMPROVEMENT',
    'Verdict: NO FURTHER IMPROVEMENT.',
  ])('the judge answering %j ends the run at that layer with that layer’s aggregate', async (verdict) => {
    const { moa } = build([aggregateRule, { when: { role: 'residual', layer: 2 }, reply: 'residual of layer 2 is better' }, { when: { role: 'residual', layer: 3 }, reply: verdict }]);
    const { events, result, answer } = await collect(moa);
    expect(result.layersRun).toBe(3);
    expect(result.earlyStop).toMatchObject({ layer: 3, mode: 'judge' });
    expect(result.answer).toBe('aggregate of layer 3');
    expect(result.layerOutputs).toEqual(['aggregate of layer 1', 'residual of layer 2 is better', 'aggregate of layer 3']);
    expect(result.trace.some((r) => r.layer === 4)).toBe(false);
    expect(answer).toBe('aggregate of layer 3');
    expect(events.some((e) => e.type === 'answer-reset')).toBe(false);
    const stopAt = events.findIndex((e) => e.type === 'early-stop');
    expect(events[stopAt]).toMatchObject({ type: 'early-stop', layer: 3, mode: 'judge' });
    expect(events.slice(stopAt).map((e) => e.type)).toEqual(['early-stop', 'layer-end', 'answer-token', 'done']);
  });

  it('a judge that answers without any verdict form (as SmolLM2-135M always did in the eval) leaves the decision to the similarity measure', async () => {
    // Layer 2's residual repeats layer 1's output: no verdict line, the same answer.
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: 'aggregate of layer 1' }]);
    const { result } = await collect(moa);
    expect(result.layersRun).toBe(2);
    expect(result.earlyStop).toEqual({
      layer: 2,
      mode: 'similarity',
      reason: "the judge gave no verdict (it answered instead), so the similarity measure decided: layer 2's output is 1.000 similar to layer 1's (threshold 0.9)",
      similarity: 1,
    });
    expect(result.answer).toBe('aggregate of layer 1');
    // An explicit go-on is a verdict: the run goes on even when the answer did not change.
    const goOn = build([aggregateRule, { when: { role: 'residual' }, reply: 'IMPROVED\naggregate of layer 1' }]);
    expect((await collect(goOn.moa)).result).toMatchObject({ layersRun: 4 });
  });

  it('a stop verdict in the last layer is held back from the streamed answer, which is then that layer’s aggregate', async () => {
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: '**NO FURTHER IMPROVEMENT.**' }], { layers: 2 });
    const { events, result, answer } = await collect(moa);
    expect(result).toMatchObject({ answer: 'aggregate of layer 2', layersRun: 2, earlyStop: { layer: 2, mode: 'judge' } });
    expect(answer).toBe('aggregate of layer 2');
    expect(events.some((e) => e.type === 'answer-token' && /improvement/i.test(e.token))).toBe(false);
  });

  it('a reply that only starts like the phrase is an answer, not a stop', async () => {
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: 'No further improvement is possible: the answer is 4.' }], { layers: 2 });
    const { result, answer } = await collect(moa);
    expect(result.earlyStop).toBeUndefined();
    expect(result.answer).toBe('No further improvement is possible: the answer is 4.');
    expect(answer).toBe(result.answer);
  });

  it('the go-on form streams the answer without its IMPROVED line; a long stop verdict never reaches the answer', async () => {
    const improved = build([aggregateRule, { when: { role: 'residual' }, reply: 'IMPROVED\nThe answer is **4**, since 2 + 2 = 4.' }], { layers: 2 });
    const go = await collect(improved.moa);
    expect(go.result.answer).toBe('The answer is **4**, since 2 + 2 = 4.');
    expect(go.answer).toBe(go.result.answer);
    expect(go.events.some((e) => e.type === 'answer-reset')).toBe(false);
    expect(go.result.trace.find((r) => r.role === 'residual')).toMatchObject({ verdict: 'continue', text: 'The answer is **4**, since 2 + 2 = 4.' });

    const verbose = build([aggregateRule, { when: { role: 'residual' }, reply: `NO FURTHER IMPROVEMENT, both rounds are identical.\n\n${'Round 2 says the same as round 1. '.repeat(12)}` }], { layers: 2 });
    const stop = await collect(verbose.moa);
    expect(stop.result).toMatchObject({ answer: 'aggregate of layer 2', earlyStop: { layer: 2, mode: 'judge' } });
    expect(stop.answer).toBe('aggregate of layer 2');
    expect(stop.events.some((e) => e.type === 'answer-token' && /improvement|round 2/i.test(e.token))).toBe(false);
  });

  it('a residual with no usable answer leaves the layer aggregate as the output, and says so on the call', async () => {
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: 'IMPROVED\n<<<ROUND 3>>>' }], { layers: 2 });
    const { result, events } = await collect(moa);
    expect(result.earlyStop).toBeUndefined();
    expect(result.answer).toBe('aggregate of layer 2');
    // The fence streamed before the reply was complete; the stream is reset and the answer sent whole.
    const reset = events.map((e) => e.type).lastIndexOf('answer-reset');
    expect(reset).toBeGreaterThan(0);
    expect(events.slice(reset).flatMap((e) => (e.type === 'answer-token' ? [e.token] : [])).join('')).toBe('aggregate of layer 2');
    expect(result.trace.find((r) => r.role === 'residual')).toMatchObject({
      text: '',
      verdict: 'continue',
      cleaned: ['data fences'],
      roleCheck: { problems: [{ kind: 'empty' }], action: "used layer 2's aggregate as the layer's output" },
    });
  });

  it('the judge instruction and the configured phrase are in the residual prompt', async () => {
    const { moa, aggregator } = build([aggregateRule, { when: { role: 'residual' }, reply: 'DONE HERE' }], { stopPhrase: 'DONE HERE', layers: 3 });
    const { result } = await collect(moa);
    expect(result.earlyStop).toMatchObject({ layer: 2, mode: 'judge' });
    const residual = aggregator.requests.find((q) => q.call?.role === 'residual')!;
    expect(residual.params.messages[0]!.content).toContain('reply with this one line and nothing else: DONE HERE');
  });

  it('without a stop verdict all layers run', async () => {
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: 'improved residual {layer}' }]);
    const { result } = await collect(moa);
    expect(result.layersRun).toBe(4);
    expect(result.earlyStop).toBeUndefined();
    expect(result.answer).toBe('improved residual 4');
  });
});

describe('early stop: similarity and off', () => {
  it('similarity stops when a layer’s output has converged to the previous one', async () => {
    const { moa } = build(
      [
        aggregateRule,
        { when: { role: 'residual', layer: 2 }, reply: 'Paris is the capital of France.' },
        { when: { role: 'residual', layer: 3 }, reply: 'Paris is the capital of France!' },
      ],
      { earlyStop: 'similarity', similarityThreshold: 0.95 },
    );
    const { events, result, answer } = await collect(moa);
    expect(result.earlyStop).toMatchObject({ layer: 3, mode: 'similarity', similarity: expect.any(Number) });
    expect(result.earlyStop!.similarity!).toBeGreaterThanOrEqual(0.95);
    expect(result.layersRun).toBe(3);
    expect(result.answer).toBe('Paris is the capital of France!');
    expect(answer).toBe(result.answer);
    // No judge: the residual prompt does not ask for a stop phrase.
    expect(result.trace.filter((r) => r.role === 'residual').every((r) => !r.messages[0]!.content.includes('NO FURTHER IMPROVEMENT'))).toBe(true);
    expect(events.filter((e) => e.type === 'early-stop')).toHaveLength(1);
  });

  it('similarity does not stop while outputs keep changing', async () => {
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: ['first draft about cats', 'second version on dogs', 'third take: birds'] }], {
      earlyStop: 'similarity',
    });
    const { result } = await collect(moa);
    expect(result.layersRun).toBe(4);
    expect(result.earlyStop).toBeUndefined();
  });

  it('similarity works without residual synthesis (compares the aggregates)', async () => {
    const { moa } = build([{ when: { role: 'aggregate' }, reply: 'the same synthesis' }], { residual: false, earlyStop: 'similarity' });
    const { result } = await collect(moa);
    expect(result.earlyStop).toMatchObject({ layer: 2, mode: 'similarity', similarity: 1 });
    expect(result.trace.filter((r) => r.role === 'residual')).toEqual([]);
  });

  it('off runs all layers, even when outputs converge', async () => {
    const { moa } = build([{ when: { role: 'residual' }, reply: 'same' }, { reply: 'same' }], { earlyStop: 'off' });
    const { result } = await collect(moa);
    expect(result.layersRun).toBe(4);
    expect(result.earlyStop).toBeUndefined();
    expect(result.trace).toHaveLength(4 * 9 + 3);
  });
});

describe('budget', () => {
  it('maxCalls: a layer that would not fit is not started; the answer is the last completed layer’s', async () => {
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: 'residual {layer}' }], { budget: { maxCalls: 25 } });
    const { result, answer } = await collect(moa);
    expect(result.trace).toHaveLength(19); // 9 + 10; a third layer would need 10 more
    expect(result).toMatchObject({ layersRun: 2, answer: 'residual 2', earlyStop: { layer: 2, mode: 'budget' } });
    expect(result.earlyStop!.reason).toMatch(/needs 10 calls; 19 of budget.maxCalls 25/);
    expect(answer).toBe('residual 2');
  });
});

describe('answer tokens', () => {
  it('the last layer’s final call streams live, before it ends, and the tokens add up to the answer', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const { moa } = build([aggregateRule, { when: { role: 'residual' }, reply: long }], { layers: 2 });
    const { events, result, answer } = await collect(moa);
    const residualId = result.trace.find((r) => r.role === 'residual')!.id;
    const firstAnswer = events.findIndex((e) => e.type === 'answer-token');
    const residualEnd = events.findIndex((e) => e.type === 'call-end' && e.record.id === residualId);
    expect(firstAnswer).toBeLessThan(residualEnd);
    expect(events.filter((e) => e.type === 'answer-token').length).toBeGreaterThan(10);
    expect(answer).toBe(long);
    expect(result.answer).toBe(long);
  });

  it('with one layer the aggregate streams; earlier calls never produce answer tokens', async () => {
    const { moa } = build([{ reply: 'one two three four five' }], { layers: 1 });
    const { events, result } = await collect(moa);
    const aggregateId = result.trace.find((r) => r.role === 'aggregate')!.id;
    const firstAnswer = events.findIndex((e) => e.type === 'answer-token');
    expect(events.slice(0, firstAnswer).some((e) => e.type === 'call-start' && e.call === aggregateId)).toBe(true);
    expect(events.filter((e) => e.type === 'answer-token').map((e) => (e as { token: string }).token)).toEqual(['one', ' two', ' three', ' four', ' five']);
  });
});

describe('early stop at the last layer', () => {
  it('similarity is not reported at the last layer (nothing is left to skip)', async () => {
    const { moa } = build([{ reply: 'the same synthesis' }], { residual: false, earlyStop: 'similarity', layers: 2, similarityThreshold: 0.5 });
    const { result } = await collect(moa);
    expect(result.layersRun).toBe(2);
    expect(result.earlyStop).toBeUndefined();
  });
});
