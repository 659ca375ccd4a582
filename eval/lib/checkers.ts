/**
 * Graders for answers with a checkable form. Each takes the answer as the user sees it and returns pass/fail with
 * what it read from the answer, so a result can be audited line by line. Lenient where small models are sloppy in
 * form (case, Markdown, "The answer is …"), strict on the content.
 */

export type Check =
  /** The answer's number (the last one it states, by default) equals `value` within `tolerance` (absolute). */
  | { type: 'number'; value: number; tolerance?: number; pick?: 'last' | 'first' | 'any' | 'only' }
  /** A multiple-choice letter; `options` (letter → text) also accepts an answer that states exactly one option's text. */
  | { type: 'choice'; answer: string; options?: Record<string, string> }
  /** Contains any of `any` / all of `all` and none of `none` (case-insensitive unless `caseSensitive`). */
  | { type: 'contains'; any?: string[]; all?: string[]; none?: string[]; caseSensitive?: boolean }
  | { type: 'regex'; pattern: string; flags?: string; mustNotMatch?: boolean }
  /** The whole answer, normalized (case, surrounding punctuation and Markdown), equals one of `value`. */
  | { type: 'exact'; value: string | string[]; caseSensitive?: boolean }
  | { type: 'word-count'; exactly?: number; min?: number; max?: number }
  /** Every one of `checks` passes. */
  | { type: 'all'; checks: Check[] }
  /** Open-ended: only a judge model grades it. */
  | { type: 'judge' };

export interface CheckResult {
  /** undefined: not gradable by rule (a judge question). */
  pass: boolean | undefined;
  /** What was read from the answer, e.g. "last number 42" or "3 words". */
  detail: string;
}

/** Markdown emphasis, headings, quotes and code ticks removed; spaces collapsed, line breaks kept (one per line). */
export function plainText(answer: string): string {
  return answer
    .replace(/```[\w-]*\n?/g, '')
    .replace(/[*_`~]+/g, '')
    .replace(/^[ \t]{0,3}(#{1,6}|>)[ \t]*/gm, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
}

const NUMBER = /(?<![\w.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*\/\s*\d+)?(?![\w])|(?<![\w.])[-−]?\.\d+/g;

/** Numbers stated in a text: integers, decimals, thousands separators ("1,000"), simple fractions ("3/4"), minus signs. */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const match of plainText(text).matchAll(NUMBER)) {
    const raw = match[0].replace(/−/g, '-').replace(/,(?=\d{3})/g, '').replace(/\s+/g, '');
    const [num, den] = raw.split('/');
    const value = den !== undefined ? Number(num) / Number(den) : Number(raw);
    if (Number.isFinite(value)) out.push(value);
  }
  return out;
}

/** Words as a person counts them: runs of letters/digits (with inner ' or -), Markdown and punctuation ignored. */
export function countWords(text: string): number {
  return (plainText(text).match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).length;
}

/** The choice letter an answer gives, or undefined when it gives none or several. */
export function choiceLetter(answer: string, options?: Record<string, string>): string | undefined {
  const text = plainText(answer);
  const whole = /^\(?([A-J])\)?[.):]?$/.exec(text);
  if (whole) return whole[1];
  // "option d" / "choice (c)" in any case; after "answer (is)" only a capital, so "the answer is a dolphin" is no "A".
  const stated = /\b(?:option|choice)\s*:?\s*\(?([A-Ja-j])\b(?!['’])/i.exec(text) ?? /\b[Aa]nswer\s*(?:is|would be|:)?\s*:?\s*\(?([A-J])\b(?!['’])/.exec(text);
  if (stated) return stated[1]!.toUpperCase();
  // "B) Paris", "B. Paris", "(B)" at the start, or a lone "(B)" anywhere.
  const lead = /^\(?([A-J])[).:](?:\s|$)/.exec(text) ?? /\(([A-J])\)/.exec(text);
  if (lead) return lead[1];
  if (options) {
    const lower = text.toLowerCase();
    const hits = Object.entries(options).filter(([, t]) => new RegExp(`\\b${escapeRegExp(t.toLowerCase())}\\b`).test(lower));
    if (hits.length === 1) return hits[0]![0];
  }
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normalized(text: string, caseSensitive = false): string {
  const t = plainText(text).replace(/^["'“”‘’(\[]+|["'“”‘’)\].,!?;:]+$/g, '').trim();
  return caseSensitive ? t : t.toLowerCase();
}

export function runCheck(check: Check, answer: string): CheckResult {
  switch (check.type) {
    case 'number': {
      const found = numbersIn(answer);
      if (!found.length) return { pass: false, detail: 'no number in the answer' };
      const tol = check.tolerance ?? 0;
      const near = (n: number) => Math.abs(n - check.value) <= tol + 1e-9 * Math.max(1, Math.abs(check.value));
      const pick = check.pick ?? 'last';
      if (pick === 'any') return { pass: found.some(near), detail: `numbers ${found.join(', ')}` };
      if (pick === 'only') {
        const distinct = [...new Set(found)];
        return { pass: distinct.length === 1 && near(distinct[0]!), detail: `numbers ${distinct.join(', ')}` };
      }
      const n = pick === 'first' ? found[0]! : found[found.length - 1]!;
      return { pass: near(n), detail: `${pick} number ${n}` };
    }
    case 'choice': {
      const letter = choiceLetter(answer, check.options);
      return { pass: letter === check.answer, detail: letter ? `choice ${letter}` : 'no single choice letter' };
    }
    case 'contains': {
      const hay = check.caseSensitive ? plainText(answer) : plainText(answer).toLowerCase();
      const has = (s: string) => hay.includes(check.caseSensitive ? s : s.toLowerCase());
      const anyOk = check.any ? check.any.some(has) : true;
      const allOk = check.all ? check.all.every(has) : true;
      const banned = (check.none ?? []).filter(has);
      const missing = [...(check.any && !anyOk ? [`one of ${check.any.join(' / ')}`] : []), ...(check.all ?? []).filter((s) => !has(s))];
      return {
        pass: anyOk && allOk && banned.length === 0,
        detail: [missing.length ? `missing ${missing.join(', ')}` : 'has the required text', ...(banned.length ? [`has forbidden ${banned.join(', ')}`] : [])].join('; '),
      };
    }
    case 'regex': {
      const matched = new RegExp(check.pattern, check.flags ?? '').test(plainText(answer));
      return { pass: check.mustNotMatch ? !matched : matched, detail: matched ? 'pattern matches' : 'pattern does not match' };
    }
    case 'exact': {
      const values = Array.isArray(check.value) ? check.value : [check.value];
      const got = normalized(answer, check.caseSensitive);
      return { pass: values.some((v) => normalized(v, check.caseSensitive) === got), detail: `answer "${got.slice(0, 60)}"` };
    }
    case 'word-count': {
      const n = countWords(answer);
      const ok = check.exactly !== undefined ? n === check.exactly : (check.min === undefined || n >= check.min) && (check.max === undefined || n <= check.max);
      return { pass: ok, detail: `${n} word${n === 1 ? '' : 's'}` };
    }
    case 'all': {
      const results = check.checks.map((c) => runCheck(c, answer));
      const failed = results.filter((r) => r.pass === false);
      return { pass: failed.length === 0, detail: results.map((r) => r.detail).join('; ') };
    }
    case 'judge':
      return { pass: undefined, detail: 'graded by a judge model only' };
  }
}
