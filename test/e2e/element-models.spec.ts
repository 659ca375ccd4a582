import { expect, test, type Page } from '@playwright/test';

// The `models` attribute with the element's default loader: the runtime's EnginePool with WebLLM in workers.
// No weights can be downloaded here, and SwiftShader has no shader-f16: these are the failures a visitor can meet,
// each shown in the component with its next step.
declare global {
  interface Window {
    moaErrors: { code: string; title: string; nextStep: string; message: string; error?: { code?: string } }[];
  }
}

async function askWith(page: Page, attrs: Record<string, string>) {
  await page.goto('/test/e2e/pages/element-models.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.evaluate((a) => {
    const el = document.querySelector('attention-moa')!;
    for (const [k, v] of Object.entries(a)) el.setAttribute(k, v);
  }, attrs);
  return page.evaluate(() => document.querySelector('attention-moa')!.ask('Hello?').then(() => 'resolved', (e) => ({ name: e.name, code: e.code })));
}
const alert = (page: Page) => page.locator('attention-moa [part=error]');

test('f16 model ids on a GPU without shader-f16: the component says to use the q4f32 builds', async ({ page }) => {
  const outcome = await askWith(page, { models: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC, SmolLM2-360M-Instruct-q4f16_1-MLC' });
  expect(outcome).toEqual({ name: 'AttentionMoAElementError', code: 'gpu-feature-missing' });
  await expect(alert(page)).toContainText('Your GPU lacks a feature these models need');
  await expect(alert(page)).toContainText('q4f32');
  const [error] = await page.evaluate(() => window.moaErrors);
  expect(error).toMatchObject({ code: 'gpu-feature-missing', error: { code: 'F16_MISSING' } });
  // The question is not lost.
  await expect(page.locator('attention-moa textarea')).toHaveValue('Hello?');
});

test('an unknown model id is reported before anything is downloaded', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const outcome = await askWith(page, { models: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC, Not-A-Real-Model-q4f32_1-MLC' });
  expect(outcome).toEqual({ name: 'AttentionMoAElementError', code: 'unknown-model' });
  await expect(alert(page)).toContainText('A model id is not known');
  await expect(alert(page)).toContainText('Not-A-Real-Model');
  expect(requests.filter((u) => /huggingface|raw\.githubusercontent/.test(u))).toEqual([]);
});

test('a memory budget too small for a model: "do not fit", before any download', async ({ page }) => {
  const outcome = await askWith(page, { models: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'memory-budget': '500MB' });
  expect(outcome).toEqual({ name: 'AttentionMoAElementError', code: 'model-too-large' });
  await expect(alert(page)).toContainText('These models do not fit in the memory available');
  await expect(alert(page)).toContainText('Next step: Choose smaller models');
});

test('no network for the weights: the download failure is shown with its next step', async ({ page }) => {
  test.setTimeout(90_000);
  const outcome = await askWith(page, { models: 'SmolLM2-360M-Instruct-q4f32_1-MLC' });
  expect(outcome).toEqual({ name: 'AttentionMoAElementError', code: 'download-failed' });
  await expect(alert(page)).toContainText('Downloading a model failed');
  await expect(alert(page)).toContainText('Next step: Check your internet connection');
  await expect(page.locator('attention-moa [part=loading]')).toHaveCount(0);
});
