/**
 * Every error the orchestrator raises, in one place, each with an explicit `name` and a stable `code`
 * (match on `code`: messages may be reworded). Run-level failures carry what was done before them.
 */
import { MoAError } from '../engine/moa-error.js';
import type { CallRecord, CallRole, DroppedAgent } from './call-record.js';

export type AttentionMoAErrorCode =
  /** Bad `AttentionMoA` options: thrown by the constructor. */
  | 'CONFIG_INVALID'
  /** Bad `messages` passed to `run()` / `complete()`: thrown at once. */
  | 'MESSAGES_INVALID'
  /** A custom prompt template returned something that is not a chat. */
  | 'PROMPT_INVALID'
  /** A prompt cannot fit the model's context window even after shortening (a call failure). */
  | 'CONTEXT_OVERFLOW'
  /** A call exceeded `callTimeoutMs` (a call failure). */
  | 'CALL_TIMEOUT'
  /** A call produced no text once reasoning was stripped (a call failure). */
  | 'EMPTY_OUTPUT'
  /** The engine failed: threw, rejected, returned a non-stream, or stopped the stream itself (a call failure). */
  | 'ENGINE_FAILED'
  /** No agent (and no aggregator) is left that can answer: the run fails. */
  | 'ALL_AGENTS_FAILED'
  /** The run was aborted through its `signal`, or its consumer stopped iterating. */
  | 'ABORTED';

export class AttentionMoAError extends MoAError {
  declare readonly code: AttentionMoAErrorCode;
  /** Run failures: every call made before the failure (ids ascending), in-flight calls included as aborted. */
  trace: CallRecord[] = [];
  /** Run failures: agents dropped before the failure. */
  dropped: DroppedAgent[] = [];
  /** Run failures: outputs of the layers that completed. */
  layerOutputs: string[] = [];

  constructor(code: AttentionMoAErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AttentionMoAError';
  }
}

export class ConfigError extends AttentionMoAError {
  /** The offending option, as a path: `agents[1].engine`, `layers`, `maxTokens.critique`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super('CONFIG_INVALID', `AttentionMoA: options${field ? `.${field}` : ''} ${message}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}

export class MessagesError extends AttentionMoAError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('MESSAGES_INVALID', `AttentionMoA: ${field} ${message}`);
    this.name = 'MessagesError';
    this.field = field;
  }
}

export class PromptTemplateError extends AttentionMoAError {
  constructor(template: CallRole, message: string) {
    super('PROMPT_INVALID', `AttentionMoA: options.prompts.${template} ${message}`);
    this.name = 'PromptTemplateError';
  }
}

export interface ContextOverflowDetails {
  agent: string;
  role: CallRole;
  layer: number;
  contextWindow: number;
  /** Tokens reserved for the answer (the role's max tokens). */
  reservedTokens: number;
  /** The smallest prompt the shortening rule can make. */
  requiredTokens: number;
}

export class ContextOverflowError extends AttentionMoAError {
  readonly details: ContextOverflowDetails;
  constructor(details: ContextOverflowDetails) {
    const { agent, role, layer, contextWindow, reservedTokens, requiredTokens } = details;
    super(
      'CONTEXT_OVERFLOW',
      `The ${role} prompt of "${agent}" (layer ${layer}) cannot fit its context window: even with earlier turns dropped and every ` +
        `reference cut to the minimum it needs ${requiredTokens} tokens, but only ${contextWindow - reservedTokens} are available ` +
        `(context window ${contextWindow} − ${reservedTokens} reserved for the answer). Raise that model's contextWindow, lower ` +
        `maxTokens.${role}, or shorten the question.`,
    );
    this.name = 'ContextOverflowError';
    this.details = details;
  }
}

export class CallTimeoutError extends AttentionMoAError {
  readonly timeoutMs: number;
  /** `basis`: how an 'auto' deadline was reached (see call-deadline.ts); absent for a set callTimeoutMs. */
  constructor(timeoutMs: number, basis?: string) {
    super('CALL_TIMEOUT', basis
      ? `the call did not finish within its deadline of ${Math.round(timeoutMs / 1000)} s (callTimeoutMs 'auto': ${basis}; set callTimeoutMs to a number of ms, or 'off', to change it)`
      : `the call did not finish within callTimeoutMs (${timeoutMs} ms)`);
    this.name = 'CallTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

export class EmptyOutputError extends AttentionMoAError {
  constructor(finishReason: string | null) {
    super('EMPTY_OUTPUT', `the model returned no text (finish_reason ${finishReason ?? 'none'}; reasoning blocks are not counted)`);
    this.name = 'EmptyOutputError';
  }
}

export class EngineError extends AttentionMoAError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE_FAILED', message, options);
    this.name = 'EngineError';
  }
}

export class AllAgentsFailedError extends AttentionMoAError {
  constructor(message: string) {
    super('ALL_AGENTS_FAILED', message);
    this.name = 'AllAgentsFailedError';
  }
}

/** Named `AbortError`, like the DOM's, so `error.name === 'AbortError'` checks keep working. */
export class AbortError extends AttentionMoAError {
  constructor(message = 'The Attention-MoA run was aborted', options?: { cause?: unknown }) {
    super('ABORTED', message, options);
    this.name = 'AbortError';
  }
}

/**
 * Engines fail in many shapes: real Errors, DOMExceptions, and (WebLLM's worker client) plain strings such as
 * "DeviceLostError: The WebGPU device was lost". Make an Error of any of them, keeping the name.
 */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') {
    const match = /^([A-Za-z][\w]*(?:Error|Exception)):\s*([\s\S]*)$/.exec(value);
    const error = new EngineError(match ? match[2]! : value, { cause: value });
    if (match) error.name = match[1]!;
    return error;
  }
  return new EngineError(`the engine failed with a non-error value: ${safeString(value)}`, { cause: value });
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The record's form of an error: plain data, structured-cloneable. */
export function errorInfo(error: Error): { name: string; message: string; code?: string } {
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
