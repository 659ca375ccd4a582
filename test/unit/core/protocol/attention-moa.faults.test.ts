import { describe, expect, it } from 'vitest';
import {
  AllAgentsFailedError,
  AttentionMoA,
  AttentionMoAError,
  ScriptedEngine,
  type AttentionMoAEvent,
  type AttentionMoAOptions,
  type ChatEngine,
  type ScriptRule,
} from '@attention-moa/core';

const ok = (rules: ScriptRule[] = [], extra = {}) => new ScriptedEngine({ rules: [...rules, { reply: '{agent} {role} L{layer}{targetSuffix}' }], ...extra });

async function collect(moa: AttentionMoA, messages: string = 'Q?') {
  const events: AttentionMoAEvent[] = [];
  let result;
  let error: AttentionMoAError | undefined;
  try {
    result = await moa.complete(messages, { onEvent: (e) => events.push(e) });
  } catch (e) {
    error = e as AttentionMoAError;
  }
  const answerTokens = () => {
    const reset = events.map((e) => e.type).lastIndexOf('answer-reset');
    return events.slice(reset + 1).flatMap((e) => (e.type === 'answer-token' ? [e.token] : [])).join('');
  };
  return { events, result: result!, error, answerTokens };
}

function three(engines: { A?: ScriptedEngine; B?: ScriptedEngine; C?: ScriptedEngine; Z?: ScriptedEngine }, options: Partial<AttentionMoAOptions> = {}) {
  const e = { A: engines.A ?? ok(), B: engines.B ?? ok(), C: engines.C ?? ok(), Z: engines.Z ?? ok() };
  const moa = new AttentionMoA({
    agents: (['A', 'B', 'C'] as const).map((name) => ({ name, engine: e[name] })),
    aggregator: { engine: e.Z, name: 'Z' },
    earlyStop: 'off',
    ...options,
  });
  return { moa, ...e };
}

