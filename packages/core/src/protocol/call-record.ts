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
  /** Output with reasoning blocks stripped: what is passed on. */
  text: string;
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
