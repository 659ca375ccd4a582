import { test } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { recordSuite } from '../lib/results.js';
import { breakdown, type SourceMapV3 } from '../lib/sourcemap-breakdown.js';

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

  // Everything else this build emitted (the worker, lazily imported engines and catalogs) is reported separately.
  // dist/lib (the package's per-module ESM for bundlers, from tsc) is another way to ship the same code, not part of it.
  const files = readdirSync(ELEMENT_DIST, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') && !f.startsWith('lib/') && !f.includes('types/'));
  const deferred = files
    .map((f) => `/${ELEMENT_DIST}/${f}`)
    .filter((p) => !loaded.has(p))
    .map((p) => {
      const body = readFileSync(join('.', p));
      return { path: p, raw: statSync(join('.', p)).size, gzip: gzipSync(body, { level: 9 }).length, webllm: WEB_LLM_MARKERS.some((m) => body.includes(m)) };
    });

  const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  // What the page chunk is made of, from its source map (raw bytes: gzip cannot be split per source).
  const main = `${ELEMENT_DIST}/attention-moa.js`;
  const parts = breakdown(readFileSync(main, 'utf8'), JSON.parse(readFileSync(`${main}.map`, 'utf8')) as SourceMapV3, ELEMENT_DIST);
  const mainRaw = parts.reduce((s, p) => s + p.bytes, 0);
  recordSuite(
    {
      id: '6-bundle',
      title: '6. Bundle: what a page loads before any model',
      explanation: 'gzip (level 9) size of every script Chromium fetched for a page with only `<attention-moa>` (the element, Lit and `@attention-moa/core/lite`; the protocol, runtime and Markdown renderer load on first use); worker and lazily loaded chunks listed separately.',
      target: 'page ≤ 40 kB gzip, and no web-llm code in the page chunk',
      met: pageGzip <= 40 * 1024 && webllmInPage.length === 0,
      headline: `page ${kB(pageGzip)} gzip, web-llm ${webllmInPage.length ? 'IN the page chunk' : 'not in the page chunk'}`,
      notes: [
        `The page chunk (attention-moa.js, ${kB(mainRaw)} raw) by source, from its source map: ${parts
          .slice(0, 10)
          .map((p) => `${p.group} ${kB(p.bytes)} (${((100 * p.bytes) / mainRaw).toFixed(0)} %)`)
          .join(', ')}${parts.length > 10 ? `, ${parts.length - 10} more` : ''}.`,
      ],
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
