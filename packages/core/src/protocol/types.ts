/**
 * Public types of the Attention-MoA orchestrator: options, events, trace and result.
 * Spec: shared docs attention-moa.md. Events flow out of `AttentionMoA.run()`; the element,
 * the demo and the benchmarks consume exactly these shapes.
 */
import type { AnyChatEngine, ChatMessage, CompletionUsage, FinishReason } from '../engine/contract.js';
import type { AttentionMoAError } from './errors.js';
import type { CallRecord, CallRole, DroppedAgent, PromptCut } from './call-record.js';

export type { CallProblem, CallProblemKind, CallRecord, CallRole, DroppedAgent, PromptCut, RoleCheck } from './call-record.js';

export type { AttentionTopology } from './topology.js';
import type { AttentionTopology } from './topology.js';
export type EarlyStopMode = 'judge' | 'similarity' | 'off';
/** Why a run stopped early: the judge's stop phrase (which also makes the last layer's answer its aggregate), the
 *  similarity test, or the run's `budget` ran out before the next layer. */
export type EarlyStopReasonMode = Exclude<EarlyStopMode, 'off'> | 'budget';

export interface AgentConfig {
  /** Unique, shown in the UI and the trace. */
  name: string;
  /** A WebLLM engine, a ScriptedEngine, an `EnginePool` engine, another `AttentionMoA`, or an `openai` client. */
  engine: AnyChatEngine;
  /** For engines that serve several models; required for an `openai` client (servers reject requests without it). */
  model?: string;
  temperature?: number;
  /** Cap for this agent's propose/refine answers (critiques use `maxTokens.critique`). */
  maxTokens?: number;
  /** Extra persona/system text prepended to this agent's instructions. */
  system?: string;
  /** Context window of the model in tokens. Default: what the engine reports for its model (`engine.contextWindow`,
   *  e.g. an `EnginePool` engine after `load()`), else 4096. */
  contextWindow?: number;
  /** The model's chat template rejects a `system` role (e.g. Gemma): instructions go in the first user turn.
   *  Default: what the engine reports (`engine.noSystemRole`), else false. */
  noSystemRole?: boolean;
  /** How many requests this (engine, model) may take at once (default 1: queued, never overlapped). */
  concurrency?: number;
}

export interface AggregatorConfig {
  /** May be the same engine (and model) as an agent's: it then waits its turn on that model. */
  engine: AnyChatEngine;
  /** Required for an `openai` client, as for agents. */
  model?: string;
  name?: string;
  temperature?: number;
  contextWindow?: number;
  noSystemRole?: boolean;
  concurrency?: number;
}

export interface RoleTokenLimits {
  propose?: number;
  critique?: number;
  refine?: number;
  aggregate?: number;
  residual?: number;
}

/** Prompt templates; each returns the messages of one call. Override any subset. */
export interface PromptTemplates {
  propose?: (ctx: ProposePromptContext) => ChatMessage[];
  critique?: (ctx: CritiquePromptContext) => ChatMessage[];
  refine?: (ctx: RefinePromptContext) => ChatMessage[];
  aggregate?: (ctx: AggregatePromptContext) => ChatMessage[];
  residual?: (ctx: ResidualPromptContext) => ChatMessage[];
}

export interface PromptContextBase {
  /** The whole conversation; the last message is the user's current question. */
  conversation: ChatMessage[];
  layer: number;
  system?: string;
}
export interface ProposePromptContext extends PromptContextBase {
  agent: string;
  /** Layer ≥ 2: the previous layer's single output. */
  reference?: string;
}
export interface CritiquePromptContext extends PromptContextBase {
  critic: string;
  target: string;
  ownAnswer: string;
  /** Equal to ownAnswer for self-attention. */
  targetAnswer: string;
  self: boolean;
}
export interface RefinePromptContext extends PromptContextBase {
  agent: string;
  previousAnswer: string;
  suggestions: { from: string; self: boolean; text: string }[];
}
export interface AggregatePromptContext extends PromptContextBase {
  answers: { agent: string; text: string }[];
}
export interface ResidualPromptContext extends PromptContextBase {
  /** Every layer's output so far, oldest first; the last is the current layer's aggregate. */
  rounds: string[];
  /** True with `earlyStop: 'judge'`: the prompt must ask for `stopPhrase` when the latest round did not improve. */
  judge: boolean;
  stopPhrase: string;
}

