import { describe, expect, it } from 'vitest';
import { describeError } from '../../../packages/element/src/problems.js';

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
