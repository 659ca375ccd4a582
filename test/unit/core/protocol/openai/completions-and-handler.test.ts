/**
 * The ensemble as one OpenAI chat model, driven by the official `openai` client and the Vercel AI SDK's
 * OpenAI-compatible provider through `createOpenAIHandler` used as their `fetch` (no socket is opened). The
 * engines are the documented ScriptedEngine test double, so the answer and every token count are known.
 */
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import { AttentionMoA, ConfigError, OpenAIRequestError, ScriptedEngine, createOpenAIHandler, type AttentionMoAResult, type EnsembleChatCompletionChunk } from '@attention-moa/core';

// Never contacted: every request goes to the handler passed as `fetch`.
const BASE_URL = 'http://127.0.0.1:9/v1';
const ANSWER = 'Two plus two is four: 2 + 2 = 4.';

function ensemble(options: { aggregateDelayMs?: number; engines?: ScriptedEngine[] } = {}) {
  const rules = [
    { when: { role: 'aggregate' as const }, reply: ANSWER, tokenDelayMs: options.aggregateDelayMs ?? 0 },
    { when: { role: 'critique' as const }, reply: 'Looks right to me.' },
    { reply: '{agent} says 2 + 2 = 4 ({role}).' },
  ];
  const qwen = new ScriptedEngine({ rules });
  const llama = new ScriptedEngine({ rules });
  options.engines?.push(qwen, llama);
  return new AttentionMoA({
    agents: [
      { name: 'qwen', engine: qwen },
      { name: 'llama', engine: llama },
    ],
    aggregator: { engine: qwen },
  });
}

