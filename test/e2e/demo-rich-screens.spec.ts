import { expect, test } from '@playwright/test';
import { SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// Screenshots for looking at (issue 20, rendering): a streaming answer with its draft label, and a finished answer
// with highlighted code, inline and display math and a table, at 1280 and 390 px, light and dark (the copies in
// docs/screenshots/ come from here). Each also checks what a screenshot could hide: the page never scrolls
// sideways, and code blocks and display formulas stay inside the answer (they scroll inside their own box).
let server: StaticServer;
/** The page's sticky top bar would cover the top of a tall element's screenshot. */
const UNSTICK = '.topbar { position: static !important; }';
test.beforeAll(async () => {
  server = await serveDemo();
});
test.afterAll(async () => {
  await server?.close();
});

for (const width of [1280, 390]) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`rendering screens at ${width} px, ${scheme}`, async ({ page }) => {
      test.slow();
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
      await page.goto(server.url);
      await expect(page.locator('html[data-ready]')).toBeAttached();
      // GPU speed: slow enough to see the draft while the ensemble works.
      await page.getByTestId('sim-speed').selectOption('gpu');
      await page.getByTestId('start-simulation').click();
      await page.getByTestId('example').nth(1).click();
      const el = page.locator('attention-moa');
      const turn = el.locator('li.turn').last();
      await expect(el.locator('[part~="draft-label"]')).toBeVisible({ timeout: 30_000 });
      await expect(turn.locator('[part=draft] .tok-keyword').first()).toBeVisible({ timeout: 30_000 });
      // A few lines of draft text below its code.
      await expect.poll(() => turn.locator('[part=draft]').evaluate((d) => d.textContent!.length), { timeout: 30_000 }).toBeGreaterThan(220);
      await turn.locator('[part=answer]').scrollIntoViewIfNeeded();
      await turn.locator('[part=answer]').screenshot({ path: `${SCREENSHOTS}/render-draft-${width}-${scheme}.png`, style: UNSTICK });
      await expect.poll(() => el.evaluate((e: Element & { status?: string }) => e.status), { timeout: 90_000 }).toBe('done');
      const answer = turn.locator('[part=answer]');
      await expect(answer.locator('.math.rendered math')).toHaveCount(5);
      await expect(answer.locator('code.highlighted')).toHaveCount(2);
      await expect(answer.locator('table')).toHaveCount(1);
      await answer.scrollIntoViewIfNeeded();
      await answer.screenshot({ path: `${SCREENSHOTS}/render-answer-${width}-${scheme}.png`, style: UNSTICK });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const overflow = await answer.evaluate((area) => {
        const right = area.getBoundingClientRect().right + 1;
        return [...area.querySelectorAll('pre, .math-display, .math-inline, table')]
          .filter((box) => box.getBoundingClientRect().right > right)
          .map((box) => box.className || box.localName);
      });
      expect(overflow).toEqual([]);
    });
  }
}
