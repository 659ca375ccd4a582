/**
 * Cheap checks that a call did its role, for models too small to always follow instructions: an empty output, an
 * output at the token cap, a "critique" that is about something else (a story) or that only repeats what it was
 * given, an output that repeats the question or the prompt's instructions. Word statistics only (no model call), so they are meant to catch
 * the obvious cases and never to judge quality. What the protocol does with a problem is decided where the
 * output is used (protocol-run.ts); the problems and that action are recorded on the call (`CallRecord.roleCheck`).
 */
import { similarity, words } from './early-stop.js';
import type { CallProblem, CallRole } from './types.js';

export interface RoleContext {
  role: CallRole;
  /** The user's current question. */
  question: string;
  /** What the call works on: a critique's target answer, a refine's previous answer. */
  subject?: string;
  /** Every text the call was given as material (answers, suggestions, rounds). */
  inputs: readonly string[];
  finishReason: string | null;
  maxTokens: number;
  /** Scaffolding was removed from the output (`cleanScaffolding`): an empty result then says so. */
  cleaned: boolean;
  /**
   * The prompt as sent (all messages' text). Its fenced data (answers, suggestions) is left out of the comparison:
   * reusing an answer it was given is the model's right; repeating the instructions is not doing the task.
   */
  prompt?: string;
}

/** Above this similarity an output repeats a text rather than working on it. */
export const ECHO_SIMILARITY = 0.97;
/** An output of at least `PROMPT_ECHO_MIN_WORDS` words whose word pairs come from the prompt's own text at least this much repeats it. */
export const PROMPT_ECHO_CONTAINMENT = 0.8;
export const PROMPT_ECHO_MIN_WORDS = 8;
/** A critique needs this many content words before it can be called off-topic (short replies are left alone). */
export const OFF_TOPIC_MIN_WORDS = 12;

/** Function words and other words that say nothing about what a text is about. */
const STOP_WORDS = new Set(
  ('a an the and or but if then so of to in on at by for with from as is are was were be been being it its this that these those ' +
    'there their they them he she his her you your we our i me my not no yes do does did can could would should will shall may ' +
    'might must have has had what which who whom whose when where why how all any some more most other such only own same than ' +
    'too very just also about into over under again once here out up down off each both few nor one two').split(' '),
);

/** Words a review uses whatever it reviews: a critique with none of them and nothing in common with its material is about something else. */
const REVIEW_WORDS = new Set(
  ('answer answers response correct correctly incorrect wrong right error errors mistake mistakes accurate inaccurate improve ' +
    'improved improvement suggest suggestion suggestions missing add adding include clarify clear unclear explain explanation ' +
    'detail details should could better revise revision rewrite fix check true false agree disagree good fine complete incomplete').split(' '),
);

/** Fenced data blocks of a prompt (`<<<LABEL>>> … <<<END LABEL>>>`, see prompts.ts `fence`). */
const FENCED = /<<<([^<>\n]+)>>>\n[\s\S]*?\n<<<END \1>>>/g;

function bigrams(ws: string[]): string[] {
  return ws.slice(1).map((w, i) => `${ws[i]} ${w}`);
}

/** Share of the output's word pairs that occur in the prompt outside its fenced data. */
export function promptContainment(text: string, prompt: string): number {
  const mine = bigrams(words(text));
  if (!mine.length) return 0;
  const theirs = new Set(bigrams(words(prompt.replace(FENCED, ' '))));
  return mine.filter((b) => theirs.has(b)).length / mine.length;
}

function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP_WORDS.has(w) && (w.length > 2 || /\d/.test(w)));
}

/** Problems of one completed call's output (already cleaned); empty when it looks like it did its role. */
export function checkRole(text: string, ctx: RoleContext): CallProblem[] {
  const problems: CallProblem[] = [];
  if (!words(text).length) {
    problems.push({
      kind: 'empty',
      note: ctx.cleaned ? 'the output only repeated the prompt’s scaffolding (labels, fences, turn markers)' : 'the output is empty',
    });
    return problems;
  }
  if (ctx.finishReason === 'length') problems.push({ kind: 'cut', note: `stopped at the token cap (${ctx.maxTokens} tokens): the text may end mid-sentence` });

  if (ctx.question.trim() && words(ctx.question).length >= 3 && similarity(text, ctx.question) >= ECHO_SIMILARITY) {
    problems.push({ kind: 'echo', note: 'repeats the question instead of doing its task' });
  } else if (ctx.role === 'critique' && ctx.subject && similarity(text, ctx.subject) >= ECHO_SIMILARITY) {
    problems.push({ kind: 'echo', note: 'repeats the answer it should critique instead of critiquing it' });
  } else if (ctx.prompt && words(text).length >= PROMPT_ECHO_MIN_WORDS && promptContainment(text, ctx.prompt) >= PROMPT_ECHO_CONTAINMENT) {
    problems.push({ kind: 'echo', note: 'repeats its prompt (instructions or question) instead of doing its task' });
  }

  if (ctx.role === 'critique' && !problems.some((p) => p.kind === 'echo')) {
    const mine = contentWords(text);
    if (mine.length >= OFF_TOPIC_MIN_WORDS) {
      const material = new Set([ctx.question, ...ctx.inputs].flatMap(contentWords));
      const shared = mine.filter((w) => material.has(w)).length;
      const reviewing = words(text).some((w) => REVIEW_WORDS.has(w));
      if (shared / mine.length < 0.1 && !reviewing) {
        problems.push({ kind: 'off-topic', note: 'not a critique: it neither discusses the answers nor suggests anything about them' });
      }
    }
  }
  return problems;
}
