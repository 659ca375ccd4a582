/**
 * Which backend runs an agent's model — WebGPU (WebLLM) or WASM (wllama, CPU) — and with how many threads.
 *
 * `chooseBackend` and `chooseThreadCount` are pure: the runtime probes the browser once (`probeGpu`, the page's
 * `crossOriginIsolated` and `hardwareConcurrency`), asks for each agent, and reports the choice and its reason
 * as an event the UI shows ("WASM: this browser has no WebGPU adapter").
 */
import { MoAError } from '../engine/moa-error.js';
import type { GpuAdapterLike, GpuLike } from './webgpu-like.js';

export type BackendPreference = 'webgpu' | 'wasm' | 'auto';
export type Backend = 'webgpu' | 'wasm';

/** What the browser's WebGPU offers, as far as model choice cares. */
export interface GpuProbe {
  adapter: {
    vendor: string;
    architecture: string;
    /** A software adapter (e.g. SwiftShader): correct but 100–1000× slower than a GPU. */
    isFallbackAdapter: boolean;
    f16: boolean;
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
  } | null;
  /** Why there is no adapter. */
  missing?: 'no-webgpu' | 'no-adapter';
}

/** The ways an agent's model can run: a WebLLM model, a GGUF for the WASM engine, or both. */
export interface BackendOptions {
  webgpu?: {
    /** WebLLM model id. */
    model: string;
    /** The model's shaders use f16 (WebLLM's `required_features: ['shader-f16']`, the `*f16*` model ids). */
    needsF16: boolean;
    /** GPU memory it needs (WebLLM's `vram_required_MB`), when known. */
    vramBytes?: number;
  };
  wasm?: {
    /** GGUF URL or file name. */
    model: string;
    /** Download size, when known. */
    bytes?: number;
  };
}

export interface BackendChoiceInput {
  preference: BackendPreference;
  options: BackendOptions;
  gpu: GpuProbe;
  /** GPU memory still free for this model, from the memory planner, when known. */
  gpuBudgetBytes?: number;
  /** In 'auto', use a software (fallback) WebGPU adapter. Default false: it decodes at ~1–3 tokens/s
   *  (measured kernels, shared docs), while llama.cpp in WASM runs the same small model far faster. */
  allowSoftwareGpu?: boolean;
}

export type WebGpuBlocker = 'no-webgpu' | 'no-adapter' | 'no-f16' | 'too-large' | 'software-adapter' | 'no-webgpu-model';

export interface BackendChoice {
  backend: Backend;
  preference: BackendPreference;
  /** The model the chosen backend runs. */
  model: string;
  /** One sentence for the event and the UI. */
  reason: string;
  /** Why WebGPU was not used, when it was not. */
  webgpuBlocker?: WebGpuBlocker;
}

/** The WASM build's heap is 4 GiB (memory64 build, emscripten max); weights, KV cache and buffers share it. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;
/** Largest GGUF accepted for the WASM engine: leaves room for a modest context and compute buffers. */
export const WASM_MAX_MODEL_BYTES = 3.25 * 2 ** 30;

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

/** Why WebGPU cannot (or should not, in 'auto') run this model, or undefined when it can. */
function webgpuBlocker(input: BackendChoiceInput): { blocker: WebGpuBlocker; why: string } | undefined {
  const { webgpu } = input.options;
  const { adapter } = input.gpu;
  if (!webgpu) return { blocker: 'no-webgpu-model', why: 'the agent has no WebGPU (WebLLM) model' };
  if (!adapter) {
    return input.gpu.missing === 'no-webgpu'
      ? { blocker: 'no-webgpu', why: 'this browser has no WebGPU' }
      : { blocker: 'no-adapter', why: 'WebGPU found no usable GPU adapter' };
  }
  if (webgpu.needsF16 && !adapter.f16) return { blocker: 'no-f16', why: `the GPU adapter lacks shader-f16, which ${webgpu.model} needs` };
  if (webgpu.vramBytes !== undefined && input.gpuBudgetBytes !== undefined && webgpu.vramBytes > input.gpuBudgetBytes) {
    return { blocker: 'too-large', why: `${webgpu.model} needs ${mb(webgpu.vramBytes)} of GPU memory and ${mb(input.gpuBudgetBytes)} are left` };
  }
  if (adapter.isFallbackAdapter && !input.allowSoftwareGpu) {
    return { blocker: 'software-adapter', why: `the only WebGPU adapter is a software one (${adapter.architecture || adapter.vendor || 'fallback'}), much slower than llama.cpp on the CPU` };
  }
  return undefined;
}

function wasmProblem(options: BackendOptions): string | undefined {
  if (!options.wasm) return 'the agent has no GGUF model for the WASM engine';
  if (options.wasm.bytes !== undefined && options.wasm.bytes > WASM_MAX_MODEL_BYTES) {
    return `${options.wasm.model} (${mb(options.wasm.bytes)}) does not fit the 4 GiB WebAssembly heap`;
  }
  return undefined;
}

/** Thrown when no backend can run an agent's model; the message says what to change. */
export class BackendUnavailableError extends MoAError {
  override name = 'BackendUnavailableError';
  declare readonly code: 'BACKEND_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, options);
  }
}

