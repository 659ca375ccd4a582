import { afterEach, describe, expect, it, vi } from 'vitest';
import { AttentionMoA, ScriptedEngine, type AttentionMoAEvent } from '@attention-moa/core';
import { AUTO_DEADLINE, autoCallDeadline, recordCallSpeed } from '../../../../packages/core/src/protocol/call-deadline.js';

const engine = () => new ScriptedEngine({});

describe('the default call deadline (callTimeoutMs: \'auto\')', () => {
  it('before any call finished on a model: a slow CPU is assumed, so a 512-token answer gets minutes', () => {
    const d = autoCallDeadline(engine(), 'm', 200, 512);
    // 10 s + 200 tokens at 10 tok/s + 512 tokens at 2 tok/s.
    expect(d.ms).toBe(10_000 + 20_000 + 256_000);
    expect(d.basis).toBe('10 s + 512 tokens at an assumed 2 tok/s, as no call has finished on this model yet');
  });

  it('before any measurement, calls that may share the engine at once (its permits) share the assumed speed', () => {
    // Three agents on one llama.cpp engine decoding together: each gets a third of it (the bench's suite 12 on a
    // busy 2-core machine timed out at 30 s without this).
    const d = autoCallDeadline(engine(), 'm', 40, 32, 3);
    expect(d.ms).toBe(10_000 + 3 * (4_000 + 16_000));
    expect(d.basis).toBe('10 s + 32 tokens at an assumed 2 tok/s, × 3 calls that may share the engine at once, as no call has finished on this model yet');
    expect(autoCallDeadline(engine(), 'm', 0, 10, Infinity).ms).toBe(10_000 + AUTO_DEADLINE.maxSharing * 5_000);
    // Measured speeds were measured under that sharing: they are not scaled again.
    const e = engine();
    recordCallSpeed(e, 'm', { promptTokens: 100, completionTokens: 101, startedAt: 0, firstTokenAt: 1_000, endedAt: 11_000 });
    expect(autoCallDeadline(e, 'm', 100, 100, 3).ms).toBe(autoCallDeadline(e, 'm', 100, 100, 1).ms);
  });

  it('after calls finished: 10 s + 4 × the time at the slowest speed measured over the last 8 calls', () => {
    const e = engine();
    // 100 prompt tokens in 0.5 s (200 tok/s), then 51 tokens in 1 s (50 tok/s).
    recordCallSpeed(e, 'm', { promptTokens: 100, completionTokens: 51, startedAt: 0, firstTokenAt: 500, endedAt: 1500 });
    expect(autoCallDeadline(e, 'm', 400, 500).ms).toBe(10_000 + 4 * (2_000 + 10_000));
    // A slower call (25 tok/s) sets the speed …
    recordCallSpeed(e, 'm', { promptTokens: 100, completionTokens: 26, startedAt: 0, firstTokenAt: 500, endedAt: 1500 });
    const slow = autoCallDeadline(e, 'm', 400, 500);
    expect(slow.ms).toBe(10_000 + 4 * (2_000 + 20_000));
    expect(slow.basis).toBe('10 s + 4 × the time 500 tokens take at the 25 tok/s measured on this model');
    // … until 8 faster calls have pushed it out.
    for (let i = 0; i < AUTO_DEADLINE.window; i++) recordCallSpeed(e, 'm', { promptTokens: 100, completionTokens: 51, startedAt: 0, firstTokenAt: 500, endedAt: 1500 });
    expect(autoCallDeadline(e, 'm', 400, 500).ms).toBe(10_000 + 4 * (2_000 + 10_000));
  });

  it('speeds belong to one engine and model; a call too short to time decoding does not count', () => {
    const e = engine();
    recordCallSpeed(e, 'fast', { promptTokens: 100, completionTokens: 51, startedAt: 0, firstTokenAt: 100, endedAt: 600 });
    recordCallSpeed(e, 'short', { promptTokens: 100, completionTokens: 2, startedAt: 0, firstTokenAt: 100, endedAt: 101 });
    expect(autoCallDeadline(e, 'other', 0, 512).basis).toMatch(/assumed/);
    expect(autoCallDeadline(engine(), 'fast', 0, 512).basis).toMatch(/assumed/);
    expect(autoCallDeadline(e, 'short', 0, 512).basis).toMatch(/assumed/);
    expect(autoCallDeadline(e, 'fast', 0, 512).basis).toMatch(/measured/);
  });

  describe('in a run', () => {
    afterEach(() => vi.useRealTimers());

    it('the first run measures the models; in the next, a hang is cut off at the measured deadline and its agent dropped', async () => {
      const fast = { tokenDelayMs: 1 };
      const A = new ScriptedEngine({ ...fast, rules: [{ when: { role: 'propose', contains: 'second' }, fault: { kind: 'hang', atToken: 1 } }] });
      const moa = new AttentionMoA({ agents: [{ name: 'A', engine: A }, { name: 'B', engine: new ScriptedEngine(fast) }], aggregator: { engine: new ScriptedEngine(fast) }, earlyStop: 'off' });
      const first = await moa.complete('first question?');
      expect(first.dropped).toEqual([]);

      // Fake timers for the deadline; the scripted engine also yields with the real setImmediate between tokens.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const tick = async (ms: number) => {
        for (let t = 0; t < ms; t += 50) {
          await vi.advanceTimersByTimeAsync(50);
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const events: AttentionMoAEvent[] = [];
      let result: Awaited<ReturnType<AttentionMoA['complete']>> | undefined;
      void moa.complete('second question?', { onEvent: (e) => events.push(e) }).then((r) => (result = r));
      const dropped = () => events.some((e) => e.type === 'agent-dropped');
      // The hang would wait forever without a deadline; the measured one is a little over 10 s.
      await tick(9_000);
      expect(events.some((e) => e.type === 'call-token' && e.agent === 'A' && e.role === 'propose')).toBe(true);
      expect(dropped()).toBe(false);
      for (let i = 0; i < 100 && !result; i++) await tick(200);
      expect(dropped()).toBe(true);
      expect(result!.dropped).toEqual([expect.objectContaining({ agent: 'A', role: 'propose', reason: expect.stringMatching(/^CallTimeoutError: the call did not finish within its deadline of 1\d s \(callTimeoutMs 'auto': 10 s \+ 4 × the time 512 tokens take at the \d+ tok\/s measured on this model; set callTimeoutMs to a number of ms, or 'off', to change it\)$/) })]);
      expect(result!.answer).toBeTruthy();
    }, 20_000);
  });
});
