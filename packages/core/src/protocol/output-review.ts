/**
 * What a completed call's output becomes before anything uses it: echoed prompt scaffolding removed, a judged
 * residual's verdict read, the role checked (`role-check.ts`), and what the protocol will do about a problem
 * decided here, so that the trace says it on the call itself:
 * - a proposal that only repeats its prompt sits the layer out (unless no agent has a usable one);
 * - a critique that is empty, an echo or off-topic is not passed on to the refinement;
 * - an empty refinement, or one that repeats the question, keeps the previous answer;
 * - a residual that (without stopping) gives no usable answer leaves the layer's aggregate as the layer's output.
 * A `cut` output is still used; the mark tells the reader it may end mid-sentence. An output that loops (the same
 * words over and over, `loops.ts`) is used up to the end of the first occurrence, marked `loop`.
 */
import type { FinishReason } from '../engine/contract.js';
import type { Review } from './call-runner.js';
import { CONTINUE_WORD, parseVerdict } from './early-stop.js';
import { findLoop } from './loops.js';
import { checkRole } from './role-check.js';
import { cleanScaffolding } from './scaffolding.js';
import type { CallProblemKind, CallRole, RoleCheck } from './types.js';

export interface ReviewContext {
  role: CallRole;
  layer: number;
  /** The user's current question. */
  question: string;
  /** A critique's target answer; a refinement's previous answer. */
  subject?: string;
  /** The texts the call was given as material. */
  inputs: readonly string[];
  maxTokens: number;
  stopPhrase: string;
  /** A residual call with the judge: its reply opens with a verdict. */
  judge?: boolean;
  /** The prompt as sent (all messages' text): an output that only repeats its instructions is an echo. */
  prompt?: string;
}

/** Problems that make the protocol set an output aside, per role, and what it does instead. */
const SET_ASIDE: Partial<Record<CallRole, { kinds: CallProblemKind[]; action: (layer: number) => string }>> = {
  propose: { kinds: ['echo'], action: (layer) => `left out of layer ${layer}'s critiques and aggregate (unless no agent had a usable answer)` },
  critique: { kinds: ['empty', 'echo', 'off-topic'], action: () => 'not passed on to the refinement' },
  refine: { kinds: ['empty', 'echo'], action: () => 'kept the previous answer' },
  residual: { kinds: ['empty', 'echo'], action: (layer) => `used layer ${layer}'s aggregate as the layer's output` },
};

export function reviewOutput(text: string, finishReason: FinishReason | null, ctx: ReviewContext): Review {
  const removed = new Set<string>();
  let body = text;
  let verdict: Review['verdict'];
  if (ctx.role === 'residual' && ctx.judge) {
    const first = cleanScaffolding(body);
    first.removed.forEach((r) => removed.add(r));
    const v = parseVerdict(first.text, ctx.stopPhrase);
    verdict = v.form;
    if (v.stop) return { text: '', verdict, ...(removed.size ? { cleaned: [...removed] } : {}) };
    body = v.answer;
  }
  const cleaned = cleanScaffolding(body, { stopPhrase: ctx.stopPhrase, ...(ctx.judge ? { continueWord: CONTINUE_WORD } : {}) });
  cleaned.removed.forEach((r) => removed.add(r));
  const loop = findLoop(cleaned.text);
  const kept = loop ? loop.text : cleaned.text;
  const problems = checkRole(kept, {
    role: ctx.role,
    question: ctx.question,
    ...(ctx.subject !== undefined ? { subject: ctx.subject } : {}),
    inputs: ctx.inputs,
    ...(ctx.prompt !== undefined ? { prompt: ctx.prompt } : {}),
    finishReason,
    maxTokens: ctx.maxTokens,
    cleaned: removed.size > 0,
  });
  if (loop) {
    const unit = loop.unit.length > 60 ? `${loop.unit.slice(0, 57)}…` : loop.unit;
    problems.push({ kind: 'loop', note: `repeated itself (“${unit.replace(/\s+/g, ' ')}” ${loop.occurrences} times in a row): the repeats were cut` });
  }
  let roleCheck: RoleCheck | undefined;
  if (problems.length) {
    const rule = SET_ASIDE[ctx.role];
    const setAside = rule && problems.some((p) => rule.kinds.includes(p.kind));
    roleCheck = { problems, ...(setAside ? { action: rule.action(ctx.layer) } : {}) };
  }
  return {
    text: kept,
    ...(removed.size ? { cleaned: [...removed] } : {}),
    ...(roleCheck ? { roleCheck } : {}),
    ...(verdict ? { verdict } : {}),
  };
}
