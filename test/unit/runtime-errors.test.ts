import { describe, expect, it } from 'vitest';
import {
  RuntimeError,
  deserializeError,
  runtimeError,
  serializeError,
  type RuntimeErrorCode,
} from '../../packages/core/src/engine/errors.js';
import { classifyEngineError, type ClassifyContext } from '../../packages/core/src/engine/classify-error.js';
import { checkChatConfig } from '../../packages/core/src/engine/fetch-monitor.js';
import { validateEngineSpec, absoluteAppConfig } from '../../packages/core/src/runtime/engine-spec.js';

const ALL_CODES: RuntimeErrorCode[] = [
  'NO_WEBGPU', 'NO_ADAPTER', 'F16_MISSING', 'GPU_FEATURE_MISSING', 'UNKNOWN_MODEL', 'BAD_SPEC', 'NETWORK', 'HTTP_404', 'HTTP_ERROR',
  'BAD_MODEL_CONFIG', 'BAD_MODEL_LIB', 'QUOTA_EXCEEDED', 'STORAGE_UNAVAILABLE', 'DEVICE_LOST', 'OUT_OF_MEMORY', 'CANNOT_FIT', 'WORKER_CRASHED',
  'WORKER_START_FAILED', 'LOAD_CANCELLED', 'ENGINE_UNAVAILABLE', 'CONTEXT_WINDOW_EXCEEDED', 'DISPOSED', 'ENGINE_ERROR',
];

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('runtime errors', () => {
  it('every code builds a RuntimeError subclass with a specific name and a message that says what to do', () => {
    for (const code of ALL_CODES) {
      const error = runtimeError(code, { model: 'M', url: 'https://x/y.json', status: 503, requiredMB: 3000, budgetMB: 2000 });
      expect(error).toBeInstanceOf(RuntimeError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).not.toBe('Error');
      // ENGINE_ERROR carries the engine's own message (checked below); every other code explains itself.
      if (code !== 'ENGINE_ERROR') expect(error.message.length, code).toBeGreaterThan(30);
    }
    expect(runtimeError('ENGINE_ERROR', { model: 'M', causeName: 'SeedTypeError', causeMessage: 'seed must be an integer' }).message).toBe('M: SeedTypeError: seed must be an integer');
    expect(runtimeError('NETWORK', { url: 'https://h/c.json' }).message).toContain('https://h/c.json');
    expect(runtimeError('HTTP_404', { url: 'https://h/c.json' }).details.status).toBe(404);
    expect(runtimeError('DEVICE_LOST', { model: 'M' }).message).toMatch(/smaller models.*-1k/);
    expect(runtimeError('OUT_OF_MEMORY', { model: 'M' }).message).toMatch(/-1k/);
    expect(runtimeError('F16_MISSING', { model: 'X-q4f16_1-MLC', suggestion: 'X-q4f32_1-MLC' }).message).toContain('"X-q4f32_1-MLC"');
    expect(runtimeError('QUOTA_EXCEEDED', { model: 'M' }).message).toMatch(/deleteCachedModel.*requestPersistentStorage/);
  });

  it('serialize → deserialize keeps class, name, code, details, message and stack (what crosses the worker boundary)', () => {
    const original = runtimeError('HTTP_404', { url: 'https://h/x.wasm', model: 'M' });
    const wire = structuredClone(serializeError(original));
    const back = deserializeError(wire) as RuntimeError;
    expect(back).toBeInstanceOf(RuntimeError);
    expect(back.constructor).toBe(original.constructor);
    expect({ name: back.name, code: back.code, message: back.message, details: back.details, stack: back.stack }).toEqual({
      name: original.name, code: original.code, message: original.message, details: original.details, stack: original.stack,
    });
    // Plain errors keep their name; other engines' typed errors keep code and details.
    const plain = deserializeError(structuredClone(serializeError(named('ScriptedFault', 'boom'))));
    expect([plain.name, plain.message]).toEqual(['ScriptedFault', 'boom']);
    const typed = Object.assign(named('WllamaEngineError', 'bad gguf'), { code: 'BAD_GGUF', details: { url: 'u', fn: () => 1 } });
    const typedBack = deserializeError(structuredClone(serializeError(typed))) as Error & { code?: string; details?: unknown };
    expect([typedBack.name, typedBack.code, typedBack.details]).toEqual(['WllamaEngineError', 'BAD_GGUF', { url: 'u' }]);
    // DOMExceptions come back as DOMExceptions (AbortError stays an AbortError).
    const abort = deserializeError(serializeError(new DOMException('stop', 'AbortError')));
    expect(abort).toBeInstanceOf(DOMException);
    expect(abort.name).toBe('AbortError');
    // WebLLM's own worker handler rejects with strings: the name is recovered.
    expect(serializeError('DeviceLostError: The WebGPU device was lost')).toEqual({ name: 'DeviceLostError', message: 'The WebGPU device was lost' });
  });
});

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

