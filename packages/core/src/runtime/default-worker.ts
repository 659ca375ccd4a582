/**
 * How the library starts its agent worker when the page gives no `workerUrl`: as a page author's bundler sees it.
 *
 * The published package is plain ES modules, and this is the one form every bundler recognises as "a worker entry,
 * bundle it with everything it imports": `new Worker(new URL('./file.js', import.meta.url), { type: 'module' })`,
 * written out literally (Vite, webpack 5, Parcel, Rollup with its worker plugin). The app's bundler then emits the
 * worker and its lazily imported chunks (one per engine kind) with the app's own files. The URL stays the bundler's:
 * the worker reports it once it answers (see WorkerEngine.url).
 *
 * Builds of this repository made by Vite from source (dev server, demo, the element's self-contained file) use
 * default-worker-prebuilt.ts instead (vite.config.ts swaps it in): there the worker is built in advance and its URL
 * is known, which the blob bootstrap for a script from another origin (a CDN) needs.
 */
export const builtWorkerUrl: string | undefined = undefined;

export function startDefaultWorker(options: WorkerOptions): Worker {
  return new Worker(new URL('./agent-worker.js', import.meta.url), { ...options, type: 'module' });
}
