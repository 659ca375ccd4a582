import { describe, expect, it } from 'vitest';
import { allModes, plannedRuns } from '../../../eval/lib/modes.js';

describe('eval modes', () => {
  it('has each member alone, classic MoA and Attention-MoA full/ring × 1/2 layers', () => {
    const modes = allModes({ agents: ['s', 'g'], aggregator: 's' });
    expect(modes.map((m) => m.id)).toEqual(['single-s', 'single-g', 'classic-moa', 'amoa-full-1', 'amoa-full-2', 'amoa-ring-1', 'amoa-ring-2']);
    expect(modes.find((m) => m.id === 'single-g')!.run).toEqual({ agents: ['g'], aggregator: 'g', layers: 1, attention: 'none', residual: false, earlyStop: 'off' });
    expect(modes.find((m) => m.id === 'amoa-ring-2')!.run).toMatchObject({ agents: ['s', 'g'], layers: 2, attention: 'ring', residual: true, earlyStop: 'judge' });
  });

  it('with 2 agents, ring is full (same critique pairs) and 1 layer is the first layer of 2: one Attention-MoA run per question', () => {
    const plans = plannedRuns(allModes({ agents: ['s', 'g'], aggregator: 's' }));
    expect(plans.map((p) => p.run.id)).toEqual(['single-s', 'single-g', 'classic-moa', 'amoa-full-2']);
    expect(plans[3]!.reads).toEqual([
      { mode: 'amoa-full-1', layers: 1 },
      { mode: 'amoa-full-2', layers: 2 },
      { mode: 'amoa-ring-1', layers: 1, sameAs: 'amoa-full-1' },
      { mode: 'amoa-ring-2', layers: 2, sameAs: 'amoa-full-2' },
    ]);
  });

  it('with 3 agents ring and full differ, and each 1-layer mode is read from its own 2-layer run', () => {
    const plans = plannedRuns(allModes({ agents: ['a', 'b', 'c'], aggregator: 'a' }));
    expect(plans.map((p) => [p.run.id, p.reads.map((r) => r.mode)])).toEqual([
      ['single-a', ['single-a']],
      ['single-b', ['single-b']],
      ['single-c', ['single-c']],
      ['classic-moa', ['classic-moa']],
      ['amoa-full-2', ['amoa-full-1', 'amoa-full-2']],
      ['amoa-ring-2', ['amoa-ring-1', 'amoa-ring-2']],
    ]);
  });

  it('a 1-layer mode asked for alone is run as itself', () => {
    const one = allModes({ agents: ['s', 'g'], aggregator: 's' }).filter((m) => m.id === 'amoa-ring-1' || m.id === 'classic-moa');
    expect(plannedRuns(one).map((p) => p.run.id)).toEqual(['classic-moa', 'amoa-ring-1']);
  });
});
