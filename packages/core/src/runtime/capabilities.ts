/**
 * What this browser can run, read before any download: WebGPU, an adapter, its features (`shader-f16`) and limits,
 * and the storage quota. Runs on the page (or in a worker); needs no model and no web-llm.
 */
import type { GpuAdapterLike, GpuLike } from './webgpu-like.js';
import { runtimeError, type RuntimeError } from '../engine/errors.js';

export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** True for software adapters such as SwiftShader (a CPU pretending to be a GPU: correct but very slow). */
  isFallbackAdapter: boolean;
}

export interface Capabilities {
  /** `navigator.gpu` exists (secure context, WebGPU-capable browser). */
  webgpu: boolean;
  /** The adapter `requestAdapter()` returned; absent when it returned null. */
  adapter?: GpuAdapterSummary;
  /** The adapter offers `shader-f16` (needed by q4f16/q0f16 models). */
  f16: boolean;
  features: string[];
  limits: {
    maxBufferSize?: number;
    maxStorageBufferBindingSize?: number;
    maxComputeWorkgroupStorageSize?: number;
    maxComputeInvocationsPerWorkgroup?: number;
  };
  /** `navigator.storage.estimate()`, bytes. */
  storage?: { usage: number; quota: number };
  /** `navigator.deviceMemory` (GB, rounded, capped at 8 by browsers), when reported. */
  deviceMemoryGB?: number;
  /** Why WebGPU cannot be used, as the typed error to throw; absent when it can. */
  problem?: { code: RuntimeError['code']; message: string };
}

interface NavigatorLike {
  gpu?: GpuLike;
  storage?: StorageManager;
  deviceMemory?: number;
}

/** Reads the capabilities. `gpu` and `navigator` can be passed for tests; by default the global ones are used. */
export async function detectCapabilities(options: { navigator?: NavigatorLike; powerPreference?: 'low-power' | 'high-performance' } = {}): Promise<Capabilities> {
  const nav = options.navigator ?? (globalThis.navigator as unknown as NavigatorLike | undefined) ?? {};
  const caps: Capabilities = { webgpu: !!nav.gpu, f16: false, features: [], limits: {} };
  if (typeof nav.deviceMemory === 'number') caps.deviceMemoryGB = nav.deviceMemory;
  try {
    const estimate = await nav.storage?.estimate?.();
    if (estimate) caps.storage = { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 };
  } catch {
    // storage estimates are best-effort (e.g. blocked in some private modes)
  }
  if (!nav.gpu) {
    const error = runtimeError('NO_WEBGPU');
    caps.problem = { code: error.code, message: error.message };
    return caps;
  }
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = await nav.gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : undefined);
  } catch {
    adapter = null;
  }
  if (!adapter) {
    const error = runtimeError('NO_ADAPTER');
    caps.problem = { code: error.code, message: error.message };
    return caps;
  }
  const info = adapter.info ?? {};
  caps.adapter = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    isFallbackAdapter: !!(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
  };
  caps.features = [...adapter.features].map(String).sort();
  caps.f16 = adapter.features.has('shader-f16');
  caps.limits = {
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
  };
  return caps;
}

/** Throws NO_WEBGPU / NO_ADAPTER when the capabilities say WebGPU cannot be used. */
export function assertWebGpu(caps: Capabilities): void {
  if (caps.problem) throw runtimeError(caps.problem.code, {}, { message: caps.problem.message });
}
