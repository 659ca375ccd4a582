/**
 * Public types of the Attention-MoA orchestrator: options, events, trace and result.
 * Spec: shared docs attention-moa.md. Events flow out of `AttentionMoA.run()`; the element,
 * the demo and the benchmarks consume exactly these shapes.
 */
import type { ChatEngine, ChatMessage, CompletionUsage, FinishReason } from '../engine/contract.js';
import type { AttentionMoAError } from './errors.js';

export type AttentionTopology = 'full' | 'self' | 'ring' | 'none';
export type EarlyStopMode = 'judge' | 'similarity' | 'off';
export type CallRole = 'propose' | 'critique' | 'refine' | 'aggregate' | 'residual';
/** Why a run stopped early: the judge's stop phrase (which also makes the last layer's answer its aggregate), the
 *  similarity test, or the run's `budget` ran out before the next layer. */
export type EarlyStopReasonMode = Exclude<EarlyStopMode, 'off'> | 'budget';

export interface AgentConfig {
  /** Unique, shown in the UI and the trace. */
  name: string;
  engine: ChatEngine;
  /** For engines that serve several models. */
  model?: string;
  temperature?: number;
  /** Cap for this agent's propose/refine answers (critiques use `maxTokens.critique`). */
  maxTokens?: number;
  /** Extra persona/system text prepended to this agent's instructions. */
  system?: string;
  /** Context window of the model in tokens (default 4096). */
  contextWindow?: number;
  /** The model's chat template rejects a `system` role (e.g. Gemma): instructions go in the first user turn. */
  noSystemRole?: boolean;
  /** How many requests this (engine, model) may take at once (default 1: queued, never overlapped). */
  concurrency?: number;
}

export interface AggregatorConfig {
  /** May be the same engine (and model) as an agent's: it then waits its turn on that model. */
  engine: ChatEngine;
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
  maxTokens?: RoleTokenLimits;
  /** Upper bound on calls in flight across all engines (default: unlimited). */
  concurrency?: number;
  /** Per-call timeout in ms (default: none). A timed-out agent is dropped from the run. */
  callTimeoutMs?: number;
  temperature?: number;
  prompts?: PromptTemplates;
  /** Stop before a layer ≥ 2 that would exceed these; the run ends with the last layer's output (early stop 'budget'). */
  budget?: RunBudget;
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

/** What was shortened to make a prompt fit the context window. */
export interface PromptCut {
  /** Which part of the prompt, e.g. "reference", "answer of B", "history turn 2". */
  part: string;
  originalTokens: number;
  keptTokens: number;
  rule: string;
}

/**
 * A sign that a call did not do its role, found by cheap word statistics (`role-check.ts`):
 * - `empty`: nothing left (maybe after removing echoed scaffolding);
 * - `cut`: stopped at the token cap, so the text may end mid-sentence;
 * - `echo`: repeats the question, or (a critique) the answer it should critique;
 * - `off-topic`: a critique that neither discusses the answers nor suggests anything (e.g. a story).
 */
export type CallProblemKind = 'empty' | 'cut' | 'echo' | 'off-topic';

export interface CallProblem {
  kind: CallProblemKind;
  /** One short sentence for people, e.g. "repeats the question instead of doing its task". */
  note: string;
}

/** What was wrong with a call's output and what the protocol did about it. */
export interface RoleCheck {
  problems: CallProblem[];
  /**
   * What the protocol did instead of using the output as is, e.g. "not passed on to the refinement",
   * "kept the previous answer", "used layer 2's aggregate". Absent when the output was used (a `cut` answer still is).
   */
  action?: string;
}

export interface CallRecord {
  id: number;
  role: CallRole;
  layer: number;
  /** Agent name, or the aggregator's name for aggregate/residual (the stand-in agent's name after a fallback). */
  agent: string;
  /** Critiques: the agent whose answer is critiqued. */
  target?: string;
  model?: string;
  messages: ChatMessage[];
  /** Estimated (or exact) prompt size in tokens. */
  promptTokens: number;
  cuts: PromptCut[];
  /** Raw output as streamed (reasoning blocks included). */
  output: string;
  /**
   * What is passed on and shown: the output with reasoning blocks stripped and echoed prompt scaffolding removed
   * (see `cleaned`); for a judged residual, the answer after the verdict line ('' for a stop).
   */
  text: string;
  /** Scaffolding removed from the output before it was passed on, e.g. ['data labels', 'turn markers']. */
  cleaned?: string[];
  /** Present when the output showed that the model did not do its role (see `RoleCheck`). */
  roleCheck?: RoleCheck;
  /** A judged residual call: how its reply was read (`parseVerdict`): 'stop', 'continue', 'remark' (a stop) or 'answer'. */
  verdict?: 'stop' | 'continue' | 'remark' | 'answer';
  /** The engine's finish reason; 'error' (threw, or prompt could not fit), 'timeout' (callTimeoutMs), 'abort' (run aborted). */
  finishReason: FinishReason | 'error' | 'timeout' | null;
  usage?: CompletionUsage;
  /** ms since the run started: queued (prompt being fitted, then waiting for the model), started on the engine, first token, end. */
  queuedAt: number;
  startedAt: number;
  firstTokenAt?: number;
  endedAt: number;
  error?: { name: string; message: string; code?: string };
}

export interface DroppedAgent {
  agent: string;
  layer: number;
  role: CallRole;
  reason: string;
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
  usage: { calls: number; promptTokens: number; completionTokens: number };
  durationMs: number;
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
  | { type: 'done'; result: AttentionMoAResult }
  /** The last event of a failed run; `error.trace` holds the calls made. */
  | { type: 'error'; error: AttentionMoAError };
