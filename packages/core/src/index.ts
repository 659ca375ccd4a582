/**
 * @attention-moa/core — the Attention-MoA protocol orchestrator, its engine contract,
 * engines (scripted, WebLLM, wllama) and the Web Worker runtime.
 */
export type {
  ChatRole,
  ChatMessage,
  FinishReason,
  CompletionUsage,
  ChatCompletionCreateParams,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  RequestOptions,
  ChatEngine,
  CallInfo,
  CallRequestOptions,
  ScriptedRequestOptions,
} from './engine/contract.js';
export { isChatEngine } from './engine/contract.js';

export { ScriptedEngine, splitTokens, estimateTokens } from './engine/scripted/scripted.js';
export type {
  ScriptMatch,
  ScriptFault,
  ScriptRule,
  ScriptedRequest,
  ScriptedEngineOptions,
} from './engine/scripted/scripted.js';

export type * from './protocol/types.js';

// The protocol: the Attention-MoA orchestrator and its building blocks.
export { AttentionMoA } from './protocol/attention-moa.js';
export { resolveOptions, DEFAULTS, TOPOLOGIES, EARLY_STOP_MODES } from './protocol/options.js';
export type { ResolvedOptions, ResolvedAgent, ResolvedAggregator, ResolvedEndpoint } from './protocol/options.js';
export {
  defaultPrompts,
  proposePrompt,
  critiquePrompt,
  refinePrompt,
  aggregatePrompt,
  residualPrompt,
  fence,
  placeSystem,
} from './protocol/prompts.js';
export { stripReasoning, stripPartialReasoning, splitReasoning, ReasoningFilter } from './protocol/reasoning.js';
export { isStopPhrase, similarity, words } from './protocol/early-stop.js';
export { fitPrompt, shareRoom, tokenCounter, MIN_PART_TOKENS } from './protocol/context-budget.js';
export type { PromptSpec, FitTarget, FittedPrompt, TokenCounter } from './protocol/context-budget.js';
export { critiquePairs, critiquesPerCritic } from './protocol/topology.js';
export { agentName, agentNames } from './protocol/agent-names.js';
export { PermitQueue, SlotQueue } from './protocol/permit-queue.js';
export {
  AttentionMoAError,
  ConfigError,
  MessagesError,
  PromptTemplateError,
  ContextOverflowError,
  CallTimeoutError,
  EmptyOutputError,
  EngineError,
  AllAgentsFailedError,
  AbortError,
} from './protocol/errors.js';
export type { AttentionMoAErrorCode, ContextOverflowDetails } from './protocol/errors.js';

// The worker runtime: engines in Web Workers over comlink, capability + memory planning,
// the IndexedDB model cache, typed runtime errors. web-llm itself is only ever loaded inside workers.
export { EnginePool } from './runtime/engine-pool.js';
export type { EnginePoolOptions, PoolEvent, PoolPlan, PlannedPoolModel, PoolSlotStatus, SlotState } from './runtime/engine-pool.js';
export { WorkerEngine, spawnAgentWorker, defaultAgentWorkerUrl } from './runtime/worker-engine.js';
export type { WorkerStartOptions, WorkerLoadOptions, WorkerEngineState } from './runtime/worker-engine.js';
export type { EngineSpec, WebLLMEngineSpec, ScriptedEngineSpec, WllamaEngineSpec } from './runtime/engine-spec.js';
export type { ScriptedWorkerSpec, ScriptedCrash } from './engine/scripted/scripted-hosted.js';
export type { HostedSpec, LoadInfo, WorkerStats } from './runtime/stream-wire.js';
export type { EngineKind, LoadProgress, EngineStats, HostedEngine, HostedEngineContext, HostedEngineFactory } from './engine/hosted-engine.js';
export { detectCapabilities, assertWebGpu } from './runtime/capabilities.js';
export type { Capabilities, GpuAdapterSummary } from './runtime/capabilities.js';
export { planMemory, resolveModel, protocolPhases, defaultMemoryBudgetMB, DEFAULT_MEMORY_BUDGET_MB, closestId } from './runtime/memory-plan.js';
export type { MemoryPlan, MemoryPlanInput, PlannedModel, PhaseDemand, PhasePlan, SwapBatch, ProtocolShape, ResolvedModel } from './runtime/memory-plan.js';
export { parseModelId, needsShaderF16, cleanModelUrl, modelFileUrls } from './engine/model-record.js';
export type { ModelRecordLike, AppConfigLike, ParsedModelId } from './engine/model-record.js';
export { webllmModels } from './runtime/catalog.js';
export { LoadProgressTracker } from './runtime/load-progress.js';
export { formatBytes } from './runtime/format-bytes.js';
export type { LoadProgressSnapshot, ModelLoadProgress, OverallLoadProgress, ModelLoadState } from './runtime/load-progress.js';
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
  runtimeError,
  isRuntimeError,
  serializeError,
  deserializeError,
} from './engine/errors.js';
export type { RuntimeErrorCode, RuntimeErrorDetails, SerializedError } from './engine/errors.js';
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
  WEBLLM_CACHE_DATABASES,
} from './cache/model-cache.js';
export type { CachedModel, RegistryEntry, CacheOptions, DeleteResult, StorageEstimate } from './cache/model-cache.js';

// The WASM engine (wllama: llama.cpp in WebAssembly, CPU).
export { createWllamaEngine } from './engine/wllama/wllama.js';
export type { WllamaSpec, WllamaEngineInfo, WllamaHostedEngine } from './engine/wllama/wllama.js';
export { WllamaEngineError } from './engine/wllama/wllama-errors.js';
export type { WllamaEngineErrorCode, WllamaEngineErrorData, WllamaEngineErrorDetails } from './engine/wllama/wllama-errors.js';
export { listWllamaCache, deleteWllamaCached } from './engine/wllama/wllama-cache.js';
export type { WllamaCacheEntry } from './engine/wllama/wllama-cache.js';
export { readGgufHeader, parseGgufHeader, GgufFormatError } from './engine/wllama/gguf-header.js';
export type { GgufHeader, GgufTensorInfo, GgufValue } from './engine/wllama/gguf-header.js';
export { WASM_MODEL_CATALOG, wasmCatalogModel } from './engine/wllama/wllama-catalog.js';
export type { WasmCatalogModel } from './engine/wllama/wllama-catalog.js';

// Backend choice (WebGPU vs WASM) and WASM thread count.
export { chooseBackend, chooseThreadCount, probeGpu, BackendUnavailableError, WASM_HEAP_BYTES, WASM_MAX_MODEL_BYTES } from './runtime/backend-choice.js';
export type { Backend, BackendPreference, BackendOptions, BackendChoice, BackendChoiceInput, GpuProbe, ThreadChoice, WebGpuBlocker } from './runtime/backend-choice.js';
