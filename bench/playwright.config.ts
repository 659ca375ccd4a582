import { defineConfig } from '@playwright/test';
import { findChromium } from '../test/e2e/chromium.js';

// Benchmarks run as Playwright tests so they get the same Chromium, TypeScript and a static server; they are
// never part of `npm test`. The server serves the repo root: production builds of the packages (packages/*/dist)
// and of the bench pages (dist/bench), so Lit and the library run in production mode, as users get them.
const port = Number(process.env.BENCH_PORT ?? 4390);

export default defineConfig({
  testDir: './suites',
  testMatch: '**/*.bench.ts',
  timeout: 8 * 60_000,
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  outputDir: '../test-results/bench-artifacts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: findChromium(),
      args: ['--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `node scripts/serve.mjs . --port ${port}${process.env.BENCH_ISOLATE === '1' ? ' --isolate' : ''}`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/bench/README.md`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
