/**
 * The record of one call and of a dropped agent: what results, events and errors carry.
 * Its own module so errors.ts and types.ts can both use it without importing each other.
 */
import type { ChatMessage, CompletionUsage, FinishReason } from '../engine/contract.js';

export type CallRole = 'propose' | 'critique' | 'refine' | 'aggregate' | 'residual';

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
 * - `off-topic`: a critique that neither discusses the answers nor suggests anything (e.g. a story);
 * - `loop`: the same words over and over (a small model decoding greedily); the repeats were cut.
 */
export type CallProblemKind = 'empty' | 'cut' | 'echo' | 'off-topic' | 'loop';

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
  /** The token cap the call was given (`max_tokens`). */
  maxTokens?: number;
  /**
   * The answer was cut at that cap (finish reason 'length'): the model had more to say, and the text ends where the
   * cap fell, possibly mid-sentence. The element marks such answers "cut at the token limit".
   */
  cut?: boolean;
  usage?: CompletionUsage;
  /** ms since the run started: queued (prompt being fitted, then waiting for the model), started on the engine, first token, end of its stream. */
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
