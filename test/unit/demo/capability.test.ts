import { describe, expect, it } from 'vitest';
import { adapterName, formatBytes, verdictFor, type Capabilities } from '../../../demo/src/capability.js';

const GB = 2 ** 30;
const base = (over: Partial<Capabilities>): Capabilities => ({ webgpu: true, f16: false, features: [], limits: {}, secureContext: true, storage: { usage: 0, quota: 10 * GB }, ...over });
const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true };
const nvidia = { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060', isFallbackAdapter: false };

describe('the device verdict', () => {
  it('SwiftShader without f16: slow, f32 builds, steer to Tiny or the simulation', () => {
    const v = verdictFor(base({ adapter: swiftshader }));
    expect(v).toMatchObject({ level: 'slow', precision: 'f32', preferTiny: true });
    expect(v.title).toBe('WebGPU works, but on SwiftShader: a software renderer, no GPU');
    expect(v.detail).toContain('No shader-f16 here, so the f32 builds are used');
    expect(v.checks.find((c) => c.label === 'shader-f16')).toMatchObject({ ok: 'warn', value: 'no: f32 builds (more memory)' });
    expect(v.checks.find((c) => c.label === 'GPU adapter')).toMatchObject({ ok: 'warn', value: 'SwiftShader' });
  });

  it('a real GPU with f16: ready, f16 builds; without f16: ready, f32 builds', () => {
    expect(verdictFor(base({ adapter: nvidia, f16: true }))).toMatchObject({ level: 'ready', precision: 'f16', preferTiny: false, title: 'Ready: WebGPU on NVIDIA GeForce RTX 3060' });
    expect(verdictFor(base({ adapter: nvidia }))).toMatchObject({ level: 'ready', precision: 'f32' });
  });

  it('no adapter, no WebGPU, or not a secure context: blocked, with the reason and the browsers that work', () => {
    const noAdapter = verdictFor(base({}));
    expect(noAdapter.level).toBe('blocked');
    expect(noAdapter.detail).toContain('offers no GPU adapter');
    expect(noAdapter.detail).toContain('Chrome or Edge 113+');
    expect(noAdapter.checks.find((c) => c.label === 'GPU adapter')).toMatchObject({ ok: false, value: 'none offered' });
    expect(verdictFor(base({ webgpu: false })).detail).toContain('This browser has no WebGPU.');
    const insecure = verdictFor(base({ webgpu: false, secureContext: false }));
    expect(insecure.detail).toContain('not served over HTTPS or from localhost');
    expect(insecure.checks[0]).toMatchObject({ label: 'WebGPU', ok: false, value: 'hidden (not a secure context)' });
  });

  it('warns when storage is short or unknown', () => {
    expect(verdictFor(base({ adapter: nvidia, storage: { usage: 9 * GB, quota: 10 * GB } })).checks.at(-1)).toMatchObject({ label: 'Storage for models', ok: 'warn', value: '1.1 GB free' }); // 1 GiB in decimal units
    expect(verdictFor(base({ adapter: nvidia, storage: undefined })).checks.at(-1)).toMatchObject({ value: 'unknown', ok: 'warn' });
  });

  it('names adapters and sizes readably', () => {
    expect(adapterName({ vendor: 'apple', architecture: 'metal-3', description: '', isFallbackAdapter: false })).toBe('apple metal-3');
    expect(adapterName({ vendor: '', architecture: '', description: '', isFallbackAdapter: false })).toBe('an unnamed adapter');
    expect(formatBytes(1536)).toBe('2 kB'); // decimal units, as core's formatBytes (was binary '1.5 KB')
    expect(formatBytes(10 * GB)).toBe('11 GB'); // 10 GiB = 10.7 × 10⁹ B (was '10.0 GB' in binary units)
  });
});
