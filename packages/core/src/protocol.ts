/**
 * `@attention-moa/core/protocol`: the Attention-MoA protocol alone — the orchestrator, its options, prompts, early
 * stop, reasoning strip, errors and types, the engine contract, and the scripted engine (a test double). No worker,
 * no WebLLM, no wllama, no DOM: it imports in Node (scripts, servers, evaluations) as well as in browsers. Give it
 * any engine with `chat.completions.create()` in the OpenAI streaming shape. The main entry re-exports all of it.
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
export { estimateTokens } from './engine/tokens.js';
export { MoAError, isMoAError } from './engine/moa-error.js';

// The scripted engine: a documented test double (its output is never a model's), in-thread here; in a worker
// through the runtime's pool (`{ kind: 'scripted' }`).
export { ScriptedEngine } from './engine/scripted/scripted.js';
export type { ScriptMatch, ScriptFault, ScriptRule, ScriptedRequest, ScriptedEngineOptions } from './engine/scripted/scripted.js';

export type * from './protocol/types.js';
export { AttentionMoA } from './protocol/attention-moa.js';
export { resolveOptions, defaultMaxTokens, DEFAULTS, TOPOLOGIES, EARLY_STOP_MODES } from './protocol/options.js';
export type { ResolvedOptions, ResolvedAgent, ResolvedAggregator, ResolvedEndpoint } from './protocol/options.js';
export { defaultPrompts, proposePrompt, critiquePrompt, refinePrompt, aggregatePrompt, residualPrompt, fence, placeSystem } from './protocol/prompts.js';
export { stripReasoning, stripPartialReasoning, splitReasoning, ReasoningFilter } from './protocol/reasoning.js';
export { isStopPhrase, parseVerdict, similarity, words, CONTINUE_WORD, STOP_REMARK_WORDS } from './protocol/early-stop.js';
export type { Verdict } from './protocol/early-stop.js';
// The review of every output small models write: echoed scaffolding removed, role failures detected.
export { cleanScaffolding } from './protocol/scaffolding.js';
export type { Cleaned, CleanOptions } from './protocol/scaffolding.js';
export { checkRole, ECHO_SIMILARITY, OFF_TOPIC_MIN_WORDS } from './protocol/role-check.js';
export type { RoleContext } from './protocol/role-check.js';
export { findLoop, LOOP_MIN_OCCURRENCES, LOOP_MIN_REPEATED_WORDS } from './protocol/loops.js';
export type { LoopCut } from './protocol/loops.js';
export { reviewOutput } from './protocol/output-review.js';
export type { ReviewContext } from './protocol/output-review.js';
export { tokenCounter } from './protocol/context-budget.js';
export type { TokenCounter } from './protocol/context-budget.js';
export { critiquePairs, critiquesPerCritic } from './protocol/topology.js';
export { agentName, agentNames } from './protocol/agent-names.js';
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
