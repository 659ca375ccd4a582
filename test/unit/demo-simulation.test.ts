import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ScriptedRequest } from '@attention-moa/core';
import { checkSettings, optionsForMode, DEFAULT_SETTINGS } from '../../demo/src/run/modes.js';
import { SCENARIOS, scenarioFor } from '../../demo/src/simulation/scenarios.js';
import { Simulation } from '../../demo/src/simulation/simulated-agents.js';
import { EXAMPLE_PROMPTS } from '../../demo/src/examples.js';

const STOP = 'NO FURTHER IMPROVEMENT';
const req = (role: string, layer: number, agent: string, target?: string, prompt = 'user: question'): ScriptedRequest => ({
  params: { messages: [{ role: 'user', content: prompt }], stream: true },
  call: { role, layer, agent, target },
  prompt,
  callNumber: 1,
});

describe('simulation scenarios', () => {
  it('every example prompt has its own hand-written scenario', () => {
    expect(EXAMPLE_PROMPTS.map((p) => scenarioFor(p).id)).toEqual(['sky', 'dedupe', 'remote']);
    expect(scenarioFor('What is the capital of Peru?').id).toBe('generic');
  });

  it('critiques look like critiques: they name a problem or confirm, and give a reason', () => {
    for (const s of SCENARIOS) {
      for (const [i, row] of s.critiques.entries()) {
        for (const [j, text] of row.entries()) {
          if (i === j) expect(text, `${s.id} self ${i}`).toMatch(/^Self-check:/);
          else expect(text, `${s.id} ${i}→${j}`).toMatch(/Reason:|Suggest/);
        }
      }
    }
  });

  it('the generic scenario quotes the question and says it is scripted', () => {
    const s = scenarioFor('How do tides work?');
    expect(s.proposals.every((p) => p.includes('Simulated'))).toBe(true);
    expect(s.aggregate).toContain('How do tides work?');
  });
});

describe('Simulation', () => {
  const sim = new Simulation({ agents: 3, speed: 'instant', stopPhrase: STOP });
  sim.prepare(EXAMPLE_PROMPTS[0]!, 'attention-moa');
  const sky = scenarioFor(EXAMPLE_PROMPTS[0]!);

  it('answers each protocol step from the script, by role, layer, agent and target', () => {
    expect(sim.reply(req('propose', 1, 'Agent B'))).toBe(sky.proposals[1]);
    expect(sim.reply(req('critique', 1, 'Agent B', 'Agent A'))).toBe(sky.critiques[1][0]);
    expect(sim.reply(req('critique', 1, 'Agent C', 'Agent C'))).toBe(sky.critiques[2][2]);
    expect(sim.reply(req('refine', 1, 'Agent A'))).toBe(sky.refined[0]);
    expect(sim.reply(req('aggregate', 1, 'Agent A'))).toBe(sky.aggregate);
    expect(sim.reply(req('critique', 2, 'Agent A', 'Agent B'))).toBe(sky.lateCritique);
    expect(sim.reply(req('aggregate', 2, 'Agent A'))).toBe(sky.polished);
  });

  it('the residual judge answers the stop phrase at layer 2 only when the prompt asks for it', () => {
    expect(sim.reply(req('residual', 2, 'Agent A', undefined, `Reply only "${STOP}" if the last round did not improve.`))).toBe(STOP);
    expect(sim.reply(req('residual', 2, 'Agent A', undefined, 'Synthesize the rounds.'))).toBe(sky.polished);
  });

  it('answers in the shape of the mode: a single model’s own answer, classic MoA’s merge of raw answers', () => {
    sim.prepare(EXAMPLE_PROMPTS[0]!, 'single');
    expect(sim.reply(req('aggregate', 1, 'Agent A'))).toBe(sky.proposals[0]);
    sim.prepare(EXAMPLE_PROMPTS[0]!, 'classic-moa');
    expect(sim.reply(req('aggregate', 1, 'Agent A'))).toBe(sky.classicAggregate);
    sim.prepare(EXAMPLE_PROMPTS[0]!, 'attention-moa');
  });

  it('streams the scripted reply through a real ScriptedEngine with usage', async () => {
    const engine = sim.engines[1]!;
    const stream = await engine.chat.completions.create(
      { messages: [{ role: 'user', content: 'q' }], stream: true, stream_options: { include_usage: true } },
      { call: { role: 'propose', layer: 1, agent: 'Agent B' } } as never,
    );
    let text = '';
    let usage: ChatCompletionChunk['usage'];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(sky.proposals[1]);
    expect(usage?.completion_tokens).toBeGreaterThan(20);
  });

  it('rejects a bad agent count or speed with a message naming the field', () => {
    expect(() => new Simulation({ agents: 0, speed: 'instant', stopPhrase: STOP })).toThrow(/agents must be a whole number from 1 to 5/);
    expect(() => new Simulation({ agents: 2, speed: 'warp' as never, stopPhrase: STOP })).toThrow(/speed must be one of gpu, laptop, instant/);
  });
});

describe('modes', () => {
  const sim = new Simulation({ agents: 3, speed: 'instant', stopPhrase: STOP });
  const agents = sim.agents();

  it('single model: the aggregator’s agent alone, one layer, no critique', () => {
    const o = optionsForMode('single', agents, 'Agent B', { layers: 3, attention: 'full', earlyStop: 'judge' });
    expect(o.agents.map((a) => a.name)).toEqual(['Agent B']);
    expect(o).toMatchObject({ layers: 1, attention: 'none', residual: false, earlyStop: 'off' });
    expect(o.aggregator.engine).toBe(agents[1]!.engine);
  });

  it('classic MoA: every agent, the chosen layers, no critique, no residual', () => {
    const o = optionsForMode('classic-moa', agents, 'Agent A', { layers: 2, attention: 'ring', earlyStop: 'judge' });
    expect(o.agents).toHaveLength(3);
    expect(o).toMatchObject({ layers: 2, attention: 'none', residual: false, earlyStop: 'off' });
  });

  it('Attention-MoA: the settings as chosen, with residual', () => {
    const o = optionsForMode('attention-moa', agents, 'Agent A', { layers: 3, attention: 'ring', earlyStop: 'similarity' }, { stopPhrase: STOP });
    expect(o).toMatchObject({ layers: 3, attention: 'ring', residual: true, earlyStop: 'similarity', stopPhrase: STOP });
  });

  it('reject an aggregator that is not an agent, and bad settings, naming the field', () => {
    expect(() => optionsForMode('single', agents, 'Agent Z', DEFAULT_SETTINGS)).toThrow(/aggregator "Agent Z" is not one of the agents/);
    expect(() => checkSettings({ layers: 0 })).toThrow(/Layers must be a whole number from 1 to 4/);
    expect(() => checkSettings({ layers: 1.5 })).toThrow(/Layers/);
    expect(() => checkSettings({ attention: 'star' as never })).toThrow(/Attention topology must be one of full, ring, self, none/);
    expect(() => checkSettings({ earlyStop: 'maybe' as never })).toThrow(/Early stop must be one of judge, similarity, off/);
    expect(checkSettings({ layers: 1 })).toEqual({ ...DEFAULT_SETTINGS, layers: 1 });
  });
});
