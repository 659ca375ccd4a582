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

/** A stop reply may add a short remark around the phrase ("Verdict: NO FURTHER IMPROVEMENT."); this many words at most. */
export const STOP_REMARK_WORDS = 30;

/**
 * True when a judge's reply is the stop phrase. Reasoning blocks are ignored; case, punctuation, markdown
 * (`**`, backticks, `#`, `>`, quotes) and whitespace do not matter. The reply is a stop when one of its
 * segments (split at line breaks and at . ! ? ; :) is exactly the phrase, and the rest of the reply adds at most
 * `STOP_REMARK_WORDS` words. So "**No further improvement.**", "`NO_FURTHER_IMPROVEMENT`" and "Verdict: no further
 * improvement" stop, while "No further improvement is possible: …" (a sentence that merely starts with the
 * phrase) and long answers that quote it do not.
 */
export function isStopPhrase(reply: string, phrase: string): boolean {
  const target = words(phrase).join(' ');
  if (!target) return false;
  const text = stripReasoning(reply);
  const total = words(text).length;
  const phraseWords = words(phrase).length;
  if (total === 0 || total > phraseWords + STOP_REMARK_WORDS) return false;
  return text.split(/[\n.!?;:]+/).some((segment) => words(segment).join(' ') === target);
}

/**
 * True while a partial reply could still turn out to be the stop phrase, so an answer stream must hold it back.
 * Beyond the phrase plus the allowed remark it no longer can.
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
