import { describe, expect, it } from 'vitest';
import { ContextOverflowError, ScriptedEngine, estimateTokens, type ChatEngine, type ChatMessage } from '@attention-moa/core';
// Internals of the package (not exported): tested where they live.
import { MIN_PART_TOKENS, fitPrompt, shareRoom, tokenCounter, type PromptSpec } from '../../../../packages/core/src/protocol/context-budget.js';

const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
const estimate = tokenCounter({ chat: new ScriptedEngine().chat } as ChatEngine);

/** A prompt like the aggregate one: instructions + fenced parts in a system message, then the conversation. */
function spec(parts: { name: string; text: string }[], conversation: ChatMessage[]): PromptSpec {
  return {
    parts,
    conversation,
    build: (texts, conv) => [
      { role: 'system', content: `Synthesize these.\n${texts.map((t, i) => `<<<R${i}>>>\n${t}\n<<<END R${i}>>>`).join('\n')}` },
      ...conv,
    ],
  };
}
const target = (contextWindow: number, maxTokens = 100) => ({ agent: 'A', role: 'aggregate' as const, layer: 2, contextWindow, maxTokens, counter: estimate });
const question: ChatMessage[] = [{ role: 'user', content: 'What is the question?' }];

async function size(messages: ChatMessage[]) {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content) + 8, 8);
}

describe('shareRoom', () => {
  it('gives equal shares, and a part smaller than its share keeps its size', () => {
    expect(shareRoom([10, 500, 500], 310)).toEqual([10, 150, 150]);
    expect(shareRoom([100, 100], 1000)).toEqual([100, 100]);
    expect(shareRoom([300, 50, 300], 250)).toEqual([100, 50, 100]);
  });
});

describe('fitPrompt', () => {
  it('leaves a prompt that fits untouched', async () => {
    const fitted = await fitPrompt(spec([{ name: 'answer of A', text: 'short' }], question), target(4096));
    expect(fitted.cuts).toEqual([]);
    expect(fitted.promptTokens).toBe(await size(fitted.messages));
    expect(fitted.messages[0]!.content).toContain('short');
  });

  it('cuts long references to equal shares, keeping beginning and end around a marker, and records every cut', async () => {
    const long1 = words('alpha', 600);
    const long2 = words('beta', 600);
    const fitted = await fitPrompt(
      spec(
        [
          { name: 'answer of A', text: long1 },
          { name: 'answer of B', text: 'a short answer' },
          { name: 'answer of C', text: long2 },
        ],
        question,
      ),
      target(1024, 200),
    );
    expect(fitted.promptTokens).toBeLessThanOrEqual(1024 - 200);
    expect(fitted.promptTokens).toBe(await size(fitted.messages));
    expect(fitted.cuts.map((c) => c.part)).toEqual(['answer of A', 'answer of C']);
    for (const cut of fitted.cuts) {
      expect(cut.originalTokens).toBeGreaterThan(cut.keptTokens);
      expect(cut.keptTokens).toBeGreaterThanOrEqual(MIN_PART_TOKENS);
      expect(cut.rule).toMatch(/share the room equally/);
    }
    // Equal shares: the two cut parts keep about the same size.
    expect(Math.abs(fitted.cuts[0]!.keptTokens - fitted.cuts[1]!.keptTokens)).toBeLessThan(30);
    const system = fitted.messages[0]!.content;
    expect(system).toContain('a short answer');
    expect(system).toContain('alpha0 alpha1');
    expect(system).toContain('alpha599');
    expect(system).not.toContain('alpha300 ');
    expect(system).toMatch(/\[… about \d+ tokens cut here to fit the context window …\]/);
    expect(fitted.messages.at(-1)).toEqual(question[0]);
  });

  it('drops earlier turns oldest first (a user turn with its reply) before cutting references below their need', async () => {
    const conversation: ChatMessage[] = [
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: `first ${words('one', 200)}` },
      { role: 'assistant', content: `reply ${words('two', 200)}` },
      { role: 'user', content: `second ${words('three', 100)}` },
      { role: 'assistant', content: 'second reply' },
      { role: 'user', content: 'And now?' },
    ];
    const fitted = await fitPrompt(spec([{ name: 'reference', text: words('ref', 150) }], conversation), target(1024, 300));
    expect(fitted.promptTokens).toBeLessThanOrEqual(724);
    expect(fitted.cuts.map((c) => [c.part, c.keptTokens])).toEqual([
      ['earlier turn 1 (user)', 0],
      ['earlier turn 2 (assistant)', 0],
    ]);
    const roles = fitted.messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'system', 'user', 'assistant', 'user']); // ours, the conversation's, the kept turn, the question
    expect(fitted.messages[0]!.content).toContain('ref149'); // the reference stayed whole
    expect(fitted.messages.some((m) => m.content.startsWith('first'))).toBe(false);
    expect(fitted.messages.at(-1)!.content).toBe('And now?');
  });

  it('fails with ContextOverflowError naming the agent, role and sizes when even the minimum cannot fit', async () => {
    const huge: ChatMessage[] = [{ role: 'user', content: words('q', 900) }];
    const error = await fitPrompt(spec([{ name: 'answer of A', text: 'x' }], huge), target(1024, 200)).catch((e) => e);
    expect(error).toBeInstanceOf(ContextOverflowError);
    expect(error).toMatchObject({ code: 'CONTEXT_OVERFLOW', details: { agent: 'A', role: 'aggregate', layer: 2, contextWindow: 1024, reservedTokens: 200 } });
    expect(error.details.requiredTokens).toBeGreaterThan(824);
    expect(error.message).toMatch(/aggregate prompt of "A" \(layer 2\).*needs \d+ tokens.*only 824 are available/);
  });

  it("counts with the engine's tokenizer when it has one, else estimates", async () => {
    const seen: string[] = [];
    const exact = tokenCounter({ chat: new ScriptedEngine().chat, countTokens: (t: string) => (seen.push(t), t.split(' ').length) } as ChatEngine);
    expect(exact.exact).toBe(true);
    expect(await exact.count('a b c')).toBe(3);
    expect(await exact.count('a b c')).toBe(3);
    expect(seen).toEqual(['a b c']); // cached
    expect(estimate.exact).toBe(false);
    expect(await estimate.count('abcdef')).toBe(2);
    const broken = tokenCounter({ chat: new ScriptedEngine().chat, countTokens: () => { throw new Error('worker gone'); } } as ChatEngine);
    expect(await broken.count('abcdef')).toBe(2);
  });
});

describe('estimateTokens', () => {
  it('is conservative for English and costs more outside ASCII', () => {
    expect(estimateTokens('The quick brown fox jumps over the lazy dog.')).toBe(15); // 44 chars; real BPE: ~10
    expect(estimateTokens('日本語')).toBeGreaterThanOrEqual(3);
    expect(estimateTokens('😀')).toBeGreaterThanOrEqual(2);
  });
});

describe('tokenCounter with a stuck tokenizer', () => {
  it('falls back to the estimate after its timeout', async () => {
    const counter = tokenCounter({ chat: new ScriptedEngine().chat, countTokens: () => new Promise<number>(() => {}) } as ChatEngine, 20);
    expect(await counter.count('abcdef')).toBe(2);
  });
});
