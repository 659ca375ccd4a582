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
} from './engine/contract.js';
export { isChatEngine } from './engine/contract.js';

export { ScriptedEngine, splitTokens, estimateTokens } from './engine/scripted.js';
export type {
  CallInfo,
  ScriptedRequestOptions,
  ScriptMatch,
  ScriptFault,
  ScriptRule,
  ScriptedRequest,
  ScriptedEngineOptions,
} from './engine/scripted.js';

export type * from './protocol/types.js';

// ── WASM engine (wllama: llama.cpp in WebAssembly, CPU) ─────────────────────────────────────────────
export { createWllamaEngine } from './engine/wllama.js';
export type { WllamaSpec, WllamaEngineInfo, WllamaHostedEngine } from './engine/wllama.js';
export { WllamaEngineError } from './engine/wllama-errors.js';
export type { WllamaEngineErrorCode, WllamaEngineErrorData, WllamaEngineErrorDetails } from './engine/wllama-errors.js';
export { listWllamaCache, deleteWllamaCached } from './engine/wllama-cache.js';
export type { WllamaCacheEntry } from './engine/wllama-cache.js';
export { readGgufHeader, parseGgufHeader, GgufFormatError } from './engine/gguf-header.js';
export type { GgufHeader, GgufTensorInfo, GgufValue } from './engine/gguf-header.js';
export { WASM_MODEL_CATALOG, wasmCatalogModel } from './engine/wllama-catalog.js';
export type { WasmCatalogModel } from './engine/wllama-catalog.js';

// ── Backend choice (WebGPU vs WASM) and WASM thread count ────────────────────────────────────────────
export { chooseBackend, chooseThreadCount, probeGpu, BackendUnavailableError, WASM_HEAP_BYTES, WASM_MAX_MODEL_BYTES } from './runtime/backend-choice.js';
export type { Backend, BackendPreference, BackendOptions, BackendChoice, BackendChoiceInput, GpuProbe, ThreadChoice, WebGpuBlocker } from './runtime/backend-choice.js';
