import { describe, expect, it } from 'vitest';
import { AttentionMoA, ScriptedEngine } from '@attention-moa/core';
import { messagesFor, newConversation, withTurn, type Conversation } from '../../../../demo/src/conversations/conversation.js';
import { packConversation, unpackConversation } from '../../../../demo/src/conversations/compact-trace.js';
import { DEFAULT_SETTINGS } from '../../../../demo/src/run/modes.js';

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}w${i}`).join(' ');

/** A conversation of `turns` real protocol runs (3 scripted agents, 2 layers), each prompted with the whole history. */
async function conversationOf(turns: number): Promise<Conversation> {
  const engine = (name: string) => new ScriptedEngine({
    rules: [
      { when: { role: 'critique' }, reply: `${name} on {target} (call {call}): ${words(30, 'c')}` },
      { reply: `${name} answers (call {call}, layer {layer}):\n\n${words(120, 'a')}\n\n- a point\n- another point` },
    ],
  });
  const agents = ['A', 'B', 'C'].map((name) => ({ name, engine: engine(name) }));
  const moa = new AttentionMoA({ agents, aggregator: { engine: engine('Z'), name: 'Z' }, layers: 2, earlyStop: 'off' });
  let conversation = newConversation(0);
  for (let i = 0; i < turns; i++) {
    const question = `Question ${i + 1}: ${words(20, `q${i}`)}?`;
    const result = await moa.complete(messagesFor(conversation, question));
    conversation = withTurn(conversation, {
      id: `t${i}`, question, askedAt: i + 1,
      ensemble: { agents: ['A', 'B', 'C'], aggregator: 'Z', settings: DEFAULT_SETTINGS, simulated: true },
      main: { mode: 'attention-moa', answer: result.answer, result, wallMs: 1 },
    });
  }
  return conversation;
}

const size = (value: unknown) => JSON.stringify(value).length;

describe('stored traces', () => {
  it('grow linearly with the conversation: 30 turns take about twice what 15 take, and a fraction of the unpacked size', async () => {
    const c30 = await conversationOf(30);
    const c15 = { ...c30, turns: c30.turns.slice(0, 15) }; // the same conversation 15 turns earlier
    const raw = { 15: size(c15), 30: size(c30) };
    const packed = { 15: size(packConversation(c15)), 30: size(packConversation(c30)) };
    // Unpacked, every call repeats the history (up to its context window) and lists every earlier turn the budget
    // dropped: faster than the turns (measured here: 4.4 MB for 15 turns, 12.8 MB for 30) …
    expect(raw[30] / raw[15]).toBeGreaterThan(2.6);
    // … packed, with the turns (0.63 MB, 1.4 MB; after the small-model prompts of #14 landed, raw 10.6 MB and packed
    // 1.36 MB for 30 turns: the prompts got shorter, the outputs did not).
    expect(packed[30] / packed[15]).toBeLessThan(2.3);
    expect(packed[30]).toBeLessThan(raw[30] / 7);
    // What one more turn costs: about the same at turn 30 as on average over the first 15.
    const perTurn = (packed[30] - packed[15]) / 15;
    expect(perTurn).toBeLessThan((packed[15] / 15) * 1.4);
  }, 60_000);

  it('are lossless: unpacking gives back every prompt, output and text', async () => {
    const c = await conversationOf(4);
    // A reply whose text differs from its output (a reasoning block stripped), and a failed run without a result.
    const call = c.turns[0]!.main.result!.trace[0]!;
    call.output = `<think>hidden\nreasoning</think>${call.text}`;
    c.turns.push({ ...c.turns[1]!, id: 'failed', main: { mode: 'single', answer: '', error: { name: 'AllAgentsFailedError', message: 'x' }, wallMs: 1 } });
    const stored = structuredClone(packConversation(c));
    expect(unpackConversation(stored)).toEqual(c);
  });

  it('conversations stored before packing are read as they are', () => {
    const legacy = withTurn(newConversation(0), { id: 't', question: 'q', askedAt: 1, ensemble: { agents: ['A'], aggregator: 'A', settings: DEFAULT_SETTINGS, simulated: true }, main: { mode: 'single', answer: 'a', wallMs: 1 } });
    expect(unpackConversation(legacy)).toBe(legacy);
  });
});
