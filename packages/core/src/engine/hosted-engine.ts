/**
 * What a worker hosts: an engine that can be loaded, serve the chat contract, report stats and unload.
 * One kind per backend (`webllm`, `wllama`, `scripted`); each kind's factory is imported lazily inside the
 * agent worker, so a page that never uses WebLLM never parses its 6 MB bundle.
 */
import type { ChatEngine } from './contract.js';

export type EngineKind = 'webllm' | 'wllama' | 'scripted';

/** Load progress of one model, as reported by its engine (WebLLM's InitProgressReport, wllama's download progress). */
export interface LoadProgress {
  /** 0..1 */
  progress: number;
  /** Human-readable step, e.g. "Fetching param cache[3/20]: 120MB fetched". */
  text: string;
  loadedBytes?: number;
  totalBytes?: number;
  /** Seconds since the load began. */
  elapsedSeconds?: number;
}

export interface EngineStats {
  /** e.g. WebLLM's runtimeStatsText(): "prefill: X tokens/sec, decoding: Y tokens/sec" */
  text?: string;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
  [key: string]: unknown;
}

/** What a loaded model accepts, as its own record says (`EnginePool.limits(key)`; the protocol fits its prompts to these). */
export interface ModelLimits {
  /** Tokens of prompt + answer the loaded model takes. */
  contextWindow?: number;
  /** False when the model's chat template has no system turn (the protocol then puts instructions in the first user turn). */
  systemRole?: boolean;
}

export interface HostedEngine extends ChatEngine {
  /**
   * How many requests the engine decodes together (llama.cpp's slots). The agent worker passes it up to this many
   * at once and queues the rest; default 1: one at a time, in order (WebLLM).
   */
  readonly parallel?: number;
  /** Frees the model (GPU memory, wasm heap). The engine is not used after this. */
  unload(): Promise<void>;
  stats?(): Promise<EngineStats> | EngineStats;
}

export interface HostedEngineContext {
  onProgress(progress: LoadProgress): void;
  /** Aborted when the load is cancelled. */
  signal: AbortSignal;
  /** 0 for a model's first worker, 1 after one crash-restart, … (lets test engines fail only on cue). */
  attempt?: number;
}

/** Creates and loads an engine inside the worker from a structured-cloneable spec. */
export type HostedEngineFactory<Spec> = (spec: Spec, context: HostedEngineContext) => Promise<HostedEngine>;