export interface AttentionMoAOptions {
  agents: AgentConfig[];
  aggregator: AggregatorConfig;
  /** Maximum number of layers L (integer ≥ 1). Default 1. */
  layers?: number;
  /** Default 'full' (the paper). */
  attention?: AttentionTopology;
  /** Inter-layer residual synthesis (layers ≥ 2). Default true. */
  residual?: boolean;
  /** Default 'judge' (the paper). */
  earlyStop?: EarlyStopMode;
  /** For 'similarity': stop when similarity(previous, current) ≥ threshold, 0..1. Default 0.9. */
  similarityThreshold?: number;
  /** The phrase the judge answers to stop. Matched case-, punctuation- and markdown-insensitively. */
  stopPhrase?: string;
  /**
   * Token caps per role. A role left out gets the default for the model that answers it, scaled to its context
   * window (`defaultMaxTokens`: 512/128/512/768/768 for propose/critique/refine/aggregate/residual at 4096 tokens and
   * above, proportionally less below).
   */
  maxTokens?: RoleTokenLimits;
  /** Upper bound on calls in flight across all engines (default: unlimited). */
  concurrency?: number;
  /**
   * Per-call deadline, counted from the call's start on its engine; a timed-out agent is dropped from the run.
   * Default 'auto': 10 s + 4 × the time the call's prompt and max tokens take at the speed measured on its model
   * (before any measurement, a slow CPU's speed is assumed: minutes). A number of ms sets it; 'off' waits forever.
   */
  callTimeoutMs?: number | 'auto' | 'off';
  temperature?: number;
  /** Nucleus sampling for every call, 0 < topP ≤ 1 (default: the engine's own, usually 1). */
  topP?: number;
  prompts?: PromptTemplates;
  /** Stop before a layer ≥ 2 that would exceed these; the run ends with the last layer's output (early stop 'budget'). */
  budget?: RunBudget;
  /**
   * A progressive answer: `draft-*` events stream a provisional answer long before the final one (a layer-1 proposal,
   * then each layer's output before the last), at no extra call. Default true; `false` turns them off.
   */
  drafts?: boolean | DraftOptions;
}

export interface DraftOptions {
  /**
   * The first draft, from layer 1's proposals: 'first-token' (default) streams live the first proposal to write a
   * visible token; 'first-finished' shows the first proposal to complete, whole; `{ agent }` streams that agent's
   * proposal live (name your fastest model). When the chosen proposal fails, the first one that completed stands in.
   */
  first?: 'first-token' | 'first-finished' | { agent: string };
  /** Also show each layer's output before the last as the next draft (an aggregate live, a residual once done). Default true. */
  layers?: boolean;
}

/** The call a draft comes from. */
export interface DraftSource {
  role: 'propose' | 'aggregate' | 'residual';
  layer: number;
  /** The agent (or the aggregator's name, or its stand-in's). */
  agent: string;
  /** The call's id, as in `call-*` events and the trace. */
  call: number;
}

export interface RunBudget {
  /** Most calls a run may make; a layer is started only if all its calls fit. */
  maxCalls?: number;
  /** Wall-clock budget in ms, checked before each layer ≥ 2 (a layer in progress is not cut). */
  maxDurationMs?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
}

export interface CompleteOptions extends RunOptions {
  /** Sees every event of the run, as `run()` would yield them. */
  onEvent?: (event: AttentionMoAEvent) => void;
}

export interface RunPlan {
  agents: string[];
  aggregator: string;
  layers: number;
  attention: AttentionTopology;
  residual: boolean;
  earlyStop: EarlyStopMode;
  /** Calls if no early stop and no failure. */
  expectedCalls: number;
  /** Calls of each layer (index 0 = layer 1) if no agent is dropped. */
  callsPerLayer: number[];
  /** Who critiques whom in a layer where every agent is alive, in call order (empty for 'none'). */
  critiques: { critic: string; target: string }[];
}

