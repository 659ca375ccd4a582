// The protocol's hardening for small models, tested on what real models wrote (test/fixtures/real-outputs/):
// SmolLM2-135M-Instruct and Gemma 3 270M (base) running the protocol in Chromium through the WASM engine. Each test
// says what the output did to the protocol before the fix (the recorded `text` is what was passed on then).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { legacyCritiquePrompt } from '../../../../bench/lib/legacy-prompts.js';
import { cleanScaffolding, isStopPhrase, parseVerdict, placeSystem, proposePrompt, reviewOutput, stripReasoning, type ChatMessage, type ReviewContext } from '@attention-moa/core';

interface RecordedCall {
  id: number;
  role: ReviewContext['role'];
  layer: number;
  agent: string;
  target?: string;
  model: string;
  promptKind: string;
  output: string;
  text: string;
  finishReason: string | null;
  completionTokens: number;
}
interface Recording {
  settings: { maxTokens: Record<string, number> };
  runs: { question: string; answer: string; calls: RecordedCall[] }[];
}

const load = (name: string): Recording => JSON.parse(readFileSync(new URL(`../../../fixtures/real-outputs/${name}.json`, import.meta.url), 'utf8'));
const before = load('before-hardening');
const all = before.runs.flatMap((run) => run.calls.map((call) => ({ run, call })));
const find = (question: string, pred: (c: RecordedCall) => boolean) => {
  const run = before.runs.find((r) => r.question === question)!;
  return { run, call: run.calls.find(pred)! };
};
const STOP = 'NO FURTHER IMPROVEMENT';

/** The review the protocol now applies to a recorded call (inputs: the answers it saw, as recorded). */
function review({ run, call }: { run: Recording['runs'][number]; call: RecordedCall }) {
  const proposals = new Map(run.calls.filter((c) => c.role === 'propose' && c.layer === call.layer).map((c) => [c.agent, c.text]));
  const subject = call.role === 'critique' ? proposals.get(call.target!) : call.role === 'refine' ? proposals.get(call.agent) : undefined;
  return reviewOutput(stripReasoning(call.output), call.finishReason as never, {
    role: call.role,
    layer: call.layer,
    question: run.question,
    ...(subject !== undefined ? { subject } : {}),
    inputs: [...proposals.values()],
    maxTokens: before.settings.maxTokens[call.role]!,
    stopPhrase: STOP,
    judge: call.role === 'residual',
  });
}

describe('echoed scaffolding (every recorded output)', () => {
  it('no fence, data label, turn marker or stop phrase survives the review of any recorded output', () => {
    expect(all.length).toBeGreaterThanOrEqual(19);
    let dirty = 0;
    for (const entry of all) {
      if (/<<<|>>|<\|im_(start|end)\|>|<(start|end)_of_turn>/.test(entry.call.text)) dirty++;
      const { text } = review(entry);
      const where = `${entry.run.question} #${entry.call.id} ${entry.call.promptKind} ${entry.call.agent}`;
      expect(text, where).not.toMatch(/<<<|>>>|<\|im_(start|end)\|>|<(start|end)_of_turn>/);
      expect(text, where).not.toMatch(/^\s*(RESPONSE|ROUND|SUGGESTION)\s+\d/im);
      expect(text, where).not.toMatch(/^\W*NO FURTHER IMPROVEMENT\W*$/im);
    }
    // Before the fix, most recorded outputs passed such scaffolding on as they were.
    expect(dirty).toBeGreaterThan(all.length / 2);
  });

  it("SmolLM2's critique that opens with a copied fence keeps its words and loses the fence", () => {
    const entry = find('What is 17 + 25?', (c) => c.promptKind === 'critique-peer' && c.agent === 'smollm2');
    expect(entry.call.text).toBe('<<<END YOUR ANSWER OF gemma>>\n\nThe answer to the question "What is 17 + 25?" is indeed 32.');
    expect(cleanScaffolding(entry.call.text)).toEqual({ text: 'The answer to the question "What is 17 + 25?" is indeed 32.', removed: ['data fences'] });
    expect(review(entry).roleCheck).toBeUndefined();
  });

  it("SmolLM2's self-critique that opens with a bare <<< keeps its text", () => {
    const entry = find('What is 17 + 25?', (c) => c.promptKind === 'critique-self' && c.layer === 1);
    expect(entry.call.text.startsWith("<<<You can't add 17 + 25")).toBe(true);
    const r = review(entry);
    expect(r.text.startsWith("You can't add 17 + 25 to 17 + 25.")).toBe(true);
    // It ran to the token cap: marked cut, still passed on (it does critique the answer).
    expect(r.roleCheck).toEqual({ problems: [{ kind: 'cut', note: 'stopped at the token cap (64 tokens): the text may end mid-sentence' }] });
  });
});

