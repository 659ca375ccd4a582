// A module worker exposing the platform pieces the library stands on: comlink calls,
// proxied callbacks, idb-keyval inside a worker, and WebGPU from a worker.
import * as Comlink from 'comlink';
import { createStore, get, set } from 'idb-keyval';

const store = createStore('attention-moa-platform-probe', 'kv');

const api = {
  echo<T>(value: T): T {
    return value;
  },
  /** Calls back into the page `count` times through a Comlink.proxy'd function, awaiting each call. */
  async countTo(count: number, onTick: (n: number) => void | Promise<void>): Promise<number> {
    for (let i = 1; i <= count; i++) await onTick(i);
    return count;
  },
  async put(key: string, value: unknown): Promise<void> {
    await set(key, value, store);
  },
  async read(key: string): Promise<unknown> {
    return get(key, store);
  },
  async gpuAdapter(): Promise<{ vendor: string; architecture: string; f16: boolean } | null> {
    const gpu = (self.navigator as Navigator).gpu;
    if (!gpu) return null;
    const adapter = await gpu.requestAdapter();
    if (!adapter) return null;
    return { vendor: adapter.info.vendor, architecture: adapter.info.architecture, f16: adapter.features.has('shader-f16') };
  },
};

export type PlatformWorkerApi = typeof api;
Comlink.expose(api);