describe('checkChatConfig (the fetch monitor\'s check of mlc-chat-config.json)', () => {
  it('accepts a config with tokenizer_files and conv_template, and says what is wrong otherwise', () => {
    expect(checkChatConfig(JSON.stringify({ tokenizer_files: ['tokenizer.json'], conv_template: { name: 'chatml' } }))).toBeUndefined();
    expect(checkChatConfig('<!doctype html><html>')).toMatch(/^not JSON: .*starts with "<!doctype html><html>"/);
    expect(checkChatConfig('[1,2]')).toBe('not a JSON object');
    expect(checkChatConfig('{"conv_template":{}}')).toBe('no "tokenizer_files" list');
    expect(checkChatConfig('{"tokenizer_files":[]}')).toBe('no "conv_template"');
  });
});

describe('validateEngineSpec', () => {
  const bad = (spec: unknown) => {
    try {
      validateEngineSpec('k', spec);
    } catch (error) {
      return error as RuntimeError;
    }
    throw new Error('expected BAD_SPEC');
  };
  it('accepts the three kinds and rejects bad specs naming the key and field', () => {
    validateEngineSpec('a', { kind: 'webllm', model: 'Qwen2.5-0.5B-Instruct' });
    validateEngineSpec('b', { kind: 'scripted', script: { rules: [{ reply: 'x' }] }, vramMB: 10, loadMs: 5 });
    validateEngineSpec('c', { kind: 'wllama', model: '/m.gguf' });
    expect(bad(null).message).toMatch(/^models\["k"\]\.kind: expected an object/);
    expect(bad({ kind: 'gpt' }).message).toContain('"webllm", "scripted" or "wllama"');
    expect(bad({ kind: 'webllm' }).details.field).toBe('model');
    expect(bad({ kind: 'webllm', model: 'x', vramMB: -1 }).details.field).toBe('vramMB');
    expect(bad({ kind: 'webllm', model: 'x', appConfig: { model_list: [{ model: 'u', model_id: 'x' }] } }).details.field).toBe('appConfig.model_list[0].model_lib');
    const fn = bad({ kind: 'scripted', script: { rules: [{ reply: 'ok' }, { reply: () => 'no' }] } });
    expect(fn.code).toBe('BAD_SPEC');
    expect(fn.message).toMatch(/script\.rules\[1\]\.reply: is a function, and functions cannot be sent to a worker/);
    expect(bad({ kind: 'scripted', script: { model: 'x', extra: () => 1 } }).message).toMatch(/cannot be sent to a worker/);
  });
  it('resolves relative appConfig URLs against the page', () => {
    expect(absoluteAppConfig({ model_list: [{ model: '/m/x', model_id: 'x', model_lib: 'libs/x.wasm' }] }, 'http://127.0.0.1:1/app/page.html').model_list[0]).toEqual({
      model: 'http://127.0.0.1:1/m/x', model_id: 'x', model_lib: 'http://127.0.0.1:1/app/libs/x.wasm',
    });
  });
});
