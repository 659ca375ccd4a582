import { describe, expect, it } from 'vitest';
import {
  BackendUnavailableError,
  chooseBackend,
  chooseThreadCount,
  probeGpu,
  WASM_MAX_MODEL_BYTES,
  type BackendChoiceInput,
  type GpuProbe,
} from '../../../../packages/core/src/runtime/backend-choice.js';

const gpu = (over: Partial<NonNullable<GpuProbe['adapter']>> = {}): GpuProbe => ({
  adapter: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false, f16: true, maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31, ...over },
});
const swiftshader = gpu({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true, f16: false, maxBufferSize: 2 ** 30 });
const both = {
  webgpu: { model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', needsF16: true, vramBytes: 945e6 },
  wasm: { model: 'https://huggingface.co/x/resolve/main/qwen.gguf', bytes: 398e6 },
};
const input = (over: Partial<BackendChoiceInput>): BackendChoiceInput => ({ preference: 'auto', options: both, gpu: gpu(), ...over });

describe('chooseBackend — auto', () => {
  it('uses WebGPU when an adapter can run the model', () => {
    expect(chooseBackend(input({}))).toMatchObject({ backend: 'webgpu', model: both.webgpu.model, reason: expect.stringMatching(/^WebGPU: the nvidia adapter can run/) });
  });

  it.each([
    ['no navigator.gpu', { gpu: { adapter: null, missing: 'no-webgpu' } }, 'no-webgpu', /this browser has no WebGPU/],
    ['adapter null', { gpu: { adapter: null, missing: 'no-adapter' } }, 'no-adapter', /no usable GPU adapter/],
    ['no shader-f16 for an f16 model', { gpu: gpu({ f16: false }) }, 'no-f16', /lacks shader-f16, which Qwen2\.5-0\.5B-Instruct-q4f16_1-MLC needs/],
    ['not enough GPU memory left', { gpuBudgetBytes: 500e6 }, 'too-large', /needs 945 MB of GPU memory and 500 MB are left/],
    ['a software adapter (SwiftShader)', { gpu: swiftshader, options: { ...both, webgpu: { ...both.webgpu, needsF16: false } } }, 'software-adapter', /software one \(swiftshader\)/],
    ['no WebLLM model for the agent', { options: { wasm: both.wasm } }, 'no-webgpu-model', /no WebGPU \(WebLLM\) model/],
  ] as const)('falls back to WASM when %s, and says why', (_, over, blocker, why) => {
    const choice = chooseBackend(input(over as Partial<BackendChoiceInput>));
    expect(choice).toMatchObject({ backend: 'wasm', model: both.wasm.model, webgpuBlocker: blocker, preference: 'auto' });
    expect(choice.reason).toMatch(/^WASM \(llama\.cpp on the CPU\): /);
    expect(choice.reason).toMatch(why);
  });

  it('may use a software adapter when allowed', () => {
    const options = { ...both, webgpu: { ...both.webgpu, needsF16: false } };
    expect(chooseBackend(input({ gpu: swiftshader, options, allowSoftwareGpu: true })).backend).toBe('webgpu');
  });

  it('fails with both reasons when neither backend can run the agent', () => {
    expect(() => chooseBackend(input({ gpu: { adapter: null, missing: 'no-webgpu' }, options: { webgpu: both.webgpu } }))).toThrow(
      /WebGPU is out because this browser has no WebGPU, and WASM because the agent has no GGUF model/,
    );
    expect(() =>
      chooseBackend(input({ gpu: gpu({ f16: false }), options: { ...both, wasm: { model: 'big.gguf', bytes: WASM_MAX_MODEL_BYTES + 1 } } })),
    ).toThrow(BackendUnavailableError);
  });
});

describe('chooseBackend — explicit', () => {
  it("honours 'wasm' even when WebGPU could run the model", () => {
    expect(chooseBackend(input({ preference: 'wasm' }))).toMatchObject({ backend: 'wasm', reason: 'WASM (llama.cpp on the CPU), as configured' });
  });

  it("honours 'webgpu' on a software adapter, with a warning in the reason", () => {
    const options = { ...both, webgpu: { ...both.webgpu, needsF16: false } };
    expect(chooseBackend(input({ preference: 'webgpu', gpu: swiftshader, options })).reason).toMatch(/as configured \(warning: .*software/);
  });

  it("refuses 'webgpu' where it cannot start, and 'wasm' without a usable GGUF", () => {
    expect(() => chooseBackend(input({ preference: 'webgpu', gpu: { adapter: null, missing: 'no-adapter' } }))).toThrow(/cannot run .*no usable GPU adapter.*Use backend 'wasm'/);
    expect(() => chooseBackend(input({ preference: 'webgpu', options: { wasm: both.wasm } }))).toThrow(/no WebLLM model/);
    expect(() => chooseBackend(input({ preference: 'wasm', options: { webgpu: both.webgpu } }))).toThrow(/no GGUF model/);
    expect(() => chooseBackend(input({ preference: 'wasm', options: { wasm: { model: 'huge.gguf', bytes: 4e9 } } }))).toThrow(/huge\.gguf \(4000 MB\) does not fit the 4 GiB WebAssembly heap/);
  });

  it('rejects an unknown preference', () => {
    expect(() => chooseBackend(input({ preference: 'cuda' as never }))).toThrow(/'webgpu', 'wasm' or 'auto', got "cuda"/);
  });
});

describe('chooseThreadCount', () => {
  it('is 1 without cross-origin isolation, whatever the cores', () => {
    expect(chooseThreadCount({ crossOriginIsolated: false, hardwareConcurrency: 16, wasmEngines: 1 })).toMatchObject({ threads: 1, reason: expect.stringMatching(/not cross-origin isolated/) });
  });
  it('is 1 when the engines already use every core (no oversubscription)', () => {
    expect(chooseThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 2, wasmEngines: 2 })).toMatchObject({ threads: 1, reason: expect.stringMatching(/2 WASM engines share 2 cores/) });
    expect(chooseThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 4, wasmEngines: 4 }).threads).toBe(1);
    expect(chooseThreadCount({ crossOriginIsolated: true, hardwareConcurrency: undefined, wasmEngines: 1 }).threads).toBe(1);
  });
  it('splits the cores between engines when isolated, capped', () => {
    expect(chooseThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 8, wasmEngines: 4 }).threads).toBe(2);
    expect(chooseThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 8, wasmEngines: 3 }).threads).toBe(2);
    expect(chooseThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 32, wasmEngines: 1 }).threads).toBe(8);
    expect(chooseThreadCount({ crossOriginIsolated: true, hardwareConcurrency: 32, wasmEngines: 1, maxThreads: 4 }).threads).toBe(4);
  });
});

