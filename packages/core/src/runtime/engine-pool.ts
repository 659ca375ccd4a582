/**
 * The engine pool: one agent worker per distinct model, shared (and queued) by the agents that use it.
 *
 * `plan()` checks the GPU, resolves model ids and plans memory before anything is downloaded. `load()` then
 * loads every model (in parallel or one by one) when they all fit, or in **swap mode** loads what fits and
 * swaps models in and out as requests arrive, following the plan's schedule (fewest loads over the protocol's
 * phases). Progress is reported per model and overall, with an ETA. A worker that crashes (its `error` event, or
 * no answer to a ping) is restarted once; if it crashes again its model is given up and its requests fail with
 * WORKER_CRASHED, so the protocol drops the agents that use it and finishes with the others. `dispose()` ends all.
 *
 * `engine(key)` returns an object satisfying the engine contract, to put in the protocol's agent configs.
 */
import type {
  CallInfo,
  CallRequestOptions,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatEngine,
} from '../engine/contract.js';
import { assertWebGpu, detectCapabilities, type Capabilities } from './capabilities.js';
import { absoluteAppConfig, isBackendEngineSpec, validateEngineSpec, type BackendEngineSpec, type ConcreteEngineSpec, type EngineSpec } from './engine-spec.js';
import { chooseBackend, chooseThreadCount, gpuProbeOf, type BackendChoice, type BackendPreference, type ThreadChoice } from './backend-choice.js';
import { needsShaderF16 } from '../engine/model-record.js';
import { abortError, isRuntimeError, runtimeError, type RuntimeError } from '../engine/errors.js';
import type { EngineKind } from '../engine/hosted-engine.js';
import { LoadProgressTracker, type ModelLoadProgress, type OverallLoadProgress } from './load-progress.js';
import {
  defaultMemoryBudgetMB,
  planMemory,
  protocolPhases,
  resolveModel,
  type MemoryPlan,
  type PhaseDemand,
  type ProtocolShape,
  type ResolvedModel,
} from './memory-plan.js';
import type { ModelRecordLike } from '../engine/model-record.js';
import type { HostedSpec, WorkerStats } from './stream-wire.js';
import { WorkerEngine, type WorkerStartOptions } from './worker-engine.js';
import { recordModelUse } from '../cache/model-cache.js';

export interface EnginePoolOptions extends WorkerStartOptions {
  /** Model key → what to run. Keys are what agents name; keys resolving to the same model share one worker. */
  models: Record<string, EngineSpec>;
  /** For specs naming a model per backend (`{ webgpu, wasm }`): 'auto' (default) runs WebGPU where an adapter can
   *  run the model and WASM otherwise; 'webgpu' / 'wasm' force one. A spec's own `backend` wins. */
  backend?: BackendPreference;
  /** GPU memory the pool may use, MB. Default: `defaultMemoryBudgetMB()` (4096, less on low-RAM devices). */
  memoryBudgetMB?: number;
  /** The protocol run the pool will serve (agents' and aggregator's model keys), to plan swaps over its phases. */
  protocol?: ProtocolShape;
  /** Or the phases directly (model keys → calls per phase). */
  phases?: PhaseDemand[];
  /** 'parallel' loads every model at once, 'sequential' one after another. 'auto' (default): parallel when all
   *  fit, else one at a time (swap mode). */
  loading?: 'auto' | 'parallel' | 'sequential';
  /** How many times a crashed worker is restarted before its model is given up. Default 1. */
  restarts?: number;
  /** Skip detection (e.g. you already called detectCapabilities()). */
  capabilities?: Capabilities;
  /** Swap mode: a loaded model idle this long (ms) may be unloaded for a waiting one even if the plan expects
   *  more calls for it in the current phase (e.g. an agent was dropped, or requests carry no `call`). Default 1000. */
  swapIdleMs?: number;
  /** Record loaded WebLLM models in the cache registry (see listCachedModels). Default true. */
  registry?: boolean;
  onEvent?: (event: PoolEvent) => void;
}

