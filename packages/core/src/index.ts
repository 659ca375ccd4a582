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

// --- Protocol (issue 4): the Attention-MoA orchestrator and its building blocks ---
export { AttentionMoA } from './protocol/attention-moa.js';
export { resolveOptions, DEFAULTS, TOPOLOGIES, EARLY_STOP_MODES } from './protocol/options.js';
export type { ResolvedOptions, ResolvedAgent, ResolvedAggregator } from './protocol/options.js';
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
export { stripReasoning, splitReasoning, ReasoningFilter } from './protocol/reasoning.js';
export { isStopPhrase, similarity, words } from './protocol/early-stop.js';
export { fitPrompt, shareRoom, tokenCounter, MIN_PART_TOKENS } from './protocol/context-budget.js';
export type { PromptSpec, FitTarget, FittedPrompt, TokenCounter } from './protocol/context-budget.js';
export { critiquePairs } from './protocol/topology.js';
export { SlotQueue } from './protocol/model-queue.js';
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