describe('probeGpu', () => {
  it('reports a missing WebGPU and a null adapter apart', async () => {
    expect(await probeGpu(undefined)).toEqual({ adapter: null, missing: 'no-webgpu' });
    expect(await probeGpu({ requestAdapter: async () => null } as unknown as GPU)).toEqual({ adapter: null, missing: 'no-adapter' });
    expect(await probeGpu({ requestAdapter: async () => { throw new Error('boom'); } } as unknown as GPU)).toEqual({ adapter: null, missing: 'no-adapter' });
  });
  it('reads the adapter facts the choice needs', async () => {
    const adapter = {
      info: { vendor: 'google', architecture: 'swiftshader' },
      features: new Set(['subgroups']),
      limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
    };
    expect(await probeGpu({ requestAdapter: async () => adapter } as unknown as GPU)).toEqual({
      adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true, f16: false, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 },
    });
  });
});

describe('gpuProbeOf (the runtime capabilities as a probe)', () => {
  it('maps no WebGPU, no adapter, and an adapter (SwiftShader counts as software)', async () => {
    const { gpuProbeOf } = await import('../../../../packages/core/src/runtime/backend-choice.js');
    expect(gpuProbeOf({ webgpu: false, f16: false, limits: {} })).toEqual({ adapter: null, missing: 'no-webgpu' });
    expect(gpuProbeOf({ webgpu: true, f16: false, limits: {} })).toEqual({ adapter: null, missing: 'no-adapter' });
    expect(
      gpuProbeOf({ webgpu: true, f16: false, limits: { maxBufferSize: 1 }, adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false } }).adapter,
    ).toMatchObject({ isFallbackAdapter: true, f16: false, maxBufferSize: 1, maxStorageBufferBindingSize: 0 });
  });
});

describe('pool specs with a model per backend ({ webgpu, wasm })', () => {
  it('are validated with the field named under its backend', async () => {
    const { validateEngineSpec, isBackendEngineSpec } = await import('../../../../packages/core/src/runtime/engine-spec.js');
    const ok = { webgpu: { model: 'Qwen2.5-0.5B-Instruct' }, wasm: { model: '/m.gguf', bytes: 10 }, backend: 'auto' as const };
    expect(() => validateEngineSpec('a', ok)).not.toThrow();
    expect(isBackendEngineSpec(ok)).toBe(true);
    expect(isBackendEngineSpec({ kind: 'wllama', model: '/m.gguf' })).toBe(false);
    expect(() => validateEngineSpec('a', { backend: 'gpu', wasm: { model: '/m.gguf' } })).toThrow(/models\["a"\]\.backend: must be "webgpu", "wasm" or "auto"/);
    expect(() => validateEngineSpec('a', { backend: 'auto' })).toThrow(/models\["a"\]\.webgpu: give a model for at least one backend/);
    expect(() => validateEngineSpec('a', { webgpu: { model: '' } })).toThrow(/models\["a"\]\.webgpu\.model: must be a WebLLM model id/);
    expect(() => validateEngineSpec('a', { wasm: { model: 3 } })).toThrow(/models\["a"\]\.wasm\.model: must be the URL of a GGUF/);
    expect(() => validateEngineSpec('a', { wasm: { model: '/m.gguf', bytes: -1 } })).toThrow(/models\["a"\]\.wasm\.bytes/);
    expect(() => validateEngineSpec('a', { webgpu: { model: 'x', vramMB: -5 } })).toThrow(/models\["a"\]\.webgpu\.vramMB: must be a number of megabytes/);
  });
});
