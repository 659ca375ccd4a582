/**
 * Exports a conversation: Markdown for reading (questions, answers, costs, a compact call table) and JSON with
 * everything, the protocol's full trace included, for analysis.
 */
import type { CallRecord } from '@attention-moa/core';
import { inertMarkdown } from '@attention-moa/element/inert-markdown';
import { RUN_MODES } from '../run/modes.js';
import { type Conversation, type TurnRun, costOf } from './conversation.js';

export const EXPORT_FORMAT = 'attention-moa-demo/conversation';
export const EXPORT_VERSION = 1;

export interface ConversationExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  generator: string;
  conversation: Conversation;
}

export function toJSON(conversation: Conversation, now = new Date()): string {
  const data: ConversationExport = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    generator: 'Attention-MoA Web demo',
    conversation,
  };
  return JSON.stringify(data, null, 2);
}

const modeLabel = (run: TurnRun) => RUN_MODES.find((m) => m.id === run.mode)?.label ?? run.mode;

/** Markdown for reading anywhere: model and user text go through `inertMarkdown`, so opening the file in another
 *  viewer loads no remote image and runs no HTML (an injected answer cannot send the conversation out that way). */
export function toMarkdown(conversation: Conversation, now = new Date()): string {
  const lines: string[] = [`# ${inertMarkdown(oneLine(conversation.title))}`, ''];
  const simulated = conversation.turns.some((t) => t.ensemble.simulated);
  lines.push(`_Exported from the Attention-MoA Web demo on ${now.toISOString().slice(0, 10)}._`);
  if (simulated) lines.push('', '> **Simulation:** simulated agents — no model was running. The answers below are scripted.');
  for (const [i, turn] of conversation.turns.entries()) {
    const e = turn.ensemble;
    lines.push('', `## ${i + 1}. ${inertMarkdown(oneLine(turn.question))}`, '', quote(inertMarkdown(turn.question)), '');
    lines.push(`**${modeLabel(turn.main)}** · agents: ${e.agents.join(', ')} · aggregator: ${e.aggregator} · up to ${e.settings.layers} layer(s), attention ${e.settings.attention}, early stop ${e.settings.earlyStop}${e.simulated ? ' · simulated' : ''}`);
    lines.push('', ...runSection(turn.main));
    for (const other of turn.comparisons ?? []) {
      lines.push('', `### Compared: ${modeLabel(other)}`, '', ...runSection(other));
    }
  }
  return `${lines.join('\n')}\n`;
}

function runSection(run: TurnRun): string[] {
  if (run.error) return [`**Failed:** ${inertMarkdown(`${run.error.name}: ${run.error.message}`)}`];
  const out = [inertMarkdown(run.answer.trim()), ''];
  const cost = costOf(run);
  if (cost) {
    const stop = cost.earlyStopLayer ? `, stopped early at layer ${cost.earlyStopLayer}` : '';
    out.push(`_${cost.calls} calls, ${cost.promptTokens + cost.completionTokens} tokens (${cost.completionTokens} generated), ${(cost.durationMs / 1000).toFixed(1)} s, ${cost.layersRun} layer(s)${stop}._`);
  }
  if (run.result?.trace.length) {
    out.push('', '<details><summary>Calls</summary>', '', '| # | layer | role | agent | on | prompt tokens | output tokens | ms |', '|---|---|---|---|---|---|---|---|');
    for (const c of run.result.trace) out.push(traceRow(c));
    out.push('', '</details>');
  }
  return out;
}

function traceRow(c: CallRecord): string {
  const outTokens = c.usage?.completion_tokens ?? '';
  const ms = Math.round(c.endedAt - c.startedAt);
  return `| ${c.id} | ${c.layer} | ${c.role} | ${cell(c.agent)} | ${cell(c.target ?? '')} | ${c.promptTokens} | ${outTokens} | ${ms} |`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const oneLine = (s: string) => {
  const line = s.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
};
const quote = (s: string) =>
  s
    .trim()
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

/** "why-is-the-sky-blue-2026-01-31" */
export function exportFileName(conversation: Conversation, ext: 'md' | 'json', now = new Date()): string {
  const slug =
    conversation.title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'conversation';
  return `${slug}-${now.toISOString().slice(0, 10)}.${ext}`;
}

/** Saves text as a file through a temporary object URL (no network involved). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Reads a file written by `toJSON` back into a conversation (with a fresh id, so importing twice or on the same
 * browser never overwrites one). Every problem is an error that says what is wrong with the file.
 */
export function parseImport(text: string, newIdFor: () => string): Conversation {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('This file is not JSON. Import takes the “JSON with trace” file this demo exports (conversation-….json).');
  }
  const d = data as Partial<ConversationExport> | null;
  if (!d || typeof d !== 'object' || d.format !== EXPORT_FORMAT) {
    throw new Error(`This JSON is not an exported Attention-MoA conversation (its "format" is not "${EXPORT_FORMAT}"). Use the file from the “JSON with trace” button.`);
  }
  if (d.version !== EXPORT_VERSION) throw new Error(`This export is version ${String(d.version)}; this demo reads version ${EXPORT_VERSION}. Export it again from a current demo.`);
  const c = d.conversation as Partial<Conversation> | undefined;
  if (!c || typeof c.title !== 'string' || !Array.isArray(c.turns)) throw new Error('The export has no conversation (title and turns are missing): the file is incomplete.');
  c.turns.forEach((t, i) => {
    if (!t || typeof t.question !== 'string' || !t.main || typeof t.main.answer !== 'string' || !t.ensemble) {
      throw new Error(`Turn ${i + 1} of the export is incomplete (it needs question, main.answer and ensemble): the file was changed or cut.`);
    }
  });
  const now = Date.now();
  return {
    ...(c as Conversation),
    id: newIdFor(),
    createdAt: typeof c.createdAt === 'number' ? c.createdAt : now,
    updatedAt: typeof c.updatedAt === 'number' ? c.updatedAt : now,
  };
}
