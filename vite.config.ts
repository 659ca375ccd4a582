/// <reference types="vitest/config" />
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Source aliases: tests, the demo, the dev server and the element's self-contained file build from the packages'
// sources, so nothing needs building first. (The npm packages' modules are compiled by tsc, file for file.)
const alias = [
  { find: /^@attention-moa\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@attention-moa\/core\/lite$/, replacement: here('./packages/core/src/lite.ts') },
  { find: /^@attention-moa\/core\/protocol$/, replacement: here('./packages/core/src/protocol.ts') },
  { find: /^@attention-moa\/element$/, replacement: here('./packages/element/src/index.ts') },
  { find: /^@attention-moa\/element\/inert-markdown$/, replacement: here('./packages/element/src/markdown/inert-markdown.ts') },
  // Builds from source start the agent worker prebuilt, with a known URL (see runtime/default-worker.ts): the
  // published modules leave that worker to the page author's bundler instead.
  { find: /^\.\/default-worker\.js$/, replacement: here('./packages/core/src/runtime/default-worker-prebuilt.ts') },
];

/** Library mode inlines every asset as base64, the 10 MB llama.cpp wasm too, unless its URL says `?no-inline`: the
 *  self-contained build asks for that here, so the sources stay free of Vite-only queries (see engine/wllama.ts). */
const wasmAsFile: Plugin = {
  name: 'attention-moa:wasm-as-file',
  enforce: 'pre',
  transform(code, id) {
    if (!id.includes('/packages/core/src/') || !code.includes("'@wllama/wllama/esm/wasm/wllama.wasm'")) return null;
    // Same line, same columns up to the string's end: the identity map stays true.
    return { code: code.replace("'@wllama/wllama/esm/wasm/wllama.wasm'", "'@wllama/wllama/esm/wasm/wllama.wasm?no-inline'"), map: null };
  },
};

/**
 * The self-contained build bundles other packages (Lit, marked, comlink, idb-keyval, web-llm, wllama and its wasm);
 * minified, their license comments are gone, so their notices ship as one file next to it. The packages are read off
 * the modules actually bundled (page and workers), so the list cannot drift from the build.
 */
function thirdPartyNotices(): { collect: Plugin; emit: Plugin } {
  const packages = new Set<string>();
  const collect: Plugin = {
    name: 'attention-moa:collect-packages',
    transform(_code, id) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replace(/\\/g, '/'));
      if (m) packages.add(m[1]!);
      return null;
    },
  };
  const emit: Plugin = {
    name: 'attention-moa:third-party-notices',
    generateBundle() {
      const sections = [...packages].sort().map((name) => {
        const dir = here(`./node_modules/${name}/`);
        const pkg = JSON.parse(readFileSync(`${dir}package.json`, 'utf8')) as { version: string; license?: string };
        const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
        const text = file ? readFileSync(`${dir}${file}`, 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
        return `${name}@${pkg.version} (${pkg.license ?? 'unknown'})\n${'-'.repeat(72)}\n${text}`;
      });
      const source = `Third-party software bundled in attention-moa.js and the files next to it (dist/), with their licenses.\n\n${sections.join('\n\n\n')}\n`;
      this.emitFile({ type: 'asset', fileName: 'THIRD-PARTY-NOTICES.txt', source });
    },
  };
  return { collect, emit };
}
const notices = thirdPartyNotices();

/** The self-contained build's workers: the worker's copy of the wllama wasm lands on the page bundle's file (same name, same
 *  bytes, at the package root), so a package carries one 10 MB wasm, not two. */
const libraryWorker: UserConfig['worker'] = {
  format: 'es',
  plugins: () => [wasmAsFile, notices.collect],
  rolldownOptions: { output: { assetFileNames: (asset) => (asset.names.some((n) => n.endsWith('.wasm')) ? '[name][extname]' : 'assets/[name]-[hash][extname]') } },
};

/** One config, one mode per artifact: `vite build --mode element|demo|bench`; no mode = dev/test server. */
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'element') {
    return {
      // Relative asset URLs (new URL('assets/…', import.meta.url)): the agent worker and the wllama wasm are found next
      // to attention-moa.js wherever (and on whatever origin) it is served.
      base: './',
      resolve: { alias },
      plugins: [wasmAsFile, notices.collect, notices.emit],
      build: {
        outDir: here('./packages/element/dist'),
        emptyOutDir: true,
        // Maps for the bundle analysis (bench), without a sourceMappingURL comment: the published package leaves them
        // out (their sources point into this repository), and a browser must not go looking for them.
        sourcemap: 'hidden',
        target: 'es2022',
        // Served as is from a CDN: fully minified (lib mode's ES default keeps whitespace).
        rolldownOptions: { output: { minify: true } },
        // Self-contained: a page with no build step loads attention-moa.js (Lit and the element; the protocol,
        // runtime and Markdown parser are chunks it imports on first use), and core.js when it wants core's API
        // itself (engines, AttentionMoA): the same chunks the element loads, so nothing is fetched twice.
        lib: {
          // inert-markdown.js: `inertMarkdown` (marked's lexer) for pages that export answers, outside the page chunk.
          entry: {
            'attention-moa': here('./packages/element/src/index.ts'),
            core: here('./packages/core/src/index.ts'),
            'inert-markdown': here('./packages/element/src/markdown/inert-markdown.ts'),
          },
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
    // Dependencies imported only on demand (the highlighter and math chunks): pre-bundled at startup, so the first
    // answer with code or a formula does not make the dev server re-optimize and reload the page mid-test.
    optimizeDeps: { include: ['katex', 'refractor/core', ...['bash', 'c', 'cpp', 'css', 'diff', 'go', 'java', 'javascript', 'json', 'markdown', 'markup', 'python', 'rust', 'sql', 'typescript', 'yaml'].map((l) => `refractor/${l}`)] },
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
