import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// packages/core/README.md's runtime example, run as written in Chromium (it needs Web Workers).
const root = fileURLToPath(new URL('../../', import.meta.url));

test('the runtime quick-start example runs as written and prints what the README says', async ({ page }) => {
  const readme = readFileSync(`${root}packages/core/README.md`, 'utf8');
  const block = /<!-- runtime-example:start -->\s*```ts\n([\s\S]*?)```\s*<!-- runtime-example:end -->/.exec(readme);
  expect(block, 'the README marks its runnable runtime example').not.toBeNull();
  mkdirSync(`${root}test/fixtures/generated`, { recursive: true });
  writeFileSync(`${root}test/fixtures/generated/runtime-readme-example.ts`, block![1]!);
  const lines: string[] = [];
  page.on('console', (message) => lines.push(message.text()));
  await page.goto('/test/e2e/pages/runtime-readme.html');
  await page.evaluate((url) => import(/* @vite-ignore */ url), '/test/fixtures/generated/runtime-readme-example.ts');
  // Console events arrive asynchronously: wait for the last line.
  await expect.poll(() => lines.at(-1)).toBe('answer judge (aggregate): the Moon pulls the oceans.');
  const printed = lines.filter((l) => !l.startsWith('[vite]'));
  expect(printed[0]).toBe('plan all-fit parallel');
  expect(printed.slice(1, 3).sort()).toEqual(['loaded scripted:llama', 'loaded scripted:qwen']);
  expect(printed.slice(3)).toEqual(['calls 9', 'answer judge (aggregate): the Moon pulls the oceans.']);
});
