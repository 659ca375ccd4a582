import { describe, expect, it } from 'vitest';
import { AttentionMoA, ScriptedEngine, type AttentionMoAEvent, type ChatEngine, type ChatMessage } from '@attention-moa/core';

/** Every call answers with a unique marker naming itself, so prompts can be checked for what they contain. */
const marker = '[{agent}:{role}:L{layer}:{target}]';
const engine = () => new ScriptedEngine({ rules: [{ reply: marker }] });

function setup(n = 3, layers = 2, extra: Partial<ConstructorParameters<typeof AttentionMoA>[0]> = {}) {
  const names = ['A', 'B', 'C', 'D'].slice(0, n);
  const engines = names.map(engine);
  const aggregator = engine();
  const moa = new AttentionMoA({
    agents: names.map((name, i) => ({ name, engine: engines[i]! })),
    aggregator: { engine: aggregator, name: 'Z' },
    layers,
    earlyStop: 'off',
    ...extra,
  });
  return { moa, engines, aggregator, names };
}

const promptOf = (e: ScriptedEngine, role: string, layer: number, target?: string) =>
  e.requests.find((q) => q.call?.role === role && q.call.layer === layer && (target === undefined || q.call.target === target))!.prompt;

describe('what each call sees', () => {
  it('refine prompts hold only the suggestions about that agent’s answer, never peers’ answers', async () => {
    const { moa, engines } = setup(3, 1);
    await moa.complete('Q?');
    const [a, b] = engines as [ScriptedEngine, ScriptedEngine];
    const refineB = promptOf(b, 'refine', 1);
    // All three suggestions about B (from A, from C, from itself), and B's own proposal.
    expect(refineB).toContain('[A:critique:L1:B]');
    expect(refineB).toContain('[C:critique:L1:B]');
    expect(refineB).toContain('[B:critique:L1:B]');
    expect(refineB).toContain('[B:propose:L1:]');
    // Nothing about other targets, and no peer's raw answer.
    expect(refineB).not.toMatch(/critique:L1:(A|C)\]/);
    expect(refineB).not.toContain('[A:propose');
    expect(refineB).not.toContain('[C:propose');
    // Suggestions are labelled by who made them; the self-suggestion as one's own.
    expect(refineB).toMatch(/SUGGESTION \d \(from A\)>>>\n\[A:critique:L1:B\]/);
    expect(refineB).toMatch(/SUGGESTION \d \(from yourself\)>>>\n\[B:critique:L1:B\]/);
    // A cross critique shows the critic its own answer and the target's; a self critique only its own.
    const crossAB = promptOf(a, 'critique', 1, 'B');
    expect(crossAB).toContain('[A:propose:L1:]');
    expect(crossAB).toContain('[B:propose:L1:]');
    expect(crossAB).not.toContain('[C:propose');
    const selfA = promptOf(a, 'critique', 1, 'A');
    expect(selfA).toContain('[A:propose:L1:]');
    expect(selfA).not.toMatch(/\[(B|C):propose/);
  });

  it('layer ≥ 2 proposers see only the previous layer’s output as reference', async () => {
    const { moa, engines, aggregator } = setup(3, 3);
    const result = await moa.complete('Q?');
    expect(result.layerOutputs).toEqual(['[Z:aggregate:L1:]', '[Z:residual:L2:]', '[Z:residual:L3:]']);
    for (const e of engines) {
      const l2 = promptOf(e, 'propose', 2);
      expect(l2).toContain('<<<REFERENCE RESPONSE>>>\n[Z:aggregate:L1:]');
      expect(l2).not.toMatch(/:(propose|critique|refine):L1/); // no layer-1 answer, critique or refinement
      const l3 = promptOf(e, 'propose', 3);
      expect(l3).toContain('[Z:residual:L2:]');
      expect(l3).not.toContain('[Z:aggregate:L1:]'); // not older layers either
      expect(l3).not.toContain('[Z:aggregate:L2:]'); // nor the aggregate the residual replaced
      expect(l3).not.toMatch(/:(propose|critique|refine):L2/);
    }
    // The aggregator synthesizes the refined answers; the residual call gets every round, numbered.
    const agg2 = promptOf(aggregator, 'aggregate', 2);
    for (const n of ['A', 'B', 'C']) expect(agg2).toContain(`[${n}:refine:L2:]`);
    expect(agg2).not.toContain(':propose:');
    const res3 = promptOf(aggregator, 'residual', 3);
    expect(res3).toContain('<<<ROUND 1>>>\n[Z:aggregate:L1:]');
    expect(res3).toContain('<<<ROUND 2>>>\n[Z:residual:L2:]');
    expect(res3).toContain('<<<ROUND 3 (CURRENT)>>>\n[Z:aggregate:L3:]');
  });

  it('multi-turn: earlier turns reach every role as history; the system prompt is merged into one', async () => {
    const { moa, engines, aggregator } = setup(2, 2);
    const conversation: ChatMessage[] = [
      { role: 'system', content: 'SYSTEM-PROMPT' },
      { role: 'user', content: 'EARLIER-QUESTION' },
      { role: 'assistant', content: 'EARLIER-ANSWER' },
      { role: 'user', content: 'CURRENT-QUESTION' },
    ];
    await moa.complete(conversation);
    const all = [...engines, aggregator].flatMap((e) => e.requests);
    expect(all.map((q) => q.call!.role).sort()).toEqual(
      [...'propose propose critique critique critique critique refine refine aggregate'.split(' '), ...'propose propose critique critique critique critique refine refine aggregate residual'.split(' ')].sort(),
    );
    for (const q of all) {
      const messages = q.params.messages;
      expect(messages.filter((m) => m.role === 'system')).toHaveLength(1);
      expect(messages[0]!.role).toBe('system');
      expect(messages[0]!.content).toContain('SYSTEM-PROMPT');
      expect(messages[1]).toEqual({ role: 'user', content: 'EARLIER-QUESTION' });
      expect(messages[2]).toEqual({ role: 'assistant', content: 'EARLIER-ANSWER' });
      expect(messages.at(-1)!.role).toBe('user');
      expect(messages.at(-1)!.content).toContain('CURRENT-QUESTION');
    }
  });

  it('models without a system role get the instructions in their first user turn', async () => {
    const plain = engine();
    const gemma = engine();
    const moa = new AttentionMoA({
      agents: [
        { name: 'A', engine: plain, system: 'PERSONA-A' },
        { name: 'G', engine: gemma, noSystemRole: true, system: 'PERSONA-G' },
      ],
      aggregator: { engine: gemma, noSystemRole: true },
    });
    await moa.complete([
      { role: 'user', content: 'EARLIER' },
      { role: 'assistant', content: 'REPLY' },
      { role: 'user', content: 'NOW' },
    ]);
    for (const q of gemma.requests) {
      expect(q.params.messages.some((m) => m.role === 'system')).toBe(false);
      expect(q.params.messages[0]!.role).toBe('user');
    }
    const gPropose = promptOf(gemma, 'propose', 1);
    expect(gPropose).toMatch(/^user: PERSONA-G\n\nEARLIER\nassistant: REPLY\nuser: NOW$/);
    expect(promptOf(gemma, 'aggregate', 1)).toMatch(/^user: You are given responses/);
    expect(promptOf(plain, 'propose', 1)).toMatch(/^system: PERSONA-A\nuser: EARLIER/);
  });

  it('reasoning blocks are stripped before outputs are passed on or shown', async () => {
    const thinker = new ScriptedEngine({ rules: [{ reply: '<think>SECRET-{role}</think>{agent}-{role}-visible' }] });
    const moa = new AttentionMoA({ agents: [{ name: 'A', engine: thinker }, { name: 'B', engine: engine() }], aggregator: { engine: thinker, name: 'Z' } });
    const events: AttentionMoAEvent[] = [];
    const result = await moa.complete('Q?', { onEvent: (e) => events.push(e) });
    expect(thinker.requests.every((q) => !q.prompt.includes('SECRET'))).toBe(true);
    expect(result.answer).toBe('Z-aggregate-visible');
    const answerTokens = events.flatMap((e) => (e.type === 'answer-token' ? [e.token] : []));
    expect(answerTokens.join('')).toBe('Z-aggregate-visible');
    expect(answerTokens.join('')).not.toContain('SECRET');
    const record = result.trace.find((r) => r.role === 'propose' && r.agent === 'A')!;
    expect(record.output).toBe('<think>SECRET-propose</think>A-propose-visible');
    expect(record.text).toBe('A-propose-visible');
  });

  it('custom templates replace the defaults and are checked', async () => {
    const { moa, engines } = setup(2, 1, { prompts: { propose: (ctx) => [{ role: 'user', content: `CUSTOM ${ctx.agent}: ${ctx.conversation.at(-1)!.content}` }] } });
    await moa.complete('Q?');
    expect(promptOf(engines[0]!, 'propose', 1)).toBe('user: CUSTOM A: Q?');
    const bad = setup(2, 1, { prompts: { critique: () => [{ role: 'assistant', content: 'x' }] } }).moa;
    await expect(bad.complete('Q?')).rejects.toMatchObject({ code: 'PROMPT_INVALID', message: expect.stringMatching(/prompts\.critique must end with a 'user' message/) });
  });

  it('passes each call’s identity, model, limits and temperature to the engine', async () => {
    const shared = engine();
    const moa = new AttentionMoA({
      agents: [
        { name: 'A', engine: shared, model: 'small-1', temperature: 0.2, maxTokens: 99 },
        { name: 'B', engine: shared, model: 'small-2' },
      ],
      aggregator: { engine: shared, model: 'small-1', temperature: 0.1 },
      maxTokens: { critique: 33, aggregate: 77 },
    });
    await moa.complete('Q?');
    const find = (role: string, agent: string, target?: string) =>
      shared.requests.find((q) => q.call?.role === role && q.call.agent === agent && (target === undefined || q.call.target === target))!;
    expect(find('propose', 'A').params).toMatchObject({ model: 'small-1', temperature: 0.2, max_tokens: 99, stream: true, stream_options: { include_usage: true } });
    expect(find('critique', 'A', 'B').params).toMatchObject({ model: 'small-1', max_tokens: 33 });
    expect(find('critique', 'A', 'B').call).toEqual({ role: 'critique', layer: 1, agent: 'A', target: 'B' });
    expect(find('propose', 'B').params).toMatchObject({ model: 'small-2', temperature: 0.7, max_tokens: 512 });
    expect(find('aggregate', 'aggregator').params).toMatchObject({ model: 'small-1', temperature: 0.1, max_tokens: 77 });
  });

  it('sends topP as top_p with every call, and no top_p when it is not set', async () => {
    const shared = engine();
    await new AttentionMoA({ agents: [{ name: 'A', engine: shared }], aggregator: { engine: shared }, topP: 0.9 }).complete('Q?');
    expect(shared.requests.length).toBeGreaterThan(1);
    expect(shared.requests.every((q) => q.params.top_p === 0.9)).toBe(true);
    const plain = engine();
    await new AttentionMoA({ agents: [{ name: 'A', engine: plain }], aggregator: { engine: plain } }).complete('Q?');
    expect(plain.requests.some((q) => 'top_p' in q.params)).toBe(false);
  });

  it('usage counts prompt tokens computed and reused from the KV cache separately, as engines report them', async () => {
    /** A scripted engine whose usage says its cache held the first 10 tokens of every prompt but the first. */
    const caching = (): ChatEngine => {
      const inner = engine();
      let calls = 0;
      return {
        chat: {
          completions: {
            async create(params, options) {
              const stream = await inner.chat.completions.create(params, options);
              const cached = calls++ === 0 ? 0 : 10;
              return (async function* () {
                for await (const chunk of stream) yield chunk.usage ? { ...chunk, usage: { ...chunk.usage, prompt_tokens_details: { cached_tokens: cached } } } : chunk;
              })();
            },
          },
        },
      };
    };
    const moa = new AttentionMoA({ agents: [{ name: 'A', engine: caching() }, { name: 'B', engine: engine() }], aggregator: { engine: caching() } });
    const result = await moa.complete('Q?');
    const reported = result.trace.reduce((sum, r) => sum + r.usage!.prompt_tokens, 0);
    // A made 4 calls (1 cold), the aggregator 1 (cold); B reports no cache.
    expect(result.usage).toMatchObject({ calls: 9, promptTokens: reported, reusedPromptTokens: 30, processedPromptTokens: reported - 30 });
  });
});
