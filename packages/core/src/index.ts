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
