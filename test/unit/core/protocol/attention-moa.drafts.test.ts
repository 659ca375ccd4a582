import { describe, expect, it } from 'vitest';
import {
  AttentionMoA,
  ConfigError,
  ScriptedEngine,
  type AttentionMoAEvent,
  type AttentionMoAOptions,
  type ScriptRule,
} from '@attention-moa/core';

/** A scripted agent: replies name the call, 3 ms per token after `firstTokenDelayMs` (who writes first). */
const agent = (firstTokenDelayMs: number, rules: ScriptRule[] = [], tokenDelayMs = 3) =>
  new ScriptedEngine({ rules: [...rules, { reply: '{agent} {role} L{layer}{targetSuffix} one two three' }], tokenDelayMs, firstTokenDelayMs });

type Draft = Extract<AttentionMoAEvent, { type: 'draft-start' | 'draft-token' | 'draft-end' }>;

async function run(options: Partial<AttentionMoAOptions> & { speeds?: [number, number, number] } = {}) {
  const { speeds = [60, 0, 30], ...rest } = options;
  const moa = new AttentionMoA({
    agents: (['A', 'B', 'C'] as const).map((name, i) => ({ name, engine: agent(speeds[i]!) })),
    aggregator: { engine: agent(0), name: 'Z' },
    earlyStop: 'off',
    ...rest,
  });
  const events: AttentionMoAEvent[] = [];
  const result = await moa.complete('Q?', { onEvent: (e) => events.push(e) });
  const drafts = events.filter((e): e is Draft => e.type.startsWith('draft-'));
  /** Each draft: its source and its tokens joined, with its end. */
  const byDraft = [...new Set(drafts.map((d) => d.draft))].map((id) => {
    const mine = drafts.filter((d) => d.draft === id);
    const start = mine.find((d) => d.type === 'draft-start') as Extract<Draft, { type: 'draft-start' }>;
    const end = mine.find((d) => d.type === 'draft-end') as Extract<Draft, { type: 'draft-end' }> | undefined;
    const text = mine.flatMap((d) => (d.type === 'draft-token' ? [d.token] : [])).join('');
    return { id, source: start.source, text, end, tokens: mine.filter((d) => d.type === 'draft-token').length };
  });
  const indexOf = (predicate: (e: AttentionMoAEvent) => boolean) => events.findIndex(predicate);
  return { events, result, drafts, byDraft, indexOf };
}

const callEndOf = (role: string, agent: string, layer = 1) => (e: AttentionMoAEvent) =>
  e.type === 'call-end' && e.record.role === role && e.record.agent === agent && e.record.layer === layer;

