/**
 * A conversation as the demo keeps it: the turns the visitor asked, each with its answer, how it was produced
 * (mode, ensemble, simulated or not) and the protocol's full result with its trace.
 */
import type { AttentionMoAResult, ChatMessage } from '@attention-moa/core';
import type { ProtocolSettings, RunMode } from '../run/modes.js';

export interface EnsembleSummary {
  /** Agent names as shown (model ids for real models, "Agent A"… in the simulation). */
  agents: string[];
  /** Model id per agent, when real models answered. */
  models?: string[];
  aggregator: string;
  settings: ProtocolSettings;
  simulated: boolean;
}

export interface TurnRun {
  mode: RunMode;
  answer: string;
  /** The whole result (trace included) as the protocol returned it; absent when the run failed before finishing. */
  result?: AttentionMoAResult;
  error?: { name: string; message: string; code?: string };
  /** Wall time measured by the page, ms. */
  wallMs: number;
}

export interface Turn {
  id: string;
  question: string;
  askedAt: number;
  ensemble: EnsembleSummary;
  /** The run whose answer continues the conversation. */
  main: TurnRun;
  /** Other modes run on the same question for comparison (single model, classic MoA). */
  comparisons?: TurnRun[];
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
  /** The visitor renamed it: the title no longer follows the first question. */
  renamed?: boolean;
  /**
   * Ids of turns the visitor replaced (Regenerate, Edit question): kept so that merging with a copy another tab
   * stored earlier does not bring them back.
   */
  removedTurns?: string[];
}

/** The conversation without its turns from `index` on (they are being replaced), remembering which were removed. */
export function withoutTurnsFrom(conversation: Conversation, index: number): Conversation {
  const removed = conversation.turns.slice(index).map((t) => t.id);
  if (!removed.length) return conversation;
  return { ...conversation, turns: conversation.turns.slice(0, index), removedTurns: [...new Set([...(conversation.removedTurns ?? []), ...removed])] };
}

export function newId(prefix: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `${prefix}-${Date.now().toString(36)}-${random[0]!.toString(36)}${random[1]!.toString(36)}`;
}

export function newConversation(now = Date.now()): Conversation {
  return { id: newId('c'), title: 'New conversation', createdAt: now, updatedAt: now, turns: [] };
}

/** A title from the first question: its first line, cut at a word boundary. */
export function titleFrom(question: string, max = 60): string {
  const line = question.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  if (line.length <= max) return line || 'New conversation';
  const cut = line.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 15))}…`;
}

/** The conversation as the protocol takes it: earlier turns' questions and answers, then the new question. */
export function messagesFor(conversation: Conversation, question: string): ChatMessage[] {
  const history = conversation.turns
    .filter((t) => !t.main.error && t.main.answer)
    .flatMap((t): ChatMessage[] => [
      { role: 'user', content: t.question },
      { role: 'assistant', content: t.main.answer },
    ]);
  return [...history, { role: 'user', content: question }];
}

export function withTurn(conversation: Conversation, turn: Turn): Conversation {
  const turns = [...conversation.turns.filter((t) => t.id !== turn.id), turn];
  return {
    ...conversation,
    title: conversation.turns.length === 0 && !conversation.renamed ? titleFrom(turn.question) : conversation.title,
    updatedAt: Math.max(conversation.updatedAt, turn.askedAt),
    turns,
  };
}

/**
 * Two copies of one conversation (what is stored, what this tab has): every turn of both, in the order they were
 * asked; a turn in both is taken from `mine` (it may have gained comparisons since); turns either side removed stay
 * removed. The title stays the first one unless the visitor renamed the conversation.
 */
export function mergeConversations(stored: Conversation, mine: Conversation): Conversation {
  const removed = new Set([...(stored.removedTurns ?? []), ...(mine.removedTurns ?? [])]);
  const turns = new Map(stored.turns.map((t) => [t.id, t] as const));
  for (const turn of mine.turns) turns.set(turn.id, turn);
  const ordered = [...turns.values()].filter((t) => !removed.has(t.id)).sort((a, b) => a.askedAt - b.askedAt);
  const untitled = (c: Conversation) => c.turns.length === 0 || c.title === 'New conversation';
  // A title the visitor gave wins over one that followed the first question; this tab's rename over the other's.
  const title = mine.renamed ? mine.title : stored.renamed ? stored.title : untitled(stored) ? mine.title : stored.title;
  return {
    ...mine,
    ...(removed.size ? { removedTurns: [...removed] } : {}),
    ...(mine.renamed || stored.renamed ? { renamed: true } : {}),
    title,
    createdAt: Math.min(stored.createdAt, mine.createdAt),
    updatedAt: Math.max(stored.updatedAt, mine.updatedAt),
    turns: ordered,
  };
}

/** Totals over a run's trace, for the comparison table. */
export interface RunCost {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
  layersRun: number;
  earlyStopLayer?: number;
}

export function costOf(run: TurnRun): RunCost | undefined {
  const r = run.result;
  if (!r) return undefined;
  return {
    calls: r.usage.calls,
    promptTokens: r.usage.promptTokens,
    completionTokens: r.usage.completionTokens,
    durationMs: r.durationMs,
    layersRun: r.layersRun,
    earlyStopLayer: r.earlyStop?.layer,
  };
}
