import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ScriptedRequest } from '@attention-moa/core';
import { scenarioFor } from '../../../../demo/src/simulation/scenarios.js';
import { Simulation } from '../../../../demo/src/simulation/simulated-agents.js';
import { EXAMPLE_PROMPTS } from '../../../../demo/src/examples.js';

const STOP = 'NO FURTHER IMPROVEMENT';
const req = (role: string, layer: number, agent: string, target?: string, prompt = 'user: question'): ScriptedRequest => ({
  params: { messages: [{ role: 'user', content: prompt }], stream: true },
  call: { role, layer, agent, target },
  prompt,
  callNumber: 1,
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
