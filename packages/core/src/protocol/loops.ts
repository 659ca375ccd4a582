/**
 * Degenerate repetition: small models decoding greedily fall into loops ("la France, la France, la France, …",
 * the question again and again) until the token cap. The repeats carry nothing, cost the reader a screenful and the
 * next call's context, so they are cut after the first occurrence and the call is marked (`CallProblem` `loop`).
 * Word level, outside fenced code (code may legitimately repeat lines).
 */

/** A unit must occur this many times in a row… */
export const LOOP_MIN_OCCURRENCES = 3;
/** …and its repeats (after the first occurrence) must span at least this many words. */
export const LOOP_MIN_REPEATED_WORDS = 8;
/** The longest unit looked for, in words. */
export const LOOP_MAX_PERIOD = 40;

export interface LoopCut {
  /** The text up to the end of one whole cycle of the unit, at a sentence end where there is one (then trimmed). */
  text: string;
  /** The repeated unit as written the first time. */
  unit: string;
  /** How many times it occurred in a row (a trailing partial repeat not counted). */
  occurrences: number;
}

interface Word {
  norm: string;
  start: number;
  end: number;
}

const CODE_FENCE = /^(```|~~~)[\s\S]*?^\1[^\n]*$/gm;

function wordsWithOffsets(text: string): Word[] {
  // Fenced code is masked: its words never count, and a loop never runs through it.
  const masked = text.replace(CODE_FENCE, (block) => '\u0000'.repeat(block.length));
  const out: Word[] = [];
  for (const m of masked.matchAll(/[\p{L}\p{N}]+|\u0000+/gu)) {
    const norm = m[0].startsWith('\u0000') ? `\u0000${out.length}` : m[0].normalize('NFKC').toLowerCase();
    out.push({ norm, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * The earliest loop in `text`: a run of words repeating with some period p (1 ≤ p ≤ LOOP_MAX_PERIOD) at least
 * LOOP_MIN_OCCURRENCES times, its repeats spanning at least LOOP_MIN_REPEATED_WORDS words; undefined when none.
 */
export function findLoop(text: string): LoopCut | undefined {
  const w = wordsWithOffsets(text);
  let best: { from: number; period: number; run: number } | undefined;
  for (let period = 1; period <= LOOP_MAX_PERIOD && period * LOOP_MIN_OCCURRENCES <= w.length; period++) {
    // run = how many words in a row equal the word `period` before them.
    let run = 0;
    for (let j = period; j <= w.length; j++) {
      if (j < w.length && w[j]!.norm === w[j - period]!.norm) {
        run++;
        continue;
      }
      if (run >= period * (LOOP_MIN_OCCURRENCES - 1) && run >= LOOP_MIN_REPEATED_WORDS) {
        const from = j - run - period;
        // The earliest loop wins; at the same start, the shortest unit (a loop of p words is also one of 2p).
        if (!best || from < best.from) best = { from, period, run };
        break;
      }
      run = 0;
    }
  }
  if (!best) return undefined;
  const { from, period, run } = best;
  const firstEnd = from + period; // index of the first word of the second occurrence
  // Where the unit starts is ambiguous ("No. The answer is no. The answer is no." repeats "no the answer is" from
  // the first word): keep one whole cycle, ending at the first sentence or line end within the next cycle if there
  // is one ("No. The answer is no."), else right after the first occurrence ("…, la France").
  let end = firstEnd;
  for (let k = firstEnd; k < Math.min(from + 2 * period, w.length); k++) {
    if (/[.!?](?:\s|$)|\n/.test(text.slice(w[k - 1]!.end, w[k]!.start))) {
      end = k;
      break;
    }
  }
  const cutAt = w[end]!.start;
  const kept = text.slice(0, cutAt).replace(/[\s,;:–—-]+$/u, '').trimEnd();
  return {
    text: kept,
    unit: text.slice(w[from]!.start, w[firstEnd - 1]!.end),
    occurrences: 1 + Math.floor(run / period),
  };
}
