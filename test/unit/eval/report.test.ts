import { describe, expect, it } from 'vitest';
import { renderResults, type EvalResults } from '../../../eval/lib/report.js';
import type { GradedOutcome } from '../../../eval/lib/outcomes.js';

const outcome = (mode: string, questionId: string, pass: boolean, wallMs: number, calls = 1): GradedOutcome => ({
  mode, questionId, category: 'arithmetic', answer: 'x', check: { pass, detail: '' }, wallMs, layersRun: 1,
  calls: Array.from({ length: calls }, (_, i) => ({ id: i + 1, role: 'propose', layer: 1, agent: mode, model: mode, messages: [], output: 'x', text: 'x', finishReason: 'stop', promptTokens: 10, cachedPromptTokens: 0, completionTokens: 5, startedAt: 0, endedAt: 1, ms: 1 })),
  promptTokens: 10 * calls, processedPromptTokens: 10 * calls, completionTokens: 5 * calls,
});

const results: EvalResults = {
  startedAt: '2026-12-07T11:27:00.000Z', finishedAt: '2026-12-07T12:00:00.000Z', wallS: 1980, questionFile: 'eval/questions.json', questionSet: 'set',
  questions: [{ id: 'q1', category: 'arithmetic' }, { id: 'q2', category: 'arithmetic' }],
  modes: [{ id: 'single-a', label: 'a alone', measuredAs: '' }, { id: 'classic-moa', label: 'classic MoA', measuredAs: '' }],
  models: { a: { file: 'a.gguf', label: 'A', contextWindow: 4096, noSystemRole: false } },
  settings: { maxTokens: { propose: 48 }, temperature: 0, aggregator: 'a', agents: ['a', 'b'], similarityThreshold: 0.9 },
  environment: { browser: 'Chromium 1', cpus: 2, loadAverage: [20, 19, 18], engine: 'wllama' },
  outcomes: [outcome('single-a', 'q1', true, 1000), outcome('single-a', 'q2', false, 3000), outcome('classic-moa', 'q1', true, 9000, 3), outcome('classic-moa', 'q2', true, 11000, 3)],
  judge: [], planned: 40, budgetStop: 'the 30-minute budget was used up after 2 of 40 questions', code: { commit: 'abc1234', dirty: false }, notes: ['a note'],
};

describe('RESULTS.md', () => {
  const md = renderResults(results);
  it('has one row per mode with accuracy and its Wilson interval, calls, tokens and time per question', () => {
    expect(md).toContain('| a alone | 50 % [9–91] | 1/2 | 1.0 | 10 (10) | 5 | 2.0 |');
    expect(md).toContain('| classic MoA | 100 % [34–100] | 2/2 | 3.0 | 30 (30) | 15 | 10.0 |');
  });
  it('states the sample, the budget stop, the load, the code and the notes', () => {
    expect(md).toContain('2 questions of `eval/questions.json`');
    expect(md).toContain('The run was planned for 40 questions and stopped as asked: the 30-minute budget was used up after 2 of 40 questions.');
    expect(md).toContain('load average at the start 20.0 / 19.0 / 18.0');
    expect(md).toContain('- Code: commit `abc1234`.');
    expect(md).toContain('- a note');
    expect(md).toContain('no `--judge-url` was given');
  });
});
