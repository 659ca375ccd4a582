import { describe, expect, it } from 'vitest';
import { ScriptedEngine, type ChatCompletionChunk } from '@attention-moa/core';

async function collect(it: AsyncIterable<ChatCompletionChunk> | Promise<AsyncIterable<ChatCompletionChunk>>) {
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of await it) chunks.push(c);
  const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
  const finish = chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason;
  return { chunks, text, finish, usage: chunks.find((c) => c.usage)?.usage };
}
const ask = { messages: [{ role: 'user' as const, content: 'What is 2+2?' }], stream: true as const, stream_options: { include_usage: true } };

describe('ScriptedEngine', () => {
  it('answers from the first matching rule, fills templates, and streams word tokens', async () => {
    const engine = new ScriptedEngine({
      rules: [
        { when: { role: 'critique', agent: 'A' }, reply: '{agent} critiques {target}' },
        { when: { contains: '2+2' }, reply: 'It is four.' },
      ],
    });
    const r1 = await collect(engine.chat.completions.create(ask, { call: { role: 'critique', agent: 'A', target: 'B', layer: 1 } } as never));
    expect(r1.text).toBe('A critiques B');
    const r2 = await collect(engine.chat.completions.create(ask));
    expect(r2.text).toBe('It is four.');
    expect(r2.chunks.filter((c) => c.choices[0]?.delta.content).map((c) => c.choices[0]!.delta.content)).toEqual(['It', ' is', ' four.']);
    expect(r2.finish).toBe('stop');
    expect(r2.usage).toMatchObject({ completion_tokens: 3, total_tokens: expect.any(Number) });
  });

  it('cycles list replies, honours `times`, and respects max_tokens', async () => {
    const engine = new ScriptedEngine({ rules: [{ reply: 'first', times: 1 }, { reply: ['a b c d', 'e'] }] });
    expect((await collect(engine.chat.completions.create(ask))).text).toBe('first');
    const cut = await collect(engine.chat.completions.create({ ...ask, max_tokens: 2 }));
    expect(cut.text).toBe('a b');
    expect(cut.finish).toBe('length');
    expect((await collect(engine.chat.completions.create(ask))).text).toBe('e');
  });

  it('throws on cue at token k with the given error name, after k tokens', async () => {
    const engine = new ScriptedEngine({ rules: [{ reply: 'one two three', fault: { kind: 'throw', atToken: 2, name: 'DeviceLostError', message: 'lost' } }] });
    const seen: string[] = [];
    const run = async () => {
      for await (const c of await engine.chat.completions.create(ask)) seen.push(c.choices[0]?.delta.content ?? '');
    };
    await expect(run()).rejects.toMatchObject({ name: 'DeviceLostError', message: 'lost' });
    expect(seen.join('')).toBe('one two');
  });

  it('hangs until aborted, then rejects with the abort reason', async () => {
    const engine = new ScriptedEngine({ rules: [{ reply: 'x y', fault: { kind: 'hang', atToken: 1 } }] });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 30);
    await expect(collect(engine.chat.completions.create(ask, { signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('returns empty text on the empty fault and paces tokens with the per-token delay', async () => {
    const engine = new ScriptedEngine({ tokenDelayMs: 20, rules: [{ when: { layer: 9 }, fault: { kind: 'empty' } }, { reply: 'a b c' }] });
    expect((await collect(engine.chat.completions.create(ask, { call: { role: 'propose', agent: 'A', layer: 9 } } as never))).text).toBe('');
    const t0 = performance.now();
    expect((await collect(engine.chat.completions.create(ask))).text).toBe('a b c');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('keeps a fixed token schedule: a blocked thread delays later tokens only until they are due, not by the block', async () => {
    // 20 tokens at 10 ms each are due by 200 ms. The consumer blocks the thread for 200 ms after the first token:
    // tokens already due then come at once instead of each waiting another 10 ms (which would take ≥ 390 ms).
    const engine = new ScriptedEngine({ tokenDelayMs: 10, rules: [{ reply: Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ') }] });
    const t0 = performance.now();
    let tokens = 0;
    for await (const chunk of await engine.chat.completions.create(ask)) {
      if (!chunk.choices[0]?.delta?.content) continue;
      if (++tokens === 1) {
        const until = performance.now() + 200;
        while (performance.now() < until) {
          // busy: no timer can fire
        }
      }
    }
    expect(tokens).toBe(20);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(199);
    expect(took).toBeLessThan(330);
  });

  it('interruptGenerate ends streams in flight with finish_reason abort', async () => {
    const engine = new ScriptedEngine({ tokenDelayMs: 10, rules: [{ reply: 'a b c d e f g h i j' }] });
    setTimeout(() => engine.interruptGenerate(), 25);
    const r = await collect(engine.chat.completions.create(ask));
    expect(r.finish).toBe('abort');
    expect(r.text.length).toBeLessThan('a b c d e f g h i j'.length);
  });

  it('rejects a bad rule pattern and non-streaming calls with clear messages', async () => {
    expect(() => new ScriptedEngine({ rules: [{ when: { pattern: '(' }, reply: 'x' }] })).toThrow(/rules\[0\]\.when\.pattern/);
    await expect(engine().chat.completions.create({ ...ask, stream: false } as never)).rejects.toThrow(/stream: true/);
    function engine() {
      return new ScriptedEngine();
    }
  });
});

describe('ScriptedEngine contextWindow', () => {
  it('rejects a prompt that with max_tokens exceeds the window, like WebLLM, and records the request', async () => {
    const engine = new ScriptedEngine({ contextWindow: 50, rules: [{ reply: 'ok' }] });
    const long = { messages: [{ role: 'user' as const, content: 'x'.repeat(120) }], stream: true as const };
    await expect(engine.chat.completions.create({ ...long, max_tokens: 20 })).rejects.toMatchObject({ name: 'ContextWindowSizeExceededError' });
    expect(engine.requests).toHaveLength(1);
    // 120 chars + "user: " ≈ 42 tokens: fits without max_tokens, and with a small one.
    const r = await collect(engine.chat.completions.create({ ...long, max_tokens: 5 }));
    expect(r.text).toBe('ok');
    expect(() => new ScriptedEngine({ contextWindow: 0 })).toThrow(/contextWindow must be a whole number > 0/);
  });
});
