/**
 * The remote engine against a real HTTP server on 127.0.0.1 that fails on cue (429, 5xx, slow or silent
 * responses, dropped streams, error events): retries with backoff, timeouts, abort, messages that name the fix.
 * The real model server (llama.cpp) is exercised in test/e2e/remote-agents.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { AttentionMoA, ScriptedEngine, createRemoteEngine, offDevice, RemoteEngineError, type ChatCompletionChunk } from '@attention-moa/core';
import { startFaultServer, TEST_SENTENCE, type FaultServer } from '../../../../servers/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const question = { messages: [{ role: 'user' as const, content: 'Hi?' }], stream: true as const, stream_options: { include_usage: true } };

async function collect(iterable: AsyncIterable<ChatCompletionChunk>) {
  let text = '';
  let usage: ChatCompletionChunk['usage'];
  for await (const chunk of iterable) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, usage };
}

describe('remote engine', () => {
  it('streams from the server, naming its model and key', async () => {
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1/`, model: 'smollm2', apiKey: 'sk-test' });
    const before = server.requests.length;
    const { text, usage } = await collect(await engine.chat.completions.create({ ...question, temperature: 0.5, max_tokens: 64 }));
    expect(text).toBe(TEST_SENTENCE);
    expect(usage).toEqual({ prompt_tokens: 11, completion_tokens: 8, total_tokens: 19 });
    const sent = server.requests[before]!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body).toEqual({ model: 'smollm2', stream: true, stream_options: { include_usage: true }, messages: question.messages, temperature: 0.5, max_tokens: 64 });
  });

  it('retries 429 and 5xx with growing delays, honouring Retry-After', async () => {
    server.queue({ status: 429, retryAfter: '0.3' }, { status: 503 }, { status: 500 });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'm', retries: 3, retryDelayMs: 50 });
    const before = server.requests.length;
    const { text } = await collect(await engine.chat.completions.create(question));
    expect(text).toBe(TEST_SENTENCE);
    const tries = server.requests.slice(before);
    expect(tries.map((r) => r.status)).toEqual([429, 503, 500, 200]);
    const gaps = tries.slice(1).map((r, i) => r.at - tries[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(290); // Retry-After 0.3 s beats the 50 ms first delay
    expect(gaps[1]).toBeGreaterThanOrEqual(95); // 50 × 2
    expect(gaps[2]).toBeGreaterThanOrEqual(195); // 50 × 4
  });

  it('gives up after its retries with the server status and its message', async () => {
    server.queue({ status: 500 }, { status: 500 });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'm', retries: 1, retryDelayMs: 10 });
    const error = await Promise.resolve(engine.chat.completions.create(question)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteEngineError);
    expect(error).toMatchObject({ code: 'HTTP_ERROR', details: { status: 500, attempts: 2 } });
    expect((error as Error).message).toMatch(/answered 500 Internal Server Error for model "m" \(after 2 attempts\): fault server: status 500 on cue\. The server failed: see its log\./);
  });

  it('does not retry a 401 or 404, and says what to check', async () => {
    server.queue({ status: 401 }, { status: 404, body: JSON.stringify({ error: 'model "nope" not found' }) });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'nope', retries: 3, retryDelayMs: 10 });
    const before = server.requests.length;
    await expect(engine.chat.completions.create(question)).rejects.toThrow(/answered 401 .*The server wants an API key: set apiKey\./);
    await expect(engine.chat.completions.create(question)).rejects.toThrow(/answered 404 .*: model "nope" not found\. Check that baseURL is the API root/);
    expect(server.requests.length - before).toBe(2);
  });

  it('times out a response that does not begin, without retrying it', async () => {
    server.queue({ delayHeadersMs: 2000 });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'm', timeoutMs: 200, retries: 2 });
    const before = server.requests.length;
    const started = performance.now();
    await expect(engine.chat.completions.create(question)).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/did not begin answering within timeoutMs \(200 ms\)/) });
    expect(performance.now() - started).toBeLessThan(1900); // the server would have answered at 2000 ms
    expect(server.requests.length - before).toBe(1);
  });

  it('times out a stream that goes silent, and hangs up', async () => {
    server.queue({ stallAfterChunks: 2 });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'm', idleTimeoutMs: 200 });
    const before = server.requests.length;
    let text = '';
    const error = await (async () => {
      for await (const chunk of await engine.chat.completions.create(question)) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('A fixed');
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/sent nothing for idleTimeoutMs \(200 ms\)/) });
    await expect.poll(() => server.requests[before]!.clientClosedEarly).toBe(true);
  });

  it('reports a dropped stream and an error event instead of a short answer', async () => {
    server.queue({ dropAfterChunks: 3 }, { errorAfterChunks: 2, message: 'out of KV cache' });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'm' });
    const before = server.requests.length;
    await expect(collect(await engine.chat.completions.create(question))).rejects.toBeInstanceOf(Error);
    expect(server.requests.length - before).toBe(1); // never repeated once it streamed
    await expect(collect(await engine.chat.completions.create(question))).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('failed in the middle of an answer of "m": out of KV cache') });
  });

  it('aborts mid-stream through the signal, closing the connection', async () => {
    server.queue({ chunkDelayMs: 100 });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'm' });
    const before = server.requests.length;
    const controller = new AbortController();
    const stream = await engine.chat.completions.create(question, { signal: controller.signal });
    let chunks = 0;
    const error = await (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content && ++chunks === 2) controller.abort();
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(chunks).toBe(2); // not one chunk more after the abort
    await expect.poll(() => server.requests[before]!.clientClosedEarly).toBe(true);
  });

  it('aborts while waiting to retry', async () => {
    server.queue({ status: 503, retryAfter: '10' });
    const engine = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'm' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await expect(engine.chat.completions.create(question, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(5000); // Retry-After asked for 10 s
  });

  it('an unreachable server is a NETWORK error naming CORS, after its retries', async () => {
    const closed = await startFaultServer();
    await closed.close();
    const engine = createRemoteEngine({ baseURL: `${closed.url}/v1`, model: 'm', retries: 1, retryDelayMs: 10 });
    await expect(engine.chat.completions.create(question)).rejects.toMatchObject({ code: 'NETWORK', details: { attempts: 2 }, message: expect.stringMatching(/Could not reach the server at http:\/\/127\.0\.0\.1:\d+\/v1 .*CORS/) });
  });

  it('validates its spec, naming what is missing', () => {
    const spec = (s: object) => () => createRemoteEngine(s as never);
    expect(spec({ model: 'm' })).toThrow(/remote engine\.baseURL is missing: give the server's API root, e\.g\. "http:\/\/127\.0\.0\.1:8080\/v1"/);
    expect(spec({ baseURL: 'http://127.0.0.1:8080/v1' })).toThrow(/remote engine\.model is missing: name the model the server runs/);
    expect(spec({ baseURL: '127.0.0.1:8080', model: 'm' })).toThrow(/baseURL must be http: or https:|is not an absolute URL/);
    expect(spec({ baseURL: 'http://127.0.0.1:8080/v1/chat/completions', model: 'm' })).toThrow(/drop "\/chat\/completions"/);
    expect(spec({ baseURL: 'http://127.0.0.1:8080/v1', model: 'm', retries: -1 })).toThrow(/retries must be a whole number from 0 to 10/);
    expect(spec({ baseURL: 'http://127.0.0.1:8080/v1', model: 'm', apiKey: 42 })).toThrow(/apiKey must be a non-empty string/);
    expect(spec({ baseURL: 'http://127.0.0.1:8080/v1', model: 'm', timeout: 5 })).toThrow(/remote engine\.timeout is not a remote engine option/);
  });

  it('is marked off the device, as is an openai client', () => {
    expect(offDevice(createRemoteEngine({ baseURL: 'http://127.0.0.1:8080/v1', model: 'm' }))).toEqual({ baseURL: 'http://127.0.0.1:8080/v1', host: '127.0.0.1:8080', loopback: true });
    expect(offDevice(new OpenAI({ apiKey: 'x', baseURL: 'https://gpu.example.org/v1' }))).toEqual({ baseURL: 'https://gpu.example.org/v1', host: 'gpu.example.org', loopback: false });
    expect(offDevice(new ScriptedEngine())).toBeUndefined();
  });

  it('serves as an agent next to a local one; no model is needed in the agent', async () => {
    const remote = createRemoteEngine({ baseURL: `${server.url}/v1`, model: 'smollm2' });
    const local = new ScriptedEngine({ rules: [{ when: { role: 'aggregate' }, reply: 'Combined.' }] });
    const moa = new AttentionMoA({ agents: [{ name: 'server', engine: remote }, { name: 'browser', engine: local }], aggregator: { engine: local } });
    const result = await moa.complete('Hi?');
    expect(result.answer).toBe('Combined.');
    const served = result.trace.filter((r) => r.agent === 'server');
    expect(served.map((r) => r.text)).toEqual(served.map(() => TEST_SENTENCE));
    expect(served.every((r) => r.usage?.prompt_tokens === 11)).toBe(true);
  });
});
