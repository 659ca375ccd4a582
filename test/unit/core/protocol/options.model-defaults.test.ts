import { describe, expect, it } from 'vitest';
import { AttentionMoA, DEFAULTS, ScriptedEngine, defaultMaxTokens, type ChatEngine } from '@attention-moa/core';

// Defaults that fit the model: the window and the system role come from what the engine reports for its loaded model
// (an EnginePool engine after load(): llama.cpp's n_ctx and the GGUF's chat template, WebLLM's context_window_size),
// and the token caps of roles not set by hand scale with that window.

/** A scripted engine reporting model facts, as a pool engine does once its model is loaded. */
const reporting = (facts: { contextWindow?: unknown; noSystemRole?: unknown }): ChatEngine => Object.assign(new ScriptedEngine(), facts) as ChatEngine;

describe('token caps scaled to the context window', () => {
  it('keeps the 4k defaults for 4k windows and larger, and scales them down in proportion below', () => {
    expect(defaultMaxTokens(4096)).toEqual(DEFAULTS.maxTokens);
    expect(defaultMaxTokens(32768)).toEqual(DEFAULTS.maxTokens);
    expect(defaultMaxTokens(2048)).toEqual({ propose: 256, critique: 64, refine: 256, aggregate: 384, residual: 384 });
    expect(defaultMaxTokens(768)).toEqual({ propose: 96, critique: 24, refine: 96, aggregate: 144, residual: 144 });
    expect(defaultMaxTokens(100)).toEqual({ propose: 16, critique: 16, refine: 16, aggregate: 18, residual: 18 });
  });

  it('a 1k–2k window model is never asked for more than leaves room for a prompt', () => {
    for (const window of [1024, 1536, 2048]) {
      const caps = defaultMaxTokens(window);
      // Every aggregate prompt holds the answers it combines: two answers and the aggregate's own reply fit with room to spare.
      expect(2 * caps.propose + caps.aggregate).toBeLessThanOrEqual(window / 2);
      const moa = new AttentionMoA({ agents: [{ name: 'A', engine: reporting({ contextWindow: window }) }], aggregator: { engine: reporting({ contextWindow: window }) } });
      expect(moa.options.agents[0]!.maxTokens).toEqual({ propose: caps.propose, critique: caps.critique, refine: caps.refine });
      expect(moa.options.maxTokens).toMatchObject({ aggregate: caps.aggregate, residual: caps.residual });
    }
  });
});

describe('window and system role from the engine', () => {
  it('takes each model\'s window and system role from its engine, per agent and for the aggregator', () => {
    const moa = new AttentionMoA({
      agents: [
        { name: 'Smol', engine: reporting({ contextWindow: 8192, noSystemRole: false }) },
        { name: 'Gemma', engine: reporting({ contextWindow: 768, noSystemRole: true }) },
      ],
      aggregator: { engine: reporting({ contextWindow: 1024, noSystemRole: true }) },
    });
    const [smol, gemma] = moa.options.agents;
    expect([smol!.contextWindow, smol!.noSystemRole, gemma!.contextWindow, gemma!.noSystemRole]).toEqual([8192, false, 768, true]);
    expect(smol!.maxTokens).toEqual({ propose: 512, critique: 128, refine: 512 });
    expect(gemma!.maxTokens).toEqual({ propose: 96, critique: 24, refine: 96 });
    expect(moa.options.aggregator).toMatchObject({ contextWindow: 1024, noSystemRole: true });
    expect(moa.options.maxTokens).toMatchObject({ aggregate: 192, residual: 192 });
  });

  it('lets the options win over the engine, and caps given by hand win over the scaled defaults', () => {
    const small = reporting({ contextWindow: 768, noSystemRole: true });
    const moa = new AttentionMoA({
      agents: [{ name: 'A', engine: small, contextWindow: 2048, noSystemRole: false, maxTokens: 300 }],
      aggregator: { engine: small },
      maxTokens: { critique: 40, residual: 100 },
    });
    expect(moa.options.agents[0]).toMatchObject({ contextWindow: 2048, noSystemRole: false, maxTokens: { propose: 300, refine: 300, critique: 40 } });
    expect(moa.options.maxTokens).toMatchObject({ aggregate: 144, residual: 100, critique: 40 });
  });

  it('uses 4096 and a system role when the engine reports nothing usable', () => {
    for (const facts of [{}, { contextWindow: 0, noSystemRole: 'yes' }, { contextWindow: Number.NaN }, { contextWindow: '2048' }]) {
      const moa = new AttentionMoA({ agents: [{ name: 'A', engine: reporting(facts) }], aggregator: { engine: reporting(facts) } });
      expect(moa.options.agents[0]).toMatchObject({ contextWindow: 4096, noSystemRole: false, maxTokens: { propose: 512, critique: 128, refine: 512 } });
      expect(moa.options.maxTokens).toEqual(DEFAULTS.maxTokens);
    }
  });
});
