/**
 * The element's DOM events from what its controllers report: a run's actions become `moa-*` events (a failure
 * becomes a problem, shown and sent as `moa-error` by the element), a load report becomes `moa-load-progress`
 * with the smoothed progress and ETA the loading bars show.
 */
import type { ChatMessage, LoadProgress } from '@attention-moa/core';
import type { AttentionMoAElementEventMap, AttentionMoAElementEventName, LoadProgressDetail } from './events.js';
import { describeError, type Problem } from './problems.js';
import type { LoadingView } from './loading-state.js';
import type { RunAction, RunView } from './view-model.js';

export type Emit = <K extends AttentionMoAElementEventName>(name: K, detail: AttentionMoAElementEventMap[K]) => void;

export interface RunEventContext {
  emit: Emit;
  /** The turn's index in the conversation. */
  turn: number;
  /** The messages the run was started with (history and the question). */
  messages: readonly ChatMessage[];
  /** The element shows drafts (and sends their events). */
  drafts: boolean;
  showProblem(problem: Problem): void;
}

export function forwardRunAction(action: RunAction, view: RunView, ctx: RunEventContext): void {
  const { emit } = ctx;
  switch (action.type) {
    case 'run-start':
      emit('moa-run-start', { question: view.question, turn: ctx.turn, messages: ctx.messages.map((m) => ({ ...m })), plan: action.plan });
      break;
    case 'call-start':
    case 'call-token':
    case 'layer-end':
    case 'early-stop': {
      const { type, ...detail } = action;
      emit(`moa-${type}`, detail as never);
      break;
    }
    case 'call-end':
      emit('moa-call-end', { record: action.record });
      break;
    case 'agent-dropped':
      emit('moa-agent-dropped', { dropped: action.dropped });
      break;
    case 'draft-start':
    case 'draft-end': {
      if (!ctx.drafts) break;
      const { type, ...detail } = action;
      emit(`moa-${type}`, detail as never);
      break;
    }
    case 'draft-token':
      if (ctx.drafts) emit('moa-draft-token', { draft: action.draft, token: action.token, text: view.draft?.id === action.draft ? view.draft.text : action.token, final: false });
      break;
    case 'answer-token':
      emit('moa-answer-token', { token: action.token, answer: view.answer });
      break;
    case 'done':
      emit('moa-done', { question: view.question, result: action.result });
      break;
    case 'stopped':
      emit('moa-stopped', { question: view.question, partialAnswer: view.answer });
      break;
    case 'error':
    case 'failed':
      ctx.showProblem(describeError(view.error ?? { name: 'Error', message: 'unknown error' }));
      break;
    default:
      break;
  }
}

export function loadProgressDetail(model: string, report: LoadProgress, view: LoadingView): LoadProgressDetail {
  const m = view.models.find((x) => x.model === model);
  return {
    model,
    progress: m?.progress ?? report.progress,
    text: report.text,
    ...(report.loadedBytes !== undefined ? { loadedBytes: report.loadedBytes } : {}),
    ...(report.totalBytes !== undefined ? { totalBytes: report.totalBytes } : {}),
    ...(m?.etaSeconds !== undefined ? { etaSeconds: m.etaSeconds } : {}),
    fromCache: m?.fromCache ?? false,
  };
}
