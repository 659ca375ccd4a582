/**
 * The agent worker as Vite builds it in advance from source (see default-worker.ts for why there are two):
 * its URL is known here, so a page loading the library from another origin can start it through a blob bootstrap.
 */
import workerUrl from './agent-worker.ts?worker&url';

export const builtWorkerUrl: string | undefined = workerUrl;

export function startDefaultWorker(options: WorkerOptions): Worker {
  return new Worker(new URL(workerUrl, globalThis.location?.href), { ...options, type: 'module' });
}