describe('dropped agents', () => {
  it('an agent whose proposal fails is dropped for the rest of the run; survivors go on', async () => {
    const { moa, B } = three({ B: ok([{ when: { role: 'propose', layer: 1 }, fault: { kind: 'throw', atToken: 1, name: 'DeviceLostError', message: 'GPU gone' } }]) }, { layers: 2 });
    const { events, result } = await collect(moa);
    expect(result.dropped).toEqual([{ agent: 'B', layer: 1, role: 'propose', reason: 'DeviceLostError: GPU gone' }]);
    expect(events.filter((e) => e.type === 'agent-dropped')).toEqual([{ type: 'agent-dropped', dropped: result.dropped[0] }]);
    const failed = result.trace.find((r) => r.agent === 'B')!;
    expect(failed).toMatchObject({ role: 'propose', finishReason: 'error', error: { name: 'DeviceLostError', message: 'GPU gone' }, output: 'B' });
    // No call involves B after its failure; the critique matrices hold survivors only.
    expect(B.requests).toHaveLength(1);
    expect(result.trace.filter((r) => r.target === 'B')).toEqual([]);
    for (const layer of [1, 2]) {
      expect(result.trace.filter((r) => r.layer === layer && r.role === 'critique').map((r) => `${r.agent}>${r.target}`).sort()).toEqual(['A>A', 'A>C', 'C>A', 'C>C']);
    }
    const aggregate = result.trace.find((r) => r.role === 'aggregate' && r.layer === 1)!;
    expect(aggregate.messages[0]!.content).toContain('A refine L1');
    expect(aggregate.messages[0]!.content).toContain('C refine L1');
    expect(aggregate.messages[0]!.content).not.toContain('B ');
    expect(result.answer).toBe('Z residual L2');
  });

  it('a single dropped critic does not take its target down', async () => {
    // C fails while critiquing B (its second critique); its critique of A had finished.
    const { moa, C } = three({ C: ok([{ when: { role: 'critique', target: 'B' }, fault: { kind: 'throw', atToken: 0, message: 'critic crashed' } }]) });
    const { result } = await collect(moa);
    expect(result.dropped).toEqual([{ agent: 'C', layer: 1, role: 'critique', reason: 'ScriptedFault: critic crashed' }]);
    expect(C.requests.map((q) => `${q.call!.role}>${q.call!.target ?? ''}`)).toEqual(['propose>', 'critique>A', 'critique>B']); // C>C skipped
    const refines = result.trace.filter((r) => r.role === 'refine');
    expect(refines.map((r) => r.agent).sort()).toEqual(['A', 'B']);
    const refineB = refines.find((r) => r.agent === 'B')!.messages.at(-1)!.content;
    expect(refineB).toContain('A critique L1, on B');
    expect(refineB).toContain('B critique L1, on B');
    // C's completed suggestion about A still counts; C itself does not refine or reach the aggregate.
    expect(refines.find((r) => r.agent === 'A')!.messages.at(-1)!.content).toContain('C critique L1, on A');
    const aggregate = result.trace.find((r) => r.role === 'aggregate')!.messages[0]!.content;
    expect(aggregate).toContain('A refine L1');
    expect(aggregate).toContain('B refine L1');
    expect(aggregate).not.toContain('C refine');
  });

  it('a call that exceeds callTimeoutMs is stopped and its agent dropped', async () => {
    const A = ok([{ when: { role: 'propose' }, fault: { kind: 'hang', atToken: 1 } }]);
    const B = ok([{ when: { role: 'refine' }, fault: { kind: 'slow', tokenDelayMs: 10_000 } }]);
    const { moa } = three({ A, B }, { callTimeoutMs: 150 });
    const { result } = await collect(moa);
    expect(result.dropped.map((d) => [d.agent, d.role])).toEqual([
      ['A', 'propose'],
      ['B', 'refine'],
    ]);
    expect(result.dropped[0]!.reason).toMatch(/callTimeoutMs \(150 ms\)/);
    const timedOut = result.trace.filter((r) => r.finishReason === 'timeout');
    expect(timedOut.map((r) => r.agent).sort()).toEqual(['A', 'B']);
    expect(timedOut[0]!.error).toMatchObject({ name: 'CallTimeoutError', code: 'CALL_TIMEOUT' });
    expect(A.inFlight).toBe(0);
    expect(B.inFlight).toBe(0);
    expect(result.answer).toBe('Z aggregate L1');
  });

  it('an empty proposal drops the agent; an empty critique gives no suggestion; an empty refinement keeps the previous answer', async () => {
    const A = ok([{ when: { role: 'critique', target: 'B' }, fault: { kind: 'empty' } }]);
    const B = ok([{ when: { role: 'refine' }, reply: '<think>only thinking, cut off by max_tokens' }]);
    const C = ok([{ when: { role: 'propose' }, fault: { kind: 'empty' } }]);
    const { moa, Z } = three({ A, B, C });
    const { result } = await collect(moa);
    expect(result.dropped).toEqual([{ agent: 'C', layer: 1, role: 'propose', reason: expect.stringMatching(/EmptyOutputError: the model returned no text/) }]);
    const emptyCritique = result.trace.find((r) => r.agent === 'A' && r.target === 'B')!;
    expect(emptyCritique).toMatchObject({ text: '', finishReason: 'stop', roleCheck: { problems: [{ kind: 'empty' }], action: 'not passed on to the refinement' } });
    expect(emptyCritique.error).toBeUndefined();
    // B stays in the run with its proposal: the refinement's record says why.
    const emptyRefine = result.trace.find((r) => r.agent === 'B' && r.role === 'refine')!;
    expect(emptyRefine).toMatchObject({ text: '', roleCheck: { problems: [{ kind: 'empty', note: 'the output is empty' }], action: 'kept the previous answer' } });
    const aggregate = Z.requests.find((q) => q.call?.role === 'aggregate')!;
    expect(aggregate.params.messages[0]!.content).toContain('B propose L1');
  });

  it('engine failures of every shape become named reasons (WebLLM worker strings, non-streams)', async () => {
    const rejectsWithString: ChatEngine = { chat: { completions: { create: () => Promise.reject('DeviceLostError: The WebGPU device was lost') } } };
    const notAStream: ChatEngine = { chat: { completions: { create: () => Promise.resolve({ choices: [] } as never) } } };
    const moa = new AttentionMoA({
      agents: [
        { name: 'W', engine: rejectsWithString },
        { name: 'N', engine: notAStream },
        { name: 'A', engine: ok() },
      ],
      aggregator: { engine: ok() },
    });
    const { result } = await collect(moa);
    expect(result.dropped).toEqual([
      { agent: 'W', layer: 1, role: 'propose', reason: 'DeviceLostError: The WebGPU device was lost' },
      { agent: 'N', layer: 1, role: 'propose', reason: expect.stringMatching(/did not return an async iterable/) },
    ]);
  });

  it('an engine that stops its own stream (finish_reason abort) fails the call', async () => {
    const A = ok([{ when: { role: 'propose' }, reply: 'a b c d e f g h', tokenDelayMs: 20 }]);
    const { moa } = three({ A });
    setTimeout(() => A.interruptGenerate(), 50);
    const { result } = await collect(moa);
    expect(result.dropped[0]).toMatchObject({ agent: 'A', role: 'propose', reason: expect.stringMatching(/finish_reason "abort"/) });
  });
});

