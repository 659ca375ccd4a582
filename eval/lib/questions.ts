/**
 * The eval's question files: the format (documented in eval/README.md, schema in eval/questions.schema.json) and
 * its validation. Every problem is reported with the item's place and id, what was wrong and what would be right,
 * all at once, so a hand-written file can be fixed in one pass.
 */
import type { Check } from './checkers.js';

export const CATEGORIES = ['arithmetic', 'unit-conversion', 'facts', 'logic', 'multiple-choice', 'instruction-following', 'open-ended'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Question {
  /** Unique in its file, e.g. "arith-001". */
  id: string;
  category: Category;
  /** The user message, as the models see it. */
  question: string;
  /** How an answer is graded; `{ "type": "judge" }` for open-ended questions graded by a judge model only. */
  check: Check;
  /** The reference answer, for people reading results (and the judge's prompt for open-ended questions). */
  reference?: string;
}

export interface QuestionFile {
  name: string;
  description?: string;
  questions: Question[];
}

export class QuestionFileError extends Error {
  readonly userFacing = true;
  constructor(readonly problems: string[], source: string) {
    super(`${source} is not a valid question file (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}\nThe format is described in eval/README.md.`);
    this.name = 'QuestionFileError';
  }
}

const CHECK_TYPES = ['number', 'choice', 'contains', 'regex', 'exact', 'word-count', 'all', 'judge'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim() !== '');
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

function unknownKeys(obj: Record<string, unknown>, allowed: string[], where: string, problems: string[]): void {
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) problems.push(`${where}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
}

/** Problems of one check (recursive for "all"); empty when it is valid. */
export function checkProblems(check: unknown, where: string): string[] {
  const problems: string[] = [];
  if (!isObject(check)) return [`${where}: "check" must be an object like { "type": "number", "value": 42 }`];
  const type = check.type;
  if (typeof type !== 'string' || !(CHECK_TYPES as readonly string[]).includes(type)) {
    return [`${where}: check.type must be one of ${CHECK_TYPES.join(', ')}; got ${JSON.stringify(type)}`];
  }
  const at = `${where} (check "${type}")`;
  switch (type) {
    case 'number':
      unknownKeys(check, ['type', 'value', 'tolerance', 'pick'], at, problems);
      if (typeof check.value !== 'number' || !Number.isFinite(check.value)) problems.push(`${at}: "value" must be a finite number`);
      if (check.tolerance !== undefined && !(typeof check.tolerance === 'number' && check.tolerance >= 0)) problems.push(`${at}: "tolerance" must be a number ≥ 0`);
      if (check.pick !== undefined && !['last', 'first', 'any', 'only'].includes(check.pick as string)) problems.push(`${at}: "pick" must be "last", "first", "any" or "only"`);
      break;
    case 'choice':
      unknownKeys(check, ['type', 'answer', 'options'], at, problems);
      if (typeof check.answer !== 'string' || !/^[A-J]$/.test(check.answer)) problems.push(`${at}: "answer" must be one capital letter A–J`);
      if (check.options !== undefined) {
        if (!isObject(check.options) || !Object.keys(check.options).every((k) => /^[A-J]$/.test(k)) || !Object.values(check.options).every((t) => typeof t === 'string' && t.trim())) {
          problems.push(`${at}: "options" must map letters A–J to their non-empty texts`);
        } else if (typeof check.answer === 'string' && !(check.answer in check.options)) {
          problems.push(`${at}: "answer" ${check.answer} is not one of the options ${Object.keys(check.options).join(', ')}`);
        }
      }
      break;
    case 'contains':
      unknownKeys(check, ['type', 'any', 'all', 'none', 'caseSensitive'], at, problems);
      if (check.any === undefined && check.all === undefined) problems.push(`${at}: give "any" or "all" (non-empty lists of strings)`);
      for (const key of ['any', 'all', 'none'] as const) {
        if (check[key] !== undefined && !isStringList(check[key])) problems.push(`${at}: "${key}" must be a non-empty list of non-empty strings`);
      }
      if (check.caseSensitive !== undefined && typeof check.caseSensitive !== 'boolean') problems.push(`${at}: "caseSensitive" must be true or false`);
      break;
    case 'regex':
      unknownKeys(check, ['type', 'pattern', 'flags', 'mustNotMatch'], at, problems);
      if (typeof check.pattern !== 'string' || !check.pattern) problems.push(`${at}: "pattern" must be a non-empty string`);
      else {
        try {
          new RegExp(check.pattern, typeof check.flags === 'string' ? check.flags : '');
        } catch (error) {
          problems.push(`${at}: "pattern"/"flags" do not compile: ${(error as Error).message}`);
        }
      }
      if (check.mustNotMatch !== undefined && typeof check.mustNotMatch !== 'boolean') problems.push(`${at}: "mustNotMatch" must be true or false`);
      break;
    case 'exact':
      unknownKeys(check, ['type', 'value', 'caseSensitive'], at, problems);
      if (!isStringList(check.value) && !(typeof check.value === 'string' && check.value.trim())) problems.push(`${at}: "value" must be a non-empty string or list of strings`);
      break;
    case 'word-count': {
      unknownKeys(check, ['type', 'exactly', 'min', 'max'], at, problems);
      const given = ['exactly', 'min', 'max'].filter((k) => check[k] !== undefined);
      if (!given.length) problems.push(`${at}: give "exactly", or "min" and/or "max" (whole numbers ≥ 0)`);
      for (const k of given) if (!isCount(check[k])) problems.push(`${at}: "${k}" must be a whole number ≥ 0`);
      if (check.exactly !== undefined && (check.min !== undefined || check.max !== undefined)) problems.push(`${at}: "exactly" excludes "min"/"max"`);
      if (isCount(check.min) && isCount(check.max) && (check.min as number) > (check.max as number)) problems.push(`${at}: "min" is larger than "max"`);
      break;
    }
    case 'all':
      unknownKeys(check, ['type', 'checks'], at, problems);
      if (!Array.isArray(check.checks) || check.checks.length === 0) problems.push(`${at}: "checks" must be a non-empty list of checks`);
      else check.checks.forEach((c, i) => problems.push(...checkProblems(c, `${where}.checks[${i}]`)));
      break;
    case 'judge':
      unknownKeys(check, ['type'], at, problems);
      break;
  }
  return problems;
}

/** Validates parsed JSON as a question file; throws a QuestionFileError listing every problem. */
export function validateQuestionFile(data: unknown, source = 'the question file'): QuestionFile {
  const problems: string[] = [];
  if (!isObject(data)) throw new QuestionFileError(['the top level must be an object { "name": …, "questions": [ … ] }'], source);
  unknownKeys(data, ['$schema', 'name', 'description', 'questions'], 'top level', problems);
  if (typeof data.name !== 'string' || !data.name.trim()) problems.push('"name" must be a non-empty string (it names the set in reports)');
  if (data.description !== undefined && typeof data.description !== 'string') problems.push('"description" must be a string');
  if (!Array.isArray(data.questions) || data.questions.length === 0) {
    problems.push('"questions" must be a non-empty list');
    throw new QuestionFileError(problems, source);
  }
  const ids = new Map<string, number>();
  data.questions.forEach((q: unknown, i: number) => {
    const where = `questions[${i}]${isObject(q) && typeof q.id === 'string' ? ` "${q.id}"` : ''}`;
    if (!isObject(q)) {
      problems.push(`${where}: each question must be an object with id, category, question and check`);
      return;
    }
    unknownKeys(q, ['id', 'category', 'question', 'check', 'reference'], where, problems);
    if (typeof q.id !== 'string' || !/^[\w.-]+$/.test(q.id)) problems.push(`${where}: "id" must be a non-empty string of letters, digits, "_", "-" or "."`);
    else if (ids.has(q.id)) problems.push(`${where}: id "${q.id}" is used twice (also questions[${ids.get(q.id)}])`);
    else ids.set(q.id, i);
    if (typeof q.category !== 'string' || !(CATEGORIES as readonly string[]).includes(q.category)) {
      problems.push(`${where}: "category" must be one of ${CATEGORIES.join(', ')}; got ${JSON.stringify(q.category)}`);
    }
    if (typeof q.question !== 'string' || !q.question.trim()) problems.push(`${where}: "question" must be a non-empty string`);
    if (q.reference !== undefined && typeof q.reference !== 'string') problems.push(`${where}: "reference" must be a string`);
    problems.push(...checkProblems(q.check, where));
    if (q.category === 'open-ended' && isObject(q.check) && q.check.type !== 'judge') problems.push(`${where}: open-ended questions use { "type": "judge" }`);
  });
  if (problems.length) throw new QuestionFileError(problems, source);
  return data as unknown as QuestionFile;
}

/** Parses and validates a question file's text. */
export function parseQuestionFile(text: string, source = 'the question file'): QuestionFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new QuestionFileError([`not valid JSON: ${(error as Error).message}`], source);
  }
  return validateQuestionFile(data, source);
}

/** Whether an answer to it can be graded without a judge model (every check but `{ "type": "judge" }`). */
export function isCheckable(question: Question): boolean {
  return question.check.type !== 'judge';
}

/**
 * The first `limit` questions in category round-robin order (each category in file order), so a small sample
 * still covers every category. Deterministic: the same file and limit give the same questions.
 */
export function sampleQuestions(questions: Question[], limit?: number): Question[] {
  if (limit === undefined || limit >= questions.length) return questions.slice();
  const byCategory = new Map<string, Question[]>();
  for (const q of questions) byCategory.set(q.category, [...(byCategory.get(q.category) ?? []), q]);
  const queues = [...byCategory.values()];
  const out: Question[] = [];
  for (let round = 0; out.length < limit; round++) {
    for (const queue of queues) if (round < queue.length && out.length < limit) out.push(queue[round]!);
  }
  return out;
}