function traceSum(result: AttentionMoAResult) {
  const prompt = result.trace.reduce((sum, r) => sum + r.usage!.prompt_tokens, 0);
  const completion = result.trace.reduce((sum, r) => sum + r.usage!.completion_tokens, 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function client(moa: AttentionMoA | Record<string, AttentionMoA>) {
  return new OpenAI({ apiKey: 'not-needed', baseURL: BASE_URL, fetch: createOpenAIHandler(moa), maxRetries: 0 });
}

describe('moa.chat.completions.create through the openai client', () => {
  it('answers a non-streaming request with every documented field, usage equal to the trace sum', async () => {
    const moa = ensemble();
    const before = Math.floor(Date.now() / 1000);
    const response = await client(moa).chat.completions.create({ model: 'attention-moa', messages: [{ role: 'user', content: 'What is 2 + 2?' }] });
    const after = Math.floor(Date.now() / 1000);
    expect(Object.keys(response).sort()).toEqual(['attention_moa', 'choices', 'created', 'id', 'model', 'object', 'usage']);
    expect(response.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(response.object).toBe('chat.completion');
    expect(response.created).toBeGreaterThanOrEqual(before);
    expect(response.created).toBeLessThanOrEqual(after);
    expect(response.model).toBe('attention-moa');
    expect(response.choices).toEqual([{ index: 0, message: { role: 'assistant', content: ANSWER, refusal: null }, logprobs: null, finish_reason: 'stop' }]);
    const result = (response as unknown as { attention_moa: AttentionMoAResult }).attention_moa;
    expect(result.answer).toBe(ANSWER);
    expect(result.trace).toHaveLength(moa.plan().expectedCalls);
    expect(result.trace.map((r) => r.role)).toContain('critique');
    expect(response.usage).toEqual(traceSum(result));
    expect(response.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('streams chunks shaped as OpenAI documents them, the usage chunk last', async () => {
    const moa = ensemble();
    const stream = await client(moa).chat.completions.create({
      model: 'attention-moa',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is 2 + 2?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const all: EnsembleChatCompletionChunk[] = [];
    for await (const chunk of stream) all.push(chunk as unknown as EnsembleChatCompletionChunk);
    // Drafts (on by default) ride on chunks of their own with no choices; the answer's chunks are the others.
    for (const chunk of all.filter((c) => c.attention_moa_draft)) {
      expect(chunk.choices).toEqual([]);
      expect(chunk.usage).toBeNull();
    }
    const chunks = all.filter((c) => !c.attention_moa_draft);
    const [first] = chunks;
    for (const chunk of chunks) {
      expect(chunk.id).toBe(first!.id);
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.created).toBe(first!.created);
      expect(chunk.model).toBe('attention-moa');
    }
    expect(first!.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
    const usageChunk = chunks.at(-1)!;
    const finish = chunks.at(-2)!;
    const middle = chunks.slice(1, -2);
    expect(middle.length).toBeGreaterThan(3);
    for (const chunk of middle) {
      expect(chunk.choices).toEqual([{ index: 0, delta: { content: expect.any(String) }, logprobs: null, finish_reason: null }]);
      expect(chunk.usage).toBeNull();
    }
    expect(middle.map((c) => c.choices[0]!.delta.content).join('')).toBe(ANSWER);
    expect(finish.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(finish.usage).toBeNull();
    expect(finish.attention_moa!.answer).toBe(ANSWER);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(traceSum(finish.attention_moa!));
    expect(usageChunk.attention_moa).toBeUndefined();
  });

  it('drafts ride on empty chunks in attention_moa_draft, never in content', async () => {
    const qwen = new ScriptedEngine({ rules: [{ when: { role: 'aggregate' }, reply: ANSWER }, { reply: 'A draft from {agent}.' }] });
    const moa = new AttentionMoA({ agents: [{ name: 'qwen', engine: qwen }, { name: 'llama', engine: new ScriptedEngine({ fallback: 'Another proposal.' }) }], aggregator: { engine: qwen }, drafts: true });
    const stream = await client(moa).chat.completions.create({ model: 'attention-moa', messages: [{ role: 'user', content: 'What is 2 + 2?' }], stream: true });
    const chunks: EnsembleChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as EnsembleChatCompletionChunk);
    const drafts = chunks.filter((c) => c.attention_moa_draft);
    expect(drafts.length).toBeGreaterThan(2);
    for (const c of drafts) expect(c.choices).toEqual([]);
    expect(drafts[0]!.attention_moa_draft).toMatchObject({ type: 'draft-start', draft: 1 });
    expect(drafts.some((c) => c.attention_moa_draft!.type === 'draft-token')).toBe(true);
    const firstContent = chunks.findIndex((c) => c.choices[0]?.delta.content);
    expect(chunks.findIndex((c) => c.attention_moa_draft)).toBeLessThan(firstContent);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(ANSWER);
  });

  it('without include_usage the chunks carry no usage field at all', async () => {
    const stream = await client(ensemble()).chat.completions.create({ model: 'attention-moa', messages: [{ role: 'user', content: 'Hi?' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
  });

  it('frames SSE as data lines and ends with data: [DONE]', async () => {
    const handler = createOpenAIHandler(ensemble());
    const response = await handler(`${BASE_URL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'attention-moa', messages: [{ role: 'user', content: 'What is 2 + 2?' }], stream: true, stream_options: { include_usage: true } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const text = await response.text();
    expect(text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    for (const event of events.slice(0, -1)) {
      expect(event).toMatch(/^data: \{.*\}$/);
      expect(event.includes('\n')).toBe(false);
      expect(JSON.parse(event.slice(6)).object).toBe('chat.completion.chunk');
    }
    const contents = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)).choices[0]?.delta.content ?? '');
    expect(contents.join('')).toBe(ANSWER);
  });

  it('serves GET /v1/models, one entry per ensemble', async () => {
    const openai = client({ 'moa-small': ensemble(), 'moa-large': ensemble() });
    const page = await openai.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['moa-small', 'moa-large']);
    for (const model of page.data) expect(model).toEqual({ id: model.id, object: 'model', created: expect.any(Number), owned_by: 'attention-moa' });
    expect((await openai.models.retrieve('moa-large')).id).toBe('moa-large');
    const reply = await openai.chat.completions.create({ model: 'moa-large', messages: [{ role: 'user', content: 'Hi?' }] });
    expect(reply.model).toBe('moa-large');
  });

  it('in the page, WebLLM-style code works with no model named and no HTTP', async () => {
    const moa = ensemble();
    const reply = await moa.chat.completions.create({ messages: [{ role: 'user', content: 'What is 2 + 2?' }] });
    expect(reply.model).toBe('attention-moa');
    expect(reply.choices[0].message.content).toBe(ANSWER);
    expect(reply.usage).toEqual(traceSum(reply.attention_moa));
    const chunks = await moa.chat.completions.create({ messages: [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'What is' }, { type: 'text', text: '2 + 2?' }] }], stream: true });
    let text = '';
    for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(ANSWER);
  });
});

describe('through the Vercel AI SDK (OpenAI-compatible provider)', () => {
  const provider = (moa: AttentionMoA) =>
    createOpenAICompatible({ name: 'attention-moa', baseURL: BASE_URL, fetch: createOpenAIHandler(moa), includeUsage: true });

  it('generateText gets the answer and the run usage', async () => {
    const moa = ensemble();
    let result: AttentionMoAResult | undefined;
    const { text, usage, finishReason, response } = await generateText({ model: provider(moa)('attention-moa'), prompt: 'What is 2 + 2?', maxRetries: 0 });
    result = (response.body as { attention_moa: AttentionMoAResult }).attention_moa;
    expect(text).toBe(ANSWER);
    expect(finishReason).toBe('stop');
    const sum = traceSum(result);
    expect(usage.inputTokens).toBe(sum.prompt_tokens);
    expect(usage.outputTokens).toBe(sum.completion_tokens);
    expect(usage.totalTokens).toBe(sum.total_tokens);
  });

  it('streamText streams the answer and reports the run usage', async () => {
    const moa = ensemble();
    const run = streamText({ model: provider(moa)('attention-moa'), system: 'Be brief.', prompt: 'What is 2 + 2?', maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of run.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(ANSWER);
    expect(await run.finishReason).toBe('stop');
    const usage = await run.usage;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.totalTokens).toBe(usage.inputTokens! + usage.outputTokens!);
  });
});

describe('bad requests get OpenAI-style errors', () => {
  const handler = createOpenAIHandler(ensemble(), { maxBodyBytes: 64 * 1024 });
  const post = (body: string | object, path = '/chat/completions', method = 'POST') =>
    handler(`${BASE_URL}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const user = [{ role: 'user', content: 'Hi?' }];

  const cases: [string, string | object, number, { param: string | null; code: string; message: RegExp }][] = [
    ['invalid JSON', '{"model": "attention-moa", "messages": [', 400, { param: null, code: 'invalid_json', message: /could not parse the JSON body/ }],
    ['a body that is not an object', '[1, 2]', 400, { param: null, code: 'invalid_request_body', message: /must be a JSON object/ }],
    ['missing messages', { model: 'attention-moa' }, 400, { param: 'messages', code: 'missing_required_parameter', message: /Missing required parameter: 'messages'/ }],
    ['messages not an array', { model: 'attention-moa', messages: 'Hi' }, 400, { param: 'messages', code: 'invalid_type', message: /expected an array/ }],
    ['empty messages', { model: 'attention-moa', messages: [] }, 400, { param: 'messages', code: 'empty_array', message: /empty array/ }],
    ['missing model', { messages: user }, 400, { param: 'model', code: 'missing_required_parameter', message: /Models served here: attention-moa/ }],
    ['unknown model', { model: 'gpt-4o', messages: user }, 404, { param: 'model', code: 'model_not_found', message: /The model 'gpt-4o' does not exist.*attention-moa/ }],
    ['an unknown role', { model: 'attention-moa', messages: [{ role: 'robot', content: 'Hi' }] }, 400, { param: 'messages[0].role', code: 'invalid_value', message: /Supported values are: 'system', 'developer', 'user' and 'assistant'/ }],
    ['a tool message', { model: 'attention-moa', messages: [...user, { role: 'tool', content: '1', tool_call_id: 'x' }] }, 400, { param: 'messages[1].role', code: 'unsupported_value', message: /does not call tools/ }],
    ['an image part', { model: 'attention-moa', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }] }, 400, { param: 'messages[0].content[0].type', code: 'unsupported_value', message: /read text only/ }],
    ['an assistant message last', { model: 'attention-moa', messages: [...user, { role: 'assistant', content: 'Hello' }] }, 400, { param: 'messages[1]', code: 'invalid_value', message: /must be the user's question/ }],
    ['a question no model can read', { model: 'attention-moa', messages: [{ role: 'user', content: 'word '.repeat(8_000) }] }, 400, { param: 'messages', code: 'context_length_exceeded', message: /far too long for the models/ }],
    ['a body over maxBodyBytes', { model: 'attention-moa', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] }, 413, { param: null, code: 'request_too_large', message: /larger than this server accepts \(65536 bytes\)/ }],
    ['n > 1', { model: 'attention-moa', messages: user, n: 2 }, 400, { param: 'n', code: 'unsupported_value', message: /'n' must be 1/ }],
    ['tools', { model: 'attention-moa', messages: user, tools: [{ type: 'function', function: { name: 'f' } }] }, 400, { param: 'tools', code: 'unsupported_parameter', message: /does not call tools/ }],
    ['a JSON schema response format', { model: 'attention-moa', messages: user, response_format: { type: 'json_object' } }, 400, { param: 'response_format.type', code: 'unsupported_value', message: /text only/ }],
    ['a temperature out of range', { model: 'attention-moa', messages: user, temperature: 3 }, 400, { param: 'temperature', code: 'invalid_value', message: /between 0 and 2/ }],
    ['stream_options without stream', { model: 'attention-moa', messages: user, stream_options: { include_usage: true } }, 400, { param: 'stream_options', code: 'invalid_value', message: /only allowed when 'stream' is enabled/ }],
    ['an unknown parameter', { model: 'attention-moa', messages: user, frobnicate: true }, 400, { param: 'frobnicate', code: 'unknown_parameter', message: /Unrecognized request argument supplied: frobnicate/ }],
  ];

  for (const [what, body, status, error] of cases) {
    it(`${what} → ${status} ${error.code}`, async () => {
      const response = await post(body);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/json');
      const json = await response.json();
      expect(Object.keys(json)).toEqual(['error']);
      expect(json.error).toEqual({ message: expect.stringMatching(error.message), type: 'invalid_request_error', param: error.param, code: error.code });
    });
  }

  it('unknown paths and wrong methods get 404 and 405', async () => {
    const notFound = await post({}, '/completions');
    expect(notFound.status).toBe(404);
    expect((await notFound.json()).error).toMatchObject({ code: 'unknown_url', message: expect.stringContaining('POST /v1/chat/completions') });
    const wrong = await post({}, '/chat/completions', 'GET');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('the openai client raises them as its typed errors', async () => {
    const openai = client(ensemble());
    const missing = openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'Hi?' }] });
    await expect(missing).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(missing).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    const role = openai.chat.completions.create({ model: 'attention-moa', messages: [{ role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello' }] });
    await expect(role).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('in the page, create() throws OpenAIRequestError with the same fields', async () => {
    const moa = ensemble();
    const error = await moa.chat.completions.create({ messages: [{ role: 'system', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAIRequestError);
    expect(error).toMatchObject({ status: 400, param: 'messages[0]', code: 'invalid_value' });
  });
});

describe('abort', () => {
  it('the openai client aborting mid-stream stops the run', async () => {
    const engines: ScriptedEngine[] = [];
    const moa = ensemble({ aggregateDelayMs: 25, engines });
    const controller = new AbortController();
    const stream = await client(moa).chat.completions.create(
      { model: 'attention-moa', messages: [{ role: 'user', content: 'What is 2 + 2?' }], stream: true },
      { signal: controller.signal },
    );
    let tokens = 0;
    const error = await (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content && ++tokens === 3) controller.abort();
    })().catch((e: unknown) => e);
    // As openai-node documents: aborting a stream ends the loop without an error.
    expect(error).toBeUndefined();
    expect(tokens).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The aggregate call was stopped: nothing streams any more and no further call was made.
    expect(engines.map((e) => e.inFlight)).toEqual([0, 0]);
    const calls = engines.map((e) => e.callCount);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(engines.map((e) => e.callCount)).toEqual(calls);
  });

  it('the signal option aborts an in-page stream and a non-streaming call', async () => {
    const moa = ensemble({ aggregateDelayMs: 25 });
    const controller = new AbortController();
    const stream = await moa.chat.completions.create({ messages: [{ role: 'user', content: 'Hi?' }], stream: true }, { signal: controller.signal });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) {
        const token = chunk.choices[0]?.delta.content;
        if (token) seen.push(token);
        if (seen.length === 2) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError', code: 'ABORTED' });
    expect(seen).toHaveLength(2);

    const early = new AbortController();
    const pending = moa.chat.completions.create({ messages: [{ role: 'user', content: 'Hi?' }] }, { signal: early.signal });
    setTimeout(() => early.abort(), 30);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('cancelling the SSE body (a client that went away) stops the run', async () => {
    const engines: ScriptedEngine[] = [];
    const handler = createOpenAIHandler(ensemble({ aggregateDelayMs: 25, engines }));
    const response = await handler(`${BASE_URL}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'attention-moa', messages: [{ role: 'user', content: 'Hi?' }], stream: true }) });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"content":"Two"')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(engines.map((e) => e.inFlight)).toEqual([0, 0]);
    expect(text).not.toContain('[DONE]');
  });
});

describe('an ensemble as an agent of another ensemble', () => {
  it('in the page: the inner ensemble is an engine, its usage lands in the outer trace', async () => {
    const inner = ensemble();
    const outerEngine = new ScriptedEngine({ rules: [{ when: { role: 'aggregate' }, reply: 'Outer: four.' }] });
    const outer = new AttentionMoA({
      agents: [
        { name: 'team', engine: inner },
        { name: 'solo', engine: outerEngine },
      ],
      aggregator: { engine: outerEngine },
    });
    const result = await outer.complete('What is 2 + 2?');
    expect(result.answer).toBe('Outer: four.');
    const teamCalls = result.trace.filter((r) => r.agent === 'team');
    expect(teamCalls.map((r) => r.role).sort()).toEqual(['critique', 'critique', 'propose', 'refine']);
    for (const call of teamCalls) {
      expect(call.text).toBe(ANSWER);
      expect(call.usage!.total_tokens).toBe(call.usage!.prompt_tokens + call.usage!.completion_tokens);
      expect(call.usage!.prompt_tokens).toBeGreaterThan(call.promptTokens); // the inner run read the question several times
    }
  });

  it('over HTTP: an openai client of a served ensemble is an agent, and must name its model', async () => {
    const remote = new OpenAI({ apiKey: 'not-needed', baseURL: BASE_URL, fetch: createOpenAIHandler({ 'moa-inner': ensemble() }), maxRetries: 0 });
    const local = new ScriptedEngine({ rules: [{ when: { role: 'aggregate' }, reply: 'Outer: four.' }] });
    expect(() => new AttentionMoA({ agents: [{ name: 'remote', engine: remote }], aggregator: { engine: local } })).toThrow(ConfigError);
    expect(() => new AttentionMoA({ agents: [{ name: 'remote', engine: remote }], aggregator: { engine: local } })).toThrow(
      /options\.agents\[0\]\.model is missing: agents\[0\]\.engine is a client of the OpenAI-compatible server at http:\/\/127\.0\.0\.1:9\/v1/,
    );
    const outer = new AttentionMoA({ agents: [{ name: 'remote', engine: remote, model: 'moa-inner' }, { name: 'local', engine: local }], aggregator: { engine: local } });
    const result = await outer.complete('What is 2 + 2?');
    expect(result.answer).toBe('Outer: four.');
    const proposal = result.trace.find((r) => r.agent === 'remote' && r.role === 'propose')!;
    expect(proposal).toMatchObject({ model: 'moa-inner', text: ANSWER, finishReason: 'stop' });
    expect(proposal.usage!.prompt_tokens).toBeGreaterThan(0);
  });
});