describe('drafts: a progressive answer before the final one', () => {
  it('by default the first proposal to write streams live as a draft, then the aggregate answers and replaces it', async () => {
    const { events, result, drafts, byDraft, indexOf } = await run();
    // B writes fastest: its proposal is the draft, token by token, while it is still being written.
    expect(byDraft).toHaveLength(1);
    const [first] = byDraft;
    const proposalB = result.trace.find((r) => r.role === 'propose' && r.agent === 'B')!;
    expect(first!.source).toEqual({ role: 'propose', layer: 1, agent: 'B', call: proposalB.id });
    expect(first!.text).toBe(proposalB.text);
    expect(first!.end).toMatchObject({ status: 'done', text: proposalB.text, final: false });
    expect(first!.tokens).toBeGreaterThan(3);
    expect(indexOf((e) => e.type === 'draft-token')).toBeLessThan(indexOf(callEndOf('propose', 'B')));
    for (const d of drafts) expect(d.final).toBe(false);
    // The draft comes long before the answer; nothing of it after the first answer token.
    const firstAnswer = indexOf((e) => e.type === 'answer-token');
    expect(indexOf((e) => e.type === 'draft-start')).toBeLessThan(indexOf(callEndOf('propose', 'A')));
    expect(events.slice(firstAnswer).some((e) => e.type.startsWith('draft-'))).toBe(false);
    expect(result.answer).toBe('Z aggregate L1 one two three');
  });

  it("'first-finished' shows the first proposal to complete, whole, once it is done", async () => {
    const { result, byDraft, indexOf } = await run({ drafts: { first: 'first-finished' }, speeds: [0, 80, 40] });
    expect(byDraft).toHaveLength(1);
    const proposalA = result.trace.find((r) => r.role === 'propose' && r.agent === 'A')!;
    expect(byDraft[0]).toMatchObject({ source: { role: 'propose', agent: 'A', call: proposalA.id }, text: proposalA.text, tokens: 1, end: { status: 'done' } });
    expect(indexOf((e) => e.type === 'draft-start')).toBeGreaterThan(indexOf(callEndOf('propose', 'A')));
    expect(indexOf((e) => e.type === 'draft-start')).toBeLessThan(indexOf(callEndOf('propose', 'C')));
  });

  it('a named agent’s proposal streams live even when another writes first', async () => {
    const { byDraft } = await run({ drafts: { first: { agent: 'C' } }, speeds: [0, 10, 40] });
    expect(byDraft).toHaveLength(1);
    expect(byDraft[0]!.source.agent).toBe('C');
    expect(byDraft[0]!.tokens).toBeGreaterThan(3);
  });

  it('over several layers each layer’s output before the last replaces the draft: aggregates live, residuals whole', async () => {
    const { result, byDraft } = await run({ layers: 3 });
    expect(byDraft.map((d) => `${d.source.role} L${d.source.layer} ${d.source.agent}`)).toEqual([
      'propose L1 B',
      'aggregate L1 Z',
      'aggregate L2 Z',
      'residual L2 Z',
      'aggregate L3 Z',
    ]);
    expect(byDraft.map((d) => d.id)).toEqual([1, 2, 3, 4, 5]);
    for (const d of byDraft) expect(d.end).toMatchObject({ status: 'done', text: d.text });
    // Each draft is the call it names; the residual of layer 2 is layer 2's output.
    for (const d of byDraft) expect(d.text).toBe(result.trace.find((r) => r.id === d.source.call)!.text);
    expect(byDraft[3]!.text).toBe(result.layerOutputs[1]);
    expect(byDraft[1]!.tokens).toBeGreaterThan(3); // live
    expect(byDraft[3]!.tokens).toBe(1); // whole
    expect(result.answer).toBe('Z residual L3 one two three');
  });

  it('a draft whose call fails ends as failed, and the first proposal that completed stands in', async () => {
    // B writes first but slowly and fails at its 6th token; C, then A, start later and finish before that.
    const late = (firstTokenDelayMs: number) =>
      new ScriptedEngine({ rules: [{ reply: '{agent} {role} L{layer}{targetSuffix} one two three' }], tokenDelayMs: 1, firstTokenDelayMs });
    const moa = new AttentionMoA({
      agents: [
        { name: 'A', engine: late(60) },
        { name: 'B', engine: agent(0, [{ when: { role: 'propose' }, fault: { kind: 'throw', atToken: 6, message: 'boom' } }], 15) },
        { name: 'C', engine: late(30) },
      ],
      aggregator: { engine: agent(0), name: 'Z' },
      earlyStop: 'off',
    });
    const events: AttentionMoAEvent[] = [];
    const result = await moa.complete('Q?', { onEvent: (e) => events.push(e) });
    const drafts = events.filter((e): e is Draft => e.type.startsWith('draft-'));
    const starts = drafts.filter((d) => d.type === 'draft-start') as Extract<Draft, { type: 'draft-start' }>[];
    const ends = drafts.filter((d) => d.type === 'draft-end') as Extract<Draft, { type: 'draft-end' }>[];
    expect(starts.map((s) => s.source.agent)).toEqual(['B', 'C']);
    // What was shown of B's proposal before it failed.
    expect(ends[0]).toMatchObject({ draft: 1, status: 'failed', text: result.trace.find((r) => r.agent === 'B')!.output.trim() });
    expect(ends[1]).toMatchObject({ draft: 2, status: 'done', text: result.trace.find((r) => r.role === 'propose' && r.agent === 'C')!.text });
    expect(result.dropped.map((d) => d.agent)).toEqual(['B']);
  });

  it('a proposal its review sets aside (it recites the question) ends its draft as failed; a usable one stands in', async () => {
    const question = 'What is two plus two? Explain briefly.';
    const moa = new AttentionMoA({
      agents: [
        { name: 'A', engine: new ScriptedEngine({ rules: [{ when: { role: 'propose' }, reply: `${question} ${question} ${question}` }, { reply: 'x y' }], tokenDelayMs: 1 }) },
        { name: 'B', engine: new ScriptedEngine({ rules: [{ reply: 'B says four, since two and two make four.' }], tokenDelayMs: 1, firstTokenDelayMs: 20 }) },
      ],
      aggregator: { engine: agent(0), name: 'Z' },
      earlyStop: 'off',
    });
    const events: AttentionMoAEvent[] = [];
    await moa.complete(question, { onEvent: (e) => events.push(e) });
    const drafts = events.filter((e): e is Extract<Draft, { type: 'draft-start' | 'draft-end' }> => e.type === 'draft-start' || e.type === 'draft-end');
    expect(drafts.map((d) => (d.type === 'draft-start' ? `start ${d.source.agent}` : `end ${d.status}`))).toEqual(['start A', 'end failed', 'start B', 'end done']);
  });

  it('reasoning blocks never show in a draft', async () => {
    const moa = new AttentionMoA({
      agents: [
        { name: 'A', engine: new ScriptedEngine({ rules: [{ when: { role: 'propose' }, reply: '<think>secret plan</think> the visible answer' }, { reply: 'x y' }], tokenize: 'chars' }) },
        { name: 'B', engine: agent(20) },
      ],
      aggregator: { engine: agent(0), name: 'Z' },
      attention: 'none',
    });
    const events: AttentionMoAEvent[] = [];
    await moa.complete('Q?', { onEvent: (e) => events.push(e) });
    const text = events.flatMap((e) => (e.type === 'draft-token' ? [e.token] : [])).join('');
    expect(text).toBe('the visible answer');
    expect(events.find((e) => e.type === 'draft-start')).toMatchObject({ source: { agent: 'A' } });
  });

  it('classic MoA (attention none) drafts a proposal too; a single model and drafts: false have none', async () => {
    expect((await run({ attention: 'none' })).byDraft.map((d) => d.source.role)).toEqual(['propose']);
    expect((await run({ drafts: false, layers: 2 })).drafts).toEqual([]);
    expect((await run({ drafts: { layers: false }, layers: 2 })).byDraft.map((d) => d.source.role)).toEqual(['propose']);
    const single = new AttentionMoA({ agents: [{ name: 'S', engine: agent(0) }], aggregator: { engine: agent(0) }, attention: 'none' });
    const events: AttentionMoAEvent[] = [];
    await single.complete('Q?', { onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.type.startsWith('draft-'))).toBe(false);
    expect(events.some((e) => e.type === 'answer-token')).toBe(true);
  });

  it('bad draft options name the field and what is allowed', () => {
    const base = { agents: [{ name: 'A', engine: agent(0) }], aggregator: { engine: agent(0) } };
    expect(() => new AttentionMoA({ ...base, drafts: { first: { agent: 'Q' } } })).toThrow(ConfigError);
    expect(() => new AttentionMoA({ ...base, drafts: { first: { agent: 'Q' } } })).toThrow(/drafts\.first\.agent.*must name one of the agents \('A'\)/);
    expect(() => new AttentionMoA({ ...base, drafts: { first: 'fastest' as never } })).toThrow(/drafts\.first.*'first-token', 'first-finished' or \{ agent/);
    expect(() => new AttentionMoA({ ...base, drafts: 'on' as never })).toThrow(/drafts.*must be true, false or \{ first\?, layers\? \}/);
    expect(() => new AttentionMoA({ ...base, drafts: { live: true } as never })).toThrow(/drafts\.live.*is not an option/);
  });
});
