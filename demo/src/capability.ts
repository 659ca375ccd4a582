/**
 * What this browser and device can do for the demo, as a plain verdict. The facts (WebGPU present, an adapter,
 * `shader-f16`, storage quota) come from the runtime's `detectCapabilities()`, read before anything is downloaded;
 * this module decides what they mean for a visitor: ready, slow (a software renderer), or blocked.
 */
import { detectCapabilities as detectRuntimeCapabilities, formatBytes, type Capabilities as RuntimeCapabilities, type GpuAdapterSummary } from '@attention-moa/core';

export interface Capabilities extends RuntimeCapabilities {
  /** The page is a secure context (https or localhost); browsers hide WebGPU elsewhere. */
  secureContext: boolean;
}

export async function detectCapabilities(): Promise<Capabilities> {
  return { ...(await detectRuntimeCapabilities({ powerPreference: 'high-performance' })), secureContext: isSecureContext };
}

/** A CPU implementation (SwiftShader, WARP, lavapipe): WebGPU works, at a small fraction of a GPU's speed. */
export function isSoftwareAdapter(a: GpuAdapterSummary): boolean {
  return a.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|warp/i.test(`${a.architecture} ${a.description}`);
}

export type VerdictLevel = 'ready' | 'slow' | 'blocked';

export interface Verdict {
  level: VerdictLevel;
  /** One line, plain words. */
  title: string;
  /** What it means for the visitor. */
  detail: string;
  /** Which builds to use. */
  precision: 'f16' | 'f32';
  /** A software renderer or a missing GPU: steer to the smallest preset / the simulation. */
  preferTiny: boolean;
  /** Short facts for the checklist: [label, value, ok]. */
  checks: { label: string; value: string; ok: boolean | 'warn' }[];
}

export function verdictFor(caps: Capabilities): Verdict {
  const checks: Verdict['checks'] = [];
  const gpuPresent = caps.webgpu;
  checks.push({ label: 'WebGPU', value: gpuPresent ? 'present' : caps.secureContext ? 'not in this browser' : 'hidden (not a secure context)', ok: gpuPresent });
  const a = caps.adapter;
  if (gpuPresent) {
    checks.push({ label: 'GPU adapter', value: a ? adapterName(a) : 'none offered', ok: a ? (isSoftwareAdapter(a) ? 'warn' : true) : false });
    if (a) checks.push({ label: 'shader-f16', value: caps.f16 ? 'yes: f16 builds' : 'no: f32 builds (more memory)', ok: caps.f16 ? true : 'warn' });
  }
  if (caps.storage && caps.storage.quota > 0) {
    const free = Math.max(0, caps.storage.quota - caps.storage.usage);
    checks.push({ label: 'Storage for models', value: `${formatBytes(free)} free`, ok: free > 2 * 2 ** 30 ? true : 'warn' });
  } else {
    checks.push({ label: 'Storage for models', value: 'unknown', ok: 'warn' });
  }

  if (!caps.webgpu || !a) {
    const why = !caps.secureContext
      ? 'The page is not served over HTTPS or from localhost, so the browser hides WebGPU.'
      : !caps.webgpu
        ? 'This browser has no WebGPU.'
        : 'WebGPU is switched on, but the browser offers no GPU adapter (GPU blocklisted, disabled, or absent).';
    return {
      level: 'blocked',
      title: 'This browser cannot run the models here',
      detail: `${why} The models need WebGPU: Chrome or Edge 113+ on desktop, Chrome 121+ on Android, or Safari 26+. You can still try the whole protocol in the simulation below.`,
      precision: 'f32',
      preferTiny: true,
      checks,
    };
  }
  const precision = caps.f16 ? 'f16' : 'f32';
  if (isSoftwareAdapter(a)) {
    return {
      level: 'slow',
      title: `WebGPU works, but on ${adapterName(a)}: a software renderer, no GPU`,
      detail: `Models would load and answer correctly, at roughly 1–3 tokens per second.${caps.f16 ? '' : ' No shader-f16 here, so the f32 builds are used.'} Recommended: the Tiny preset (${precision}), or the simulation to see the protocol at full speed.`,
      precision,
      preferTiny: true,
      checks,
    };
  }
  return {
    level: 'ready',
    title: `Ready: WebGPU on ${adapterName(a)}`,
    detail: caps.f16
      ? 'This GPU supports shader-f16, so the smaller f16 builds are used.'
      : 'This GPU lacks shader-f16, so the f32 builds are used: they need about 30 % more memory and give the same answers.',
    precision,
    preferTiny: false,
    checks,
  };
}

export function adapterName(a: GpuAdapterSummary): string {
  if (/swiftshader/i.test(a.architecture) || /swiftshader/i.test(a.description)) return 'SwiftShader';
  const name = a.description || [a.vendor, a.architecture].filter(Boolean).join(' ');
  return name || 'an unnamed adapter';
}

/** One size convention with the library (decimal units). */
export { formatBytes };
