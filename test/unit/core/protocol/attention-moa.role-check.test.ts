// What the protocol does with a call that did not do its role (see output-review.ts), on scripted engines.
import { describe, expect, it } from 'vitest';
import { AttentionMoA, ScriptedEngine, type ScriptRule } from '@attention-moa/core';

const engine = (rules: ScriptRule[] = []) =>
  new ScriptedEngine({
    rules: [...rules, { when: { role: 'critique' }, reply: '{agent} on {target}: correct; add a worked example.' }, { reply: '{agent} says the answer is four, because two and two make four.' }],
  });
const QUESTION = 'What is two plus two? Explain briefly.';

describe('role checks in a run', () => {
  it('a proposal that recites the question sits the layer out: no critiques of it, no refinement, not in the aggregate', async () => {
    const B = engine([{ when: { role: 'propose' }, reply: `${QUESTION} ${QUESTION} ${QUESTION}` }]);
    const Z = engine();
    const moa = new AttentionMoA({ agents: [{ name: 'A', engine: engine() }, { name: 'B', engine: B }], aggregator: { engine: Z, name: 'Z' }, earlyStop: 'off' });
    const result = await moa.complete(QUESTION);
    const proposal = result.trace.find((r) => r.role === 'propose' && r.agent === 'B')!;
    expect(proposal.roleCheck).toEqual({
      problems: [
        { kind: 'echo', note: 'repeats the question instead of doing its task' },
        { kind: 'loop', note: 'repeated itself (“What is two plus two? Explain briefly” 3 times in a row): the repeats were cut' },
      ],
      action: "left out of layer 1's critiques and aggregate (unless no agent had a usable answer)",
    });
    expect(result.trace.filter((r) => r.role === 'critique').map((r) => `${r.agent}>${r.target}`)).toEqual(['A>A']);
    expect(result.trace.filter((r) => r.role === 'refine').map((r) => r.agent)).toEqual(['A']);
    expect(Z.requests.find((q) => q.call?.role === 'aggregate')!.params.messages[0]!.content).not.toContain('<<<RESPONSE 2>>>');
    // B is not dropped: it answers again in the next run (or layer).
    expect(result.dropped).toEqual([]);
  });

  it('when every proposal is set aside, the layer uses them all rather than fail', async () => {
    const echo = () => engine([{ when: { role: 'propose' }, reply: `${QUESTION} ${QUESTION}` }]);
    const moa = new AttentionMoA({ agents: [{ name: 'A', engine: echo() }, { name: 'B', engine: echo() }], aggregator: { engine: engine(), name: 'Z' }, attention: 'none', earlyStop: 'off' });
    const result = await moa.complete(QUESTION);
    expect(result.answer).toBe('Z says the answer is four, because two and two make four.');
    expect(result.trace.filter((r) => r.role === 'propose').every((r) => r.roleCheck?.problems[0]?.kind === 'echo')).toBe(true);
  });

  it('a critique that recites its instructions is not passed on to the refinement', async () => {
    const A = engine([{ when: { role: 'critique', target: 'B' }, reply: 'To review an answer (your own or another assistant\'s), read it critically and write concrete suggestions, each with its reason, that would make it correct, sound and complete. Task: review the answer of B above.' }]);
    const B = engine();
    const moa = new AttentionMoA({ agents: [{ name: 'A', engine: A }, { name: 'B', engine: B }], aggregator: { engine: engine(), name: 'Z' }, earlyStop: 'off' });
    const result = await moa.complete(QUESTION);
    expect(result.trace.find((r) => r.role === 'critique' && r.agent === 'A' && r.target === 'B')!.roleCheck).toEqual({
      problems: [{ kind: 'echo', note: 'repeats its prompt (instructions or question) instead of doing its task' }],
      action: 'not passed on to the refinement',
    });
    // The whole prompt: since the KV-cache layout (#15) the suggestions are in the last user turn.
    const refinePrompt = B.requests.find((q) => q.call?.role === 'refine')!.params.messages.map((m) => m.content).join('\n\n');
    expect(refinePrompt).toContain('SUGGESTION 1 (from yourself)');
    expect(refinePrompt).not.toContain('from A)');
  });
});