describe('aggregator fallback', () => {
  it('a failing aggregator is replaced by the first surviving agent, for the rest of the run, and the event says so', async () => {
    const Z = ok([{ when: { role: 'aggregate' }, fault: { kind: 'throw', message: 'aggregator OOM' } }]);
    const { moa, A } = three({ Z }, { layers: 2 });
    const { events, result, answerTokens } = await collect(moa);
    expect(result.aggregatorFallback).toEqual({ from: 'Z', to: 'A', reason: 'ScriptedFault: aggregator OOM' });
    expect(events.filter((e) => e.type === 'aggregator-fallback')).toEqual([{ type: 'aggregator-fallback', from: 'Z', to: 'A', reason: 'ScriptedFault: aggregator OOM' }]);
    const aggregatorCalls = result.trace.filter((r) => r.role === 'aggregate' || r.role === 'residual').map((r) => `${r.role}${r.layer}:${r.agent}:${r.finishReason}`);
    expect(aggregatorCalls).toEqual(['aggregate1:Z:error', 'aggregate1:A:stop', 'aggregate2:A:stop', 'residual2:A:stop']);
    expect(A.requests.filter((q) => q.call!.role === 'aggregate')).toHaveLength(2);
    expect(result.dropped).toEqual([]);
    expect(result.answer).toBe('A residual L2');
    expect(answerTokens()).toBe(result.answer);
  });

  it('a final aggregate that fails mid-stream resets the streamed answer before the stand-in answers', async () => {
    const Z = ok([{ when: { role: 'aggregate' }, reply: 'half of an answer that breaks', fault: { kind: 'throw', atToken: 3 } }]);
    const { moa } = three({ Z });
    const { events, result, answerTokens } = await collect(moa);
    const types = events.map((e) => e.type);
    const reset = types.indexOf('answer-reset');
    expect(reset).toBeGreaterThan(types.indexOf('answer-token'));
    expect(events.slice(0, reset).flatMap((e) => (e.type === 'answer-token' ? [e.token] : [])).join('')).toBe('half of an');
    expect(answerTokens()).toBe('A aggregate L1');
    expect(result.answer).toBe('A aggregate L1');
  });

  it('a failing stand-in is dropped and the next survivor stands in', async () => {
    const Z = ok([{ when: { role: 'aggregate' }, fault: { kind: 'throw', message: 'Z down' } }]);
    const A = ok([{ when: { role: 'aggregate' }, fault: { kind: 'throw', message: 'A down' } }]);
    const { moa } = three({ Z, A });
    const { events, result } = await collect(moa);
    expect(events.filter((e) => e.type === 'aggregator-fallback').map((e) => e.type === 'aggregator-fallback' && `${e.from}>${e.to}`)).toEqual(['Z>A', 'A>B']);
    expect(result.dropped).toEqual([{ agent: 'A', layer: 1, role: 'aggregate', reason: 'failed standing in for the aggregator: ScriptedFault: A down' }]);
    expect(result.aggregatorFallback).toEqual({ from: 'Z', to: 'B', reason: 'ScriptedFault: Z down' });
    expect(result.answer).toBe('B aggregate L1');
  });
});