export interface PlannedPoolModel {
  /** The pool key. */
  key: string;
  kind: EngineKind;
  /** What was asked for (a WebLLM id or family; 'scripted'; the wllama URL). */
  requested: string;
  /** The model that will be loaded (a WebLLM id after family resolution). */
  model: string;
  vramMB: number;
  /** The worker slot; keys with the same slot share a worker. */
  slot: string;
  via?: ResolvedModel['via'];
  /** The f16 builds were skipped because the GPU lacks shader-f16. */
  avoidedF16?: boolean;
  /** For a `{ webgpu, wasm }` spec: which backend was chosen and why. */
  backend?: BackendChoice;
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

export type PoolEvent =
  | { type: 'plan'; plan: PoolPlan }
  /** A `{ webgpu, wasm }` spec was resolved: the backend, and a sentence saying why (for the UI). */
  | { type: 'backend'; key: string; choice: BackendChoice }
  | { type: 'swap-mode'; message: string; loads: number; reloads: number }
  | { type: 'load-start'; slot: string; model: string; attempt: number }
  | { type: 'progress'; slot: string; model: string; progress: ModelLoadProgress; overall: OverallLoadProgress }
  | { type: 'loaded'; slot: string; model: string; loadMs: number; attempt: number }
  | { type: 'load-failed'; slot: string; model: string; error: Error }
  | { type: 'unloaded'; slot: string; model: string; reason: 'swap' | 'dispose' }
  | { type: 'worker-crashed'; slot: string; model: string; error: RuntimeError; restarting: boolean }
  | { type: 'model-dropped'; slot: string; model: string; error: RuntimeError }
  | { type: 'disposed' };

export type SlotState = 'unloaded' | 'loading' | 'loaded' | 'unloading' | 'failed';

export interface PoolSlotStatus {
  slot: string;
  keys: string[];
  model: string;
  state: SlotState;
  vramMB: number;
  /** Requests running in the worker / waiting in the pool. */
  inFlight: number;
  queued: number;
  loads: number;
  crashes: number;
}

interface Pending {
  params: ChatCompletionCreateParams & { stream: true };
  options: CallRequestOptions;
  phase: string | undefined;
  resolve: (stream: AsyncIterable<ChatCompletionChunk>) => void;
  reject: (error: unknown) => void;
  onAbort?: () => void;
}

interface Slot {
  id: string;
  keys: string[];
  kind: EngineKind;
  model: string;
  spec: HostedSpec;
  record?: ModelRecordLike;
  vramMB: number;
  state: SlotState;
  worker?: WorkerEngine;
  queue: Pending[];
  inFlight: number;
  idleSince: number;
  loads: number;
  crashes: number;
  failure?: RuntimeError | Error;
  /** Calls settled per phase id in the current run (for "done with this phase" in swap mode). */
  served: Map<string, number>;
  loading?: Promise<void>;
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

export class EnginePool {
  private readonly options: EnginePoolOptions;
  private readonly slots = new Map<string, Slot>();
  private readonly slotOfKey = new Map<string, Slot>();
  private readonly listeners = new Set<(event: PoolEvent) => void>();
  private planned: Promise<PoolPlan> | undefined;
  private plan_: PoolPlan | undefined;
  private tracker = new LoadProgressTracker();
  private disposed = false;
  private swapTimer: ReturnType<typeof setTimeout> | undefined;
  private loadStepQueued = false;
  /** Swap mode: the phase of the latest request, for the plan's hints. */
  private currentPhase: string | undefined;
  private readonly phaseIndex = new Map<string, number>();
  private phases: PhaseDemand[] = [];
  private readonly engines = new Map<string, ChatEngine>();

  constructor(options: EnginePoolOptions) {
    if (!options || typeof options.models !== 'object' || options.models === null) {
      throw runtimeError('BAD_SPEC', { field: 'models' }, { message: 'EnginePool: models must be an object mapping keys to engine specs, e.g. { qwen: { kind: "webllm", model: "Qwen2.5-0.5B-Instruct" } }' });
    }
    const keys = Object.keys(options.models);
    if (!keys.length) throw runtimeError('BAD_SPEC', { field: 'models' }, { message: 'EnginePool: models is empty; name at least one model.' });
    for (const key of keys) validateEngineSpec(key, options.models[key]);
    if (options.restarts !== undefined && !(Number.isInteger(options.restarts) && options.restarts >= 0)) {
      throw runtimeError('BAD_SPEC', { field: 'restarts' }, { message: `EnginePool: restarts must be a whole number ≥ 0, got ${String(options.restarts)}` });
    }
    if (options.memoryBudgetMB !== undefined && !(typeof options.memoryBudgetMB === 'number' && Number.isFinite(options.memoryBudgetMB) && options.memoryBudgetMB > 0)) {
      throw runtimeError('BAD_SPEC', { field: 'memoryBudgetMB' }, { message: `EnginePool: memoryBudgetMB must be a positive number of megabytes (e.g. 4096), got ${typeof options.memoryBudgetMB === 'string' ? JSON.stringify(options.memoryBudgetMB) : String(options.memoryBudgetMB)}; leave it out for the default (4096, or half the RAM below 8 GB).` });
    }
    if (options.loading !== undefined && !['auto', 'parallel', 'sequential'].includes(options.loading)) {
      throw runtimeError('BAD_SPEC', { field: 'loading' }, { message: `EnginePool: loading must be "auto", "parallel" or "sequential", got ${JSON.stringify(options.loading)}` });
    }
    this.options = options;
    if (options.onEvent) this.listeners.add(options.onEvent);
  }

