import * as Comlink from 'comlink';
import {
  chooseBackend,
  chooseThreadCount,
  deleteCachedModel,
  hasCachedModel,
  listCachedModels,
  probeGpu,
  type BackendOptions,
  type WllamaSpec,
} from '@attention-moa/core';
import type { LoadProgress } from '../../../packages/core/src/engine/hosted-engine.js';
import type { WllamaEngineWorkerApi } from './wllama-engine-worker';

/** One agent worker per engine, like the runtime's pool. */
function spawn() {
  const worker = new Worker(new URL('./wllama-engine-worker.ts', import.meta.url), { type: 'module' });
  return { worker, api: Comlink.wrap<WllamaEngineWorkerApi>(worker) };
}

const workers: ReturnType<typeof spawn>[] = [];

const harness = {
  /** Starts a worker and loads a model in it; returns the worker's index. */
  async load(spec: Omit<WllamaSpec, 'model'> & { model: string | { blobFrom: string; name?: string } }) {
    const w = spawn();
    workers.push(w);
    const index = workers.length - 1;
    const progress: LoadProgress[] = [];
    let model: string | Blob = spec.model as string;
    if (typeof spec.model === 'object') {
      const blob = await (await fetch(spec.model.blobFrom)).blob();
      model = new File([blob], spec.model.name ?? 'picked.gguf');
    }
    const result = await w.api.load({ ...spec, model }, Comlink.proxy((p: LoadProgress) => void progress.push(p)));
    return { index, progress, ...result };
  },
  chat: (index: number, ...args: Parameters<WllamaEngineWorkerApi['chat']>) => workers[index]!.api.chat(...args),
  stats: (index: number) => workers[index]!.api.stats(),
  unload: (index: number) => workers[index]!.api.unload(),
  terminate(index: number) {
    workers[index]!.worker.terminate();
  },
  /** Cache functions on a worker that has no engine (the runtime's cache listing runs anywhere). */
  async listCache() {
    const w = spawn();
    try {
      return await w.api.listCache();
    } finally {
      w.worker.terminate();
    }
  },
  async deleteCached(url: string) {
    const w = spawn();
    try {
      return await w.api.deleteCached(url);
    } finally {
      w.worker.terminate();
    }
  },
  /** The runtime's cache API (the one WebLLM models use), on the page. */
  runtimeCache: {
    list: async () => JSON.parse(JSON.stringify(await listCachedModels())) as Awaited<ReturnType<typeof listCachedModels>>,
    has: (idOrUrl: string) => hasCachedModel(idOrUrl),
    delete: (idOrUrl: string) => deleteCachedModel(idOrUrl),
  },
  /** The runtime's decision for one agent, from this browser's real WebGPU and isolation. */
  async chooseBackend(options: BackendOptions) {
    const gpu = await probeGpu();
    const choice = chooseBackend({ preference: 'auto', options, gpu });
    const threads = chooseThreadCount({ crossOriginIsolated: globalThis.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, wasmEngines: 4 });
    return { gpu, choice, threads };
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
document.getElementById('status')!.textContent = 'ready';
