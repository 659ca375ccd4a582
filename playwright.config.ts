import { defineConfig } from '@playwright/test';
import { findChromium } from './test/e2e/chromium.js';

const port = Number(process.env.E2E_PORT ?? 4317);

export default defineConfig({
  testDir: './test/e2e',
  testMatch: '**/*.spec.ts',
  // Each setup is one area's; an array so areas add theirs without touching each other's.
  globalSetup: ['./test/e2e/global-setup-gguf.ts'],
  timeout: 60_000,
  workers: 1, // 2 cores, and SwiftShader runs WebGPU on CPU threads
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: findChromium(),
      args: ['--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The dev server on 127.0.0.1 (a secure context, so navigator.gpu exists) with appType 'mpa'.
    command: `node node_modules/vite/bin/vite.js --port ${port} --strictPort --host 127.0.0.1 --logLevel warn`,
    url: `http://127.0.0.1:${port}/test/e2e/pages/index.html`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
