import { test } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { recordSuite } from '../lib/results.js';

// 6. What a page loads before any model: the element's built file and everything it imports at startup,
// measured by loading it in Chromium and gzipping every script the page actually fetched.
const WEB_LLM_MARKERS = ['tvmjs', 'ArtifactIndexedDBCache', 'Fetching param cache['];
const ELEMENT_DIST = 'packages/element/dist';

test('bundle: gzip size of what a page loads before any model', async ({ page, browser }) => {
  const started = performance.now();
  const loaded = new Map<string, Buffer>();
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.endsWith('.js')) return;
    loaded.set(url.pathname, await response.body().catch(() => Buffer.alloc(0)));
  });
  await page.route('**/bundle-probe.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><script type="module" src="/${ELEMENT_DIST}/attention-moa.js"></script><attention-moa></attention-moa>`,
    }),
  );
  await page.goto('/bundle-probe.html');
  await page.waitForFunction(() => customElements.get('attention-moa') !== undefined || document.readyState === 'complete');
  await page.waitForLoadState('networkidle');

  const pageScripts = [...loaded.entries()].map(([path, body]) => ({ path, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, body }));
  const pageGzip = pageScripts.reduce((sum, s) => sum + s.gzip, 0);
  const webllmInPage = pageScripts.filter((s) => WEB_LLM_MARKERS.some((m) => s.body.includes(m))).map((s) => s.path);

  // Everything else the build emitted (worker chunks, lazily imported engines) is reported separately.
  const files = readdirSync(ELEMENT_DIST, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') && !f.includes('types/'));
  const deferred = files
    .map((f) => `/${ELEMENT_DIST}/${f}`)
    .filter((p) => !loaded.has(p))
    .map((p) => {
      const body = readFileSync(join('.', p));
      return { path: p, raw: statSync(join('.', p)).size, gzip: gzipSync(body, { level: 9 }).length, webllm: WEB_LLM_MARKERS.some((m) => body.includes(m)) };
    });

  const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  recordSuite(
    {
      id: '6-bundle',
      title: '6. Bundle: what a page loads before any model',
      explanation: 'gzip (level 9) size of every script Chromium fetched for a page with only `<attention-moa>` (core + element + Lit); worker and lazily loaded chunks listed separately.',
      target: 'page ≤ 40 kB gzip, and no web-llm code in the page chunk',
      met: pageGzip <= 40 * 1024 && webllmInPage.length === 0,
      headline: `page ${kB(pageGzip)} gzip, web-llm ${webllmInPage.length ? 'IN the page chunk' : 'not in the page chunk'}`,
      rows: [
        { case: 'page (loaded at startup)', values: { files: pageScripts.length, raw: kB(pageScripts.reduce((s, x) => s + x.raw, 0)), gzip: kB(pageGzip), 'web-llm inside': webllmInPage.length ? webllmInPage.join(', ') : 'no' } },
        ...deferred.map((d) => ({ case: `deferred: ${d.path.split('/').pop()}`, values: { files: 1, raw: kB(d.raw), gzip: kB(d.gzip), 'web-llm inside': d.webllm ? 'yes' : 'no' } })),
      ],
      measuredAt: new Date().toISOString(),
      durationS: (performance.now() - started) / 1000,
    },
    browser.version(),
  );
});
