import { describe, expect, it } from 'vitest';
import { ScriptedEngine } from '@attention-moa/core';
import { aggregatorFor, chooseRunner, loadRequestFor, runnerInputProblems } from '../../../packages/element/src/runner-choice.js';
import { AttentionMoAElementError } from '../../../packages/element/src/errors.js';
import type { Settings } from '../../../packages/element/src/settings.js';

const engine = new ScriptedEngine({ fallback: 'ok' });
const settings = (over: Partial<Settings> = {}): Settings => ({ models: [], remote: [], protocol: {}, drafts: true, math: true, ...over });
const noLoad = async () => {
  throw new Error('must not load');
};

describe('which runner answers', () => {
  it('the moa property first, then the agents, then the models (loaded only then)', async () => {
    const moa = { run: async function* () {} };
    expect(await chooseRunner({ moa, agents: [{ name: 'A', engine }], aggregator: undefined, options: undefined, settings: settings() }, noLoad)).toBe(moa);
    const fromAgents = await chooseRunner({ moa: undefined, agents: [{ name: 'A', engine }], aggregator: undefined, options: undefined, settings: settings({ models: ['m-MLC'] }) }, noLoad);
    expect(typeof fromAgents.run).toBe('function');
    let loads = 0;
    await chooseRunner({ moa: undefined, agents: undefined, aggregator: undefined, options: undefined, settings: settings({ models: ['m-MLC'] }) }, async () => {
      loads++;
      return { agents: [{ name: 'M', engine }], aggregator: { name: 'M (aggregator)', engine } };
    });
    expect(loads).toBe(1);
  });

  it('with nothing to answer with, names the attribute and properties to set', async () => {
    const error = await chooseRunner({ moa: undefined, agents: undefined, aggregator: undefined, options: undefined, settings: settings() }, noLoad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttentionMoAElementError);
    expect((error as AttentionMoAElementError).problem).toMatchObject({ code: 'no-engines', nextStep: expect.stringContaining('models="…"') });
  });

  it('the aggregator: as given, the named agent, or the first; an unknown name lists the agents', () => {
    const agents = [{ name: 'A', engine, model: 'a-MLC' }, { name: 'B', engine }];
    expect(aggregatorFor(agents, undefined)).toEqual({ name: 'A (aggregator)', engine, model: 'a-MLC' });
    expect(aggregatorFor(agents, 'B')).toEqual({ name: 'B (aggregator)', engine });
    expect(aggregatorFor(agents, 'a-MLC').name).toBe('A (aggregator)');
    const given = { name: 'Judge', engine };
    expect(aggregatorFor(agents, given)).toBe(given);
    expect(() => aggregatorFor(agents, 'C')).toThrow(/No agent is named "C"/);
  });

  it('asks the loader for the models with only the settings that were set', () => {
    expect(loadRequestFor(settings({ models: ['a-MLC'] }), undefined)).toEqual({ models: ['a-MLC'] });
    expect(loadRequestFor(settings({ models: ['a-MLC', 'b-MLC'], memoryBudgetBytes: 2e9, protocol: { layers: 2, attention: 'ring' } }), 'b-MLC')).toEqual({
      models: ['a-MLC', 'b-MLC'], aggregator: 'b-MLC', memoryBudgetBytes: 2e9, layers: 2, attention: 'ring',
    });
  });
});

describe('problems with the moa, agents and aggregator properties', () => {
  it('names the property, what is wrong and the fix', () => {
    const problems = runnerInputProblems({
      moa: {} as never,
      agents: [{ name: 'A', engine }, { name: 'A', engine: {} as never }, { name: '', engine }],
      aggregator: { name: 'J', engine: {} as never },
    });
    expect(problems.map((p) => [p.field, p.message])).toEqual([
      ['moa', 'The moa property has no run() method'],
      ['agents', 'agents[1].name "A" is used twice'],
      ['agents', 'agents[1].engine has no chat.completions.create()'],
      ['agents', 'agents[2].name must be a non-empty string'],
      ['aggregator', 'aggregator.engine has no chat.completions.create()'],
    ]);
    expect(problems.every((p) => p.code === 'invalid-attribute' && p.nextStep.length > 0)).toBe(true);
    expect(runnerInputProblems({ moa: undefined, agents: [] as never, aggregator: undefined })[0]!.message).toMatch(/non-empty array/);
    expect(runnerInputProblems({ moa: undefined, agents: [{ name: 'A', engine }], aggregator: 'A' })).toEqual([]);
  });
});
