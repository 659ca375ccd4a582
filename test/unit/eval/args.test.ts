import { describe, expect, it } from 'vitest';
import { ArgsError, DEFAULT_MAX_TOKENS, parseArgs, parseMaxTokens } from '../../../eval/lib/args.js';

const MODES = ['single-a', 'classic-moa', 'amoa-full-1'];

describe('eval arguments', () => {
  it('defaults', () => {
    expect(parseArgs([], MODES)).toEqual({ questions: 'eval/questions.json', maxTokens: DEFAULT_MAX_TOKENS, out: 'eval', help: false });
  });
  it('parses every option, in both --flag value and --flag=value forms', () => {
    const args = parseArgs(['--questions', 'q.json', '--limit=20', '--modes', 'classic-moa,single-a', '--max-tokens', '80', '--out', 'x', '--judge-url', 'http://127.0.0.1:8080/v1/', '--judge-model', 'm'], MODES, { EVAL_JUDGE_KEY: 'k' });
    expect(args).toEqual({
      questions: 'q.json',
      limit: 20,
      modes: ['classic-moa', 'single-a'],
      maxTokens: { propose: 80, critique: 60, refine: 80, aggregate: 80, residual: 80 },
      out: 'x',
      judge: { url: 'http://127.0.0.1:8080/v1', model: 'm', key: 'k' },
      help: false,
    });
    expect(parseArgs(['--time-budget', '30'], MODES).timeBudgetMin).toBe(30);
    expect(parseArgs(['--checkable-only', '--limit', '5'], MODES)).toMatchObject({ checkableOnly: true, limit: 5 });
    expect(parseMaxTokens('critique=32,residual=90')).toEqual({ ...DEFAULT_MAX_TOKENS, critique: 32, residual: 90 });
  });
  it.each([
    [['--limit', '0'], /--limit needs a whole number ≥ 1, got "0"/],
    [['--limit'], /--limit needs a value/],
    [['--modes', 'amoa-full-9'], /--modes: unknown mode amoa-full-9 \(known: single-a, classic-moa, amoa-full-1\)/],
    [['--max-tokens', 'critic=3'], /--max-tokens: unknown role "critic" \(roles: propose, critique, refine, aggregate, residual\)/],
    [['--max-tokens', 'critique=x'], /--max-tokens critique= needs a whole number ≥ 1, got "x"/],
    [['--judge-url', 'http://x/v1'], /a judge needs both --judge-url and --judge-model/],
    [['--judge-url', 'nope', '--judge-model', 'm'], /--judge-url is not a URL: "nope"/],
    [['--verbose'], /unknown option "--verbose"/],
    [['--time-budget', '0'], /--time-budget needs minutes > 0, got "0"/],
    [['--checkable-only=yes'], /--checkable-only takes no value/],
  ])('%j → a clear error', (argv, message) => {
    expect(() => parseArgs(argv as string[], MODES)).toThrow(ArgsError);
    expect(() => parseArgs(argv as string[], MODES)).toThrow(message);
    expect(() => parseArgs(argv as string[], MODES)).toThrow(/Run `npm run eval -- --help` for the options\./);
  });
});
