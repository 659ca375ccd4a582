/// <reference types="vitest/config" />
import { defineConfig, type UserConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Source aliases: tests, the demo and the dev server run against the packages' sources,
// so nothing needs building first. Library builds resolve the same way, then externalize.
const alias = [
  { find: /^@attention-moa\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@attention-moa\/core\/lite$/, replacement: here('./packages/core/src/lite.ts') },
  { find: /^@attention-moa\/element$/, replacement: here('./packages/element/src/index.ts') },
];

/** Library builds' workers: the worker's copy of the wllama wasm lands on the page bundle's file (same name, same
 *  bytes, at the package root), so a package carries one 10 MB wasm, not two. */
const libraryWorker: UserConfig['worker'] = {
  format: 'es',
  rolldownOptions: { output: { assetFileNames: (asset) => (asset.names.some((n) => n.endsWith('.wasm')) ? '[name][extname]' : 'assets/[name]-[hash][extname]') } },
};

/** One config, one mode per artifact: `vite build --mode core|element|demo`; no mode = dev/test server. */
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'core') {
    return {
      // Relative asset URLs (new URL('assets/…', import.meta.url)): the agent worker and the wllama wasm are found next to index.js
      // wherever the package is served from, not at the site root.
      base: './',
      resolve: { alias },
      build: {
        outDir: here('./packages/core/dist'),
        emptyOutDir: true,
        sourcemap: true,
        target: 'es2022',
        // Two entries: the whole API (index.js) and `@attention-moa/core/lite` (lite.js: what a page needs before any
        // question, loaded without the protocol or the runtime).
        lib: {
          entry: { index: here('./packages/core/src/index.ts'), lite: here('./packages/core/src/lite.ts') },
          formats: ['es'],
          fileName: (_format, name) => `${name}.js`,
        },
        rolldownOptions: {
          // A library leaves its dependencies to the app's bundler; workers bundle their own.
          // `?url` imports stay in: the wllama wasm ships as an asset of this package (no CDN at run time).
          external: [/^comlink/, /^idb-keyval/, /^@mlc-ai\/web-llm/, /^@wllama\/wllama(?!.*\?url)/],
        },
      },
      worker: libraryWorker,
    };
  }
  if (mode === 'element') {
    return {
      // As for core: the agent worker (and the wllama wasm) are found next to attention-moa.js wherever (and on whatever origin) it is served.
      base: './',
      resolve: { alias },
      build: {
        outDir: here('./packages/element/dist'),
        emptyOutDir: true,
        sourcemap: true,
        target: 'es2022',
        // Served as is from a CDN: fully minified (lib mode's ES default keeps whitespace).
        rolldownOptions: { output: { minify: true } },
        // Self-contained: a page with no build step loads attention-moa.js (Lit and the element; the protocol,
        // runtime and Markdown parser are chunks it imports on first use), and core.js when it wants core's API
        // itself (engines, AttentionMoA): the same chunks the element loads, so nothing is fetched twice.
        lib: {
          entry: { 'attention-moa': here('./packages/element/src/index.ts'), core: here('./packages/core/src/index.ts') },
          formats: ['es'],
          fileName: (_format, name) => `${name}.js`,
        },
      },
      worker: libraryWorker,
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
  if (mode === 'bench') {
    // Benchmark pages (bench/pages/*.html → dist/bench), built in production mode like an app using the library.
    const pages = readdirSync(here('./bench/pages')).filter((f) => f.endsWith('.html'));
    return {
      root: here('./bench/pages'),
      base: './',
      resolve: { alias },
      build: {
        outDir: here('./dist/bench'),
        emptyOutDir: true,
        target: 'es2022',
        rolldownOptions: { input: Object.fromEntries(pages.map((f) => [f.replace(/\.html$/, ''), here(`./bench/pages/${f}`)])) },
      },
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
