import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../eval/lib/checkers.js';
import { CATEGORIES, QuestionFileError, isCheckable, parseQuestionFile, sampleQuestions, validateQuestionFile, type Question } from '../../../eval/lib/questions.js';

const committed = readFileSync(new URL('../../../eval/questions.json', import.meta.url), 'utf8');

describe('the committed question set', () => {
  const set = parseQuestionFile(committed, 'eval/questions.json');
  it('is valid, has at least 150 checkable items and every category', () => {
    const checkable = set.questions.filter((q) => q.check.type !== 'judge');
    expect(checkable.length).toBeGreaterThanOrEqual(150);
    expect(new Set(set.questions.map((q) => q.category))).toEqual(new Set(CATEGORIES));
  });
  it('every reference answer passes its own check (the checks are not impossible), and an empty answer fails', () => {
    for (const q of set.questions.filter((x) => x.check.type !== 'judge')) {
      expect(q.reference, q.id).toBeDefined();
      expect(runCheck(q.check, q.reference!).pass, `${q.id}: ${q.reference}`).toBe(true);
      expect(runCheck(q.check, '').pass, q.id).toBe(false);
    }
  });
});

describe('validation', () => {
  const good: Question = { id: 'a-1', category: 'arithmetic', question: 'What is 1 + 1?', check: { type: 'number', value: 2 } };
  const problemsOf = (data: unknown) => {
    try {
      validateQuestionFile(data, 'x.json');
    } catch (error) {
      expect(error).toBeInstanceOf(QuestionFileError);
      return (error as QuestionFileError).problems;
    }
    return [];
  };
  it('accepts a minimal file', () => expect(problemsOf({ name: 'n', questions: [good] })).toEqual([]));
  it('names every problem with the item, what is wrong and what is allowed', () => {
    const problems = problemsOf({
      name: '',
      extra: 1,
      questions: [
        good,
        { ...good },
        { id: 'b', category: 'maths', question: ' ', check: { type: 'number', value: 'two' } },
        { id: 'c', category: 'logic', question: 'Q', check: { type: 'choice', answer: 'E', options: { A: 'x', B: 'y' } } },
        { id: 'd', category: 'open-ended', question: 'Q', check: { type: 'regex', pattern: '(' } },
        { id: 'e', category: 'facts', question: 'Q', check: { type: 'word-count', exactly: 3, max: 4 } },
        { id: 'f', category: 'facts', question: 'Q', check: { type: 'all', checks: [{ type: 'contains' }] } },
        { id: 'g', category: 'facts', question: 'Q', check: { type: 'guess' }, note: 'x' },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        '"name" must be a non-empty string (it names the set in reports)',
        'top level: unknown field "extra" (allowed: $schema, name, description, questions)',
        'questions[1] "a-1": id "a-1" is used twice (also questions[0])',
        expect.stringMatching(/^questions\[2\] "b": "category" must be one of arithmetic, unit-conversion, .*; got "maths"$/),
        'questions[2] "b": "question" must be a non-empty string',
        'questions[2] "b" (check "number"): "value" must be a finite number',
        'questions[3] "c" (check "choice"): "answer" E is not one of the options A, B',
        expect.stringMatching(/^questions\[4\] "d" \(check "regex"\): "pattern"\/"flags" do not compile: /),
        'questions[4] "d": open-ended questions use { "type": "judge" }',
        'questions[5] "e" (check "word-count"): "exactly" excludes "min"/"max"',
        'questions[6] "f".checks[0] (check "contains"): give "any" or "all" (non-empty lists of strings)',
        'questions[7] "g": unknown field "note" (allowed: id, category, question, check, reference)',
        'questions[7] "g": check.type must be one of number, choice, contains, regex, exact, word-count, all, judge; got "guess"',
      ]),
    );
  });
  it('says when the text is not JSON, and points to the format', () => {
    expect(() => parseQuestionFile('{ nope', 'q.json')).toThrow(/^q\.json is not a valid question file \(1 problem\):\n {2}- not valid JSON: .*\nThe format is described in eval\/README\.md\.$/s);
  });
});

describe('sampleQuestions', () => {
  const qs = (spec: string): Question[] =>
    spec.split(' ').map((id) => ({ id, category: ({ a: 'arithmetic', f: 'facts', l: 'logic' } as const)[id[0] as 'a' | 'f' | 'l'], question: id, check: { type: 'judge' } }));
  it('interleaves categories in file order, so a small limit covers each', () => {
    expect(sampleQuestions(qs('a1 a2 a3 f1 f2 l1'), 4).map((q) => q.id)).toEqual(['a1', 'f1', 'l1', 'a2']);
    expect(sampleQuestions(qs('a1 a2 a3 f1 f2 l1'), 6).map((q) => q.id)).toEqual(['a1', 'a2', 'a3', 'f1', 'f2', 'l1']);
    expect(sampleQuestions(qs('a1 a2 a3 f1 f2 l1')).length).toBe(6);
  });
});

describe('isCheckable', () => {
  it('is false only for questions a judge model must grade', () => {
    const q = (check: Question['check']): Question => ({ id: 'x', category: 'facts', question: 'x', check });
    expect(isCheckable(q({ type: 'judge' }))).toBe(false);
    expect(isCheckable({ ...q({ type: 'judge' }), category: 'open-ended' })).toBe(false);
    expect(isCheckable(q({ type: 'number', value: 4 }))).toBe(true);
  });
});
