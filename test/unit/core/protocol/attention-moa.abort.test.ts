import { describe, expect, it } from 'vitest';
import { AbortError, AttentionMoA, MessagesError, ScriptedEngine, type AttentionMoAEvent, type ChatCompletionChunk, type ChatEngine } from '@attention-moa/core';

/** Hangs every call of the first run (after one token), then answers normally: `times` uses up the fault. */
const hangingOnce = (calls: number) =>
  new ScriptedEngine({ rules: [{ fault: { kind: 'hang', atToken: 1 }, reply: 'stuck here forever', times: calls }, { reply: '{agent} {role} L{layer}' }] });

function setup(engines: ChatEngine[], aggregator: ChatEngine) {
  return new AttentionMoA({ agents: engines.map((engine, i) => ({ name: `N${i}`, engine })), aggregator: { engine: aggregator }, layers: 2, earlyStop: 'off' });
}

/** Starts a run, aborts it once `when` says so, and measures the time from abort() to the run's last event. */
async function abortDuring(moa: AttentionMoA, when: (e: AttentionMoAEvent) => boolean) {
  const controller = new AbortController();
  const events: AttentionMoAEvent[] = [];
  let abortedAt = 0;
  for await (const event of moa.run('Q?', { signal: controller.signal })) {
    events.push(event);
    if (!abortedAt && when(event)) {
      // Abort from outside the event loop turn, as a UI button would.
      setTimeout(() => {
        abortedAt = performance.now();
        controller.abort(new Error('user pressed stop'));
      }, 20);
    }
  }
  const latency = performance.now() - abortedAt;
  return { events, latency, last: events.at(-1)! };
}

