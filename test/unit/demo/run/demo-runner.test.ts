import { describe, expect, it } from 'vitest';
import { AttentionMoA, DEFAULTS, type AttentionMoAEvent } from '@attention-moa/core';
import { DemoRunner, runMode, type RunnerContext } from '../../../../demo/src/run/demo-runner.js';
import type { ProtocolSettings, RunMode } from '../../../../demo/src/run/modes.js';
import { checkSampling, samplingOptions } from '../../../../demo/src/run/sampling.js';
import { simulationSession } from '../../../../demo/src/run/session.js';
import { scenarioFor } from '../../../../demo/src/simulation/scenarios.js';
import { EXAMPLE_PROMPTS } from '../../../../demo/src/examples.js';

const SKY = EXAMPLE_PROMPTS[0]!;

function context(settings: ProtocolSettings, mode: RunMode = 'attention-moa'): RunnerContext {
  const session = simulationSession({ agents: 3, aggregatorIndex: 0, speed: 'instant', stopPhrase: DEFAULTS.stopPhrase });
  return { session, create: (o) => new AttentionMoA(o), mode: () => mode, settings: () => settings };
}

describe('the simulation through the real protocol', () => {
  it('Attention-MoA, 3 layers, judge: the residual judge stops at layer 2 and the answer is layer 2’s aggregate', async () => {
    const run = await runMode(context({ layers: 3, attention: 'full', earlyStop: 'judge' }), 'attention-moa', [{ role: 'user', content: SKY }]);
    expect(run.error).toBeUndefined();
    const r = run.result!;
    expect(r.layersRun).toBe(2);
    expect(r.earlyStop).toMatchObject({ layer: 2, mode: 'judge' });
    // 16 calls per layer for n = 3 (3 propose + 9 critique + 3 refine + 1 aggregate) + 1 residual at layer 2.
    expect(r.usage.calls).toBe(33);
    expect(r.trace.filter((c) => c.role === 'critique' && c.layer === 1)).toHaveLength(9);
    expect(r.answer).toBe(scenarioFor(SKY).polished);
    // The critiques the UI shows are the scripted ones, e.g. B on A's ocean myth.
    const bOnA = r.trace.find((c) => c.role === 'critique' && c.layer === 1 && c.agent === 'Agent B' && c.target === 'Agent A')!;
    expect(bOnA.text).toContain('common myth');
  });

  it('classic MoA and a single model cost fewer calls on the same question', async () => {
    const settings: ProtocolSettings = { layers: 2, attention: 'full', earlyStop: 'judge' };
    const [attention, classic, single] = await Promise.all(
      (['attention-moa', 'classic-moa', 'single'] as const).map((m) => runMode(context(settings), m, [{ role: 'user', content: SKY }])),
    );
    expect(classic!.result!.usage.calls).toBe(8); // 2 layers × (3 propose + 1 aggregate)
    expect(classic!.result!.trace.some((c) => c.role === 'critique')).toBe(false);
    expect(classic!.answer).toBe(scenarioFor(SKY).classicAggregate);
    expect(single!.result!.usage.calls).toBe(1); // one agent, no critique: the protocol asks it once
    expect(single!.answer).toBe(scenarioFor(SKY).proposals[0]);
    expect(attention!.result!.usage.calls).toBeGreaterThan(classic!.result!.usage.calls);
  });

  it('passes the element’s history on, and reads the mode at each run', async () => {
    let mode: RunMode = 'classic-moa';
    const ctx = { ...context({ layers: 1, attention: 'full', earlyStop: 'off' }), mode: () => mode };
    const runner = new DemoRunner(ctx);
    const events: AttentionMoAEvent[] = [];
    for await (const e of runner.run([{ role: 'user', content: 'earlier q' }, { role: 'assistant', content: 'earlier a' }, { role: 'user', content: SKY }])) events.push(e);
    const done = events.find((e) => e.type === 'done');
    expect(done && done.type === 'done' && done.result.trace.some((c) => c.role === 'critique')).toBe(false);
    const propose = done && done.type === 'done' ? done.result.trace.find((c) => c.role === 'propose')! : undefined;
    expect(propose!.messages.map((m) => m.content).join('\n')).toContain('earlier a');
    mode = 'attention-moa';
    const second: AttentionMoAEvent[] = [];
    for await (const e of runner.run([{ role: 'user', content: SKY }])) second.push(e);
    const d2 = second.find((e) => e.type === 'done');
    expect(d2 && d2.type === 'done' && d2.result.trace.some((c) => c.role === 'critique')).toBe(true);
  });

  it('records a failed run with its error instead of throwing', async () => {
    const ctx = context({ layers: 1, attention: 'full', earlyStop: 'off' });
    const broken = { ...ctx, create: () => { throw Object.assign(new Error('no engines'), { code: 'X' }); } };
    const run = await runMode(broken, 'single', [{ role: 'user', content: 'q' }]);
    expect(run.error).toEqual({ name: 'Error', message: 'no engines', code: 'X' });
  });

  it('applies the system prompt and the sampling settings to every call', async () => {
    const sampling = { system: 'Answer in French.', temperature: 0.3, topP: 0.8, maxTokens: 200 };
    const ctx = { ...context({ layers: 1, attention: 'full', earlyStop: 'off' }), sampling: () => sampling };
    const run = await runMode(ctx, 'attention-moa', [{ role: 'user', content: SKY }]);
    const trace = run.result!.trace;
    expect(trace.every((c) => c.messages.some((m) => m.content.includes('Answer in French.')))).toBe(true);
    const agg = trace.find((c) => c.role === 'aggregate')!;
    expect(agg.messages.map((m) => m.content).join('\n')).toContain('Answer in French.');
  });

  it('checks the sampling settings, naming the field and the range', () => {
    expect(() => checkSampling({ temperature: 3 })).toThrow(/Temperature must be from 0 to 2, got 3/);
    expect(() => checkSampling({ topP: 0 })).toThrow(/Top-p must be above 0/);
    expect(() => checkSampling({ maxTokens: 5 })).toThrow(/from 16 to 2048, got 5/);
    expect(samplingOptions({ system: '', temperature: 0.2, topP: 1, maxTokens: 300 })).toEqual({ temperature: 0.2, maxTokens: { propose: 300, refine: 300, aggregate: 300, residual: 300 } });
    expect(samplingOptions({ system: '', temperature: 0.2, topP: 0.9, maxTokens: 1000 })).toMatchObject({ topP: 0.9, maxTokens: { propose: 512, aggregate: 1000 } });
  });
});
