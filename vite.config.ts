/// <reference types="vitest/config" />
import { defineConfig, type UserConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Source aliases: tests, the demo and the dev server run against the packages' sources,
// so nothing needs building first. Library builds resolve the same way, then externalize.
const alias = {
  '@attention-moa/core': here('./packages/core/src/index.ts'),
  '@attention-moa/element': here('./packages/element/src/index.ts'),
};

/** One config, one mode per artifact: `vite build --mode core|element|demo`; no mode = dev/test server. */
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'core') {
    return {
      // Relative asset URLs (new URL('assets/…', import.meta.url)): the agent worker is found next to index.js
      // wherever the package is served from, not at the site root.
      base: './',
      resolve: { alias },
      build: {
        outDir: here('./packages/core/dist'),
        emptyOutDir: true,
        sourcemap: true,
        target: 'es2022',
        lib: { entry: here('./packages/core/src/index.ts'), formats: ['es'], fileName: 'index' },
        rolldownOptions: {
          // A library leaves its dependencies to the app's bundler; workers bundle their own.
          external: [/^comlink/, /^idb-keyval/, /^@mlc-ai\/web-llm/, /^@wllama\/wllama/],
        },
      },
      worker: { format: 'es' },
    };
  }
  if (mode === 'element') {
    return {
      // As for core: the agent worker is found next to attention-moa.js wherever (and on whatever origin) it is served.
      base: './',
      resolve: { alias },
      build: {
        outDir: here('./packages/element/dist'),
        emptyOutDir: true,
        sourcemap: true,
        target: 'es2022',
        // Served as is from a CDN: fully minified (lib mode's ES default keeps whitespace).
        rolldownOptions: { output: { minify: true } },
        // Self-contained: a page with no build step loads this one file (Lit and core inside).
        lib: { entry: here('./packages/element/src/index.ts'), formats: ['es'], fileName: 'attention-moa' },
      },
      worker: { format: 'es' },
    };
  }
  if (mode === 'demo') {
    return {
      root: here('./demo'),
      base: './', // static hosting from any sub-path
      resolve: { alias },
      build: { outDir: here('./dist/demo'), emptyOutDir: true, target: 'es2022' },
      worker: { format: 'es' },
    };
  }
  // Dev / test server: serves test pages from the repo root. 'mpa' so missing files are real 404s.
  return {
    appType: 'mpa',
    resolve: { alias },
    server: { host: '127.0.0.1', strictPort: true },
    worker: { format: 'es' },
    test: {
      include: ['test/unit/**/*.test.ts'],
      environment: 'node',
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/unit.json' },
    },
  };
});
