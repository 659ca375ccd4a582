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
