/**
 * Conversations as stored: the same data with every call's text by reference.
 *
 * Each call of a turn is prompted with the whole conversation so far, so a conversation's traces hold every earlier
 * question and answer once per call of every later turn: stored as is, they grow with the square of its length. Here
 * every line of every prompt message, output and reply text is kept once per conversation, in `lines`, and a call
 * keeps the line numbers instead (a history message a hundred calls repeat costs a hundred short lists of numbers).
 * Lines, not whole messages: answers also come back inside other calls' prompts, fenced between marker lines.
 * A call's `cuts` (one entry per earlier turn the context budget dropped: as many as the conversation is long) are
 * kept the same way: each distinct entry once, each distinct list once, a call holding one number.
 * Lossless: `unpackConversation(packConversation(c))` is `c`, so the JSON export still has the full trace.
 */
import type { CallRecord } from '@attention-moa/core';
import type { Conversation, Turn, TurnRun } from './conversation.js';

/** A text as line numbers into the conversation's `lines`. */
type TextRef = number[];

interface PackedCall extends Omit<CallRecord, 'messages' | 'output' | 'text' | 'cuts'> {
  messages: { role: CallRecord['messages'][number]['role']; content: TextRef }[];
  output: TextRef;
  /** Omitted when equal to `output` (no reasoning block was stripped): the usual case. */
  text?: TextRef;
  /** The line holding the list of the cuts' lines (each a cut as JSON), comma-separated. */
  cuts: number;
}

export interface PackedConversation extends Omit<Conversation, 'turns'> {
  /** Format marker: conversations stored before packing have none and are read as they are. */
  packed: 1;
  lines: string[];
  turns: Turn[];
}

type Stored = Conversation | PackedConversation;

export function isPacked(value: Stored): value is PackedConversation {
  return (value as PackedConversation).packed === 1 && Array.isArray((value as PackedConversation).lines);
}

export function packConversation(conversation: Conversation): PackedConversation {
  const lines: string[] = [];
  const index = new Map<string, number>();
  const line = (value: string): number => {
    let n = index.get(value);
    if (n === undefined) index.set(value, (n = lines.push(value) - 1));
    return n;
  };
  const ref = (text: string): TextRef => text.split('\n').map(line);
  const packCall = (call: CallRecord): PackedCall => {
    const { messages, output, text, cuts, ...rest } = call;
    return {
      ...rest,
      messages: messages.map((m) => ({ role: m.role, content: ref(m.content) })),
      output: ref(output),
      ...(text === output ? {} : { text: ref(text) }),
      cuts: line(cuts.map((cut) => line(JSON.stringify(cut))).join(',')),
    };
  };
  return { ...conversation, packed: 1, lines, turns: conversation.turns.map((turn) => mapCalls(turn, packCall as never)) };
}

export function unpackConversation(stored: Stored): Conversation {
  if (!isPacked(stored)) return stored;
  const { packed: _packed, lines, ...conversation } = stored;
  void _packed;
  const read = (ref: TextRef) => ref.map((n) => lines[n] ?? '').join('\n');
  const readCuts = (n: number): CallRecord['cuts'] => {
    const list = lines[n] ?? '';
    return list ? list.split(',').map((id) => JSON.parse(lines[Number(id)] ?? 'null') as CallRecord['cuts'][number]) : [];
  };
  const unpackCall = (call: PackedCall): CallRecord => {
    const { messages, output, text, cuts, ...rest } = call;
    const out = read(output);
    return {
      ...rest,
      messages: messages.map((m) => ({ role: m.role, content: read(m.content) })),
      output: out,
      text: text ? read(text) : out,
      cuts: readCuts(cuts),
    };
  };
  return { ...conversation, turns: conversation.turns.map((turn) => mapCalls(turn, unpackCall as never)) };
}

/** The turn with `fn` applied to every call record of its runs. */
function mapCalls(turn: Turn, fn: (call: CallRecord) => CallRecord): Turn {
  const run = (r: TurnRun): TurnRun => (r.result ? { ...r, result: { ...r.result, trace: r.result.trace.map(fn) } } : r);
  return { ...turn, main: run(turn.main), ...(turn.comparisons ? { comparisons: turn.comparisons.map(run) } : {}) };
}
