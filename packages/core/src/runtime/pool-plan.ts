/**
 * Planning the pool: what each model key will run (backend, resolved model, memory) and which slot hosts it.
 * A slot is one worker per distinct model; its id is the model plus a short hash of whatever else makes it differ,
 * so two keys naming the same model with the same settings share a worker.
 */
import { isRuntimeError, runtimeError } from '../engine/errors.js';
import type { EngineKind } from '../engine/hosted-engine.js';
import { needsShaderF16, type ModelRecordLike } from '../engine/model-record.js';
import { chooseBackend, gpuProbeOf, type BackendChoice, type BackendPreference, type ThreadChoice } from './backend-choice.js';
import type { Capabilities } from './capabilities.js';
import { absoluteAppConfig, type BackendEngineSpec, type ConcreteEngineSpec, type WorkerEngineSpec } from './engine-spec.js';
import { defaultMemoryBudgetMB, resolveModel, type MemoryPlan, type PhaseDemand, type ResolvedModel } from './memory-plan.js';
import type { HostedSpec } from './stream-wire.js';

export interface PlannedPoolModel {
  /** The pool key. */
  key: string;
  /** 'openai': a model on an OpenAI-compatible server, called from the page (no worker, no GPU memory here). */
  kind: EngineKind | 'openai';
  /** What was asked for (a WebLLM id or family; 'scripted'; the wllama URL; `model @ baseURL` for a server). */
  requested: string;
  /** The model that will be loaded (a WebLLM id after family resolution). */
  model: string;
  vramMB: number;
  /** The worker slot; keys with the same slot share a worker (one copy of the weights). */
  slot: string;
  /** Requests the slot's engine decodes together (wllama/scripted `parallel`, the largest its keys ask for; 1 for WebLLM). */
  parallel: number;
  via?: ResolvedModel['via'];
  /** The f16 builds were skipped because the GPU lacks shader-f16. */
  avoidedF16?: boolean;
  /** For a `{ webgpu, wasm }` spec: which backend was chosen and why. */
  backend?: BackendChoice;
  /** For a server model: where prompts go. They leave the browser (the device too, unless `loopback`). */
  remote?: { baseURL: string; host: string; loopback: boolean };
}

export interface PoolPlan {
  models: PlannedPoolModel[];
  /** The memory plan over worker slots. */
  memory: MemoryPlan;
  loading: 'parallel' | 'sequential';
  budgetMB: number;
  capabilities?: Capabilities;
  /** Threads per WASM engine (1 unless the page is cross-origin isolated with cores to spare), when there are any. */
  wasmThreads?: ThreadChoice;
}

