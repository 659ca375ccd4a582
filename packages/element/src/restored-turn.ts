/**
 * A finished turn brought back (from storage, an export, another tab): its question and the protocol's result with
 * the trace. Replaying the trace through the same reducer the live run uses gives the same view, so a restored
 * turn renders exactly as it did live: Markdown answer, status line (tokens written), "How this answer was made".
 */
import type { AttentionMoAResult, ChatMessage } from '@attention-moa/core';
import { reduceRun, startRun, type ErrorInfo, type RunView } from './view-model.js';

export interface RestoredTurn {
  question: string;
  /** The run's result (answer, trace, usage); without it the turn shows `answer` or `error` only. */
  result?: AttentionMoAResult;
  /** The answer when there is no result (e.g. a run that was stopped). */
  answer?: string;
  /** Why the turn failed, when it did. */
  error?: ErrorInfo;
}

/** Checks one turn handed to `restoreTurns`; the message names the field and what it needs. */
export function checkRestoredTurn(value: unknown, index: number): RestoredTurn {
  const t = value as Partial<RestoredTurn> | null;
  const at = `restoreTurns(turns): turns[${index}]`;
  if (!t || typeof t !== 'object') throw new TypeError(`${at} must be an object { question, result?, answer?, error? }.`);
  if (typeof t.question !== 'string' || !t.question.trim()) throw new TypeError(`${at}.question must be a non-empty string.`);
  if (t.result !== undefined) {
    const r = t.result as Partial<AttentionMoAResult>;
    if (!r || typeof r.answer !== 'string' || !Array.isArray(r.trace) || !r.usage) {
      throw new TypeError(`${at}.result must be an AttentionMoAResult (answer, trace[], usage), as in moa-done's detail.result or lastResult.`);
    }
  }
  if (t.answer !== undefined && typeof t.answer !== 'string') throw new TypeError(`${at}.answer must be a string.`);
  return t as RestoredTurn;
}

/** The view of a finished turn: the trace replayed through the run reducer, timed on the result's own clock. */
export function restoredView(turn: RestoredTurn): RunView {
  let view = startRun(turn.question, 0);
  const result = turn.result;
  if (result) {
    for (const record of [...result.trace].sort((a, b) => a.id - b.id)) view = reduceRun(view, { type: 'call-end', record }, record.endedAt);
    for (const dropped of result.dropped ?? []) view = reduceRun(view, { type: 'agent-dropped', dropped }, 0);
    if (result.aggregatorFallback) view = reduceRun(view, { type: 'aggregator-fallback', ...result.aggregatorFallback }, 0);
    return reduceRun(view, { type: 'done', result }, result.durationMs);
  }
  if (turn.error) return reduceRun({ ...view, answer: turn.answer ?? '' }, { type: 'failed', error: turn.error }, 0);
  // An answer without its result (saved by a page that kept only the text): shown as finished, without details.
  return { ...view, status: 'done', answer: turn.answer ?? '', answerFinal: true };
}

/** The history a turn adds for the next question: question and answer, when it finished with one. */
export function messagesOf(views: readonly RunView[]): ChatMessage[] {
  return views.flatMap((v): ChatMessage[] =>
    v.status === 'done' && v.answer ? [{ role: 'user', content: v.question }, { role: 'assistant', content: v.result?.answer ?? v.answer }] : [],
  );
}
