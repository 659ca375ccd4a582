import { describe, expect, it } from 'vitest';
import { chunkFactory, finishReasonOf, partsOf, toLlamaServerParams, usageOf } from '../../packages/core/src/engine/wllama/wllama-chat.js';
import { explainingLines, loadFailure, looksOutOfMemory, WllamaEngineError } from '../../packages/core/src/engine/wllama/wllama-errors.js';
import { WASM_MODEL_CATALOG, wasmCatalogModel } from '../../packages/core/src/engine/wllama/wllama-catalog.js';
import { WASM_MAX_MODEL_BYTES } from '../../packages/core/src/runtime/backend-choice.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('toLlamaServerParams', () => {
  it('maps the contract request and always asks llama-server for usage', () => {
    expect(toLlamaServerParams({ messages, stream: true, max_tokens: 8, temperature: 0, top_p: 0.9, seed: 7, stop: '###', model: 'ignored' })).toEqual({
      messages, stream: true, stream_options: { include_usage: true }, max_tokens: 8, temperature: 0, top_p: 0.9, seed: 7, stop: ['###'],
    });
  });
  it('takes the default seed only when the request has none', () => {
    expect(toLlamaServerParams({ messages, stream: true }, { seed: 3 }).seed).toBe(3);
    expect(toLlamaServerParams({ messages, stream: true, seed: 5 }, { seed: 3 }).seed).toBe(5);
    expect(toLlamaServerParams({ messages, stream: true, seed: null, max_tokens: null, temperature: null })).toEqual({ messages, stream: true, stream_options: { include_usage: true } });
  });
  it.each([
    [{ messages: [], stream: true }, /messages. must be a non-empty array/],
    [{ messages: [{ role: 'tool', content: 'x' }], stream: true }, /messages\[0\]\.role must be/],
    [{ messages: [{ role: 'user', content: 3 }], stream: true }, /messages\[0\]\.content must be a string/],
    [{ messages, stream: false }, /only streaming is supported/],
    [{ messages, stream: true, max_tokens: 1.5 }, /max_tokens must be a whole number/],
    [{ messages, stream: true, temperature: -1 }, /temperature must be a number ≥ 0/],
    [{ messages, stream: true, top_p: 0 }, /top_p must be in \(0, 1\]/],
    [{ messages, stream: true, seed: -2 }, /seed must be an integer/],
    [{ messages, stream: true, stop: [1] }, /stop must be a string or an array of strings/],
  ])('rejects %j', (params, message) => {
    expect(() => toLlamaServerParams(params as never)).toThrow(message);
  });
});

describe('llama-server chunks → contract', () => {
  it('reads content, finish reasons and the final usage chunk', () => {
    expect(partsOf({ choices: [{ delta: { role: 'assistant', content: null }, finish_reason: null }] })).toEqual({ final: false });
    expect(partsOf({ choices: [{ delta: { content: ' the' }, finish_reason: null }] })).toEqual({ content: ' the', final: false });
    expect(partsOf({ choices: [{ delta: {}, finish_reason: 'length' }] })).toEqual({ finish: 'length', final: false });
    expect(partsOf({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })).toEqual({ final: true });
    expect(finishReasonOf('tool_calls')).toBe('tool_calls');
    expect(finishReasonOf('eos')).toBe('stop');
    expect(finishReasonOf(null)).toBeNull();
  });
  it('turns usage + timings into the contract usage with WebLLM-style extras', () => {
    const usage = usageOf(
      {
        usage: { prompt_tokens: 49, completion_tokens: 16, total_tokens: 65, prompt_tokens_details: { cached_tokens: 4 } },
        timings: { prompt_n: 49, prompt_ms: 36.4, prompt_per_second: 1346, predicted_n: 16, predicted_ms: 52.4, predicted_per_second: 286 },
      },
      { startedAt: 1000, firstTokenAt: 1050, endedAt: 1200 },
    );
    expect(usage).toMatchObject({ prompt_tokens: 49, completion_tokens: 16, total_tokens: 65 });
    expect(usage.extra).toMatchObject({ engine: 'wllama', e2e_latency_s: 0.2, time_to_first_token_s: 0.05, prefill_tokens_per_s: 1346, decode_tokens_per_s: 286, cached_prompt_tokens: 4 });
    expect(usage.extra!.time_per_output_token_s).toBeCloseTo(0.05240 / 16, 6);
    expect(usageOf({}, { startedAt: 0, endedAt: 500 })).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, extra: { time_to_first_token_s: 0.5 } });
  });
  it('builds chunks that share id, created and model', () => {
    const make = chunkFactory('m', 'id-1');
    const chunks = [make.content('a'), make.finish('stop'), make.usage({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })];
    expect(new Set(chunks.map((c) => `${c.id}${c.created}${c.model}${c.object}`)).size).toBe(1);
    expect(chunks[0]!.choices[0]).toEqual({ index: 0, delta: { role: 'assistant', content: 'a' }, finish_reason: null });
    expect(chunks[2]!.choices).toEqual([]);
  });
});

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

describe('WASM model catalog', () => {
  it('lists real Hugging Face GGUF files with size and licence, all fitting the WASM heap', () => {
    expect(WASM_MODEL_CATALOG.length).toBeGreaterThanOrEqual(3);
    expect(new Set(WASM_MODEL_CATALOG.map((m) => m.id)).size).toBe(WASM_MODEL_CATALOG.length);
    for (const m of WASM_MODEL_CATALOG) {
      expect(m.url).toBe(`https://huggingface.co/${m.repo}/resolve/main/${m.file}`);
      expect(m.file).toMatch(/\.gguf$/);
      expect(m.approxBytes).toBeGreaterThan(1e7);
      expect(m.approxBytes).toBeLessThan(WASM_MAX_MODEL_BYTES);
      expect(m.license.length).toBeGreaterThan(3);
      expect(m.suggestedContextWindow).toBeLessThanOrEqual(m.trainingContext);
    }
  });
  it('finds a model by id, or names the known ids', () => {
    expect(wasmCatalogModel('smollm2-360m-instruct-q8_0').approxBytes).toBe(386_000_000);
    expect(() => wasmCatalogModel('gpt-5')).toThrow(/No WASM catalog model "gpt-5"\. Known: smollm2-135m/);
  });
});