export function chooseBackend(input: BackendChoiceInput): BackendChoice {
  const { preference, options } = input;
  if (preference !== 'webgpu' && preference !== 'wasm' && preference !== 'auto') {
    throw new TypeError(`backend must be 'webgpu', 'wasm' or 'auto', got ${JSON.stringify(preference)}`);
  }
  const blocked = webgpuBlocker(input);
  const wasmBlocked = wasmProblem(options);

  if (preference === 'webgpu') {
    if (!options.webgpu) throw new BackendUnavailableError("backend 'webgpu' was asked for, but the agent has no WebLLM model: give one, or use backend 'wasm' or 'auto'");
    // Honoured even when it looks doomed (the caller asked), except where it cannot start at all.
    if (blocked && blocked.blocker !== 'software-adapter' && blocked.blocker !== 'too-large') {
      throw new BackendUnavailableError(`backend 'webgpu' cannot run ${options.webgpu.model}: ${blocked.why}. Use backend 'wasm' or 'auto' with a GGUF model.`);
    }
    return { backend: 'webgpu', preference, model: options.webgpu.model, reason: `WebGPU, as configured${blocked ? ` (warning: ${blocked.why})` : ''}` };
  }
  if (preference === 'wasm') {
    if (wasmBlocked) throw new BackendUnavailableError(`backend 'wasm' cannot run: ${wasmBlocked}. Give a smaller GGUF (see the WASM catalog) or use backend 'webgpu'.`);
    return { backend: 'wasm', preference, model: options.wasm!.model, reason: 'WASM (llama.cpp on the CPU), as configured' };
  }
  if (!blocked) return { backend: 'webgpu', preference, model: options.webgpu!.model, reason: `WebGPU: the ${input.gpu.adapter!.vendor || 'GPU'} adapter can run ${options.webgpu!.model}` };
  if (wasmBlocked) {
    throw new BackendUnavailableError(`No backend can run this agent: WebGPU is out because ${blocked.why}, and WASM because ${wasmBlocked}.`);
  }
  return { backend: 'wasm', preference, model: options.wasm!.model, reason: `WASM (llama.cpp on the CPU): ${blocked.why}`, webgpuBlocker: blocked.blocker };
}

export interface ThreadChoice {
  threads: number;
  reason: string;
}

/**
 * Threads per WASM engine. 1 unless the page is cross-origin isolated (multi-threaded wasm needs
 * SharedArrayBuffer) and the cores cover every WASM engine's threads: on 2 cores, 2 engines × 2 threads
 * each ran 6× slower than 1 thread each (measured, shared docs wllama.md).
 */
export function chooseThreadCount(input: { crossOriginIsolated: boolean; hardwareConcurrency: number | undefined; wasmEngines: number; maxThreads?: number }): ThreadChoice {
  const engines = Math.max(1, Math.floor(input.wasmEngines));
  if (!input.crossOriginIsolated) {
    return { threads: 1, reason: 'the page is not cross-origin isolated (COOP/COEP headers), so WebAssembly threads are unavailable' };
  }
  const cores = Math.max(1, Math.floor(input.hardwareConcurrency ?? 1));
  const share = Math.floor(cores / engines);
  if (share <= 1) {
    return { threads: 1, reason: `${engines} WASM engine${engines > 1 ? 's' : ''} share ${cores} core${cores > 1 ? 's' : ''}: more threads each would oversubscribe the CPU` };
  }
  const threads = Math.min(share, input.maxThreads ?? 8);
  return { threads, reason: `${cores} cores for ${engines} WASM engine${engines > 1 ? 's' : ''}: ${threads} threads each` };
}

/** The runtime's capabilities (detectCapabilities) as the probe `chooseBackend` reads. */
export function gpuProbeOf(capabilities: {
  webgpu: boolean;
  adapter?: { vendor: string; architecture: string; isFallbackAdapter: boolean };
  f16: boolean;
  limits: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
}): GpuProbe {
  if (!capabilities.webgpu) return { adapter: null, missing: 'no-webgpu' };
  if (!capabilities.adapter) return { adapter: null, missing: 'no-adapter' };
  const { vendor, architecture, isFallbackAdapter } = capabilities.adapter;
  return {
    adapter: {
      vendor,
      architecture,
      isFallbackAdapter: isFallbackAdapter || architecture === 'swiftshader',
      f16: capabilities.f16,
      maxBufferSize: capabilities.limits.maxBufferSize ?? 0,
      maxStorageBufferBindingSize: capabilities.limits.maxStorageBufferBindingSize ?? 0,
    },
  };
}

/** Probes WebGPU where it runs (page or worker). Never throws. */
export async function probeGpu(gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu): Promise<GpuProbe> {
  if (!gpu) return { adapter: null, missing: 'no-webgpu' };
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    adapter = null;
  }
  if (!adapter) return { adapter: null, missing: 'no-adapter' };
  const info = adapter.info ?? {};
  return {
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      // Chromium reports it on the info; older browsers on the adapter. SwiftShader is the software adapter Chromium ships.
      isFallbackAdapter: !!(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || info.architecture === 'swiftshader',
      f16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  };
}
