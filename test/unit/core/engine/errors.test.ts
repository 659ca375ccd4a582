import { describe, expect, it } from 'vitest';
import { RuntimeError, deserializeError, runtimeError, serializeError, type RuntimeErrorCode } from '../../../../packages/core/src/engine/errors.js';

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