describe('when nothing can answer', () => {
  it('every agent failing rejects with ALL_AGENTS_FAILED carrying the partial trace', async () => {
    const broken = () => ok([{ fault: { kind: 'throw', message: 'broken' } }]);
    const { moa } = three({ A: broken(), B: broken(), C: broken() });
    const { events, error } = await collect(moa);
    expect(error).toBeInstanceOf(AllAgentsFailedError);
    expect(error).toMatchObject({ name: 'AllAgentsFailedError', code: 'ALL_AGENTS_FAILED' });
    expect(error!.message).toMatch(/No agent is left to answer \(layer 1, propose\)/);
    expect(error!.trace.map((r) => `${r.agent}:${r.finishReason}`).sort()).toEqual(['A:error', 'B:error', 'C:error']);
    expect(error!.dropped.map((d) => d.agent).sort()).toEqual(['A', 'B', 'C']);
    expect(events.at(-1)).toEqual({ type: 'error', error });
  });

  it('the aggregator and every stand-in failing rejects, with the trace of all the work done', async () => {
    const failAggregate = () => ok([{ when: { role: 'aggregate' }, fault: { kind: 'throw', message: 'no' } }]);
    const { moa } = three({ A: failAggregate(), B: failAggregate(), C: failAggregate(), Z: failAggregate() });
    const { error } = await collect(moa);
    expect(error).toMatchObject({ code: 'ALL_AGENTS_FAILED' });
    expect(error!.trace).toHaveLength(15 + 4); // the layer's 15 agent calls, then 4 failed aggregates
    expect(error!.trace.filter((r) => r.role === 'aggregate').map((r) => r.agent)).toEqual(['Z', 'A', 'B', 'C']);
  });
});

