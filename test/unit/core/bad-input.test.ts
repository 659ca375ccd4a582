// Bad input to the protocol and the pool (issue 9): every case is a clear error naming the field and what is
// allowed, raised before any engine is called, and the instance keeps working afterwards.
import { describe, expect, it } from 'vitest';
import {
  AttentionMoA,
  AttentionMoAError,
  ConfigError,
  EnginePool,
  MessagesError,
  RuntimeError,
  ScriptedEngine,
  type AttentionMoAOptions,
  type Capabilities,
  type ChatMessage,
} from '@attention-moa/core';

const engines = () => ({ a: new ScriptedEngine({ fallback: 'A answers.' }), b: new ScriptedEngine({ fallback: 'B answers.' }), agg: new ScriptedEngine({ fallback: 'Final.' }) });

function setup(extra: Partial<AttentionMoAOptions> = {}) {
  const e = engines();
  const options: AttentionMoAOptions = {
    agents: [{ name: 'A', engine: e.a }, { name: 'B', engine: e.b }],
    aggregator: { engine: e.agg },
    ...extra,
  };
  return { e, options, calls: () => e.a.callCount + e.b.callCount + e.agg.callCount };
}

function messagesError(fn: () => unknown): MessagesError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MessagesError);
    expect((error as MessagesError).code).toBe('MESSAGES_INVALID');
    return error as MessagesError;
  }
  throw new Error('expected a MessagesError');
}

