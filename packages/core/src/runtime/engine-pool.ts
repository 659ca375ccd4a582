/**
 * The engine pool: one agent worker per distinct model (a slot), shared (and queued) by the agents that use it.
 *
 * `plan()` checks the GPU, resolves model ids and plans memory before anything is downloaded. `load()` then
 * loads every model (in parallel or one by one) when they all fit, or in **swap mode** loads what fits and
 * swaps models in and out as requests arrive, following the plan's schedule (fewest loads over the protocol's
 * phases). Progress is reported per model and overall, with an ETA. A worker that crashes (its `error` event, or
 * no answer to a ping) is restarted once; if it crashes again its model is given up and its requests fail with
 * WORKER_CRASHED, so the protocol drops the agents that use it and finishes with the others. `dispose()` ends all.
 *
 * `engine(key)` returns an object satisfying the engine contract, to put in the protocol's agent configs.
 * A `kind: 'openai'` key is a model on an OpenAI-compatible server: no slot, no worker, no GPU memory here; its
 * engine is the remote engine itself, called from the page.
 * The parts: pool-options (checks), pool-plan (planning, slot ids), swap-scheduler (pure load/evict decisions),
 * pool-lifecycle (loading, crash restarts, eviction), pool-queue (waiting requests).
 */
import type { CallInfo, CallRequestOptions, ChatCompletionChunk, ChatCompletionCreateParams, ChatEngine } from '../engine/contract.js';
import { isRuntimeError, runtimeError } from '../engine/errors.js';
import { webllmLimits, type ModelRecordLike } from '../engine/model-record.js';
import type { ModelLimits } from '../engine/hosted-engine.js';
import { offDevice } from '../engine/remote/off-device.js';
import { createRemoteEngine, type RemoteEngine } from '../engine/remote/remote-engine.js';
import { chooseThreadCount, type BackendChoice, type ThreadChoice } from './backend-choice.js';
import { assertWebGpu, detectCapabilities } from './capabilities.js';
import { isBackendEngineSpec, type ConcreteEngineSpec } from './engine-spec.js';
import { defaultMemoryBudgetMB, planMemory, protocolPhases, type PhaseDemand } from './memory-plan.js';
import { SlotLifecycle } from './pool-lifecycle.js';
import { checkPoolOptions, type EnginePoolOptions } from './pool-options.js';
import { chooseBackendFor, phasesOverSlots, planSpec, swapModeMessage, type PlannedPoolModel, type PoolPlan } from './pool-plan.js';
import { checkRequest, drainQueue, enqueue, rejectQueued } from './pool-queue.js';
import { slotStatus, type PoolEvent, type PoolSlotStatus, type Slot } from './pool-slot.js';
import type { HostedSpec, WorkerStats } from './stream-wire.js';
import { decideLoads, notePhase, type SwapContext } from './swap-scheduler.js';

export type { EnginePoolOptions } from './pool-options.js';
export type { PlannedPoolModel, PoolPlan } from './pool-plan.js';
export type { PoolEvent, PoolSlotStatus, SlotState } from './pool-slot.js';

export class EnginePool {
  private readonly options: EnginePoolOptions;
  private readonly slots = new Map<string, Slot>();
  private readonly slotOfKey = new Map<string, Slot>();
  private readonly listeners = new Set<(event: PoolEvent) => void>();
  private readonly lifecycle: SlotLifecycle;
  private planned: Promise<PoolPlan> | undefined;
  private plan_: PoolPlan | undefined;
  private disposed = false;
  private swapTimer: ReturnType<typeof setTimeout> | undefined;
  private loadStepQueued = false;
  /** Swap mode: the phase of the latest request, for the plan's hints. */
  private currentPhase: string | undefined;
  private phases: PhaseDemand[] = [];
  private readonly engines = new Map<string, ChatEngine>();
  /** Keys of models on OpenAI-compatible servers, and their engines. */
  private readonly remotes = new Map<string, RemoteEngine>();