describe('a model that does not do its role (Gemma 3 270M base, recorded)', () => {
  it('a proposal that repeats the question and then writes chat-template markers: cut at the first marker, marked as an echo', () => {
    const entry = find('What is 17 + 25?', (c) => c.role === 'propose' && c.agent === 'gemma' && c.layer === 1);
    expect(entry.call.text).toMatch(/^What is 17 \+ 25\?\n<\|im_end\|>\n<\|im_start\|>/); // was passed on to critics and the aggregator
    const r = review(entry);
    expect(r.text).toBe('What is 17 + 25?');
    expect(r.cleaned).toEqual(['turn markers']);
    expect(r.roleCheck?.problems.map((p) => p.kind)).toEqual(['cut', 'echo']);
  });

  it('critiques made only of turn markers are empty and not passed on (before: 64 tokens of markers reached the refinement as suggestions)', () => {
    const critiques = all.filter((e) => e.call.role === 'critique' && e.call.agent === 'gemma');
    expect(critiques.length).toBeGreaterThanOrEqual(4);
    for (const entry of critiques) {
      const r = review(entry);
      expect(r.text, `#${entry.call.id}`).toBe('');
      expect(r.roleCheck, `#${entry.call.id}`).toEqual({
        problems: [{ kind: 'empty', note: 'the output only repeated the prompt’s scaffolding (labels, fences, turn markers)' }],
        action: 'not passed on to the refinement',
      });
    }
  });

  it('a refinement made only of turn markers keeps the previous answer (before: it became the answer the aggregator read)', () => {
    const entry = find('What is 17 + 25?', (c) => c.role === 'refine' && c.agent === 'gemma' && c.layer === 1);
    expect(review(entry)).toMatchObject({ text: '', roleCheck: { action: 'kept the previous answer' } });
  });

  it('a layer-2 proposal of invented turns is empty: the agent fails that call (and is dropped) instead of feeding junk on', () => {
    const entry = find('What is 17 + 25?', (c) => c.role === 'propose' && c.agent === 'gemma' && c.layer === 2);
    expect(entry.call.text).toMatch(/^<\|im_start\|>user\n<\|im_end\|>user/);
    expect(review(entry)).toMatchObject({ text: '', roleCheck: { problems: [{ kind: 'empty' }] } });
  });

  it("SmolLM2's answers pass every check untouched", () => {
    for (const entry of all.filter((e) => e.call.model === 'smollm2' && e.call.role !== 'critique' && e.call.role !== 'residual')) {
      const r = review(entry);
      expect(r.text, `#${entry.call.id}`).toBe(entry.call.text);
      expect(r.roleCheck, `#${entry.call.id}`).toBeUndefined();
    }
  });
});

describe('the judge', () => {
  it('reads a recorded residual that ignored the verdict form as the answer, whole', () => {
    const entry = find('What is 17 + 25?', (c) => c.role === 'residual');
    expect(entry.call.output).toBe('17 + 25 = 32.');
    expect(parseVerdict(entry.call.output, STOP)).toEqual({ stop: false, form: 'answer', answer: '17 + 25 = 32.' });
    expect(review(entry)).toMatchObject({ text: '17 + 25 = 32.', verdict: 'answer' });
  });

  it.each([
    // The verdict reported in issue 14 (it used to become the user's answer), and its loose variants.
    'NO FURTHER IMPROVEMENT, both rounds are identical.',
    'No further improvement — round 2 repeats round 1.',
    '**NO FURTHER IMPROVEMENT**\n\n17 + 25 = 32.',
    '## Verdict: no further improvement.\nThe answer stays 17 + 25 = 32.',
    '> NO FURTHER IMPROVEMENT (the rounds agree)',
    'no_further_improvement',
    'The rounds say the same thing.\nNO FURTHER IMPROVEMENT',
  ])('stops on %j', (reply) => expect(isStopPhrase(reply, STOP)).toBe(true));

  it('never cuts the body of a real answer that contains the words', () => {
    const answers = all.filter((e) => e.call.model === 'smollm2' && ['propose', 'refine', 'aggregate'].includes(e.call.role)).map((e) => e.call.text);
    expect(answers.length).toBeGreaterThan(4);
    for (const answer of answers) {
      for (const reply of [
        `No further improvement is possible: ${answer}`,
        `${answer} There is no further improvement to make on this.`,
        `${answer}\n\nNo further improvement can be made to ${answer}`,
        `IMPROVED\n${answer}`,
      ]) {
        const v = parseVerdict(reply, STOP);
        expect(v.stop, reply).toBe(false);
        expect(v.answer, reply).toContain(answer);
      }
    }
  });

  it('the go-on form gives the answer without its verdict line', () => {
    expect(parseVerdict('IMPROVED\n17 + 25 = 42.', STOP)).toEqual({ stop: false, form: 'continue', answer: '17 + 25 = 42.' });
    expect(parseVerdict('**Improved.** 17 + 25 = 42.', STOP)).toEqual({ stop: false, form: 'continue', answer: '17 + 25 = 42.' });
  });
});