describe('context budgets in a run', () => {
  const longReply = Array.from({ length: 380 }, (_, i) => `w${i}`).join(' ');

  it('long references are shortened to fit, the trace records the cuts, and no engine ever overflows', async () => {
    const windowed = (rules: ScriptRule[] = []) => ok([...rules, { when: { role: ['propose', 'refine'] }, reply: longReply }], { contextWindow: 1500 });
    const engines = { A: windowed(), B: windowed(), C: windowed(), Z: ok([], { contextWindow: 1500 }) };
    const { moa } = three(engines, {
      agents: (['A', 'B', 'C'] as const).map((name) => ({ name, engine: engines[name], contextWindow: 1500 })),
      aggregator: { engine: engines.Z, name: 'Z', contextWindow: 1500 },
      maxTokens: { propose: 400, refine: 400, critique: 100, aggregate: 400, residual: 400 },
    });
    const { events, result } = await collect(moa);
    expect(result.dropped).toEqual([]);
    const aggregate = result.trace.find((r) => r.role === 'aggregate')!;
    expect(aggregate.cuts.map((c) => c.part)).toEqual(['answer of A', 'answer of B', 'answer of C']);
    expect(aggregate.promptTokens).toBeLessThanOrEqual(1500 - 400);
    expect(aggregate.messages[0]!.content).toMatch(/tokens cut here to fit the context window/);
    const start = events.find((e) => e.type === 'call-start' && e.call === aggregate.id);
    expect(start).toMatchObject({ cuts: aggregate.cuts, promptTokens: aggregate.promptTokens });
    // Every prompt plus its answer fit its window: the engines, which reject overflow like WebLLM, never failed.
    const reserved = { propose: 400, refine: 400, critique: 100, aggregate: 400, residual: 400 };
    for (const r of result.trace) {
      expect(r.error).toBeUndefined();
      expect(r.promptTokens + reserved[r.role]).toBeLessThanOrEqual(1500);
    }
    expect(result.trace.filter((r) => r.role === 'critique').some((r) => r.cuts.length > 0)).toBe(true);
  });

  it('a prompt that cannot fit drops that agent with the sizes, without calling its engine', async () => {
    const tiny = ok();
    const { moa } = three({}, {
      agents: [
        { name: 'A', engine: ok() },
        { name: 'T', engine: tiny, contextWindow: 700, maxTokens: 600 },
      ],
    });
    const { result } = await collect(moa, 'word '.repeat(200));
    expect(result.dropped).toEqual([
      { agent: 'T', layer: 1, role: 'propose', reason: expect.stringMatching(/ContextOverflowError: The propose prompt of "T" \(layer 1\) cannot fit.*needs \d+ tokens, but only 100 are available \(context window 700 − 600/) },
    ]);
    expect(tiny.requests).toHaveLength(0);
    expect(result.trace.find((r) => r.agent === 'T')).toMatchObject({ finishReason: 'error', error: { code: 'CONTEXT_OVERFLOW' }, messages: [] });
  });
});

describe('model queues', () => {
  it('agents on one engine and model never overlap; on different models they may', async () => {
    const shared = ok([], { tokenDelayMs: 2 });
    const same = new AttentionMoA({
      agents: [
        { name: 'A', engine: shared, model: 'm' },
        { name: 'B', engine: shared, model: 'm' },
      ],
      aggregator: { engine: shared, model: 'm' },
    });
    await same.complete('Q?');
    expect(shared.maxInFlight).toBe(1);
    const multi = ok([], { tokenDelayMs: 2 });
    await new AttentionMoA({
      agents: [
        { name: 'A', engine: multi, model: 'm1' },
        { name: 'B', engine: multi, model: 'm2' },
      ],
      aggregator: { engine: multi, model: 'm1' },
    }).complete('Q?');
    expect(multi.maxInFlight).toBe(2);
  });

  it('an aggregator on an agent’s engine and model waits its turn behind that agent', async () => {
    const A = ok([], { tokenDelayMs: 2 });
    const moa = new AttentionMoA({ agents: [{ name: 'A', engine: A }, { name: 'B', engine: ok() }], aggregator: { engine: A } });
    const { result } = await collect(moa);
    expect(A.maxInFlight).toBe(1);
    const aggregate = result.trace.find((r) => r.role === 'aggregate')!;
    const lastOfA = Math.max(...result.trace.filter((r) => r.agent === 'A').map((r) => r.endedAt));
    expect(aggregate.startedAt).toBeGreaterThanOrEqual(lastOfA);
  });

  it('concurrency > 1 lets a batching engine take several requests at once; the global cap bounds all calls', async () => {
    const server = ok([], { tokenDelayMs: 3 });
    await new AttentionMoA({ agents: [{ name: 'A', engine: server, concurrency: 3 }, { name: 'B', engine: ok() }, { name: 'C', engine: ok() }], aggregator: { engine: ok() } }).complete('Q?');
    expect(server.maxInFlight).toBe(3); // A's three critiques at once

    const engines = [ok([], { tokenDelayMs: 2 }), ok([], { tokenDelayMs: 2 }), ok([], { tokenDelayMs: 2 })];
    const capped = new AttentionMoA({ agents: engines.map((engine, i) => ({ name: `N${i}`, engine })), aggregator: { engine: ok() }, concurrency: 2 });
    let running = 0;
    let most = 0;
    await capped.complete('Q?', {
      onEvent: (e) => {
        if (e.type === 'call-start') most = Math.max(most, ++running);
        if (e.type === 'call-end') running--;
      },
    });
    expect(most).toBe(2);
  });
});
