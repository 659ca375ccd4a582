import { describe, expect, it } from 'vitest';
import { explainingLines, loadFailure, looksOutOfMemory, WllamaEngineError } from '../../../../../packages/core/src/engine/wllama/wllama-errors.js';

describe('load failures from the llama.cpp log', () => {
  // Lines as llama.cpp printed them in Chromium (wllama 3.13, b12211).
  const oomLog = [
    "llama_context: n_ctx_seq (16777216) > n_ctx_train (512) -- possible training context overflow",
    'ggml_aligned_malloc: insufficient memory (attempted to allocate 4096.00 MB)',
    'ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 4294967296',
    'llama_init_from_model: failed to initialize the context: failed to allocate buffer for kv cache',
  ];
  const missingLog = [
    'ggml_webgpu: Failed to get an adapter: WebGPU not available on this browser (requestAdapter returned null)',
    "llama_model_load: error loading model: check_tensor_dims: tensor 'output_norm.weight' not found",
    'llama_model_load_from_file_impl: failed to load model',
  ];
  it('says out of memory, with the size asked for', () => {
    const error = loadFailure(oomLog, 'x.gguf');
    expect(error).toBeInstanceOf(WllamaEngineError);
    expect(error.code).toBe('OUT_OF_MEMORY');
    expect(error.message).toMatch(/ran out of memory loading x\.gguf \(it asked for 4096 MiB at once\).*smaller contextWindow/);
    expect(error.details.log).toContain(oomLog[2]);
  });
  it("says bad-gguf with llama.cpp's reason", () => {
    const error = loadFailure(missingLog, 'x.gguf');
    expect(error.code).toBe('BAD_GGUF');
    expect(error.message).toBe("llama.cpp cannot load x.gguf: check_tensor_dims: tensor 'output_norm.weight' not found");
    expect(loadFailure([], 'y.gguf').message).toMatch(/no reason was logged/);
  });
  it('recognises allocation failures and keeps only explaining lines', () => {
    expect(looksOutOfMemory('RangeError: Array buffer allocation failed')).toBe(true);
    expect(looksOutOfMemory("tensor 'x' not found")).toBe(false);
    expect(explainingLines(['llm_load_print_meta: n_vocab = 685', ...missingLog])).toEqual(missingLog.slice(0));
  });
  it('round-trips through JSON (what survives a worker boundary)', () => {
    const error = new WllamaEngineError('HTTP_404', 'HTTP 404', { url: 'https://x/y.gguf', status: 404, model: undefined });
    expect(error.details).toEqual({ url: 'https://x/y.gguf', status: 404 });
    const back = WllamaEngineError.from(JSON.parse(JSON.stringify(error)));
    expect(back).toMatchObject({ name: 'WllamaEngineError', code: 'HTTP_404', details: { status: 404, url: 'https://x/y.gguf' }, message: 'HTTP 404' });
  });
});
