import { expect, test } from '@playwright/test';
import type { AttentionMoAResult } from '@attention-moa/core';
import { ensureModels } from '../../scripts/models.mjs';
import { leaksIn } from './real-output-checks.js';

// <attention-moa> on real, trained models: SmolLM2 135M Instruct and Gemma 3 270M as agents (SmolLM2 aggregates),
// loaded by the element's pool loader into agent workers, llama.cpp in WebAssembly; 2 layers, judge early stop.
// Asserted on what the page shows: the rendered answer and every call's text in "How this answer was made".

const N_CTX = 768;

test('<attention-moa> answers with real models: clean text, prompts that fit, cut answers marked as cut', async ({ page }, info) => {
  info.setTimeout(30 * 60_000); // a shared, busy machine is many times slower than an idle one
  await ensureModels();
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[page error] ${m.text().slice(0, 300)}`);
  });
  await page.goto(`/test/e2e/pages/real-element.html?n_ctx=${N_CTX}`);
  await expect(page.locator('#status')).toHaveText('ready');
  const el = page.locator('attention-moa');

  const started = Date.now();
  const result = (await page.evaluate(async () => {
    const r = await document.querySelector('attention-moa')!.ask('What is the capital of France?');
    // Only what the specs read: the record's messages are large.
    return r && { ...r, trace: r.trace.map(({ messages: _, ...rest }) => rest) };
  })) as Omit<AttentionMoAResult, 'trace'> & { trace: Omit<AttentionMoAResult['trace'][number], 'messages'>[] };
  console.log(`[measure] <attention-moa>, 2 real models, ${result.layersRun} layer(s), ${result.trace.length} calls: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`[real] answer: ${JSON.stringify(result.answer)}`);
  await info.attach('real-element-run.json', { body: JSON.stringify(result, null, 2), contentType: 'application/json' });

  // Every call returned text, and every prompt fitted the model's window by llama.cpp's own count.
  for (const c of result.trace) {
    const where = `L${c.layer} ${c.role} ${c.agent}`;
    expect.soft(c.error, where).toBeUndefined();
    expect.soft(c.text.trim().length, `${where} returned ${JSON.stringify(c.output)}`).toBeGreaterThan(0);
    expect.soft(c.usage, where).toBeDefined();
    if (c.usage) expect.soft(c.usage.prompt_tokens + c.maxTokens!, `${where}: ${c.usage.prompt_tokens} prompt tokens + ${c.maxTokens}`).toBeLessThanOrEqual(N_CTX);
  }

  // The answer as the user sees it: rendered, and free of the prompt's scaffolding.
  const answer = el.locator('[part="answer"] .md').first();
  await expect.soft(answer).not.toHaveText('');
  const shownAnswer = (await answer.textContent()) ?? '';
  expect.soft(leaksIn(shownAnswer), 'the rendered answer').toEqual([]);
  expect.soft(leaksIn(result.answer), 'the answer').toEqual([]);

  // "How this answer was made": every call's text as shown on its card.
  await el.locator('[part="details"] > summary').first().click();
  const cards = await el.locator('[part="layer"] .md').allTextContents();
  expect.soft(cards.length).toBeGreaterThanOrEqual(result.trace.length);
  const leaks = cards.flatMap((text, i) => leaksIn(text).map((l) => `card text ${i + 1}: ${l}`));
  expect.soft(leaks, 'call texts shown in the details').toEqual([]);

  // Answers cut at their token limit: marked in the trace, on their cards, and on the final answer when it was cut.
  const cut = result.trace.filter((c) => c.finishReason === 'length');
  expect.soft(cut.length).toBeGreaterThan(0);
  for (const c of result.trace) expect.soft(c.cut, `L${c.layer} ${c.role} ${c.agent}`).toBe(c.finishReason === 'length');
  await expect.soft(el.locator('[part="layer"] [part="cut-mark"]')).toHaveCount(cut.length);
  const answerCall = result.earlyStop?.mode === 'judge'
    ? result.trace.find((c) => c.layer === result.earlyStop!.layer && c.role === 'aggregate')
    : result.trace.filter((c) => c.role === 'aggregate' || c.role === 'residual').at(-1);
  const answerMark = el.locator('[part="answer"] [part="cut-mark"]');
  if (answerCall?.cut) await expect.soft(answerMark).toHaveText(/cut at the token limit/i);
  else await expect.soft(answerMark).toHaveCount(0);
});
