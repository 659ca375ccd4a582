import * as Comlink from 'comlink';
import type { PlatformWorkerApi } from './platform-worker';

const worker = new Worker(new URL('./platform-worker.ts', import.meta.url), { type: 'module' });
const api = Comlink.wrap<PlatformWorkerApi>(worker);

async function pageAdapter() {
  if (!('gpu' in navigator)) return { error: 'navigator.gpu is missing (not a secure context, or WebGPU disabled)' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { error: 'navigator.gpu.requestAdapter() returned null: launch Chromium with --enable-unsafe-webgpu' };
  return { vendor: adapter.info.vendor, architecture: adapter.info.architecture, f16: adapter.features.has('shader-f16') };
}

const probe = {
  echo: (v: unknown) => api.echo(v),
  async countTo(n: number) {
    const ticks: number[] = [];
    const result = await api.countTo(n, Comlink.proxy((i: number) => void ticks.push(i)));
    return { result, ticks };
  },
  put: (k: string, v: unknown) => api.put(k, v),
  read: (k: string) => api.read(k),
  pageAdapter,
  workerAdapter: () => api.gpuAdapter(),
};

declare global {
  interface Window {
    probe: typeof probe;
  }
}
window.probe = probe;
document.getElementById('status')!.textContent = 'ready';
