import { expect, test } from '@playwright/test';

// The demo's Service Worker example: the official `openai` client in the page streams from ./v1/chat/completions,
// which the Service Worker hands to the page's ensemble (scripted engines, labelled simulated). Nothing reaches a network.
test('an OpenAI client in the page talks to the ensemble through the Service Worker', async ({ page }) => {
  await page.goto('/demo/openai-sw/');
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Ask' }).click();
  await expect(page.locator('#answer')).toHaveText('A simulated answer, streamed token by token through the Service Worker.', { timeout: 30_000 });

  // The same endpoint answers plain fetch with OpenAI's shapes and errors.
  const models = await page.evaluate(async () => (await fetch('./v1/models')).json());
  expect(models).toEqual({ object: 'list', data: [{ id: 'attention-moa', object: 'model', created: expect.any(Number), owned_by: 'attention-moa' }] });
  const bad = await page.evaluate(async () => {
    const response = await fetch('./v1/chat/completions', { method: 'POST', body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'Hi' }] }) });
    return { status: response.status, body: await response.json() };
  });
  expect(bad).toMatchObject({ status: 404, body: { error: { code: 'model_not_found', param: 'model' } } });
  // The dev server has no ./v1/ (a 404 page there): these answers can only have come from the worker and the page.
});