  constructor(options: EnginePoolOptions) {
    checkPoolOptions(options);
    this.options = options;
    for (const [key, spec] of Object.entries(options.models)) {
      if (spec.kind === 'openai') this.remotes.set(key, createRemoteEngine(spec));
    }
    if (options.onEvent) this.listeners.add(options.onEvent);
    this.lifecycle = new SlotLifecycle({
      options,
      isDisposed: () => this.disposed,
      emit: (event) => this.emit(event),
      schedule: () => this.schedule(),
      memoryMode: () => this.plan_?.memory.mode,
    });
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

  private async makePlan(): Promise<PoolPlan> {
    const { options } = this;
    let capabilities = options.capabilities;
    const dual = Object.values(options.models).some((spec) => isBackendEngineSpec(spec));
    if (dual) capabilities ??= await detectCapabilities();
    const choices = new Map<string, BackendChoice>();
    const specs: (readonly [string, ConcreteEngineSpec])[] = await Promise.all(
      Object.entries(options.models).map(async ([key, spec]) => {
        if (!isBackendEngineSpec(spec)) return [key, spec] as const;
        const { concrete, choice } = await chooseBackendFor(key, spec, capabilities!, options);
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
    const prebuilt: readonly ModelRecordLike[] = needsGpu ? (await import('../engine/webllm/webllm-catalog.js')).WEBLLM_PREBUILT_MODELS : [];
    const base = globalThis.location?.href;
    const models: PlannedPoolModel[] = [];
    for (const [key, spec] of specs) {
      if (spec.kind === 'openai') {
        const where = offDevice(this.remotes.get(key))!;
        const remote = { baseURL: where.baseURL, host: where.host, loopback: where.loopback };
        models.push({ key, kind: 'openai', requested: `${spec.model} @ ${spec.baseURL}`, model: spec.model, vramMB: 0, slot: `openai:${spec.model}@${where.baseURL}`, parallel: 1, remote });
        this.emit({ type: 'remote', key, model: spec.model, ...remote });
        continue;
      }
      const { hosted, model, vramMB, slotId, parallel, resolved, record } = planSpec(key, spec, { prebuilt, base, f16: capabilities?.f16 ?? false });
      let slot = this.slots.get(slotId);
      if (!slot) {
        slot = {
          id: slotId, keys: [], kind: spec.kind, model, spec: hosted, vramMB, parallel, state: 'unloaded', queue: [], inFlight: 0, idleSince: 0,
          loads: 0, crashes: 0, served: new Map(),
          ...(record ? { record } : {}),
        };
        this.slots.set(slotId, slot);
      }
      slot.vramMB = Math.max(slot.vramMB, vramMB);
      // One worker, one copy of the weights: keys asking for more requests at once widen the shared engine.
      if (parallel > slot.parallel) {
        slot.parallel = parallel;
        slot.spec = { ...slot.spec, parallel } as HostedSpec;
      }
      slot.keys.push(key);
      this.slotOfKey.set(key, slot);
      models.push({
        key, kind: spec.kind, requested: spec.kind === 'webllm' ? spec.model : spec.kind === 'scripted' ? 'scripted' : model, model, vramMB, slot: slotId, parallel,
        ...(resolved ? { via: resolved.via } : {}), ...(resolved?.avoidedF16 ? { avoidedF16: true } : {}),
        ...(choices.has(key) ? { backend: choices.get(key)! } : {}),
      });
    }

    for (const m of models) m.parallel = this.slots.get(m.slot)?.parallel ?? 1; // a server model has no slot here

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

    // Server models use no memory here: they are left out of the phases the memory plan schedules.
    const local = (phases: PhaseDemand[]) => phases.map((p) => ({ ...p, calls: Object.fromEntries(Object.entries(p.calls).filter(([key]) => !this.remotes.has(key))) }));
    const phasesByKey = options.phases ? local(options.phases) : options.protocol ? local(protocolPhases(options.protocol)) : undefined;
    const phases = phasesByKey
      ? phasesOverSlots(phasesByKey, (key) => this.slotOfKey.get(key)?.id, { field: options.phases ? 'phases' : 'protocol', keys: Object.keys(options.models) })
      : undefined;
    this.phases = phases ?? [];

    const budgetMB = options.memoryBudgetMB ?? defaultMemoryBudgetMB(capabilities?.deviceMemoryGB ?? (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory);
    const memory = planMemory({ models: [...this.slots.values()].map((s) => ({ key: s.id, vramMB: s.vramMB })), budgetMB, ...(phases ? { phases } : {}) });
    const loading = options.loading && options.loading !== 'auto' ? options.loading : memory.mode === 'all-fit' ? 'parallel' : 'sequential';
    const plan: PoolPlan = { models, memory, loading, budgetMB, ...(capabilities ? { capabilities } : {}), ...(wasmThreads ? { wasmThreads } : {}) };
    this.plan_ = plan;
    this.emit({ type: 'plan', plan });
    if (memory.mode === 'swap') {
      this.emit({ type: 'swap-mode', loads: memory.loads, reloads: memory.reloads, message: swapModeMessage(this.slots.size, memory, budgetMB) });
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
    this.lifecycle.track(targets);
    const errors: unknown[] = [];
    const run = async (slot: Slot) => {
      try {
        await this.lifecycle.ensureLoaded(slot, signal);
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

  // ---- requests ------------------------------------------------------------------------------

  /** The engine for a model key: satisfies the engine contract; pass it as an agent's `engine`. */
  engine(key: string): ChatEngine {
    let engine = this.engines.get(key);
    if (engine) return engine;
    const remote = this.remotes.get(key);
    if (remote) {
      // The server's engine, refusing requests once the pool is disposed; `remote` keeps it marked off the device.
      const create = (params: ChatCompletionCreateParams & { stream: true }, options?: CallRequestOptions) => {
        this.assertAlive();
        return remote.chat.completions.create(params, options);
      };
      const wrapped: RemoteEngine = { remote: remote.remote, chat: { completions: { create } } as ChatEngine['chat'], interruptGenerate: () => remote.interruptGenerate() };
      this.engines.set(key, wrapped);
      return wrapped;
    }
    if (!(key in this.options.models)) {
      throw runtimeError('BAD_SPEC', { field: 'key', model: key }, { message: `EnginePool: no model named "${key}"; known keys: ${Object.keys(this.options.models).join(', ')}` });
    }
    // Planning is async; the engine resolves its slot on first use.
    const create = (params: ChatCompletionCreateParams & { stream: true }, options?: CallRequestOptions) => this.submit(key, params, options ?? {});
    const worker = () => this.slotOfKey.get(key)?.worker;
    // No interruptGenerate(): each request's signal stops exactly that request in its worker (WebLLM's engine-wide
    // interrupt is called there, for the one request it runs), while an interrupt of the whole worker would also
    // cut the requests of other runs and of other keys sharing the model.
    engine = {
      chat: { completions: { create } } as ChatEngine['chat'],
      // The model's own tokenizer, in its worker; undefined (the protocol estimates) while the model is not loaded.
      countTokens: async (text: string) => worker()?.countTokens(text),
      // The loaded model's facts, read by the protocol as defaults when it is built after load().
      get contextWindow() {
        return worker()?.contextWindow;
      },
      get noSystemRole() {
        return worker()?.noSystemRole;
      },
    };
    this.engines.set(key, engine);
    return engine;
  }

  private async submit(key: string, params: ChatCompletionCreateParams & { stream: true }, options: CallRequestOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    checkRequest(key, params, options);
    this.assertAlive();
    // Once planned, the request goes to its worker in this task (no await: other work must not slip in first).
    if (!this.plan_) await this.plan();
    const slot = this.slotOfKey.get(key)!;
    if (slot.state === 'failed') throw slot.failure;
    const phase = options.call ? phaseId(options.call) : undefined;
    // Going back to an earlier phase is a new run: the calls served so far no longer count.
    const next = notePhase(this.currentPhase, phase, this.phases);
    if (next.newRun) for (const s of this.slots.values()) s.served.clear();
    this.currentPhase = next.current;
    return enqueue(slot, params, options, phase, () => this.schedule());
  }

  // ---- scheduling (dispatch, swap) ------------------------------------------------------------

  /** Hands queued requests to loaded workers now; decides loads and swaps on the next macrotask, once every
   *  request submitted in this one is queued (the protocol starts a phase's calls together). */
  private schedule(): void {
    if (this.disposed || !this.plan_) return;
    for (const slot of this.slots.values()) drainQueue(slot, () => this.schedule(), () => this.disposed);
    if (this.loadStepQueued) return;
    this.loadStepQueued = true;
    setTimeout(() => {
      this.loadStepQueued = false;
      this.loadStep();
    }, 0);
  }

  /** Carries out the swap scheduler's decision. */
  private loadStep(): void {
    if (this.disposed || !this.plan_) return;
    const memory = this.plan_.memory;
    const context: SwapContext = {
      budgetMB: this.plan_.budgetMB,
      sequential: this.plan_.loading === 'sequential',
      schedule: memory.mode === 'swap' ? memory.schedule : [],
      phases: this.phases,
      currentPhase: this.currentPhase,
      now: performance.now(),
      idleMs: this.options.swapIdleMs ?? 1000,
    };
    const views = [...this.slots.values()].map((s) => ({
      id: s.id, vramMB: s.vramMB, state: s.state, inFlight: s.inFlight, queued: s.queue.length,
      headPhase: s.queue[0]?.phase, idleSince: s.idleSince, served: s.served,
    }));
    const decision = decideLoads(views, context);
    for (const id of decision.load) void this.lifecycle.ensureLoaded(this.slots.get(id)!).catch(() => undefined);
    if (decision.swap) {
      const candidate = this.slots.get(decision.swap.candidate)!;
      candidate.state = 'loading'; // reserve the room
      void Promise.all(decision.swap.victims.map((id) => this.lifecycle.evict(this.slots.get(id)!))).then(() => {
        candidate.state = 'unloaded';
        return this.lifecycle.ensureLoaded(candidate);
      }).catch(() => undefined);
    }
    if (decision.retryInMs !== undefined && !this.swapTimer) {
      this.swapTimer = setTimeout(() => {
        this.swapTimer = undefined;
        this.schedule();
      }, decision.retryInMs);
    }
  }

  // ---- inspection and disposal -----------------------------------------------------------------

  /** The plan, once `plan()` or `load()` ran. */
  get currentPlan(): PoolPlan | undefined {
    return this.plan_;
  }

  status(): PoolSlotStatus[] {
    return [...this.slots.values()].map(slotStatus);
  }

  /**
   * What a model key's model accepts (context window, system turn), from its record: the loaded worker's report, or
   * for a WebLLM model not loaded yet (swap mode) its catalog record. Undefined before `plan()` / `load()`.
   */
  limits(key: string): ModelLimits | undefined {
    const slot = this.slotOfKey.get(key);
    if (!slot) return undefined;
    return slot.limits ?? (slot.record ? webllmLimits(slot.record) : undefined);
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
    for (const remote of this.remotes.values()) remote.interruptGenerate();
    for (const slot of this.slots.values()) {
      rejectQueued(slot, error);
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