export interface AttentionMoAResult {
  answer: string;
  /** Every layer's output (aggregate or residual), oldest first. */
  layerOutputs: string[];
  layersRun: number;
  earlyStop?: { layer: number; mode: EarlyStopReasonMode; reason: string; similarity?: number };
  trace: CallRecord[];
  dropped: DroppedAgent[];
  /** When the aggregator failed and another engine stood in. */
  aggregatorFallback?: { from: string; to: string; reason: string };
  usage: RunUsage;
  durationMs: number;
}

/** Tokens of a run, summed over its calls (engine usage where reported, else the measured prompt and an estimate). */
export interface RunUsage {
  calls: number;
  /** Every prompt token of every call, computed or reused from the engine's KV cache. */
  promptTokens: number;
  /** Prompt tokens the engines computed (prefill): `promptTokens − reusedPromptTokens`. */
  processedPromptTokens: number;
  /** Prompt tokens the engines reused from their KV cache (reported by wllama/llama.cpp; 0 where an engine does not say). */
  reusedPromptTokens: number;
  completionTokens: number;
}

export type AttentionMoAEvent =
  | { type: 'run-start'; plan: RunPlan }
  | { type: 'call-start'; call: number; role: CallRole; layer: number; agent: string; target?: string; promptTokens: number; cuts: PromptCut[] }
  /** Raw tokens of a call, reasoning blocks included (the record's `text` is the stripped form). */
  | { type: 'call-token'; call: number; role: CallRole; layer: number; agent: string; target?: string; token: string }
  | { type: 'call-end'; record: CallRecord }
  | { type: 'agent-dropped'; dropped: DroppedAgent }
  | { type: 'aggregator-fallback'; from: string; to: string; reason: string }
  /** `source` 'propose': a single agent with attention 'none' (no aggregate call); its answer is the layer's output. */
  | { type: 'layer-end'; layer: number; output: string; source: 'propose' | 'aggregate' | 'residual' }
  | { type: 'early-stop'; layer: number; mode: EarlyStopReasonMode; reason: string; similarity?: number }
  /**
   * The final answer, reasoning stripped. The call that produces the last layer's output (aggregate, residual, or
   * the single agent's answer) streams here live; a judged residual is held back while it could still be the stop
   * phrase (up to its length plus 30 words). An answer decided otherwise (an early stop: the judge's layer aggregate, a
   * similarity or budget stop) arrives at once as one token. Joined since the last `answer-reset`, the tokens
   * equal `done.result.answer`.
   */
  | { type: 'answer-token'; token: string }
  /** Discard the answer tokens so far (the streaming call failed and another engine answers instead). */
  | { type: 'answer-reset'; reason: string }
  /**
   * A provisional answer (`final: false`), shown until a better one comes: a new draft replaces the one shown (a UI
   * may keep the old text until the new draft's first token), and the first `answer-token` (or `done`) replaces any
   * draft; no draft event follows it. Drafts are runs of `draft-start`, `draft-token`… and `draft-end`, one at a time.
   */
  | { type: 'draft-start'; draft: number; source: DraftSource; final: false }
  /** Visible text of the current draft (reasoning stripped, no leading whitespace), live as its call writes. */
  | { type: 'draft-token'; draft: number; token: string; final: false }
  /**
   * The draft's call ended: `status` 'done' with its whole `text` (what the tokens joined say, trimmed), or 'failed'
   * (its call failed; `text` is what was shown). A failed draft stays until the next draft or the answer replaces it.
   */
  | { type: 'draft-end'; draft: number; status: 'done' | 'failed'; text: string; final: false }
  | { type: 'done'; result: AttentionMoAResult }
  /** The last event of a failed run; `error.trace` holds the calls made. */
  | { type: 'error'; error: AttentionMoAError };