describe('after the hardening: the eval run (Gemma with its own turn format, reworked residual prompt)', () => {
  interface EvalRun { questionId: string; question: string; mode: string; answer: string; calls: (RecordedCall & { verdict?: string; roleCheck?: unknown })[] }
  const after = JSON.parse(readFileSync(new URL('../../../fixtures/real-outputs/after-hardening.json', import.meta.url), 'utf8')) as { settings: { maxTokens: Record<string, number> }; runs: EvalRun[] };
  const amoa = after.runs.find((r) => r.questionId === 'arith-001' && r.mode === 'amoa-full-2')!;
  const conversation = [{ role: 'user' as const, content: amoa.question }];
  const proposal = (agent: string, layer: number) => amoa.calls.find((c) => c.role === 'propose' && c.agent === agent && c.layer === layer)!;
  const reviewWith = (call: RecordedCall, prompt: ChatMessage[], extra: Partial<ReviewContext> = {}) =>
    reviewOutput(stripReasoning(call.output), call.finishReason as never, {
      role: call.role,
      layer: call.layer,
      question: amoa.question,
      inputs: [],
      maxTokens: after.settings.maxTokens[call.role]!,
      stopPhrase: STOP,
      prompt: placeSystem(prompt, true).map((m) => m.content).join('\n\n'),
      ...extra,
    });

  it("Gemma's critiques that recite the critique instructions are echoes, not passed on", () => {
    const critiques = amoa.calls.filter((c) => c.role === 'critique' && c.agent === 'gemma');
    expect(critiques).toHaveLength(4);
    for (const c of critiques) {
      expect(c.output, `#${c.id}`).toMatch(/^You review (another assistant's|your own) answer/);
      const self = c.target === 'gemma';
      // The prompt Gemma saw when this was recorded: the critique layout before the KV-cache layout of #15.
      const prompt = legacyCritiquePrompt({
        conversation,
        layer: c.layer,
        critic: 'gemma',
        target: c.target!,
        ownAnswer: proposal('gemma', c.layer).text,
        targetAnswer: proposal(c.target!, c.layer).text,
        self,
      });
      const r = reviewWith(c, prompt, { subject: proposal(c.target!, c.layer).text, inputs: [proposal('gemma', c.layer).text, proposal(c.target!, c.layer).text] });
      expect(r.roleCheck, `#${c.id}`).toMatchObject({
        problems: expect.arrayContaining([{ kind: 'echo', note: 'repeats its prompt (instructions or question) instead of doing its task' }]),
        action: 'not passed on to the refinement',
      });
    }
  });

  it("Gemma's layer-2 proposal that recites the propose instructions sits the layer out; SmolLM2's answers do not", () => {
    const reference = amoa.calls.find((c) => c.role === 'aggregate' && c.layer === 1)!.text;
    const gemma = proposal('gemma', 2);
    expect(gemma.output).toMatch(/^Answer the latest user message below\. You are given a reference response/);
    const prompt = (agent: string) => proposePrompt({ conversation, layer: 2, agent, reference });
    expect(reviewWith(gemma, prompt('gemma'), { inputs: [reference] }).roleCheck).toMatchObject({
      problems: expect.arrayContaining([expect.objectContaining({ kind: 'echo' })]),
      action: "left out of layer 2's critiques and aggregate (unless no agent had a usable answer)",
    });
    const smol = proposal('smollm2', 2);
    expect(reviewWith(smol, prompt('smollm2'), { inputs: [reference] }).roleCheck).toBeUndefined();
  });

  it("Gemma's answers that repeat the question over and over are echoes (in the single mode too)", () => {
    const single = after.runs.find((r) => r.questionId === 'arith-001' && r.mode === 'single-gemma')!.calls[0]!;
    for (const call of [single, proposal('gemma', 1)]) {
      expect(call.output).toMatch(/^What is 17 \+ 25\? Answer with the number only\. mendatang\n/);
      expect(reviewWith(call, conversation).roleCheck).toMatchObject({ problems: expect.arrayContaining([expect.objectContaining({ kind: 'echo' })]) });
    }
  });

  it("SmolLM2's critique opening with `<<<Q: 17 + 25 = 32>>` loses the whole fence", () => {
    const c = amoa.calls.find((x) => x.role === 'critique' && x.agent === 'smollm2' && x.target === 'smollm2' && x.layer === 1)!;
    expect(c.output.startsWith('<<<Q: 17 + 25 = 32>>')).toBe(true);
    expect(cleanScaffolding(c.output).text.startsWith('The answer to the question')).toBe(true);
  });

  it('the judge: SmolLM2 ignored the decision-first form and answered; that is read as the answer, whole', () => {
    const residual = amoa.calls.find((c) => c.role === 'residual')!;
    expect(residual.verdict).toBe('answer');
    expect(parseVerdict(residual.output, STOP)).toEqual({ stop: false, form: 'answer', answer: residual.output.trim() });
  });
});
