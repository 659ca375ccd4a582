/**
 * What travels between the page and an agent worker. Shared by both sides; types only, plus the spec union.
 *
 * Streams use their own MessagePort, not comlink: the worker batches every token produced since its last
 * message into one `StreamMessage` (at most one per macrotask), and the page rebuilds the chunks. That keeps the
 * per-token cost to a string in an array instead of a comlink round trip.
 */
import type { CallInfo, ChatCompletionCreateParams, CompletionUsage, FinishReason } from '../engine/contract.js';
import type { SerializedError } from '../engine/errors.js';
import type { EngineKind, EngineStats, LoadProgress } from '../engine/hosted-engine.js';
import type { WebLLMSpec } from '../engine/webllm/webllm.js';
import type { ScriptedWorkerSpec } from '../engine/scripted/scripted-hosted.js';
import type { WllamaSpec } from '../engine/wllama/wllama.js';

/** What a worker is asked to load: structured-cloneable, one per kind. */
export type HostedSpec = WebLLMSpec | ScriptedWorkerSpec | (WllamaSpec & { kind: 'wllama' });

export interface StreamUpdate {
  /** The request id the page chose. */
  id: number;
  /** First update of a request: the chunk identity to repeat on every chunk. */
  meta?: { id: string; model: string; created: number };
  /** Delta contents, in order. */
  tokens?: string[];
  /** The stream ended normally. */
  end?: { finish: FinishReason | null; usage?: CompletionUsage | null };
  /** The stream failed. */
  error?: SerializedError;
}

export interface StreamMessage {
  updates: StreamUpdate[];
}

export interface LoadInfo {
  kind: EngineKind;
  model: string;
  loadMs: number;
}

export interface WorkerStats {
  kind?: EngineKind;
  model?: string;
  loaded: boolean;
  /** Requests streaming now (at most `parallel`) and waiting. */
  active: number;
  queued: number;
  /** Requests the loaded engine decodes together (1: one at a time). */
  parallel: number;
  /** Since the worker started. */
  requests: number;
  tokens: number;
  /** Decode speed of the last finished request, from its usage (tokens/s). */
  lastDecodeTokensPerSecond?: number;
  engine?: EngineStats;
}

/** The comlink API of an agent worker (see agent-worker.ts). */
export interface AgentWorkerApi {
  /** Hands the worker the port its token streams go out on. Resolves when the worker is ready. */
  connect(port: MessagePort): Promise<{ ready: true }>;
  load(spec: HostedSpec, attempt: number, onProgress?: (progress: LoadProgress) => void): Promise<LoadInfo>;
  cancelLoad(): void;
  chat(id: number, params: ChatCompletionCreateParams, call?: CallInfo): void;
  abort(id: number): void;
  interrupt(): Promise<void>;
  stats(): Promise<WorkerStats>;
  unload(): Promise<void>;
  ping(): number;
}