function configError(options: unknown): ConfigError {
  try {
    new AttentionMoA(options as AttentionMoAOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** After bad input the same instance still answers, and nothing reached an engine before. */
async function stillWorks(moa: AttentionMoA, calls: () => number): Promise<void> {
  expect(calls()).toBe(0);
  const result = await moa.complete('What is 2 + 2?');
  expect(result.answer).toBe('Final.');
}

describe('bad questions are rejected at once, naming the field', () => {
  it('empty and whitespace-only questions', async () => {
    const { options, calls } = setup();
    const moa = new AttentionMoA(options);
    for (const question of ['', '   ', '\n\t \r\n']) {
      const error = messagesError(() => moa.run(question));
      expect(error.field).toBe('messages');
      expect(error.message).toMatch(/is an empty string or only whitespace: pass the question/);
    }
    const error = messagesError(() => moa.run([{ role: 'user', content: 'first' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: '  \n ' }]));
    expect(error.field).toBe('messages[2].content');
    expect(error.message).toMatch(/empty or whitespace only/);
    await expect(moa.complete('   ')).rejects.toMatchObject({ code: 'MESSAGES_INVALID', field: 'messages' });
    await stillWorks(moa, calls);
  });

  it('a 1 MB question is rejected before any call, with its size, the room there is and the fix', async () => {
    const { options, calls } = setup();
    const moa = new AttentionMoA(options);
    const huge = 'Please summarise this. '.repeat(Math.ceil(1_000_000 / 23)).slice(0, 1_000_000);
    const t0 = performance.now();
    const error = messagesError(() => moa.run(huge));
    expect(performance.now() - t0).toBeLessThan(2000); // no tokenizer round trip per character, no hang
    expect(error.field).toBe('messages');
    expect(error.message).toContain('1,000,000 characters');
    expect(error.message).toMatch(/leaves 3,584 tokens for it \("A": contextWindow 4096 − 512 reserved for the answer\)/);
    expect(error.message).toMatch(/Shorten the question to under about 10,752 characters, or use models with a larger contextWindow/);
    // As the last message of a conversation, the field is that message.
    const conversation: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: huge }];
    expect(messagesError(() => moa.run(conversation)).field).toBe('messages[3].content');
    await stillWorks(moa, calls);
  });

  it('the largest window decides: a question one agent cannot read but another can still runs', async () => {
    const { e, options } = setup();
    const moa = new AttentionMoA({ ...options, agents: [{ name: 'A', engine: e.a, contextWindow: 1024 }, { name: 'B', engine: e.b, contextWindow: 32_768 }], aggregator: { engine: e.agg, contextWindow: 32_768 } });
    const result = await moa.complete('word '.repeat(6000)); // ~10 000 estimated tokens: too long for A, fine for B
    expect(result.dropped).toEqual([expect.objectContaining({ agent: 'A', role: 'propose', reason: expect.stringMatching(/cannot fit its context window/) })]);
    expect(e.a.callCount).toBe(0); // never sent to the 1k model
    expect(result.answer).toBe('Final.');
  });

  it('a question too long by the measure of each call fails every agent with CONTEXT_OVERFLOW; no engine sees it', async () => {
    const { options, calls } = setup();
    const moa = new AttentionMoA(options);
    const long = 'x'.repeat(15_000); // ~5000 estimated tokens: not rejected up front, cannot fit any 4096 window
    const error = await moa.complete(long).catch((e: AttentionMoAError) => e);
    expect(error).toMatchObject({ code: 'ALL_AGENTS_FAILED' });
    const failed = (error as AttentionMoAError).trace;
    expect(failed.map((r) => [r.agent, r.role, r.error?.code])).toEqual([['A', 'propose', 'CONTEXT_OVERFLOW'], ['B', 'propose', 'CONTEXT_OVERFLOW']]);
    expect((error as AttentionMoAError).message).toMatch(/cannot fit its context window.*shorten the question/);
    await stillWorks(moa, calls);
  });

  it('unpaired surrogates: a clear error with the index and the fix; well-formed emoji pass', async () => {
    const { options, calls } = setup();
    const moa = new AttentionMoA(options);
    const cases: [string, string, number][] = [
      ['cut emoji \uD83D', 'U+D83D', 10],
      ['\uDE00 leading low half', 'U+DE00', 0],
      ['two highs \uD83D\uD83D\uDE00', 'U+D83D', 10],
    ];
    for (const [text, code, index] of cases) {
      const error = messagesError(() => moa.run(text));
      expect(error.message).toContain(`unpaired UTF-16 surrogate (${code}) at index ${index}`);
      expect(error.message).toMatch(/toWellFormed\(\)/);
    }
    const inConversation = messagesError(() => moa.run([{ role: 'system', content: 'bad \uDFFF' }, { role: 'user', content: 'q' }]));
    expect(inConversation.field).toBe('messages[0].content');
    expect(() => moa.run('Smile 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢')).not.toThrow();
    await stillWorks(moa, calls);
  });

  it('control characters: rejected in what the caller wrote; tab and line breaks are text; earlier answers pass as they are', async () => {
    const { options, calls } = setup();
    const moa = new AttentionMoA(options);
    for (const [text, code] of [['nul\u0000byte', 'U+0000'], ['escape \u001b[31mred', 'U+001B'], ['form\ffeed', 'U+000C'], ['del\u007f', 'U+007F'], ['next line\u0085', 'U+0085']] as const) {
      const error = messagesError(() => moa.run(text));
      expect(error.message).toContain(`control character ${code}`);
      expect(error.message).toMatch(/Allowed: printable text, tab, line feed and carriage return/);
    }
    expect(() => moa.run('tab\there\r\nnew line')).not.toThrow();
    // A model's earlier answer with a stray control character must not make the conversation unusable.
    expect(() => moa.run([{ role: 'user', content: 'q1' }, { role: 'assistant', content: 'odd \u0007 answer' }, { role: 'user', content: 'q2' }])).not.toThrow();
    await stillWorks(moa, calls);
  });
});

describe('bad options are rejected by the constructor, naming the field and the allowed values', () => {
  it('layers: 0, -1, 1.5, "abc", 1e9, NaN, Infinity — at once (1e9 does not try to plan a billion layers)', () => {
    const { options } = setup();
    for (const layers of [0, -1, 1.5, 'abc', 1e9, NaN, Infinity, 11]) {
      const t0 = performance.now();
      const error = configError({ ...options, layers });
      expect(performance.now() - t0).toBeLessThan(200);
      expect(error.field).toBe('layers');
      expect(error.message).toContain('must be a whole number from 1 to 10, got');
      expect(error.message).toContain(typeof layers === 'string' ? `"${layers}"` : String(layers));
    }
    expect(new AttentionMoA({ ...options, layers: 10 }).plan().layers).toBe(10);
  });

  it('an unknown attention topology lists the allowed ones', () => {
    const { options } = setup();
    for (const attention of ['star', 'FULL', '', 3]) {
      const error = configError({ ...options, attention });
      expect(error.field).toBe('attention');
      expect(error.message).toMatch(/must be one of 'full', 'self', 'ring', 'none', got/);
    }
  });

  it('duplicate and malformed agent names', () => {
    const { e, options } = setup();
    expect(configError({ ...options, agents: [{ name: 'A', engine: e.a }, { name: 'A', engine: e.b }] }).field).toBe('agents[1].name');
    expect(configError({ ...options, agents: [{ name: '  ', engine: e.a }] }).field).toBe('agents[0].name');
    expect(configError({ ...options, agents: [{ name: 7, engine: e.a }] }).message).toMatch(/agents\[0\]\.name must be a non-empty string, got 7/);
  });
});

describe('bad pool options are rejected when the pool is made, naming the field', () => {
  const noGpu: Capabilities = { webgpu: true, f16: false, features: [], limits: {} };

  function badSpec(options: unknown): RuntimeError {
    try {
      new EnginePool(options as ConstructorParameters<typeof EnginePool>[0]);
    } catch (error) {
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as RuntimeError).code).toBe('BAD_SPEC');
      return error as RuntimeError;
    }
    throw new Error('expected BAD_SPEC');
  }

  it('memory budget: negative, zero, NaN, text', () => {
    for (const memoryBudgetMB of [-1, -4096, 0, NaN, Infinity, '4GB']) {
      const error = badSpec({ models: { a: { kind: 'scripted' } }, memoryBudgetMB });
      expect(error.details.field).toBe('memoryBudgetMB');
      expect(error.message).toMatch(/memoryBudgetMB must be a positive number of megabytes \(e\.g\. 4096\), got/);
    }
  });

  it('malformed model ids and kinds name the key and the field', () => {
    expect(badSpec({ models: { qwen: { kind: 'webllm', model: '' } } }).message).toMatch(/models\["qwen"\]\.model: must be a WebLLM model id or family name/);
    expect(badSpec({ models: { qwen: { kind: 'webllm', model: 42 } } }).details).toMatchObject({ model: 'qwen', field: 'model' });
    expect(badSpec({ models: { qwen: { kind: 'gguf', model: 'x' } } }).message).toMatch(/must be "webllm", "scripted", "wllama" or "openai", got "gguf"/);
    expect(badSpec({ models: {} }).message).toMatch(/models is empty/);
  });

  it('an unknown model id fails the plan, before any download, with the closest known id', async () => {
    const pool = new EnginePool({ models: { q: { kind: 'webllm', model: 'Qwen2.5-0.5B-Instrct-q4f32_1-MLC' } }, capabilities: noGpu });
    await expect(pool.plan()).rejects.toMatchObject({ code: 'UNKNOWN_MODEL', message: expect.stringMatching(/Did you mean "Qwen2\.5-0\.5B-Instruct-q4f32_1-MLC"\?/) });
    await pool.dispose();
  });
});
