/**
 * @attention-moa/core — the Attention-MoA protocol (also alone, as `@attention-moa/core/protocol`), the engines
 * (scripted, WebLLM, wllama) and the Web Worker runtime that runs them, one model per worker.
 *
 * Only the documented API is exported here (see the package README); the building blocks behind it (permit queues,
 * the context budget, the worker wire, error serialization…) stay inside the package.
 */
export * from './protocol.js';

// The easy start: model ids in, a ready ensemble out.
export { createEnsemble } from './ensemble.js';
export type { Ensemble, EnsembleOptions, EnsembleModel } from './ensemble.js';

// The worker runtime: engines in Web Workers over comlink, capability + memory planning, the model cache, typed
// runtime errors. web-llm itself is only ever loaded inside workers.
export { EnginePool } from './runtime/engine-pool.js';
export type { EnginePoolOptions, PoolEvent, PoolPlan, PlannedPoolModel, PoolSlotStatus, SlotState } from './runtime/engine-pool.js';
export { WorkerEngine } from './runtime/worker-engine.js';
export type { WorkerStartOptions, WorkerLoadOptions, WorkerEngineState } from './runtime/worker-engine.js';
export type { EngineSpec, WebLLMEngineSpec, ScriptedEngineSpec, WllamaEngineSpec } from './runtime/engine-spec.js';
export type { ScriptedWorkerSpec, ScriptedCrash } from './engine/scripted/scripted-hosted.js';
export type { LoadInfo, WorkerStats } from './runtime/stream-wire.js';
export type { EngineKind, LoadProgress, EngineStats, HostedEngine, HostedEngineContext } from './engine/hosted-engine.js';
export { detectCapabilities, assertWebGpu } from './runtime/capabilities.js';
export type { Capabilities, GpuAdapterSummary } from './runtime/capabilities.js';
export type { GpuLike, GpuAdapterLike } from './runtime/webgpu-like.js';
export { planMemory, resolveModel, protocolPhases, defaultMemoryBudgetMB, DEFAULT_MEMORY_BUDGET_MB } from './runtime/memory-plan.js';
export type { MemoryPlan, MemoryPlanInput, PlannedModel, PhaseDemand, PhasePlan, SwapBatch, ProtocolShape, ResolvedModel } from './runtime/memory-plan.js';
export { parseModelId, needsShaderF16, cleanModelUrl } from './engine/model-record.js';
export type { ModelRecordLike, AppConfigLike, ParsedModelId } from './engine/model-record.js';
export { webllmModels } from './runtime/catalog.js';
export { formatBytes } from './runtime/format-bytes.js';
export type { ModelLoadProgress, OverallLoadProgress, ModelLoadState } from './runtime/load-progress.js';
export {
  RuntimeError,
  GpuUnavailableError,
  GpuMemoryError,
  ModelFetchError,
  StorageQuotaError,
  UnknownModelError,
  WorkerCrashedError,
  LoadCancelledError,
  EngineRuntimeError,
  StorageUnavailableError,
} from './engine/errors.js';
export type { RuntimeErrorCode, RuntimeErrorDetails } from './engine/errors.js';
export { installErrorTransfer } from './runtime/comlink-errors.js';
export {
  listCachedModels,
  hasCachedModel,
  deleteCachedModel,
  deleteAllCachedModels,
  storageEstimate,
  requestPersistentStorage,
  recordModelUse,
  listRegistry,
} from './cache/model-cache.js';
export type { CachedModel, RegistryEntry, CacheOptions, DeleteResult, StorageEstimate } from './cache/model-cache.js';

// The WASM engine (wllama: llama.cpp in WebAssembly, CPU).
export { createWllamaEngine } from './engine/wllama/wllama.js';
export type { WllamaSpec, WllamaEngineInfo, WllamaHostedEngine } from './engine/wllama/wllama.js';
export { WllamaEngineError } from './engine/wllama/wllama-errors.js';
export type { WllamaEngineErrorCode, WllamaEngineErrorData, WllamaEngineErrorDetails } from './engine/wllama/wllama-errors.js';
export { listWllamaCache, deleteWllamaCached } from './engine/wllama/wllama-cache.js';
export type { WllamaCacheEntry } from './engine/wllama/wllama-cache.js';
export { readGgufHeader, GgufFormatError } from './engine/wllama/gguf-header.js';
export type { GgufHeader, GgufTensorInfo, GgufValue } from './engine/wllama/gguf-header.js';
export { WASM_MODEL_CATALOG, wasmCatalogModel } from './engine/wllama/wllama-catalog.js';
export type { WasmCatalogModel } from './engine/wllama/wllama-catalog.js';

// Backend choice (WebGPU vs WASM) and WASM thread count.
export { chooseBackend, chooseThreadCount, probeGpu, BackendUnavailableError } from './runtime/backend-choice.js';
export type { Backend, BackendPreference, BackendOptions, BackendChoice, BackendChoiceInput, GpuProbe, ThreadChoice, WebGpuBlocker } from './runtime/backend-choice.js';

// ── OpenAI-compatible in and out (issue 17): the ensemble as one model, a fetch handler, remote agents ──────────
export type { OpenAIClientLike, AnyChatEngine } from './engine/contract.js';
export { EnsembleCompletions, DEFAULT_MODEL_NAME } from './protocol/openai/completions.js';
export { createOpenAIHandler } from './protocol/openai/handler.js';
export type { OpenAIHandlerOptions, OpenAIFetchHandler, OpenAIServedEnsemble } from './protocol/openai/handler.js';
export { OpenAIRequestError } from './protocol/openai/errors.js';
export type { OpenAIErrorBody, OpenAIErrorType } from './protocol/openai/errors.js';
export type {
  EnsembleCompletionParams,
  ChatCompletionMessageParam,
  ChatContentTextPart,
  EnsembleChatCompletion,
  EnsembleChatCompletionChunk,
  EnsembleChunkStream,
  EnsembleUsage,
  EnsembleDraftEvent,
} from './protocol/openai/types.js';
export { createRemoteEngine } from './engine/remote/remote-engine.js';
export type { RemoteEngine, RemoteEngineOptions } from './engine/remote/remote-engine.js';
export { validateRemoteSpec } from './engine/remote/remote-spec.js';
export type { RemoteEngineSpec } from './engine/remote/remote-spec.js';
export { RemoteEngineError } from './engine/remote/remote-errors.js';
export type { RemoteEngineErrorCode, RemoteEngineErrorDetails } from './engine/remote/remote-errors.js';
export { offDevice } from './engine/remote/off-device.js';
export type { OffDevice } from './engine/remote/off-device.js';
