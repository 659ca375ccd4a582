import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../../packages/core/src/engine/errors.js';
import { validateEngineSpec, absoluteAppConfig } from '../../../../packages/core/src/runtime/engine-spec.js';

describe('validateEngineSpec', () => {
  const bad = (spec: unknown) => {
    try {
      validateEngineSpec('k', spec);
    } catch (error) {
      return error as RuntimeError;
    }
    throw new Error('expected BAD_SPEC');
  };
  it('accepts the three kinds and rejects bad specs naming the key and field', () => {
    validateEngineSpec('a', { kind: 'webllm', model: 'Qwen2.5-0.5B-Instruct' });
    validateEngineSpec('b', { kind: 'scripted', script: { rules: [{ reply: 'x' }] }, vramMB: 10, loadMs: 5 });
    validateEngineSpec('c', { kind: 'wllama', model: '/m.gguf' });
    expect(bad(null).message).toMatch(/^models\["k"\]\.kind: expected an object/);
    expect(bad({ kind: 'gpt' }).message).toContain('"webllm", "scripted", "wllama" or "openai"');
    expect(bad({ kind: 'webllm' }).details.field).toBe('model');
    expect(bad({ kind: 'webllm', model: 'x', vramMB: -1 }).details.field).toBe('vramMB');
    expect(bad({ kind: 'webllm', model: 'x', appConfig: { model_list: [{ model: 'u', model_id: 'x' }] } }).details.field).toBe('appConfig.model_list[0].model_lib');
    const fn = bad({ kind: 'scripted', script: { rules: [{ reply: 'ok' }, { reply: () => 'no' }] } });
    expect(fn.code).toBe('BAD_SPEC');
    expect(fn.message).toMatch(/script\.rules\[1\]\.reply: is a function, and functions cannot be sent to a worker/);
    expect(bad({ kind: 'scripted', script: { model: 'x', extra: () => 1 } }).message).toMatch(/cannot be sent to a worker/);
    validateEngineSpec('d', { kind: 'wllama', model: '/m.gguf', parallel: 3 });
    expect(bad({ kind: 'wllama', model: '/m.gguf', parallel: 0 }).message).toMatch(/^models\["k"\]\.parallel: must be a whole number of requests decoded together, from 1 to 16, got 0/);
    expect(bad({ wasm: { model: '/m.gguf', parallel: 2.5 } }).details.field).toBe('wasm.parallel');
  });
  it('plans one slot per model: keys that differ only in parallel share one worker, which takes the largest', async () => {
    const { planSpec } = await import('../../../../packages/core/src/runtime/pool-plan.js');
    const context = { prebuilt: [], base: 'http://127.0.0.1:1/app/', f16: false };
    const one = planSpec('solo', { kind: 'wllama', model: 'm.gguf' }, context);
    const three = planSpec('team', { kind: 'wllama', model: '/app/m.gguf', parallel: 3 }, context);
    expect(one.slotId).toBe(three.slotId);
    expect([one.parallel, three.parallel]).toEqual([1, 3]);
    expect(planSpec('other', { kind: 'wllama', model: 'm.gguf', threads: 2 }, context).slotId).not.toBe(one.slotId);
  });
  it('resolves relative appConfig URLs against the page', () => {
    expect(absoluteAppConfig({ model_list: [{ model: '/m/x', model_id: 'x', model_lib: 'libs/x.wasm' }] }, 'http://127.0.0.1:1/app/page.html').model_list[0]).toEqual({
      model: 'http://127.0.0.1:1/m/x', model_id: 'x', model_lib: 'http://127.0.0.1:1/app/libs/x.wasm',
    });
  });
});
