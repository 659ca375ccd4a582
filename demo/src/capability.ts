/**
 * What this browser and device can do for the demo: WebGPU present, an adapter, `shader-f16`, a software renderer,
 * storage quota. Read straight from the platform APIs before anything is downloaded, then turned into a plain verdict.
 */

export type WebGpuState = 'ok' | 'insecure-context' | 'missing' | 'no-adapter' | 'error';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU implementation (SwiftShader, WARP, lavapipe): WebGPU works, at a small fraction of a GPU's speed. */
  software: boolean;
  f16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export interface StorageSummary {
  usage: number;
  quota: number;
  persisted: boolean | undefined;
}

export interface Capabilities {
  webgpu: WebGpuState;
  adapter?: AdapterSummary;
  /** The reason when `webgpu` is not 'ok'. */
  problem?: string;
  storage?: StorageSummary;
  /** navigator.deviceMemory (GB, rounded down and capped at 8 by browsers); undefined where unsupported. */
  deviceMemoryGB?: number;
  userAgent: string;
}

export async function detectCapabilities(): Promise<Capabilities> {
  const base = { userAgent: navigator.userAgent, deviceMemoryGB: (navigator as { deviceMemory?: number }).deviceMemory };
  const storage = await readStorage();
  if (!isSecureContext) {
    return { ...base, storage, webgpu: 'insecure-context', problem: 'The page is not served over HTTPS or from localhost, so the browser hides WebGPU.' };
  }
  if (!('gpu' in navigator) || !navigator.gpu) {
    return { ...base, storage, webgpu: 'missing', problem: 'This browser has no WebGPU.' };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { ...base, storage, webgpu: 'error', problem: `Asking for a WebGPU adapter failed: ${(error as Error).message}` };
  }
  if (!adapter) {
    return {
      ...base,
      storage,
      webgpu: 'no-adapter',
      problem: 'WebGPU is switched on, but the browser offers no GPU adapter (GPU blocklisted, disabled, or absent).',
    };
  }
  const info = adapter.info;
  const architecture = info?.architecture ?? '';
  const software = Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter) || /swiftshader|llvmpipe|lavapipe|warp/i.test(`${architecture} ${info?.description ?? ''}`);
  return {
    ...base,
    storage,
    webgpu: 'ok',
    adapter: {
      vendor: info?.vendor ?? '',
      architecture,
      description: info?.description ?? '',
      software,
      f16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  };
}

async function readStorage(): Promise<StorageSummary | undefined> {
  if (!navigator.storage?.estimate) return undefined;
  try {
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : undefined;
    return { usage, quota, persisted };
  } catch {
    return undefined;
  }
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
  const gpuPresent = caps.webgpu !== 'missing' && caps.webgpu !== 'insecure-context';
  checks.push({ label: 'WebGPU', value: gpuPresent ? 'present' : caps.webgpu === 'insecure-context' ? 'hidden (not a secure context)' : 'not in this browser', ok: gpuPresent });
  if (gpuPresent) {
    const a = caps.adapter;
    checks.push({
      label: 'GPU adapter',
      value: a ? adapterName(a) : caps.webgpu === 'error' ? 'request failed' : 'none offered',
      ok: a ? (a.software ? 'warn' : true) : false,
    });
    if (a) checks.push({ label: 'shader-f16', value: a.f16 ? 'yes: f16 builds' : 'no: f32 builds (more memory)', ok: a.f16 ? true : 'warn' });
  }
  if (caps.storage && caps.storage.quota > 0) {
    const free = Math.max(0, caps.storage.quota - caps.storage.usage);
    checks.push({ label: 'Storage for models', value: `${formatBytes(free)} free`, ok: free > 2 * 2 ** 30 ? true : 'warn' });
  } else {
    checks.push({ label: 'Storage for models', value: 'unknown', ok: 'warn' });
  }

  const a = caps.adapter;
  if (caps.webgpu !== 'ok' || !a) {
    return {
      level: 'blocked',
      title: 'This browser cannot run the models here',
      detail: `${caps.problem ?? 'WebGPU is not available.'} The models need WebGPU: Chrome or Edge 113+ on desktop, Chrome 121+ on Android, or Safari 26+. You can still try the whole protocol in the simulation below.`,
      precision: 'f32',
      preferTiny: true,
      checks,
    };
  }
  const precision = a.f16 ? 'f16' : 'f32';
  if (a.software) {
    return {
      level: 'slow',
      title: `WebGPU works, but on ${adapterName(a)}: a software renderer, no GPU`,
      detail: `Models would load and answer correctly, at roughly 1–3 tokens per second.${a.f16 ? '' : ' No shader-f16 here, so the f32 builds are used.'} Recommended: the Tiny preset (f32), or the simulation to see the protocol at full speed.`,
      precision,
      preferTiny: true,
      checks,
    };
  }
  return {
    level: 'ready',
    title: `Ready: WebGPU on ${adapterName(a)}`,
    detail: a.f16
      ? 'This GPU supports shader-f16, so the smaller f16 builds are used.'
      : 'This GPU lacks shader-f16, so the f32 builds are used: they need about 30 % more memory and give the same answers.',
    precision,
    preferTiny: false,
    checks,
  };
}

export function adapterName(a: AdapterSummary): string {
  if (/swiftshader/i.test(a.architecture) || /swiftshader/i.test(a.description)) return 'SwiftShader';
  const name = a.description || [a.vendor, a.architecture].filter(Boolean).join(' ');
  return name || 'an unnamed adapter';
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