function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableKey((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** FNV-1a, 8 hex digits: short, stable slot ids. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** One model key, planned: what its worker is sent, the model it loads, and the slot that hosts it. */
export interface PlannedSpec {
  hosted: HostedSpec;
  model: string;
  vramMB: number;
  slotId: string;
  /** Requests decoded together; not part of the slot id: keys differing only in it share one worker (the largest wins). */
  parallel: number;
  resolved?: ResolvedModel;
  record?: ModelRecordLike;
}

/** Resolves one concrete spec: WebLLM ids against the catalog, GGUF URLs against the page. */
export function planSpec(key: string, spec: WorkerEngineSpec, context: { prebuilt: readonly ModelRecordLike[]; base: string | undefined; f16: boolean }): PlannedSpec {
  const { base } = context;
  let hosted: HostedSpec;
  let model: string;
  let vramMB = spec.vramMB ?? 0;
  let resolved: ResolvedModel | undefined;
  let record: ModelRecordLike | undefined;
  if (spec.kind === 'webllm') {
    const appConfig = spec.appConfig ? absoluteAppConfig(spec.appConfig, base) : undefined;
    resolved = resolveModel(spec.model, appConfig?.model_list ?? context.prebuilt, { f16: context.f16 });
    record = resolved.record;
    model = resolved.id;
    vramMB = spec.vramMB ?? resolved.vramMB;
    hosted = { kind: 'webllm', model, ...(appConfig ? { appConfig } : {}), ...(spec.chatOptions ? { chatOptions: spec.chatOptions } : {}) };
  } else if (spec.kind === 'scripted') {
    model = spec.script?.model ?? `scripted:${key}`;
    const { vramMB: _v, ...rest } = spec;
    void _v;
    hosted = rest;
  } else {
    const blob = typeof Blob !== 'undefined' && (spec.model as unknown) instanceof Blob;
    // A GGUF URL resolves against the page, as users write it (the worker's own URL is elsewhere).
    const ggufModel = blob || !base ? spec.model : new URL(String(spec.model), base).href;
    model = typeof spec.modelId === 'string' ? spec.modelId : blob ? `${key} (local file)` : String(ggufModel);
    const { vramMB: _v, ...rest } = spec;
    void _v;
    hosted = { ...rest, model: ggufModel } as HostedSpec;
  }
  const isBlob = spec.kind === 'wllama' && typeof Blob !== 'undefined' && (spec.model as unknown) instanceof Blob;
  const parallel = spec.kind === 'webllm' ? 1 : spec.parallel ?? 1;
  const { parallel: _p, ...identity } = hosted as HostedSpec & { parallel?: number };
  void _p;
  const slotId = isBlob
    ? `wllama:${model}#${key}`
    : spec.kind === 'webllm'
      ? `webllm:${model}${hosted.kind === 'webllm' && (hosted.appConfig || hosted.chatOptions) ? `#${shortHash(stableKey([record, hosted.chatOptions]))}` : ''}`
      : `${spec.kind}:${model}#${shortHash(stableKey(identity))}`;
  return { hosted, model, vramMB, slotId, parallel, ...(resolved ? { resolved } : {}), ...(record ? { record } : {}) };
}

/** Picks WebGPU or WASM for a `{ webgpu, wasm }` spec from the adapter, the WebLLM record and the budget. */
export async function chooseBackendFor(
  key: string,
  spec: BackendEngineSpec,
  capabilities: Capabilities,
  options: { backend?: BackendPreference; memoryBudgetMB?: number },
): Promise<{ concrete: ConcreteEngineSpec; choice: BackendChoice }> {
  let webgpu: { model: string; needsF16: boolean; vramBytes?: number } | undefined;
  if (spec.webgpu) {
    const list = spec.webgpu.appConfig
      ? absoluteAppConfig(spec.webgpu.appConfig, globalThis.location?.href).model_list
      : (await import('../engine/webllm/webllm-catalog.js')).WEBLLM_PREBUILT_MODELS;
    try {
      const resolved = resolveModel(spec.webgpu.model, list, { f16: capabilities.f16 });
      const vramMB = spec.webgpu.vramMB ?? resolved.vramMB;
      webgpu = { model: resolved.id, needsF16: needsShaderF16(resolved.record), ...(vramMB ? { vramBytes: vramMB * 2 ** 20 } : {}) };
    } catch (error) {
      // Every build needs shader-f16 and the adapter lacks it: WebGPU is out, WASM may still run the agent.
      if (!(isRuntimeError(error) && error.code === 'F16_MISSING')) throw error;
      webgpu = { model: spec.webgpu.model, needsF16: true };
    }
  }
  const wasm = spec.wasm
    ? { model: typeof spec.wasm.model === 'string' ? spec.wasm.model : `${key} (local file)`, ...(spec.wasm.bytes !== undefined ? { bytes: spec.wasm.bytes } : {}) }
    : undefined;
  const budgetMB = options.memoryBudgetMB ?? defaultMemoryBudgetMB(capabilities.deviceMemoryGB);
  let choice: BackendChoice;
  try {
    choice = chooseBackend({
      preference: spec.backend ?? options.backend ?? 'auto',
      options: { ...(webgpu ? { webgpu } : {}), ...(wasm ? { wasm } : {}) },
      gpu: gpuProbeOf(capabilities),
      gpuBudgetBytes: budgetMB * 2 ** 20,
    });
  } catch (error) {
    throw runtimeError('ENGINE_UNAVAILABLE', { model: key, causeMessage: (error as Error).message }, { message: `models["${key}"]: ${(error as Error).message}`, cause: error });
  }
  if (choice.backend === 'webgpu') return { concrete: { kind: 'webllm', ...spec.webgpu! }, choice };
  const { bytes: _bytes, ...wllama } = spec.wasm!;
  void _bytes;
  return { concrete: { kind: 'wllama', ...wllama }, choice };
}

/** The protocol's phases by model key, turned into phases by slot (several keys may share a slot). */
export function phasesOverSlots(
  phasesByKey: readonly PhaseDemand[],
  slotOfKey: (key: string) => string | undefined,
  context: { field: 'phases' | 'protocol'; keys: readonly string[] },
): PhaseDemand[] {
  return phasesByKey.map((phase) => {
    const calls: Record<string, number> = {};
    for (const [key, count] of Object.entries(phase.calls)) {
      const slot = slotOfKey(key);
      if (!slot) throw runtimeError('BAD_SPEC', { field: context.field, model: key }, { message: `EnginePool: the ${context.field === 'phases' ? 'phases name' : 'protocol names'} model key "${key}", which is not in models (${context.keys.join(', ')}).` });
      calls[slot] = (calls[slot] ?? 0) + count;
    }
    return { ...phase, calls };
  });
}

/** The sentence the pool reports when its models do not all fit at once. */
export function swapModeMessage(slots: number, memory: Extract<MemoryPlan, { mode: 'swap' }>, budgetMB: number): string {
  return `Swap mode: the ${slots} models need ${Math.round(memory.totalMB)} MB of GPU memory together, more than the budget of ${Math.round(budgetMB)} MB, so they are loaded in turns: ${memory.loads} model loads per run instead of ${slots}. Each model still fits on its own.`;
}
