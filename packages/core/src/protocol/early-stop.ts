/**
 * The two early-stop tests: the judge's stop phrase, matched robustly, and a similarity measure between layer
 * outputs. No dependencies: plain word statistics.
 */
import { stripReasoning } from './reasoning.js';

/** Words of a text: NFKC, lower case, everything that is not a letter or digit (punctuation, markdown, `_`) is a separator. */
export function words(text: string): string[] {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return normalized ? normalized.split(' ') : [];
}

/** A stop verdict may add a short remark on its line ("NO FURTHER IMPROVEMENT, both rounds are identical."); this many words at most. */
export const STOP_REMARK_WORDS = 30;

/** The word the residual prompt asks for, first, when the judge goes on (then the synthesized answer follows). */
export const CONTINUE_WORD = 'IMPROVED';

/** How a judged residual reply was read. */
export interface Verdict {
  /** The judge said the latest round did not improve: the run stops with that layer's aggregate. */
  stop: boolean;
  /**
   * 'stop' / 'continue': the reply opened with the stop phrase / the continue word (the fixed form the prompt asks
   * for); 'answer': neither, the reply is taken as the answer; 'remark': a short reply whose sentence is the
   * phrase after a remark ("The rounds match. NO FURTHER IMPROVEMENT").
   */
  form: 'stop' | 'continue' | 'answer' | 'remark';
  /** The answer part: the reply after the verdict line ('continue'), the whole reply ('answer'), '' for a stop. */
  answer: string;
}

/** Markdown and label decoration around a verdict line: `**`, `#`, `>`, list marks, quotes, "Verdict:". */
const DECORATION = /^[\s>#*_`"'“”‘’~|-]*(?:(?:verdict|decision|judg(?:e)?ment|answer|reply|result)\s*[:=-]\s*[*_`"'“”‘’]*)?/i;

/**
 * If `line` opens with `phrase` (case, punctuation, Markdown and labels ignored) followed by the line's end or a
 * separator, the remark after it (maybe ''); else undefined. "No further improvement is possible: …" does not open
 * with the phrase as a verdict: no separator follows it.
 */
function afterLeadingPhrase(line: string, phrase: string): string | undefined {
  const target = words(phrase);
  if (!target.length) return undefined;
  const body = line.normalize('NFKC').replace(DECORATION, '');
  // Walk the phrase's words through the line, skipping separators between them (NO_FURTHER_IMPROVEMENT, NO-FURTHER…).
  let rest = body;
  for (const w of target) {
    const m = new RegExp(`^[^\\p{L}\\p{N}]*?(${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![\\p{L}\\p{N}])`, 'iu').exec(rest);
    if (!m || /[\p{L}\p{N}]/u.test(rest.slice(0, m.index + m[0].length - m[1]!.length))) return undefined;
    rest = rest.slice(m.index + m[0].length);
  }
  const tail = rest.replace(/^[*_`"'“”‘’~]+/, '');
  if (!tail.trim()) return '';
  // A separator must follow: punctuation or a dash, not another word of a sentence.
  return /^\s*[.,;:!?()\[\]<—–-]/.test(tail) ? tail.replace(/^\s*[.,;:!?()\[\]—–-]+[*_`"'“”‘’~]*/, '').trim() : undefined;
}

/**
 * Reads a judged residual reply. The prompt asks for the decision first, in a fixed form: the stop phrase alone, or
 * the continue word and then the answer. Small models follow it loosely, so:
 * - the first non-empty line opening with the stop phrase is a stop, with any remark of at most
 *   `STOP_REMARK_WORDS` words on that line ("NO FURTHER IMPROVEMENT, both rounds are identical."); what follows on
 *   later lines is ignored (the decision came first);
 * - the first line opening with the continue word is a go-on: the answer is what follows it;
 * - otherwise a short reply (phrase + `STOP_REMARK_WORDS` words at most) with a sentence or line that is exactly the
 *   phrase is a stop ("Verdict: the rounds are the same. NO FURTHER IMPROVEMENT.");
 * - anything else is an answer, whole: a real answer that merely contains the words ("there is no further
 *   improvement to make on Canberra") is never cut.
 * Reasoning blocks are ignored.
 */
export function parseVerdict(reply: string, phrase: string, continueWord: string = CONTINUE_WORD): Verdict {
  const text = stripReasoning(reply);
  const lines = text.split('\n');
  const first = lines.findIndex((l) => words(l).length > 0);
  if (first >= 0) {
    const line = lines[first]!;
    const remark = afterLeadingPhrase(line, phrase);
    if (remark !== undefined && words(remark).length <= STOP_REMARK_WORDS) return { stop: true, form: 'stop', answer: '' };
    const after = afterLeadingPhrase(line, continueWord);
    if (after !== undefined) {
      return { stop: false, form: 'continue', answer: [after, ...lines.slice(first + 1)].join('\n').trim() };
    }
    // The phrase and a long answer on one line: the answer, without the phrase in front.
    if (remark !== undefined) return { stop: false, form: 'answer', answer: [remark, ...lines.slice(first + 1)].join('\n').trim() };
  }
  const target = words(phrase).join(' ');
  const total = words(text).length;
  if (target && total > 0 && total <= words(phrase).length + STOP_REMARK_WORDS) {
    if (text.split(/[\n.!?;:]+/).some((segment) => words(segment).join(' ') === target)) return { stop: true, form: 'remark', answer: '' };
  }
  return { stop: false, form: 'answer', answer: text };
}

/**
 * True when a judge's reply is a stop verdict (see `parseVerdict`): "**No further improvement.**",
 * "`NO_FURTHER_IMPROVEMENT`", "Verdict: no further improvement", "NO FURTHER IMPROVEMENT, both rounds are
 * identical." stop; "No further improvement is possible: …" (a sentence that merely starts with the phrase) and
 * long answers that quote it do not.
 */
export function isStopPhrase(reply: string, phrase: string): boolean {
  return parseVerdict(reply, phrase).stop;
}

/**
 * True while a partial reply could still turn out to be a stop verdict, so an answer stream must hold it back:
 * its first line is not complete yet (and short enough to be one), or the whole is short enough for a remark-form stop.
 */
export function couldBeStopPhrase(partialReply: string, phrase: string): boolean {
  return words(partialReply).length <= words(phrase).length + STOP_REMARK_WORDS;
}

function features(text: string): Map<string, number> {
  const ws = words(stripReasoning(text));
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  ws.forEach((w, i) => {
    add(w);
    if (i > 0) add(`${ws[i - 1]} ${w}`);
  });
  return counts;
}

/**
 * Similarity of two outputs, 0..1: the cosine of their word unigram + bigram count vectors (after stripping
 * reasoning and normalizing as `words` does). Unigrams measure shared content, bigrams shared phrasing; the
 * cosine ignores length differences. Two empty texts are identical (1); one empty text shares nothing (0).
 */
export function similarity(a: string, b: string): number {
  const fa = features(a);
  const fb = features(b);
  if (fa.size === 0 && fb.size === 0) return 1;
  if (fa.size === 0 || fb.size === 0) return 0;
  let dot = 0;
  for (const [key, count] of fa) dot += count * (fb.get(key) ?? 0);
  const norm = (f: Map<string, number>) => Math.sqrt([...f.values()].reduce((sum, c) => sum + c * c, 0));
  // Rounded so that identical texts give exactly 1 (a threshold of 1 means "identical"), not 0.9999999999999998.
  return Math.min(1, Math.round((dot / (norm(fa) * norm(fb))) * 1e12) / 1e12);
}