describe('abort', () => {
  it('stops hanging calls everywhere within 100 ms, with an AbortError carrying the partial trace; the engines then serve a second run', async () => {
    const engines = [hangingOnce(1), hangingOnce(1), hangingOnce(1)];
    const aggregator = new ScriptedEngine();
    const moa = setup(engines, aggregator);
    let started = 0;
    const { events, latency, last } = await abortDuring(moa, (e) => e.type === 'call-start' && ++started === 3);
    expect(latency).toBeLessThan(100);
    expect(last.type).toBe('error');
    const error = (last as { error: AbortError }).error;
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ name: 'AbortError', code: 'ABORTED' });
    expect((error.cause as Error).message).toBe('user pressed stop');
    expect(error.trace.map((r) => [r.agent, r.role, r.finishReason, r.output])).toEqual([
      ['N0', 'propose', 'abort', 'stuck'],
      ['N1', 'propose', 'abort', 'stuck'],
      ['N2', 'propose', 'abort', 'stuck'],
    ]);
    expect(events.filter((e) => e.type === 'call-end')).toHaveLength(3);
    expect(events.some((e) => e.type === 'done')).toBe(false);
    await new Promise((r) => setTimeout(r, 10));
    for (const engine of engines) expect(engine.inFlight).toBe(0);

    const second = await moa.complete('Q again?');
    expect(second.trace).toHaveLength(2 * 16 + 1);
    expect(second.answer).toMatch(/^aggregator \(residual, layer 2\)/);
    expect(second.dropped).toEqual([]);
    for (const engine of engines) expect(engine.maxInFlight).toBe(1);
  });

  it('stops calls waiting in a model queue too (an agent’s later critiques never start)', async () => {
    const critic = new ScriptedEngine({ rules: [{ when: { role: 'critique' }, fault: { kind: 'hang', atToken: 0 } }, { reply: 'ok' }] });
    const moa = setup([critic, new ScriptedEngine(), new ScriptedEngine()], new ScriptedEngine());
    const { latency, last } = await abortDuring(moa, (e) => e.type === 'call-start' && e.role === 'critique' && e.agent === 'N0');
    expect(latency).toBeLessThan(100);
    expect(last).toMatchObject({ type: 'error', error: { code: 'ABORTED' } });
    expect(critic.requests.filter((q) => q.call!.role === 'critique')).toHaveLength(1); // N0>N1 and N0>N2 never started
    expect(critic.inFlight).toBe(0);
  });

  it('also stops engines that ignore the AbortSignal (WebLLM), through interruptGenerate', async () => {
    let interrupts = 0;
    let wake: (() => void) | undefined;
    const deaf: ChatEngine = {
      chat: {
        completions: {
          async create() {
            return (async function* (): AsyncGenerator<ChatCompletionChunk> {
              yield { id: 'x', object: 'chat.completion.chunk', created: 0, model: 'deaf', choices: [{ index: 0, delta: { content: 'tok' }, finish_reason: null }] };
              await new Promise<void>((resolve) => (wake = resolve)); // ignores every signal
            })();
          },
        },
      },
      interruptGenerate: () => {
        interrupts++;
        wake?.();
      },
    };
    const moa = setup([deaf, new ScriptedEngine()], new ScriptedEngine());
    const { latency, last } = await abortDuring(moa, (e) => e.type === 'call-token' && e.agent === 'N0');
    expect(latency).toBeLessThan(100);
    expect(last).toMatchObject({ type: 'error', error: { name: 'AbortError' } });
    expect(interrupts).toBe(1);
  });

  it('two runs at once on the same engines (two instances): stopping one leaves the other whole', async () => {
    // Engines that take several requests at once (the scripted engine, an OpenAI server): interruptGenerate()
    // would end both runs' streams, so only the aborted run's signals stop its calls.
    const slow = () => new ScriptedEngine({ tokenDelayMs: 3 });
    const engines = [slow(), slow(), slow()];
    const aggregator = slow();
    const first = setup(engines, aggregator);
    const second = setup(engines, aggregator);
    const whole = first.complete('Q?');
    let started = 0;
    const { last } = await abortDuring(second, (e) => e.type === 'call-start' && ++started === 2);
    expect(last).toMatchObject({ type: 'error', error: { code: 'ABORTED' } });
    const result = await whole;
    expect(result.dropped).toEqual([]);
    expect(result.trace.every((r) => r.finishReason === 'stop' && !r.error)).toBe(true);
    expect(result.trace).toHaveLength(2 * 16 + 1);
  });

  it('an engine that ignores signals (WebLLM) shared by two runs is not interrupted for one of them; alone, it is', async () => {
    let interrupts = 0;
    const deaf: ChatEngine = {
      chat: { completions: { create: (params, options) => new ScriptedEngine({ tokenDelayMs: 3 }).chat.completions.create(params, { ...options, signal: undefined } as never) } } as ChatEngine['chat'],
      interruptGenerate: () => void interrupts++,
    };
    const first = setup([deaf, new ScriptedEngine()], new ScriptedEngine());
    const second = setup([deaf, new ScriptedEngine()], new ScriptedEngine());
    const whole = first.complete('Q?');
    await abortDuring(second, (e) => e.type === 'call-token' && e.agent === 'N0');
    expect((await whole).dropped).toEqual([]);
    expect(interrupts).toBe(0);
    await abortDuring(second, (e) => e.type === 'call-token' && e.agent === 'N0');
    expect(interrupts).toBe(1);
  });

  it('an already aborted signal fails the run at once, with no call made', async () => {
    const engine = new ScriptedEngine();
    const moa = setup([engine], engine);
    await expect(moa.complete('Q?', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError', code: 'ABORTED', trace: [] });
    expect(engine.callCount).toBe(0);
  });

  it('leaving the loop early aborts the run and frees the engines', async () => {
    const slow = new ScriptedEngine({ tokenDelayMs: 5, rules: [{ reply: 'a b c d e f g h i j k l m n o p' }] });
    const moa = setup([slow, new ScriptedEngine({ tokenDelayMs: 5 })], new ScriptedEngine());
    for await (const event of moa.run('Q?')) {
      if (event.type === 'call-token') break;
    }
    await new Promise((r) => setTimeout(r, 30));
    expect(slow.inFlight).toBe(0);
    const calls = slow.callCount;
    await new Promise((r) => setTimeout(r, 50));
    expect(slow.callCount).toBe(calls);
  });

  it('bad messages are rejected at once, naming the problem', () => {
    const moa = setup([new ScriptedEngine()], new ScriptedEngine());
    expect(() => moa.run([])).toThrow(MessagesError);
    expect(() => moa.run('  ')).toThrow(/empty string/);
    expect(() => moa.run([{ role: 'assistant', content: 'hi' }])).toThrow(/messages\[0\] must be the user's question/);
    expect(() => moa.run([{ role: 'user', content: 'a' }, { role: 'system', content: 's' }, { role: 'user', content: 'b' }])).toThrow(/messages\[1\] is a system message after the conversation began/);
    expect(() => moa.run([{ role: 'tool', content: 'x' } as never])).toThrow(/messages\[0\]\.role must be 'system', 'user' or 'assistant'/);
    expect(() => moa.run([{ role: 'user', content: [{ type: 'text', text: 'x' }] } as never])).toThrow(/messages\[0\]\.content must be a string/);
    expect(() => moa.run('Q?', { signal: {} as AbortSignal })).toThrow(/signal must be an AbortSignal/);
  });
});

describe('abort while measuring prompts', () => {
  it('a tokenizer that never answers does not hold up an abort', async () => {
    const engine = new ScriptedEngine();
    const stuck = { chat: engine.chat, countTokens: () => new Promise<number>(() => {}) } as ChatEngine;
    const moa = new AttentionMoA({ agents: [{ name: 'S', engine: stuck }], aggregator: { engine: new ScriptedEngine() } });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 30);
    await expect(moa.complete('Q?', { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(performance.now() - started).toBeLessThan(30 + 100);
    expect(engine.callCount).toBe(0);
  });
});
