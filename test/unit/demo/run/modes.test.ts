import { describe, expect, it } from 'vitest';
import { AttentionMoA } from '@attention-moa/core';
import { checkSettings, optionsForMode, DEFAULT_SETTINGS } from '../../../../demo/src/run/modes.js';
import { Simulation } from '../../../../demo/src/simulation/simulated-agents.js';

const STOP = 'NO FURTHER IMPROVEMENT';

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

  it('every mode\'s calls get the default deadline from the models\' measured speed (a hung model cannot stall a question)', () => {
    for (const mode of ['single', 'classic-moa', 'attention-moa'] as const) {
      expect(new AttentionMoA(optionsForMode(mode, agents, 'Agent A', DEFAULT_SETTINGS)).options.callTimeoutMs).toBe('auto');
    }
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
