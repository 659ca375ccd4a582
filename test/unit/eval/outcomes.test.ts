import { describe, expect, it } from 'vitest';
import type { HarnessCall, HarnessResult } from '../../../eval/page/harness.js';
import { judgeAgreement, judgeObservation, readLayers } from '../../../eval/lib/outcomes.js';

let id = 0;
const call = (role: HarnessCall['role'], layer: number, endedAt: number, text = `${role} ${layer}`, extra: Partial<HarnessCall> = {}): HarnessCall => ({
  id: ++id, role, layer, agent: 'x', model: 'x', messages: [], output: text, text, finishReason: 'stop',
  promptTokens: 100, cachedPromptTokens: 10, completionTokens: 20, startedAt: endedAt - 5, endedAt, ms: 5, ...extra,
});

const twoLayers: HarnessResult = {
  answer: 'residual 2',
  layerOutputs: ['aggregate 1', 'residual 2'],
  calls: [call('propose', 1, 10), call('propose', 1, 12), call('aggregate', 1, 20), call('propose', 2, 30), call('aggregate', 2, 40, 'aggregate 1.'), call('residual', 2, 50, 'residual 2', { verdict: 'continue' })],
  usage: { calls: 6, promptTokens: 600, completionTokens: 120 },
  wallMs: 55,
};

describe('reading modes from runs', () => {
  it('the whole run', () => {
    expect(readLayers(twoLayers, 2, 2)).toMatchObject({ answer: 'residual 2', promptTokens: 600, processedPromptTokens: 540, completionTokens: 120, wallMs: 55, layersRun: 2 });
  });
  it('its first layer: layer-1 calls, layer 1 output, time to the end of layer 1', () => {
    const one = readLayers(twoLayers, 1, 2);
    expect(one).toMatchObject({ answer: 'aggregate 1', promptTokens: 300, completionTokens: 60, wallMs: 20, layersRun: 1 });
    expect(one.calls.map((c) => c.role)).toEqual(['propose', 'propose', 'aggregate']);
  });
  it('a failed run gives an empty answer and its error', () => {
    const failed: HarnessResult = { ...twoLayers, answer: '', layerOutputs: [], calls: twoLayers.calls.slice(0, 2), error: 'AllAgentsFailedError: x' };
    expect(readLayers(failed, 1, 2)).toMatchObject({ answer: '', error: 'AllAgentsFailedError: x', layersRun: 0 });
  });
});

describe('judge observations', () => {
  it('compares layer 1 output with layer 2 aggregate and records the verdict', () => {
    expect(judgeObservation('q', 'amoa-full-2', twoLayers)).toMatchObject({ stopped: false, verdict: 'continue', similarity: 1 });
    const stopped = { ...twoLayers, earlyStop: { layer: 2, mode: 'judge', reason: 'r' } };
    expect(judgeObservation('q', 'm', stopped)!.stopped).toBe(true);
  });
  it('2×2 agreement with the similarity threshold', () => {
    const o = (stopped: boolean, similarity: number) => ({ questionId: 'q', mode: 'm', stopped, similarity, residualText: '' });
    expect(judgeAgreement([o(true, 0.95), o(true, 0.2), o(false, 0.99), o(false, 0.1), o(false, 0.3)], 0.9)).toEqual({ n: 5, both: 1, judgeOnly: 1, similarityOnly: 1, neither: 2, agreement: 0.6 });
  });
});