  /** Listens to pool events; returns an unsubscribe function. */
  subscribe(listener: (event: PoolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PoolEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('EnginePool: an event listener threw', error);
      }
    }
  }

  // ---- planning ------------------------------------------------------------------------------

  /**
   * Checks WebGPU (for WebLLM models), resolves ids and plans memory. Nothing is downloaded and no worker starts.
   * Fails with NO_WEBGPU, NO_ADAPTER, UNKNOWN_MODEL, F16_MISSING or CANNOT_FIT.
   */
  plan(): Promise<PoolPlan> {
    this.assertAlive();
    this.planned ??= this.makePlan();
    return this.planned;
  }

  /** Picks WebGPU or WASM for a `{ webgpu, wasm }` spec from the adapter, the WebLLM record and the budget. */
  private async chooseBackendFor(key: string, spec: BackendEngineSpec, capabilities: Capabilities): Promise<{ concrete: ConcreteEngineSpec; choice: BackendChoice }> {
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
    const budgetMB = this.options.memoryBudgetMB ?? defaultMemoryBudgetMB(capabilities.deviceMemoryGB);
    let choice: BackendChoice;
    try {
      choice = chooseBackend({
        preference: spec.backend ?? this.options.backend ?? 'auto',
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

  private async makePlan(): Promise<PoolPlan> {
    const { options } = this;
    let capabilities = options.capabilities;
    const dual = Object.values(options.models).some((spec) => isBackendEngineSpec(spec));
    if (dual) capabilities ??= await detectCapabilities();
    const choices = new Map<string, BackendChoice>();
    const specs: (readonly [string, ConcreteEngineSpec])[] = await Promise.all(
      Object.entries(options.models).map(async ([key, spec]) => {
        if (!isBackendEngineSpec(spec)) return [key, spec] as const;
        const { concrete, choice } = await this.chooseBackendFor(key, spec, capabilities!);
        choices.set(key, choice);
        this.emit({ type: 'backend', key, choice });
        return [key, concrete] as const;
      }),
    );
    const needsGpu = specs.some(([, spec]) => spec.kind === 'webllm');
    if (needsGpu) {
      capabilities ??= await detectCapabilities();
      assertWebGpu(capabilities);
    }
    const prebuilt = needsGpu ? (await import('../engine/webllm/webllm-catalog.js')).WEBLLM_PREBUILT_MODELS : [];
    const base = globalThis.location?.href;
    const models: PlannedPoolModel[] = [];
    for (const [key, spec] of specs) {
      let hosted: HostedSpec;
      let model: string;
      let vramMB = spec.vramMB ?? 0;
      let resolved: ResolvedModel | undefined;
      let record: ModelRecordLike | undefined;
      if (spec.kind === 'webllm') {
        const appConfig = spec.appConfig ? absoluteAppConfig(spec.appConfig, base) : undefined;
        resolved = resolveModel(spec.model, appConfig?.model_list ?? prebuilt, { f16: capabilities?.f16 ?? false });
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
      // One worker per distinct model: the slot id is the model plus a hash of whatever else makes it differ.
      const slotId = isBlob
        ? `wllama:${model}#${key}`
        : spec.kind === 'webllm'
          ? `webllm:${model}${hosted.kind === 'webllm' && (hosted.appConfig || hosted.chatOptions) ? `#${shortHash(stableKey([record, hosted.chatOptions]))}` : ''}`
          : `${spec.kind}:${model}#${shortHash(stableKey(hosted))}`;
      let slot = this.slots.get(slotId);
      if (!slot) {
        slot = {
          id: slotId, keys: [], kind: spec.kind, model, spec: hosted, vramMB, state: 'unloaded', queue: [], inFlight: 0, idleSince: 0,
          loads: 0, crashes: 0, served: new Map(),
          ...(record ? { record } : {}),
        };
        this.slots.set(slotId, slot);
      }
      slot.vramMB = Math.max(slot.vramMB, vramMB);
      slot.keys.push(key);
      this.slotOfKey.set(key, slot);
      models.push({
        key, kind: spec.kind, requested: spec.kind === 'webllm' ? spec.model : spec.kind === 'scripted' ? 'scripted' : model, model, vramMB, slot: slotId,
        ...(resolved ? { via: resolved.via } : {}), ...(resolved?.avoidedF16 ? { avoidedF16: true } : {}),
        ...(choices.has(key) ? { backend: choices.get(key)! } : {}),
      });
    }

    // WASM engines share the CPU: one thread each unless the page is cross-origin isolated with cores to spare.
    const wasmSlots = [...this.slots.values()].filter((s) => s.kind === 'wllama');
    let wasmThreads: ThreadChoice | undefined;
    if (wasmSlots.length) {
      wasmThreads = chooseThreadCount({
        crossOriginIsolated: !!globalThis.crossOriginIsolated,
        hardwareConcurrency: globalThis.navigator?.hardwareConcurrency,
        wasmEngines: wasmSlots.length,
      });
      for (const slot of wasmSlots) {
        const spec = slot.spec as HostedSpec & { threads?: number };
        if (spec.threads === undefined) slot.spec = { ...spec, threads: wasmThreads.threads } as HostedSpec;
      }
    }

    // Phases over slots (several keys may share a slot).
    const phasesByKey = options.phases ?? (options.protocol ? protocolPhases(options.protocol) : undefined);
    const phases = phasesByKey?.map((phase) => {
      const calls: Record<string, number> = {};
      for (const [key, count] of Object.entries(phase.calls)) {
        const slot = this.slotOfKey.get(key);
        if (!slot) throw runtimeError('BAD_SPEC', { field: options.phases ? 'phases' : 'protocol', model: key }, { message: `EnginePool: the ${options.phases ? 'phases name' : 'protocol names'} model key "${key}", which is not in models (${Object.keys(options.models).join(', ')}).` });
        calls[slot.id] = (calls[slot.id] ?? 0) + count;
      }
      return { ...phase, calls };
    });
    this.phases = phases ?? [];
    this.phases.forEach((p, i) => this.phaseIndex.set(p.id, i));

    const budgetMB = options.memoryBudgetMB ?? defaultMemoryBudgetMB(capabilities?.deviceMemoryGB ?? (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory);
    const memory = planMemory({ models: [...this.slots.values()].map((s) => ({ key: s.id, vramMB: s.vramMB })), budgetMB, ...(phases ? { phases } : {}) });
    const loading = options.loading && options.loading !== 'auto' ? options.loading : memory.mode === 'all-fit' ? 'parallel' : 'sequential';
    const plan: PoolPlan = { models, memory, loading, budgetMB, ...(capabilities ? { capabilities } : {}), ...(wasmThreads ? { wasmThreads } : {}) };
    this.plan_ = plan;
    this.emit({ type: 'plan', plan });
    if (memory.mode === 'swap') {
      const slots = [...this.slots.values()];
      this.emit({
        type: 'swap-mode',
        loads: memory.loads,
        reloads: memory.reloads,
        message: `Swap mode: the ${slots.length} models need ${Math.round(memory.totalMB)} MB of GPU memory together, more than the budget of ${Math.round(budgetMB)} MB, so they are loaded in turns: ${memory.loads} model loads per run instead of ${slots.length}. Each model still fits on its own.`,
      });
    }
    return plan;
  }

  // ---- loading -------------------------------------------------------------------------------

  /**
   * Plans, then loads: every model when all fit (in parallel unless `loading: 'sequential'`), or the first batch
   * of the swap schedule. Rejects with the first load error (other models stay loaded; a failed model's requests
   * fail with its error) or LOAD_CANCELLED when `signal` aborts.
   */
  async load(options: { signal?: AbortSignal } = {}): Promise<PoolPlan> {
    const plan = await this.plan();
    const { signal } = options;
    if (signal?.aborted) throw runtimeError('LOAD_CANCELLED', {}, { message: 'Loading was cancelled before it started.' });
    const targets = plan.memory.mode === 'all-fit'
      ? [...this.slots.values()]
      : (plan.memory.schedule[0]?.batches[0]?.load ?? []).map((id) => this.slots.get(id)!);
    this.tracker = new LoadProgressTracker();
    for (const slot of targets) this.tracker.add(slot.id, slot.vramMB);
    const errors: unknown[] = [];
    const run = async (slot: Slot) => {
      try {
        await this.ensureLoaded(slot, signal);
      } catch (error) {
        errors.push(error);
      }
    };
    if (plan.loading === 'parallel') await Promise.all(targets.map(run));
    else for (const slot of targets) {
      if (signal?.aborted) break;
      await run(slot);
    }
    if (signal?.aborted) throw runtimeError('LOAD_CANCELLED', {}, { message: 'Loading was cancelled.' });
    const first = errors.find((e) => !(isRuntimeError(e) && e.code === 'LOAD_CANCELLED')) ?? errors[0];
    if (first) throw first;
    return plan;
  }

  /** Loads a slot (starting its worker if needed), retrying once per allowed restart when the worker crashes. */
  private ensureLoaded(slot: Slot, signal?: AbortSignal): Promise<void> {
    if (slot.state === 'loaded') return Promise.resolve();
    if (slot.state === 'failed') return Promise.reject(slot.failure);
    if (slot.loading) return slot.loading;
    slot.state = 'loading';
    const promise = this.loadSlot(slot, signal).finally(() => {
      if (slot.loading === promise) slot.loading = undefined;
      this.schedule();
    });
    slot.loading = promise;
    return promise;
  }

  private async loadSlot(slot: Slot, signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.assertAlive();
      const attempt = slot.crashes;
      try {
        if (!slot.worker || slot.worker.state !== 'ready') slot.worker = await this.startWorker(slot);
        if (!this.hasTracked(slot.id)) {
          // A load outside load() (swap mode, restarts): report it on its own unless others are still loading.
          if (!this.tracker.snapshot().models.some((m) => m.state === 'loading' || m.state === 'waiting')) this.tracker = new LoadProgressTracker();
          this.tracker.add(slot.id, slot.vramMB);
        }
        this.tracker.begin(slot.id);
        this.emit({ type: 'load-start', slot: slot.id, model: slot.model, attempt });
        slot.loads++;
        const info = await slot.worker.load(slot.spec, {
          ...(signal ? { signal } : {}),
          attempt,
          onProgress: (progress) => {
            this.tracker.update(slot.id, progress);
            this.emitProgress(slot);
          },
        });
        if (this.disposed) return;
        slot.state = 'loaded';
        slot.idleSince = performance.now();
        this.tracker.finish(slot.id);
        this.emitProgress(slot);
        this.emit({ type: 'loaded', slot: slot.id, model: slot.model, loadMs: info.loadMs, attempt });
        if (slot.kind === 'webllm' && slot.record && this.options.registry !== false) {
          const record = slot.record;
          void recordModelUse(record).catch((error) => console.warn('EnginePool: could not update the cache registry', error));
        }
        return;
      } catch (error) {
        if (this.disposed) throw runtimeError('DISPOSED');
        if (isRuntimeError(error) && error.code === 'LOAD_CANCELLED') {
          slot.state = 'unloaded';
          this.tracker.fail(slot.id, true);
          this.emitProgress(slot);
          throw error;
        }
        if (isRuntimeError(error) && error.code === 'WORKER_CRASHED') {
          // The crash handler counted it; retry while restarts remain.
          if (slot.crashes <= (this.options.restarts ?? 1)) continue;
          throw slot.failure ?? error;
        }
        this.fail(slot, error as Error);
        this.tracker.fail(slot.id);
        this.emitProgress(slot);
        this.emit({ type: 'load-failed', slot: slot.id, model: slot.model, error: error as Error });
        throw error;
      }
    }
  }

  private hasTracked(id: string): boolean {
    return this.tracker.snapshot().models.some((m) => m.key === id);
  }

  private emitProgress(slot: Slot): void {
    const snapshot = this.tracker.snapshot();
    const progress = snapshot.models.find((m) => m.key === slot.id);
    if (progress) this.emit({ type: 'progress', slot: slot.id, model: slot.model, progress, overall: snapshot.overall });
  }

  private async startWorker(slot: Slot): Promise<WorkerEngine> {
    const { options } = this;
    const worker = await WorkerEngine.start({
      ...(options.workerUrl !== undefined ? { workerUrl: options.workerUrl } : {}),
      ...(options.bootstrap ? { bootstrap: options.bootstrap } : {}),
      ...(options.createWorker ? { createWorker: options.createWorker } : {}),
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
      ...(options.pingTimeoutMs !== undefined ? { pingTimeoutMs: options.pingTimeoutMs } : {}),
      ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
      name: `agent worker ${slot.keys.join('/')} (${slot.model})`,
    });
    worker.onCrash((error) => this.onCrash(slot, worker, error));
    return worker;
  }

  private onCrash(slot: Slot, worker: WorkerEngine, error: RuntimeError): void {
    if (this.disposed || slot.worker !== worker) return;
    slot.worker = undefined;
    slot.crashes++;
    const restarts = this.options.restarts ?? 1;
    const restarting = slot.crashes <= restarts;
    this.emit({ type: 'worker-crashed', slot: slot.id, model: slot.model, error, restarting });
    if (!restarting) {
      const given = runtimeError('WORKER_CRASHED', { model: slot.model, causeMessage: error.details.causeMessage, crashes: slot.crashes }, {
        message: `The worker running "${slot.model}" crashed ${slot.crashes} time${slot.crashes === 1 ? '' : 's'}${restarts ? ' (it was restarted and crashed again)' : ''}, so this model was given up; the agents using it are dropped. Last cause: ${error.details.causeMessage ?? 'unknown'}. Try a smaller model, or reload the page.`,
      });
      this.fail(slot, given);
      this.emit({ type: 'model-dropped', slot: slot.id, model: slot.model, error: given });
      return;
    }
    if (slot.state === 'loading') return; // loadSlot retries
    const wasLoaded = slot.state === 'loaded';
    slot.state = 'unloaded';
    // Restart at once if it was meant to be loaded; in swap mode waiting requests bring it back anyway.
    if (wasLoaded && (this.plan_?.memory.mode === 'all-fit' || slot.queue.length)) {
      void this.ensureLoaded(slot).catch(() => undefined);
    }
    this.schedule();
  }

  private fail(slot: Slot, error: Error): void {
    slot.state = 'failed';
    slot.failure = error;
    for (const pending of slot.queue.splice(0)) this.rejectPending(pending, error);
  }

  // ---- requests ------------------------------------------------------------------------------

  /** The engine for a model key: satisfies the engine contract; pass it as an agent's `engine`. */
  engine(key: string): ChatEngine {
    let engine = this.engines.get(key);
    if (engine) return engine;
    if (!(key in this.options.models)) {
      throw runtimeError('BAD_SPEC', { field: 'key', model: key }, { message: `EnginePool: no model named "${key}"; known keys: ${Object.keys(this.options.models).join(', ')}` });
    }
    // Planning is async; the engine resolves its slot on first use.
    const create = (params: ChatCompletionCreateParams & { stream: true }, options?: CallRequestOptions) => this.submit(key, params, options ?? {});
    engine = {
      chat: { completions: { create } } as ChatEngine['chat'],
      interruptGenerate: async () => {
        await this.plan();
        await this.slotOfKey.get(key)?.worker?.interruptGenerate();
      },
    };
    this.engines.set(key, engine);
    return engine;
  }

  private async submit(key: string, params: ChatCompletionCreateParams & { stream: true }, options: CallRequestOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    if (!Array.isArray(params?.messages) || params.messages.length === 0) throw new TypeError(`engine "${key}": \`messages\` must be a non-empty array of { role, content }`);
    if (params.stream !== true) throw new TypeError(`engine "${key}": only streaming is supported; pass \`stream: true\``);
    if (options.signal?.aborted) throw abortError(options.signal);
    this.assertAlive();
    await this.plan();
    const slot = this.slotOfKey.get(key)!;
    if (slot.state === 'failed') throw slot.failure;
    const phase = options.call ? phaseId(options.call) : undefined;
    this.notePhase(phase);
    return new Promise((resolve, reject) => {
      const pending: Pending = { params, options, phase, resolve, reject };
      const { signal } = options;
      if (signal) {
        pending.onAbort = () => {
          const index = slot.queue.indexOf(pending);
          if (index >= 0) {
            slot.queue.splice(index, 1);
            reject(abortError(signal));
            this.schedule();
          }
        };
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      slot.queue.push(pending);
      this.schedule();
    });
  }

  /** Tracks the protocol's progress through the planned phases; going back to an earlier phase is a new run. */
  private notePhase(phase: string | undefined): void {
    const index = phase === undefined ? undefined : this.phaseIndex.get(phase);
    if (index === undefined) return;
    const current = this.currentPhase === undefined ? -1 : this.phaseIndex.get(this.currentPhase)!;
    if (index < current) for (const slot of this.slots.values()) slot.served.clear();
    if (index < current || index > current) this.currentPhase = phase;
  }

  private rejectPending(pending: Pending, error: unknown): void {
    if (pending.onAbort) pending.options.signal?.removeEventListener('abort', pending.onAbort);
    pending.reject(error);
  }

  private dispatch(slot: Slot, pending: Pending): void {
    if (pending.onAbort) pending.options.signal?.removeEventListener('abort', pending.onAbort);
    const worker = slot.worker!;
    slot.inFlight++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      slot.inFlight--;
      if (pending.phase) slot.served.set(pending.phase, (slot.served.get(pending.phase) ?? 0) + 1);
      if (slot.inFlight === 0) slot.idleSince = performance.now();
      this.schedule();
    };
    worker.request(pending.params, pending.options, settle).then(pending.resolve, (error) => {
      settle();
      pending.reject(error);
    });
  }

  // ---- scheduling (dispatch, swap) ------------------------------------------------------------

  /** Hands queued requests to loaded workers now; decides loads and swaps on the next macrotask, once every
   *  request submitted in this one is queued (the protocol starts a phase's calls together). */
  private schedule(): void {
    if (this.disposed || !this.plan_) return;
    for (const slot of this.slots.values()) {
      if (slot.state === 'loaded' && slot.worker?.state === 'ready') {
        while (slot.queue.length) this.dispatch(slot, slot.queue.shift()!);
      } else if (slot.state === 'failed') {
        for (const pending of slot.queue.splice(0)) this.rejectPending(pending, slot.failure);
      }
    }
    if (this.loadStepQueued) return;
    this.loadStepQueued = true;
    setTimeout(() => {
      this.loadStepQueued = false;
      this.loadStep();
    }, 0);
  }

  private loadStep(): void {
    if (this.disposed || !this.plan_) return;
    const waiting = [...this.slots.values()].filter((s) => s.queue.length && s.state === 'unloaded');
    if (!waiting.length) return;
    const budget = this.plan_.budgetMB;
    const occupied = () => [...this.slots.values()].filter((s) => s.state === 'loading' || s.state === 'loaded' || s.state === 'unloading');
    const used = () => occupied().reduce((sum, s) => sum + s.vramMB, 0);
    const sequential = this.plan_.loading === 'sequential';
    waiting.sort((a, b) => this.loadPriority(a) - this.loadPriority(b));
    for (const candidate of waiting) {
      if (sequential && occupied().some((s) => s.state === 'loading' || s.state === 'unloading')) return;
      if (used() + candidate.vramMB <= budget + 1e-9) {
        void this.ensureLoaded(candidate).catch(() => undefined);
        continue;
      }
      if (occupied().some((s) => s.state === 'unloading')) return; // memory is being freed; wait for it
      const victims = this.chooseVictims(candidate, budget - used());
      if (victims) {
        candidate.state = 'loading'; // reserve the room
        void Promise.all(victims.map((v) => this.evict(v))).then(() => {
          candidate.state = 'unloaded';
          return this.ensureLoaded(candidate);
        }).catch(() => undefined);
        return;
      }
      this.armSwapTimer();
      return;
    }
  }

  /** Lower runs first: the plan's batch order for the current phase, then first come. */
  private loadPriority(slot: Slot): number {
    const schedule = this.plan_?.memory.mode === 'swap' ? this.plan_.memory.schedule : undefined;
    const phase = slot.queue[0]?.phase;
    const phasePlan = schedule?.find((p) => p.phase === phase);
    const batch = phasePlan?.batches.findIndex((b) => b.run.includes(slot.id)) ?? -1;
    return (batch < 0 ? 1000 : batch) * 1e6 + (this.phaseIndex.get(phase ?? '') ?? 0);
  }

  /**
   * The loaded models to unload so `candidate` fits, in the plan's order of preference: first what the plan does
   * not keep after the current phase, then what is needed last (Belady). Returns undefined to wait when a
   * preferred model is still working (or idle but expected to get more calls): unloading another one instead
   * would cost a reload the plan avoids. A model idle for `swapIdleMs` is taken in any case, so nothing waits
   * forever for calls that will not come (a dropped agent).
   */
  private chooseVictims(candidate: Slot, free: number): Slot[] | undefined {
    const now = performance.now();
    const idleMs = this.options.swapIdleMs ?? 1000;
    const current = this.currentPhase;
    const currentIndex = this.phaseIndex.get(current ?? '') ?? 0;
    const keep = new Set(this.plan_?.memory.mode === 'swap' ? this.plan_.memory.schedule.find((p) => p.phase === current)?.keep ?? [] : []);
    const nextUse = (slot: Slot) => {
      for (let i = currentIndex + 1; i < this.phases.length; i++) if ((this.phases[i]!.calls[slot.id] ?? 0) > 0) return i;
      return Infinity;
    };
    const idle = (s: Slot) => s.inFlight === 0 && !s.queue.length;
    const evictable = (s: Slot) => idle(s) && (this.doneWithPhase(s) || now - s.idleSince >= idleMs);
    const loaded = [...this.slots.values()].filter((s) => s !== candidate && s.state === 'loaded');
    loaded.sort((a, b) => Number(keep.has(a.id)) - Number(keep.has(b.id)) || nextUse(b) - nextUse(a) || Number(evictable(b)) - Number(evictable(a)) || a.idleSince - b.idleSince);
    const victims: Slot[] = [];
    let room = free;
    for (const slot of loaded) {
      if (room >= candidate.vramMB - 1e-9) break;
      victims.push(slot);
      room += slot.vramMB;
    }
    if (room < candidate.vramMB - 1e-9) return undefined;
    if (victims.every(evictable)) return victims;
    // The preferred victims are busy. Take idle-and-timed-out ones instead only if nothing is working at all.
    if (loaded.some((s) => !idle(s))) return undefined;
    const fallback = loaded.filter(evictable);
    const picked: Slot[] = [];
    room = free;
    for (const slot of fallback) {
      if (room >= candidate.vramMB - 1e-9) break;
      picked.push(slot);
      room += slot.vramMB;
    }
    return room >= candidate.vramMB - 1e-9 ? picked : undefined;
  }

  /** The slot served every call the plan expects of it in the current phase (none expected: done). */
  private doneWithPhase(slot: Slot): boolean {
    const phase = this.currentPhase;
    if (phase === undefined) return false;
    const expected = this.phases[this.phaseIndex.get(phase)!]?.calls[slot.id] ?? 0;
    return (slot.served.get(phase) ?? 0) >= expected;
  }

  private armSwapTimer(): void {
    if (this.swapTimer) return;
    const idleSlots = [...this.slots.values()].filter((s) => s.state === 'loaded' && s.inFlight === 0 && !s.queue.length);
    if (!idleSlots.length) return; // a finishing request will call schedule()
    const idleMs = this.options.swapIdleMs ?? 1000;
    const now = performance.now();
    const wait = Math.max(1, Math.min(...idleSlots.map((s) => idleMs - (now - s.idleSince))));
    this.swapTimer = setTimeout(() => {
      this.swapTimer = undefined;
      this.schedule();
    }, wait);
  }

  private async evict(slot: Slot): Promise<void> {
    slot.state = 'unloading';
    const worker = slot.worker;
    slot.worker = undefined;
    try {
      // Unload, then end the worker: terminating guarantees the GPU memory is returned.
      await Promise.race([worker?.unload(), new Promise((resolve) => setTimeout(resolve, 5000))]);
    } catch {
      // the worker is terminated below either way
    } finally {
      worker?.terminate();
      if (slot.state === 'unloading') slot.state = 'unloaded';
      this.emit({ type: 'unloaded', slot: slot.id, model: slot.model, reason: 'swap' });
    }
  }

  // ---- inspection and disposal -----------------------------------------------------------------

  /** The plan, once `plan()` or `load()` ran. */
  get currentPlan(): PoolPlan | undefined {
    return this.plan_;
  }

  status(): PoolSlotStatus[] {
    return [...this.slots.values()].map((s) => ({
      slot: s.id, keys: [...s.keys], model: s.model, state: s.state, vramMB: s.vramMB,
      inFlight: s.inFlight, queued: s.queue.length, loads: s.loads, crashes: s.crashes,
    }));
  }

  /** The worker's own counters for a model key (requests, tokens, decode speed). */
  async stats(key: string): Promise<WorkerStats | undefined> {
    await this.plan();
    const worker = this.slotOfKey.get(key)?.worker;
    return worker?.state === 'ready' ? worker.stats() : undefined;
  }

  /** Terminates every worker; pending and future requests fail with DISPOSED. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.swapTimer) clearTimeout(this.swapTimer);
    const error = runtimeError('DISPOSED');
    for (const slot of this.slots.values()) {
      for (const pending of slot.queue.splice(0)) this.rejectPending(pending, error);
      const worker = slot.worker;
      slot.worker = undefined;
      if (worker) {
        worker.terminate();
        if (slot.state === 'loaded') this.emit({ type: 'unloaded', slot: slot.id, model: slot.model, reason: 'dispose' });
      }
      slot.state = 'unloaded';
    }
    this.emit({ type: 'disposed' });
  }

  private assertAlive(): void {
    if (this.disposed) throw runtimeError('DISPOSED');
  }
}

function phaseId(call: CallInfo): string {
  return `L${call.layer}:${call.role}`;
}
