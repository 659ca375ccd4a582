/**
 * The pool's shared shapes. A **slot** is one worker hosting one distinct model; pool keys naming the same model
 * share its slot. (Not to be confused with the protocol's call permits, see protocol/permit-queue.ts.)
 */
import type { CallRequestOptions, ChatCompletionChunk, ChatCompletionCreateParams } from '../engine/contract.js';
import type { RuntimeError } from '../engine/errors.js';
import type { EngineKind, ModelLimits } from '../engine/hosted-engine.js';
import type { ModelRecordLike } from '../engine/model-record.js';
import type { BackendChoice } from './backend-choice.js';
import type { ModelLoadProgress, OverallLoadProgress } from './load-progress.js';
import type { PoolPlan } from './pool-plan.js';
import type { RetryStream } from './retry-stream.js';
import type { HostedSpec } from './stream-wire.js';
import type { SlotState } from './swap-scheduler.js';
import type { WorkerEngine } from './worker-engine.js';

export type { SlotState } from './swap-scheduler.js';

export type PoolEvent =
  | { type: 'plan'; plan: PoolPlan }
  /** A `{ webgpu, wasm }` spec was resolved: the backend, and a sentence saying why (for the UI). */
  | { type: 'backend'; key: string; choice: BackendChoice }
  | { type: 'swap-mode'; message: string; loads: number; reloads: number }
  /** A model key runs on an OpenAI-compatible server: its prompts leave the browser (and the device, unless `loopback`). */
  | { type: 'remote'; key: string; model: string; baseURL: string; host: string; loopback: boolean }
  | { type: 'load-start'; slot: string; model: string; attempt: number }
  | { type: 'progress'; slot: string; model: string; progress: ModelLoadProgress; overall: OverallLoadProgress }
  | { type: 'loaded'; slot: string; model: string; loadMs: number; attempt: number }
  | { type: 'load-failed'; slot: string; model: string; error: Error }
  | { type: 'unloaded'; slot: string; model: string; reason: 'swap' | 'dispose' }
  | { type: 'worker-crashed'; slot: string; model: string; error: RuntimeError; restarting: boolean }
  | { type: 'model-dropped'; slot: string; model: string; error: RuntimeError }
  | { type: 'disposed' };

export interface PoolSlotStatus {
  slot: string;
  keys: string[];
  model: string;
  state: SlotState;
  vramMB: number;
  /** Requests its engine decodes together. */
  parallel: number;
  /** Requests running in the worker / waiting in the pool. */
  inFlight: number;
  queued: number;
  loads: number;
  crashes: number;
}

/** A request waiting in the pool for its slot's worker. */
export interface Pending {
  params: ChatCompletionCreateParams & { stream: true };
  options: CallRequestOptions;
  phase: string | undefined;
  resolve: (stream: AsyncIterable<ChatCompletionChunk>) => void;
  reject: (error: unknown) => void;
  onAbort?: () => void;
  /** A request back from a worker that died before answering: the stream its caller already holds. */
  relay?: RetryStream;
}

export interface Slot {
  id: string;
  keys: string[];
  kind: EngineKind;
  model: string;
  spec: HostedSpec;
  record?: ModelRecordLike;
  /** The loaded model's limits, as its worker reported them at the last load. */
  limits?: ModelLimits;
  vramMB: number;
  parallel: number;
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

export function slotStatus(s: Slot): PoolSlotStatus {
  return {
    slot: s.id, keys: [...s.keys], model: s.model, state: s.state, vramMB: s.vramMB, parallel: s.parallel,
    inFlight: s.inFlight, queued: s.queue.length, loads: s.loads, crashes: s.crashes,
  };
}
