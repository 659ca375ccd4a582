/**
 * The engine pool's options and their checks: a bad option fails when the pool is made, naming the field and the fix.
 */
import { runtimeError } from '../engine/errors.js';
import type { BackendPreference } from './backend-choice.js';
import type { Capabilities } from './capabilities.js';
import { validateEngineSpec, type EngineSpec } from './engine-spec.js';
import type { PhaseDemand, ProtocolShape } from './memory-plan.js';
import type { PoolEvent } from './pool-slot.js';
import type { WorkerStartOptions } from './worker-engine.js';

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

/** Throws BAD_SPEC naming the field for options the pool cannot use. */
export function checkPoolOptions(options: EnginePoolOptions): void {
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
  for (const field of ['hangGraceMs', 'pingTimeoutMs', 'pingIntervalMs', 'startTimeoutMs'] as const) {
    const value = options[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw runtimeError('BAD_SPEC', { field }, { message: `EnginePool: ${field} must be a positive number of milliseconds, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}; leave it out for the default.` });
    }
  }
  if (options.loading !== undefined && !['auto', 'parallel', 'sequential'].includes(options.loading)) {
    throw runtimeError('BAD_SPEC', { field: 'loading' }, { message: `EnginePool: loading must be "auto", "parallel" or "sequential", got ${JSON.stringify(options.loading)}` });
  }
}
