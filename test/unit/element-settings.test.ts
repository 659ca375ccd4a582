import { describe, expect, it } from 'vitest';
import { parseBytes, parseMaxTokens, parseSettings } from '../../packages/element/src/settings.js';
import { describeError } from '../../packages/element/src/problems.js';
import { estimateEta, reduceLoading, startLoading, totalDownloadBytes } from '../../packages/element/src/loading-state.js';

describe('parseSettings', () => {
  it('accepts attribute text and property values', () => {
    const { settings, problems } = parseSettings({
      models: ' Qwen2.5-0.5B-Instruct-q4f16_1-MLC,\n Llama-3.2-1B-Instruct-q4f16_1-MLC  SmolLM2-360M-Instruct-q4f16_1-MLC ',
      layers: '3', attention: 'Ring', earlyStop: 'similarity', maxTokens: 'propose:512, critique:128', memoryBudget: '3.5GB',
    });
    expect(problems).toEqual([]);
    expect(settings.models).toEqual(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Llama-3.2-1B-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC']);
    expect(settings.protocol).toEqual({ layers: 3, attention: 'ring', earlyStop: 'similarity', maxTokens: { propose: 512, critique: 128 } });
    expect(settings.memoryBudgetBytes).toBe(3.5e9);
    expect(parseSettings({ layers: 2, maxTokens: 256 }).settings.protocol).toEqual({ layers: 2, maxTokens: { propose: 256, refine: 256, aggregate: 256, residual: 256 } });
    expect(parseSettings({}).settings).toEqual({ models: [], protocol: {} });
  });

  it.each([
    [{ layers: 'abc' }, 'layers', /got "abc"/],
    [{ layers: '0' }, 'layers', /from 1 to 10/],
    [{ layers: 2.5 }, 'layers', /got 2\.5/],
    [{ attention: 'everyone' }, 'attention', /full, self, ring, none/],
    [{ earlyStop: 'maybe' }, 'early-stop', /judge, similarity, off/],
    [{ maxTokens: '-5' }, 'max-tokens', /number or "role:number"/],
    [{ maxTokens: 'answer:5' }, 'max-tokens', /unknown role "answer"/],
    [{ maxTokens: 99999 }, 'max-tokens', /from 1 to 32768/],
    [{ memoryBudget: 'lots' }, 'memory-budget', /"lots"/],
    [{ models: 'good-MLC, bad id!' }, 'models', /"bad" is not|"id!" is not/],
    [{ models: 'A-MLC, A-MLC' }, 'models', /more than once/],
  ])('reports %j on the %s attribute with a fix', (raw, field, message) => {
    const { problems } = parseSettings(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'invalid-attribute', field });
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.nextStep.length).toBeGreaterThan(10);
  });

  it('parses sizes and token caps', () => {
    expect(parseBytes('4GB')).toBe(4e9);
    expect(parseBytes('1500 MB')).toBe(1.5e9);
    expect(parseBytes('2GiB')).toBe(2 ** 31);
    expect(parseBytes(800)).toBe(8e8);
    expect(parseBytes('0')).toBeUndefined();
    expect(parseMaxTokens({ critique: '64' })).toEqual({ critique: 64 });
    expect(typeof parseMaxTokens({ critique: 0 })).toBe('string');
  });
});

describe('describeError', () => {
  it.each([
    [{ name: 'GpuUnavailableError', message: 'no adapter', code: 'NO_ADAPTER' }, 'webgpu-unavailable', /Chrome or Edge/],
    [{ name: 'Error', message: 'WebGPU is not supported in your current environment' }, 'webgpu-unavailable', /Chrome/],
    [{ name: 'GpuMemoryError', message: 'x', code: 'CANNOT_FIT' }, 'model-too-large', /smaller models/],
    [{ name: 'StorageQuotaError', message: 'x', code: 'QUOTA_EXCEEDED' }, 'storage-full', /Free some disk space/],
    [{ name: 'QuotaExceededError', message: 'The quota has been exceeded.' }, 'storage-full', /disk space/],
    [{ name: 'ModelFetchError', message: 'x', code: 'HTTP_404' }, 'download-failed', /internet connection/],
    [{ name: 'TypeError', message: 'Failed to fetch' }, 'download-failed', /internet/],
    [{ name: 'UnknownModelError', message: 'x', code: 'UNKNOWN_MODEL' }, 'unknown-model', /spelling/],
    [{ name: 'AttentionMoAError', message: 'x', code: 'ALL_AGENTS_FAILED' }, 'all-agents-failed', /fewer layers/],
    [{ name: 'DeviceLostError', message: 'The WebGPU device was lost' }, 'device-lost', /smaller or fewer/],
  ])('%j → %s with a next step', (error, code, next) => {
    const problem = describeError(error);
    expect(problem.code).toBe(code);
    expect(problem.nextStep).toMatch(next);
    expect(problem.message).toContain(error.message);
  });

  it('keeps an unknown error code and falls back to a generic next step', () => {
    const problem = describeError({ name: 'WeirdError', message: 'odd', code: 'ODD' });
    expect(problem).toMatchObject({ code: 'ODD', title: 'The answer could not be completed' });
  });
});

describe('model loading view', () => {
  it('tracks per-model progress, bytes, cache and ETA', () => {
    let s = startLoading(['a', 'b'], 0);
    s = reduceLoading(s, 'a', { progress: 0.25, text: 'Fetching param cache[1/4]', loadedBytes: 250e6, totalBytes: 1e9, elapsedSeconds: 10 }, 10_000);
    s = reduceLoading(s, 'b', { progress: 0.5, text: 'Loading model from cache[2/4]', totalBytes: 400e6 }, 10_000);
    expect(s.models[0]).toMatchObject({ progress: 0.25, loadedBytes: 250e6, fromCache: false, done: false, etaSeconds: 30 });
    expect(s.models[1]).toMatchObject({ fromCache: true });
    expect(totalDownloadBytes(s)).toBe(1e9);
    s = reduceLoading(s, 'a', { progress: 1, text: 'Finish loading', elapsedSeconds: 40 }, 40_000);
    expect(s.models[0]).toMatchObject({ done: true, etaSeconds: 0 });
    expect(estimateEta({ progress: 0.01, done: false }, 5)).toBeUndefined();
    expect(estimateEta({ progress: 0.5, done: false }, 0.5)).toBeUndefined();
  });
});

describe('agent names for model ids', () => {
  it('shortens WebLLM ids to readable names, keeping them unique', async () => {
    const { agentName, agentNames } = await import('../../packages/element/src/engine-pool-loader.js');
    expect(agentName('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe('Qwen2.5-0.5B');
    expect(agentName('Llama-3.2-1B-Instruct-q4f32_1-MLC')).toBe('Llama-3.2-1B');
    expect(agentName('gemma-2-2b-it-q4f16_1-MLC-1k')).toBe('gemma-2-2b');
    expect(agentName('TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC')).toBe('TinyLlama-1.1B');
    expect(agentName('SmolLM2-135M-Instruct-q0f16-MLC')).toBe('SmolLM2-135M');
    expect(agentName('Ada')).toBe('Ada');
    expect(agentNames(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1-MLC'])).toEqual([
      'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'SmolLM2-360M',
    ]);
  });
});
