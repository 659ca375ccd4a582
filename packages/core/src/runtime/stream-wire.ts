/**
 * What travels between the page and an agent worker. Shared by both sides; types only, plus the spec union.
 *
 * Streams use their own MessagePort, not comlink: the worker batches every token produced since its last
 * message into one `StreamMessage` (at most one per macrotask), and the page rebuilds the chunks. That keeps the
 * per-token cost to a string in an array instead of a comlink round trip.
 */
import type { CallInfo, ChatCompletionCreateParams, CompletionUsage, FinishReason } from '../engine/contract.js';
import type { SerializedError } from '../engine/errors.js';
import type { EngineKind, EngineStats, LoadProgress, ModelLimits } from '../engine/hosted-engine.js';
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
  /** The stream ended normally. `timing`: the worker's clock for the request (see WorkerTiming). */
  end?: { finish: FinishReason | null; usage?: CompletionUsage | null; timing?: WorkerTiming };
  /** The stream failed. */
  error?: SerializedError;
  /** The worker is done with a request the page cancelled: its engine call returned (or never started). */
  released?: true;
}

/**
 * When the worker received a request, handed it to its engine and sent its end, as epoch ms
 * (`performance.timeOrigin + performance.now()`, comparable across the page and its workers). The page turns them
 * into the transport part of a call's time (WorkerEngine adds them to `usage.extra`).
 */
export interface WorkerTiming {
  receivedAt: number;
  startedAt: number;
  endedAt: number;
}

export interface StreamMessage {
  updates: StreamUpdate[];
}

export interface LoadInfo {
  kind: EngineKind;
  model: string;
  loadMs: number;
  /** The loaded model's facts, when its engine knows them (see the engine contract). */
  contextWindow?: number;
  noSystemRole?: boolean;
  /** The engine counts tokens with the model's own tokenizer (`countTokens` answers). */
  countsTokens?: boolean;
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
  /** `url`: the worker's own script URL (self.location), which the page may not know when a bundler built it. */
  connect(port: MessagePort): Promise<{ ready: true; url: string }>;
  load(spec: HostedSpec, attempt: number, onProgress?: (progress: LoadProgress) => void): Promise<LoadInfo>;
  cancelLoad(): void;
  chat(id: number, params: ChatCompletionCreateParams, call?: CallInfo): void;
  abort(id: number): void;
  interrupt(): Promise<void>;
  /** Tokens of `text` by the loaded model's own tokenizer; undefined when the engine has none (or no model is loaded). */
  countTokens(text: string): Promise<number | undefined>;
  stats(): Promise<WorkerStats>;
  unload(): Promise<void>;
  ping(): number;
}
