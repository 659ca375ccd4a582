import { expect, test } from '@playwright/test';
import { SCREENSHOTS, serveDemo, type StaticServer } from './demo-server.js';

// Screenshots for looking at (issue 20): setup, a finished answer, its details, and a restored conversation, at
// 1280 and 390 px, light and dark. Each also checks what a screenshot could hide: no sideways scroll on the page.
let server: StaticServer;
test.beforeAll(async () => {
  server = await serveDemo();
});
test.afterAll(async () => {
  await server?.close();
});

for (const width of [1280, 390]) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screens at ${width} px, ${scheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
      await page.goto(server.url);
      await expect(page.locator('html[data-ready]')).toBeAttached();
      // A full-page capture keeps the scroll position, so the sticky top bar and sidebar would sit mid-page: scroll
      // to the top first. Markdown groups skip painting off screen (`content-visibility: auto`), which the capture
      // would show as blank boxes; the style (it reaches into shadow roots) paints them all for the shot.
      const shot = async (name: string) => {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${SCREENSHOTS}/ux-${name}-${width}-${scheme}.png`, fullPage: true, style: '.md-group { content-visibility: visible !important; }' });
      };
      await shot('setup');
      await page.getByTestId('sim-speed').selectOption('instant');
      await page.getByTestId('start-simulation').click();
      await page.getByTestId('example').first().click();
      const el = page.locator('attention-moa');
      await expect.poll(() => el.evaluate((e: Element & { status?: string }) => e.status), { timeout: 30_000 }).toBe('done');
      await shot('answer');
      await el.locator('summary', { hasText: 'How this answer was made' }).click();
      await expect(el.locator('[part=layer]').first()).toBeVisible();
      await shot('details');
      await page.reload();
      await expect(page.locator('html[data-ready]')).toBeAttached();
      await expect(page.locator('attention-moa li.turn')).toHaveCount(1);
      await shot('restored');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    });
  }
}
