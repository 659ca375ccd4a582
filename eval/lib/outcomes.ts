/**
 * From protocol runs to the eval's per-mode outcomes: what a mode answered and what it cost, including the modes
 * read from a prefix of a deeper run (see modes.ts), and the statistics the report needs.
 */
import type { HarnessCall, HarnessResult } from '../page/harness.js';
import { similarity } from '../../packages/core/src/protocol/early-stop.js';
import type { CheckResult } from './checkers.js';

export interface ModeOutcome {
  answer: string;
  calls: HarnessCall[];
  promptTokens: number;
  /** Prompt tokens llama.cpp processed (the prompt minus what it reused from its cache). */
  processedPromptTokens: number;
  completionTokens: number;
  wallMs: number;
  layersRun: number;
  earlyStop?: HarnessResult['earlyStop'];
  error?: string;
}

/**
 * The outcome of a mode with `layers` layers, from a run with at least that many: the whole run, or its first
 * `layers` layers (calls of those layers; the answer is that layer's output; the time is when its last call ended).
 */
export function readLayers(result: HarnessResult, layers: number, runLayers: number): ModeOutcome {
  const whole = layers >= runLayers;
  const calls = whole ? result.calls : result.calls.filter((c) => c.layer <= layers);
  const sum = (f: (c: HarnessCall) => number) => calls.reduce((n, c) => n + f(c), 0);
  const base = {
    calls,
    promptTokens: sum((c) => c.promptTokens),
    processedPromptTokens: sum((c) => c.promptTokens - c.cachedPromptTokens),
    completionTokens: sum((c) => c.completionTokens),
  };
  if (whole) {
    return { ...base, answer: result.answer, wallMs: result.wallMs, layersRun: result.layerOutputs.length, ...(result.earlyStop ? { earlyStop: result.earlyStop } : {}), ...(result.error ? { error: result.error } : {}) };
  }
  const reached = result.layerOutputs.length >= layers;
  return {
    ...base,
    answer: reached ? result.layerOutputs[layers - 1]! : '',
    wallMs: calls.length ? Math.max(...calls.map((c) => c.endedAt)) : result.wallMs,
    layersRun: Math.min(layers, result.layerOutputs.length),
    ...(!reached && result.error ? { error: result.error } : {}),
  };
}

/** One mode on one question, graded. */
export interface GradedOutcome extends ModeOutcome {
  mode: string;
  questionId: string;
  category: string;
  check: CheckResult;
  judgeScore?: number;
}

export interface ModeSummary {
  mode: string;
  n: number;
  passed: number;
  /** Questions graded by rule (judge-only questions excluded). */
  graded: number;
  calls: number;
  promptTokens: number;
  processedPromptTokens: number;
  completionTokens: number;
  wallMs: number;
  errors: number;
  judgeScores: number[];
}

export function summarize(mode: string, outcomes: GradedOutcome[]): ModeSummary {
  const mine = outcomes.filter((o) => o.mode === mode);
  const graded = mine.filter((o) => o.check.pass !== undefined);
  const sum = (f: (o: GradedOutcome) => number) => mine.reduce((n, o) => n + f(o), 0);
  return {
    mode,
    n: mine.length,
    graded: graded.length,
    passed: graded.filter((o) => o.check.pass).length,
    calls: sum((o) => o.calls.length),
    promptTokens: sum((o) => o.promptTokens),
    processedPromptTokens: sum((o) => o.processedPromptTokens),
    completionTokens: sum((o) => o.completionTokens),
    wallMs: sum((o) => o.wallMs),
    errors: mine.filter((o) => o.error).length,
    judgeScores: mine.flatMap((o) => (o.judgeScore !== undefined ? [o.judgeScore] : [])),
  };
}

/** A 2-layer run with the judge, seen from its early-stop decision and the similarity of its two layers. */
export interface JudgeObservation {
  questionId: string;
  mode: string;
  /** The judge's reply was read as a stop. */
  stopped: boolean;
  /** How the reply was read: 'stop' | 'remark' | 'continue' | 'answer' (see parseVerdict). */
  verdict?: string;
  /** similarity(layer 1's output, layer 2's aggregate): what the similarity early stop compares. */
  similarity: number;
  residualText: string;
}

export function judgeObservation(questionId: string, mode: string, result: HarnessResult): JudgeObservation | undefined {
  const residual = result.calls.find((c) => c.role === 'residual' && c.layer === 2);
  const aggregate2 = result.calls.find((c) => c.role === 'aggregate' && c.layer === 2);
  const layer1 = result.layerOutputs[0];
  if (!residual || !aggregate2 || layer1 === undefined) return undefined;
  return {
    questionId,
    mode,
    stopped: result.earlyStop?.mode === 'judge',
    ...(typeof residual.verdict === 'string' ? { verdict: residual.verdict } : {}),
    similarity: similarity(layer1, aggregate2.text),
    residualText: residual.output,
  };
}

/** 2×2 agreement of the judge's stop with "similarity ≥ threshold". */
export function judgeAgreement(observations: JudgeObservation[], threshold: number) {
  const both = observations.filter((o) => o.stopped && o.similarity >= threshold).length;
  const judgeOnly = observations.filter((o) => o.stopped && o.similarity < threshold).length;
  const similarityOnly = observations.filter((o) => !o.stopped && o.similarity >= threshold).length;
  const neither = observations.length - both - judgeOnly - similarityOnly;
  return { n: observations.length, both, judgeOnly, similarityOnly, neither, agreement: observations.length ? (both + neither) / observations.length : NaN };
}
