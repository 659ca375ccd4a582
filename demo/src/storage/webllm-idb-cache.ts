/**
 * Reads and deletes models in WebLLM's IndexedDB cache (`cacheBackend: 'indexeddb'`), without importing WebLLM.
 *
 * The layout of @mlc-ai/web-llm 0.2.86 (ArtifactIndexedDBCache): one database per scope, "webllm/model",
 * "webllm/config" and "webllm/wasm", version 1, each with an object store "urls" keyed by `url`, whose values are
 * `{ url, data }`. A model's weights, tensor-cache.json and tokenizer are keyed by URLs under its model URL
 * (…/resolve/main/); tensor-cache.json lists each shard's `dataPath` and `nbytes`, which gives sizes without reading
 * gigabytes. The config is keyed under the model URL too; the wasm by the record's model_lib URL.
 */
import { MODELS, type ModelInfo } from '../catalog/model-catalog.js';

export const WEBLLM_DB = { model: 'webllm/model', config: 'webllm/config', wasm: 'webllm/wasm' } as const;
const STORE = 'urls';
const MANIFEST = 'tensor-cache.json';

export interface CachedModel {
  /** The catalog ids stored under this URL (an id and its -1k variant share weights). */
  ids: string[];
  url: string;
  /** Bytes stored: weight shards (from the manifest), tokenizer, config and wasm. */
  bytes: number;
  /** Every shard the manifest lists is present. */
  complete: boolean;
  files: number;
}

async function databaseExists(name: string): Promise<boolean> {
  if (!indexedDB.databases) return true; // cannot tell: opening creates it with the same layout WebLLM expects
  return (await indexedDB.databases()).some((d) => d.name === name);
}

/** Opens a WebLLM scope database exactly as WebLLM does (same version, same store), so WebLLM can open it later. */
function open(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'url' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Could not open IndexedDB database ${name}`));
    request.onblocked = () => reject(new Error(`IndexedDB database ${name} is blocked by another tab; close other tabs of this demo and retry.`));
  });
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withDb<T>(name: string, fn: (db: IDBDatabase) => Promise<T>, fallback: T): Promise<T> {
  if (!(await databaseExists(name))) return fallback;
  const db = await open(name);
  try {
    if (!db.objectStoreNames.contains(STORE)) return fallback;
    return await fn(db);
  } finally {
    db.close();
  }
}

const keysOf = (db: IDBDatabase) => done(db.transaction(STORE).objectStore(STORE).getAllKeys()).then((k) => k.map(String));
const valueOf = (db: IDBDatabase, url: string) =>
  done(db.transaction(STORE).objectStore(STORE).get(url)) as Promise<{ url: string; data: unknown } | undefined>;

function byteLength(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof Blob) return data.size;
  if (typeof data === 'string') return data.length;
  if (data && typeof data === 'object') return JSON.stringify(data).length;
  return 0;
}

/** The model URL a cached file belongs to: the catalog's when known, else the URL up to /resolve/<rev>/. */
function modelUrlOf(fileUrl: string, known: string[]): string | undefined {
  const hit = known.find((u) => fileUrl.startsWith(u));
  if (hit) return hit;
  const m = /^(.*\/resolve\/[^/]+\/)/.exec(fileUrl);
  return m?.[1];
}

export async function listCachedModels(catalog: readonly ModelInfo[] = MODELS): Promise<CachedModel[]> {
  const knownUrls = [...new Set(catalog.map((m) => m.url))];
  const groups = new Map<string, { files: string[] }>();
  const weights = await withDb(
    WEBLLM_DB.model,
    async (db) => {
      const keys = await keysOf(db);
      for (const key of keys) {
        const url = modelUrlOf(key, knownUrls);
        if (!url) continue;
        const g = groups.get(url) ?? { files: [] };
        g.files.push(key);
        groups.set(url, g);
      }
      const sizes = new Map<string, { bytes: number; complete: boolean }>();
      for (const [url, g] of groups) {
        const present = new Set(g.files);
        let bytes = 0;
        let complete = false;
        const manifest = (await valueOf(db, url + MANIFEST))?.data as { records?: { dataPath: string; nbytes: number }[] } | undefined;
        if (manifest?.records) {
          complete = manifest.records.every((r) => present.has(new URL(r.dataPath, url).href));
          for (const r of manifest.records) if (present.has(new URL(r.dataPath, url).href)) bytes += r.nbytes;
        }
        // Small files (tokenizer, manifest) are measured directly; shards are not read (they are hundreds of MB).
        const shardUrls = new Set((manifest?.records ?? []).map((r) => new URL(r.dataPath, url).href));
        for (const f of g.files) if (!shardUrls.has(f)) bytes += byteLength((await valueOf(db, f))?.data);
        sizes.set(url, { bytes, complete });
      }
      return sizes;
    },
    new Map<string, { bytes: number; complete: boolean }>(),
  );
  const extra = await withDb(
    WEBLLM_DB.config,
    async (db) => {
      const sizes = new Map<string, number>();
      for (const key of await keysOf(db)) {
        const url = modelUrlOf(key, knownUrls);
        if (url && groups.has(url)) sizes.set(url, (sizes.get(url) ?? 0) + byteLength((await valueOf(db, key))?.data));
      }
      return sizes;
    },
    new Map<string, number>(),
  );
  const wasm = await withDb(
    WEBLLM_DB.wasm,
    async (db) => {
      const sizes = new Map<string, number>();
      for (const key of await keysOf(db)) sizes.set(key, byteLength((await valueOf(db, key))?.data));
      return sizes;
    },
    new Map<string, number>(),
  );
  const result: CachedModel[] = [];
  for (const [url, g] of groups) {
    const records = catalog.filter((m) => m.url === url);
    const libs = new Set(records.map((m) => m.lib));
    const wasmBytes = [...libs].reduce((n, lib) => n + (wasm.get(lib) ?? 0), 0);
    const w = weights.get(url) ?? { bytes: 0, complete: false };
    result.push({
      ids: records.length ? records.map((m) => m.id) : [url.replace(/\/resolve\/[^/]+\/$/, '').split('/').pop() ?? url],
      url,
      bytes: w.bytes + (extra.get(url) ?? 0) + wasmBytes,
      complete: w.complete,
      files: g.files.length,
    });
  }
  return result.sort((a, b) => b.bytes - a.bytes);
}

async function deleteKeys(name: string, match: (key: string) => boolean): Promise<number> {
  return withDb(
    name,
    async (db) => {
      const doomed = (await keysOf(db)).filter(match);
      if (!doomed.length) return 0;
      const tx = db.transaction(STORE, 'readwrite');
      for (const key of doomed) tx.objectStore(STORE).delete(key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
      });
      return doomed.length;
    },
    0,
  );
}

/** Deletes everything WebLLM stored for the model at `url`: weights, tokenizer, config and its wasm. */
export async function deleteCachedModel(url: string, catalog: readonly ModelInfo[] = MODELS): Promise<number> {
  const libs = new Set(catalog.filter((m) => m.url === url).map((m) => m.lib));
  const removed =
    (await deleteKeys(WEBLLM_DB.model, (k) => k.startsWith(url))) +
    (await deleteKeys(WEBLLM_DB.config, (k) => k.startsWith(url))) +
    (await deleteKeys(WEBLLM_DB.wasm, (k) => libs.has(k)));
  return removed;
}

export async function deleteAllCachedModels(): Promise<number> {
  let removed = 0;
  for (const name of Object.values(WEBLLM_DB)) removed += await deleteKeys(name, () => true);
  return removed;
}
