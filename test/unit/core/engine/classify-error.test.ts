import { describe, expect, it } from 'vitest';
import { RuntimeError, type RuntimeErrorCode } from '../../../../packages/core/src/engine/errors.js';
import { classifyEngineError, type ClassifyContext } from '../../../../packages/core/src/engine/classify-error.js';

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('classifyEngineError: WebLLM failures → codes', () => {
  const load: ClassifyContext = { phase: 'load', model: 'M', configUrl: 'https://h/m/resolve/main/mlc-chat-config.json', libUrl: 'https://h/m.wasm' };
  const cases: [string, unknown, Partial<ClassifyContext>, RuntimeErrorCode, Record<string, unknown>?][] = [
    ['unknown id', named('ModelNotFoundError', 'Cannot find model record in appConfig for X.'), {}, 'UNKNOWN_MODEL'],
    ['no navigator.gpu', named('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment'), {}, 'NO_WEBGPU'],
    ['no adapter', new Error('Unable to find a compatible GPU. This issue might be because…'), {}, 'NO_ADAPTER'],
    ['no f16', named('ShaderF16SupportError', 'This model requires WebGPU extension shader-f16'), {}, 'F16_MISSING', { feature: 'shader-f16' }],
    ['device lost', named('DeviceLostError', 'The WebGPU device was lost while loading the model.'), {}, 'DEVICE_LOST'],
    ['device lost as a string', 'DeviceLostError: The WebGPU device was lost', {}, 'DEVICE_LOST'],
    ['oom', named('GPUOutOfMemoryError', 'Out of memory'), {}, 'OUT_OF_MEMORY'],
    ['quota (IndexedDB)', new Error('Failed to store https://h/p.bin with error: QuotaExceededError: The quota has been exceeded.'), {}, 'QUOTA_EXCEEDED'],
    ['quota (DOMException)', new DOMException('quota', 'QuotaExceededError'), {}, 'QUOTA_EXCEEDED'],
    ['404 recorded', new Error('Failed to store https://h/m/resolve/main/mlc-chat-config.json with error: Error: Network response was not ok'), { failures: [{ url: 'https://h/m/resolve/main/mlc-chat-config.json', status: 404 }] }, 'HTTP_404', { url: 'https://h/m/resolve/main/mlc-chat-config.json', status: 404 }],
    ['503 recorded', new TypeError("Failed to execute 'add' on 'Cache': Request failed"), { failures: [{ url: 'https://h/x', status: 503 }] }, 'HTTP_ERROR', { url: 'https://h/x', status: 503 }],
    ['network recorded', new TypeError('Failed to fetch'), { failures: [{ url: 'https://h/x', network: 'Failed to fetch' }] }, 'NETWORK', { url: 'https://h/x' }],
    ['network, url from the message', new Error('Failed to store https://h/y with error: TypeError: Failed to fetch'), {}, 'NETWORK', { url: 'https://h/y' }],
    ['bad config recorded', new TypeError('x'), { failures: [{ url: 'https://h/c.json', badConfig: 'not JSON' }] }, 'BAD_MODEL_CONFIG', { url: 'https://h/c.json' }],
    ['config not JSON (spa fallback)', new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'), { requested: ['https://h/a.json', 'https://h/b.bin'] }, 'BAD_MODEL_CONFIG', { url: 'https://h/a.json' }],
    ['wasm empty (localhost path, no status check)', named('CompileError', 'WebAssembly.instantiate(): BufferSource argument is empty'), {}, 'BAD_MODEL_LIB', { url: 'https://h/m.wasm' }],
    ['wasm empty but the 404 was recorded', named('CompileError', 'WebAssembly.instantiate(): BufferSource argument is empty'), { failures: [{ url: 'https://h/m.wasm', status: 404 }] }, 'HTTP_404', { url: 'https://h/m.wasm' }],
    ['cancelled', new DOMException('aborted', 'AbortError'), {}, 'LOAD_CANCELLED'],
    ['anything else', named('WeirdError', 'odd'), {}, 'ENGINE_ERROR', { causeName: 'WeirdError', causeMessage: 'odd' }],
  ];
  it.each(cases)('%s', (_label, error, extra, code, details) => {
    const classified = classifyEngineError(error, { ...load, ...extra }) as RuntimeError;
    expect(classified.code).toBe(code);
    expect(classified.details.model).toBe('M');
    if (details) expect(classified.details).toMatchObject(details);
    if (classified.details.url) expect(classified.message).toContain(String(classified.details.url));
  });

  it('during a request: aborts stay AbortErrors, unknown errors keep their own name, known ones get codes', () => {
    const abort = new DOMException('stop', 'AbortError');
    expect(classifyEngineError(abort, { phase: 'chat' })).toBe(abort);
    const fault = named('ScriptedFault', 'boom');
    expect(classifyEngineError(fault, { phase: 'chat' })).toBe(fault);
    expect((classifyEngineError(named('ContextWindowSizeExceededError', 'Prompt tokens exceed context window size'), { phase: 'chat' }) as RuntimeError).code).toBe('CONTEXT_WINDOW_EXCEEDED');
    expect((classifyEngineError(named('DeviceLostError', 'lost'), { phase: 'chat' }) as RuntimeError).code).toBe('DEVICE_LOST');
    const stringError = classifyEngineError('SeedTypeError: seed must be an integer', { phase: 'chat' });
    expect([stringError.name, stringError.message]).toEqual(['SeedTypeError', 'seed must be an integer']);
    // Other engines' typed errors pass through untouched.
    const typed = Object.assign(named('WllamaEngineError', 'x'), { code: 'BAD_GGUF' });
    expect(classifyEngineError(typed, { phase: 'load' })).toBe(typed);
  });
});
