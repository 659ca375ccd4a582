import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioFor } from '../../../../demo/src/simulation/scenarios.js';
import { EXAMPLE_PROMPTS } from '../../../../demo/src/examples.js';

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
