/**
 * The element's DOM events: bubbling, composed `CustomEvent`s (they cross shadow roots), one per step of a run.
 * Names are prefixed `moa-` so they never collide with native events (`error`, `load`). Typed for
 * `addEventListener` through the `HTMLElementEventMap` augmentation at the bottom.
 */
import type { AttentionMoAEvent, AttentionMoAResult, CallRecord, ChatMessage, RunPlan } from '@attention-moa/core';
import type { Problem } from './problems.js';

type Detail<T extends AttentionMoAEvent['type']> = Omit<Extract<AttentionMoAEvent, { type: T }>, 'type'>;

export interface LoadProgressDetail {
  model: string;
  /** 0..1 */
  progress: number;
  text: string;
  loadedBytes?: number;
  totalBytes?: number;
  /** Estimated seconds left. */
  etaSeconds?: number;
  fromCache: boolean;
}
export interface ReadyDetail {
  /** Where the engines came from: the `models` attribute (loaded here), the `agents` property or a prepared `moa`. */
  source: 'models' | 'agents' | 'moa';
  /** Model ids or agent names. */
  agents: string[];
  simulated: boolean;
}
export interface RunStartDetail {
  question: string;
  /** 0-based turn in the conversation. */
  turn: number;
  /** The messages sent to the protocol (history + the question). */
  messages: ChatMessage[];
  plan: RunPlan;
}
export type CallStartDetail = Detail<'call-start'>;
export type CallTokenDetail = Detail<'call-token'>;
export interface CallEndDetail {
  record: CallRecord;
}
export type AgentDroppedDetail = Detail<'agent-dropped'>;
export type LayerEndDetail = Detail<'layer-end'>;
export type EarlyStopDetail = Detail<'early-stop'>;
export type DraftStartDetail = Detail<'draft-start'>;
export interface DraftTokenDetail extends Detail<'draft-token'> {
  /** The draft so far. */
  text: string;
}
export type DraftEndDetail = Detail<'draft-end'>;
export interface AnswerTokenDetail {
  token: string;
  /** The answer so far. */
  answer: string;
}
export interface DoneDetail {
  question: string;
  /** The full result, `result.trace` holding every call. */
  result: AttentionMoAResult;
}
export interface StoppedDetail {
  question: string;
  /** What the answer had so far (may be empty). */
  partialAnswer: string;
}
export type ErrorDetail = Problem;

/** Event name → detail type. */
export interface AttentionMoAElementEventMap {
  'moa-load-progress': LoadProgressDetail;
  'moa-ready': ReadyDetail;
  'moa-run-start': RunStartDetail;
  'moa-call-start': CallStartDetail;
  'moa-call-token': CallTokenDetail;
  'moa-call-end': CallEndDetail;
  'moa-agent-dropped': AgentDroppedDetail;
  'moa-layer-end': LayerEndDetail;
  'moa-early-stop': EarlyStopDetail;
  'moa-draft-start': DraftStartDetail;
  'moa-draft-token': DraftTokenDetail;
  'moa-draft-end': DraftEndDetail;
  'moa-answer-token': AnswerTokenDetail;
  'moa-done': DoneDetail;
  'moa-stopped': StoppedDetail;
  'moa-error': ErrorDetail;
}
export type AttentionMoAElementEventName = keyof AttentionMoAElementEventMap;

export const EVENT_NAMES: readonly AttentionMoAElementEventName[] = [
  'moa-load-progress', 'moa-ready', 'moa-run-start', 'moa-call-start', 'moa-call-token', 'moa-call-end', 'moa-agent-dropped',
  'moa-layer-end', 'moa-early-stop', 'moa-draft-start', 'moa-draft-token', 'moa-draft-end', 'moa-answer-token', 'moa-done',
  'moa-stopped', 'moa-error',
];

export function moaEvent<K extends AttentionMoAElementEventName>(name: K, detail: AttentionMoAElementEventMap[K]): CustomEvent<AttentionMoAElementEventMap[K]> {
  return new CustomEvent(name, { detail, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    'moa-load-progress': CustomEvent<LoadProgressDetail>;
    'moa-ready': CustomEvent<ReadyDetail>;
    'moa-run-start': CustomEvent<RunStartDetail>;
    'moa-call-start': CustomEvent<CallStartDetail>;
    'moa-call-token': CustomEvent<CallTokenDetail>;
    'moa-call-end': CustomEvent<CallEndDetail>;
    'moa-agent-dropped': CustomEvent<AgentDroppedDetail>;
    'moa-layer-end': CustomEvent<LayerEndDetail>;
    'moa-early-stop': CustomEvent<EarlyStopDetail>;
    'moa-draft-start': CustomEvent<DraftStartDetail>;
    'moa-draft-token': CustomEvent<DraftTokenDetail>;
    'moa-draft-end': CustomEvent<DraftEndDetail>;
    'moa-answer-token': CustomEvent<AnswerTokenDetail>;
    'moa-done': CustomEvent<DoneDetail>;
    'moa-stopped': CustomEvent<StoppedDetail>;
    'moa-error': CustomEvent<ErrorDetail>;
  }
}
