import { describe, expect, it } from 'vitest';
import { chunkFactory, finishReasonOf, partsOf, toLlamaServerParams, usageOf } from '../../../../../packages/core/src/engine/wllama/wllama-chat.js';

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
  it('reports the prompt tokens reused from the KV cache in OpenAI’s prompt_tokens_details', () => {
    const clock = { startedAt: 0, endedAt: 10 };
    expect(usageOf({ usage: { prompt_tokens: 49, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 4 } } }, clock).prompt_tokens_details).toEqual({ cached_tokens: 4 });
    // Only llama.cpp's timings: cache_n tokens were reused, prompt_n computed.
    expect(usageOf({ usage: { prompt_tokens: 120, completion_tokens: 1 }, timings: { cache_n: 100, prompt_n: 20 } }, clock).prompt_tokens_details).toEqual({ cached_tokens: 100 });
    expect(usageOf({ usage: { prompt_tokens: 12, completion_tokens: 1 } }, clock)).not.toHaveProperty('prompt_tokens_details');
  });
  it('builds chunks that share id, created and model', () => {
    const make = chunkFactory('m', 'id-1');
    const chunks = [make.content('a'), make.finish('stop'), make.usage({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })];
    expect(new Set(chunks.map((c) => `${c.id}${c.created}${c.model}${c.object}`)).size).toBe(1);
    expect(chunks[0]!.choices[0]).toEqual({ index: 0, delta: { role: 'assistant', content: 'a' }, finish_reason: null });
    expect(chunks[2]!.choices).toEqual([]);
  });
});
