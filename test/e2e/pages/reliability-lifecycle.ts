// Harness for the model-lifecycle faults (issue 18): a GGUF download cut off mid-body, and models loaded and unloaded
// many times. Real agent workers; real llama.cpp for the GGUF model, scripted engines where only the runtime counts.
import { EnginePool, listWllamaCache, type EngineSpec, type PoolEvent } from '@attention-moa/core';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const json = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as Json;
const errorInfo = (e: unknown) => ({ name: (e as Error)?.name ?? String(e), message: (e as Error)?.message ?? String(e), code: (e as { code?: string })?.code ?? null });

const unhandled: string[] = [];
addEventListener('unhandledrejection', (event) => unhandled.push(`unhandledrejection: ${errorInfo(event.reason).message}`));

/** One request read to the end. */
async function ask(pool: EnginePool, key: string, max = 8): Promise<string> {
  const stream = await pool.engine(key).chat.completions.create({ messages: [{ role: 'user', content: 'Hello there' }], stream: true, max_tokens: max }, { call: { role: 'propose', layer: 1, agent: key } } as never);
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

/** Every file in the OPFS directory wllama caches into (model files and their metadata), with sizes. */
async function opfsCacheFiles(): Promise<{ name: string; size: number }[]> {
  const root = await navigator.storage.getDirectory();
  let dir: FileSystemDirectoryHandle;
  try {
    dir = await root.getDirectoryHandle('cache');
  } catch {
    return [];
  }
  const out: { name: string; size: number }[] = [];
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'file') out.push({ name, size: (await (handle as FileSystemFileHandle).getFile()).size });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const life = {
  unhandled: () => unhandled.slice(),

  async clearCache() {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('cache', { recursive: true }).catch(() => undefined);
    return true;
  },

  /** Loads a GGUF model from `url` into a pool, asks once, disposes. Reports what the user would see, and the cache. */
  async loadGguf(url: string) {
    const events: Json[] = [];
    const pool = new EnginePool({
      models: { m: { kind: 'wllama', model: url, modelId: 'tiny-agent-a' } },
      onEvent: (e: PoolEvent) => {
        if (e.type === 'load-failed') events.push({ type: e.type, error: errorInfo(e.error) });
        else if (e.type === 'loaded') events.push({ type: e.type });
      },
    });
    let result: Json;
    try {
      await pool.load();
      result = { text: await ask(pool, 'm') };
    } catch (error) {
      result = { error: errorInfo(error) };
    }
    await pool.dispose();
    return { result, events, cache: json(await listWllamaCache()), files: await opfsCacheFiles() };
  },

  /**
   * `n` times: a pool is made, its models loaded, one request answered, the pool disposed (every worker ended).
   * `swap`: one pool whose two models do not fit together instead, asked in turn, so each request unloads one
   * model and loads the other (the pool's swap mode).
   */
  async cycles(n: number, options: { kind: 'scripted' | 'wllama'; swap?: boolean; url?: string }) {
    const spec = (name: string): EngineSpec => options.kind === 'wllama'
      ? { kind: 'wllama', model: options.url!, modelId: name, vramMB: 600 }
      : { kind: 'scripted', script: { model: name, rules: [{ reply: `${name} answers.` }] }, vramMB: 600 };
    let answered = 0;
    const problems: string[] = [];
    let live = 0;
    let maxLive = 0;
    const createWorker = (url: URL, workerOptions: WorkerOptions) => {
      const worker = new Worker(url, workerOptions);
      live++;
      maxLive = Math.max(maxLive, live);
      const terminate = worker.terminate.bind(worker);
      worker.terminate = () => {
        live--;
        terminate();
      };
      return worker;
    };
    if (options.swap) {
      const pool = new EnginePool({ models: { a: spec('a'), b: spec('b') }, memoryBudgetMB: 1000, swapIdleMs: 0, createWorker });
      await pool.load();
      for (let i = 0; i < n; i++) {
        const key = i % 2 ? 'b' : 'a';
        const text = await ask(pool, key).catch((e) => `failed: ${errorInfo(e).message}`);
        if (options.kind === 'scripted' ? text === `${key} answers.` : text.length > 0 && !text.startsWith('failed')) answered++;
        else problems.push(`${i}: ${text}`);
      }
      const loads = pool.status().reduce((sum, s) => sum + s.loads, 0);
      await pool.dispose();
      return { answered, problems, loads, live, maxLive };
    }
    for (let i = 0; i < n; i++) {
      const pool = new EnginePool({ models: { a: spec('a') }, createWorker });
      await pool.load();
      const text = await ask(pool, 'a').catch((e) => `failed: ${errorInfo(e).message}`);
      if (options.kind === 'scripted' ? text === 'a answers.' : text.length > 0 && !text.startsWith('failed')) answered++;
      else problems.push(`${i}: ${text}`);
      await pool.dispose();
    }
    return { answered, problems, loads: n, live, maxLive };
  },
};

declare global {
  interface Window {
    life: typeof life;
  }
}
window.life = life;
document.getElementById('status')!.textContent = 'ready';
