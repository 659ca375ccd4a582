import { expect, test, type Page } from '@playwright/test';

// Storage faults (issue 9): a full disk while writing the model registry, and an IndexedDB the browser refuses.
// The library degrades: typed errors with a clear message, nothing already stored lost, runs unaffected.
async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`console: ${message.text()}`);
  });
  await page.goto('/test/e2e/pages/reliability.html');
  await expect(page.locator('#status')).toHaveText('ready');
  return errors;
}

test('quota exceeded while writing the registry: QUOTA_EXCEEDED with what to do; earlier rows kept; the write works once there is room', async ({ page }) => {
  const errors = await open(page);
  const r: any = await page.evaluate(() => window.rel.registryQuota());
  expect(r.error).toMatchObject({ name: 'StorageQuotaError', code: 'QUOTA_EXCEEDED' });
  expect(r.error.message).toMatch(/storage is full.*Delete cached models you no longer need/);
  expect(r.after).toEqual(['Kept-Model-q4f32_1-MLC']);
  expect(r.later).toEqual(['New-Model-q4f32_1-MLC', 'Kept-Model-q4f32_1-MLC']);
  expect(r.unhandled).toEqual([]);
  expect(errors).toEqual([]);
});

for (const how of ['throw', 'error'] as const) {
  test(`IndexedDB refused (open ${how === 'throw' ? 'throws' : 'fails'}): cache calls fail with STORAGE_UNAVAILABLE, runs still work, storage works again when it returns`, async ({ page }) => {
    const errors = await open(page);
    const r: any = await page.evaluate((h) => window.rel.storageRefused(h), how);
    for (const call of ['listCachedModels', 'listRegistry', 'recordModelUse']) {
      expect(r.results[call].error, call).toMatchObject({ name: 'StorageUnavailableError', code: 'STORAGE_UNAVAILABLE' });
      expect(r.results[call].error.message).toMatch(/IndexedDB.*not available.*private browsing/);
    }
    expect(r.results.run).toEqual({ answer: 'Final: tides follow the moon and the sun.', error: null });
    expect(r.results.listRegistryAfter).toEqual({ ok: [] });
    expect(r.unhandled).toEqual([]);
    expect(errors).toEqual([]);
  });
}
