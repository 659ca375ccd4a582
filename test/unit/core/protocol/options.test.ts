import { describe, expect, it } from 'vitest';
import { AttentionMoA, ConfigError, DEFAULTS, ScriptedEngine, type AttentionMoAOptions } from '@attention-moa/core';

const engine = () => new ScriptedEngine();
const base = (): AttentionMoAOptions => ({
  agents: [
    { name: 'A', engine: engine() },
    { name: 'B', engine: engine() },
  ],
  aggregator: { engine: engine() },
});

function rejects(options: unknown, field: string, message: RegExp) {
  let error: unknown;
  try {
    new AttentionMoA(options as AttentionMoAOptions);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a ConfigError for ${field}`).toBeInstanceOf(ConfigError);
  expect(error).toMatchObject({ code: 'CONFIG_INVALID', field, name: 'ConfigError' });
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).toContain(field ? `options.${field} ` : 'options must');
}

describe('AttentionMoA options', () => {
  it('rejects a topP outside (0, 1], naming the field and the range', () => {
    for (const topP of [0, 1.5, -1, '0.9']) rejects({ ...base(), topP }, 'topP', /above 0 and at most 1/);
    expect(new AttentionMoA({ ...base(), topP: 0.95 }).options.topP).toBe(0.95);
  });

  it('fills in the defaults (the paper protocol) and exposes them', () => {
    const moa = new AttentionMoA(base());
    expect(moa.options).toMatchObject({
      layers: 1,
      attention: 'full',
      residual: true,
      earlyStop: 'judge',
      similarityThreshold: 0.9,
      stopPhrase: DEFAULTS.stopPhrase,
      temperature: 0.7,
      concurrency: Infinity,
      maxTokens: DEFAULTS.maxTokens,
    });
    expect(moa.options.agents[0]).toMatchObject({ name: 'A', contextWindow: 4096, concurrency: 1, noSystemRole: false, temperature: 0.7 });
    expect(moa.options.aggregator.name).toBe('aggregator');
    // Every call gets a deadline unless the caller turns it off (see call-deadline.test.ts).
    expect(moa.options.callTimeoutMs).toBe('auto');
    expect(new AttentionMoA({ ...base(), callTimeoutMs: 'off' }).options.callTimeoutMs).toBeUndefined();
    expect(new AttentionMoA({ ...base(), callTimeoutMs: 90_000 }).options.callTimeoutMs).toBe(90_000);
  });

  it('an agent maxTokens caps its propose and refine answers, not its critiques', () => {
    const moa = new AttentionMoA({ ...base(), agents: [{ name: 'A', engine: engine(), maxTokens: 100 }], maxTokens: { critique: 50 } });
    expect(moa.options.agents[0]!.maxTokens).toEqual({ propose: 100, refine: 100, critique: 50 });
  });

  it('residual: false makes early stop default to off; an explicit judge without residual is rejected', () => {
    expect(new AttentionMoA({ ...base(), residual: false }).options.earlyStop).toBe('off');
    rejects({ ...base(), residual: false, earlyStop: 'judge' }, 'earlyStop', /needs residual: true/);
  });

  it('rejects missing or empty agents', () => {
    rejects({ aggregator: { engine: engine() } }, 'agents', /must be an array/);
    rejects({ ...base(), agents: [] }, 'agents', /is empty/);
    rejects({ ...base(), agents: 'A' }, 'agents', /must be an array/);
    rejects(null, '', /must be an object/);
  });

  it('rejects layers < 1 or non-integer', () => {
    rejects({ ...base(), layers: 0 }, 'layers', /whole number from 1 to 10, got 0/);
    rejects({ ...base(), layers: 1.5 }, 'layers', /whole number from 1 to 10, got 1.5/);
    rejects({ ...base(), layers: -2 }, 'layers', /got -2/);
    rejects({ ...base(), layers: '2' }, 'layers', /got "2"/);
    rejects({ ...base(), layers: NaN }, 'layers', /got NaN/);
  });

  it('rejects duplicate names, and an aggregator named like an agent', () => {
    rejects({ ...base(), agents: [{ name: 'A', engine: engine() }, { name: 'A', engine: engine() }] }, 'agents[1].name', /"A" is also the name of agents\[0\]/);
    rejects({ ...base(), aggregator: { engine: engine(), name: 'B' } }, 'aggregator.name', /also an agent's name/);
    rejects({ ...base(), agents: [{ engine: engine() }] }, 'agents[0].name', /is missing/);
    rejects({ ...base(), agents: [{ name: '  ', engine: engine() }] }, 'agents[0].name', /non-empty string/);
  });

  it('rejects a missing or non-engine engine, naming the agent', () => {
    rejects({ ...base(), agents: [{ name: 'A' }] }, 'agents[0].engine', /is missing: pass an engine with chat\.completions\.create/);
    rejects({ ...base(), agents: [{ name: 'A', engine: { chat: {} } }] }, 'agents[0].engine', /is not an engine/);
    rejects({ ...base(), aggregator: {} }, 'aggregator.engine', /is missing/);
    rejects({ agents: base().agents }, 'aggregator', /is missing/);
  });

  it('rejects an unknown topology or early-stop mode, listing the allowed values', () => {
    rejects({ ...base(), attention: 'star' }, 'attention', /one of 'full', 'self', 'ring', 'none', got "star"/);
    rejects({ ...base(), earlyStop: 'never' }, 'earlyStop', /one of 'judge', 'similarity', 'off'/);
  });

  it('rejects bad numbers with the allowed range', () => {
    rejects({ ...base(), similarityThreshold: 1.5 }, 'similarityThreshold', /from 0 to 1, got 1.5/);
    rejects({ ...base(), temperature: -1 }, 'temperature', /from 0 to 2/);
    rejects({ ...base(), agents: [{ name: 'A', engine: engine(), temperature: 3 }] }, 'agents[0].temperature', /from 0 to 2, got 3/);
    rejects({ ...base(), concurrency: 0 }, 'concurrency', /whole number ≥ 1/);
    rejects({ ...base(), callTimeoutMs: 0 }, 'callTimeoutMs', /> 0, 'auto' \(the default.*\) or 'off', got 0/);
    rejects({ ...base(), callTimeoutMs: 'none' as never }, 'callTimeoutMs', /or 'off', got "none"/);
    rejects({ ...base(), maxTokens: { critique: 0 } }, 'maxTokens.critique', /whole number ≥ 1/);
    rejects({ ...base(), agents: [{ name: 'A', engine: engine(), concurrency: 1.5 }] }, 'agents[0].concurrency', /whole number/);
  });

  it('rejects a context window too small for the answers it is explicitly asked for', () => {
    rejects({ ...base(), maxTokens: { propose: 512 }, agents: [{ name: 'A', engine: engine(), contextWindow: 512 }] }, 'agents[0].contextWindow', /\(512\).*maxTokens\.propose 512/);
    rejects({ ...base(), maxTokens: { aggregate: 768 }, aggregator: { engine: engine(), contextWindow: 800 } }, 'aggregator.contextWindow', /maxTokens\.aggregate 768/);
  });

  it('rejects unknown keys (typos) with the allowed list', () => {
    rejects({ ...base(), layer: 3 }, 'layer', /is not an option; allowed here: agents, aggregator, layers/);
    rejects({ ...base(), agents: [{ name: 'A', engine: engine(), modle: 'x' }] }, 'agents[0].modle', /is not an option/);
    rejects({ ...base(), maxTokens: { critic: 10 } }, 'maxTokens.critic', /allowed here: propose, critique/);
    rejects({ ...base(), prompts: { propose: 'text' } }, 'prompts.propose', /must be a function/);
    rejects({ ...base(), budget: { calls: 3 } }, 'budget.calls', /is not an option/);
  });

  it('rejects a stop phrase without letters and a call budget below one layer', () => {
    rejects({ ...base(), stopPhrase: '***' }, 'stopPhrase', /letters or digits/);
    rejects({ ...base(), budget: { maxCalls: 5 } }, 'budget.maxCalls', /less than the 9 calls of layer 1/);
  });
});

describe('AttentionMoA.plan()', () => {
  it('states agents, expected calls per the formula, and the critique pairs', () => {
    const moa = new AttentionMoA({ ...base(), layers: 3 });
    const plan = moa.plan();
    expect(plan).toMatchObject({ agents: ['A', 'B'], aggregator: 'aggregator', layers: 3, attention: 'full', residual: true, earlyStop: 'judge' });
    expect(plan.expectedCalls).toBe(3 * 9 + 2);
    expect(plan.callsPerLayer).toEqual([9, 10, 10]);
    expect(plan.critiques).toEqual([
      { critic: 'A', target: 'A' },
      { critic: 'A', target: 'B' },
      { critic: 'B', target: 'A' },
      { critic: 'B', target: 'B' },
    ]);
  });

  it('ring: each agent critiques its neighbour and itself', () => {
    const agents = ['A', 'B', 'C'].map((name) => ({ name, engine: engine() }));
    const plan = new AttentionMoA({ agents, aggregator: { engine: engine() }, attention: 'ring' }).plan();
    expect(plan.critiques.map((c) => `${c.critic}>${c.target}`)).toEqual(['A>A', 'A>B', 'B>B', 'B>C', 'C>A', 'C>C']);
    expect(plan.expectedCalls).toBe(3 + 6 + 3 + 1);
  });
});
