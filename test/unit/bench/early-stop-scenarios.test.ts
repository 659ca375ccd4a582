import { describe, expect, it } from 'vitest';
import { similarity } from '@attention-moa/core';
import { SCENARIOS, runScenario } from '../../../bench/lib/early-stop-scenarios.js';

// Suite 5 measures savings on these scenarios; this proves they are what the suite says: answers that converge at
// layer 2 of 4 (a judge stop and a similarity stop at layer 2; all 4 layers without early stop).
describe.each(SCENARIOS)('bench early-stop scenario: $name', (scenario) => {
  it('layer 2 rewords layer 1 closely enough for the default similarity threshold, but not identically', () => {
    const value = similarity(scenario.merged, scenario.reworded);
    expect(value).toBeGreaterThanOrEqual(0.9);
    expect(value).toBeLessThan(1);
    expect(scenario.proposals).toHaveLength(scenario.agents);
  });

  it('off runs all 4 layers; judge and similarity stop at layer 2 with fewer calls and tokens', async () => {
    const off = await runScenario(scenario, 'off');
    expect(off).toMatchObject({ layersRun: 4 });
    expect(off.stopLayer).toBeUndefined();
    const judge = await runScenario(scenario, 'judge');
    expect(judge).toMatchObject({ layersRun: 2, stopLayer: 2, stopMode: 'judge' });
    const sim = await runScenario(scenario, 'similarity');
    expect(sim).toMatchObject({ layersRun: 2, stopLayer: 2, stopMode: 'similarity' });
    for (const run of [judge, sim]) {
      expect(run.calls).toBeLessThan(off.calls);
      expect(run.tokens).toBeLessThan(off.tokens);
    }
    // Deterministic: the same scenario gives the same counts again.
    expect(await runScenario(scenario, 'judge')).toEqual(judge);
  });
});
