/**
 * The model cache: what WebLLM (with `cacheBackend: 'indexeddb'`) stored in IndexedDB, read without loading
 * web-llm, plus a small registry (idb-keyval) of which model ids were loaded, their size and when last used.
 *
 * WebLLM 0.2.86 keeps one IndexedDB database per scope, each with one object store `urls` (keyPath `url`) of
 * `{ url, data }` records: `webllm/model` (the weights manifest `tensor-cache.json` as JSON, the weight shards and
 * tokenizer files as ArrayBuffers), `webllm/config` (`mlc-chat-config.json`) and `webllm/wasm` (model libraries).
 * Several ids can share one set of weights (the `-1k` builds use the 4k builds' weights).
 *
 * The WASM engine's GGUF files (wllama's OPFS cache, see engine/wllama/wllama-cache.ts) are listed, checked and deleted
 * through the same functions: their entries have `engine: 'wllama'`, and are named by GGUF URL or file name.
 */
import { clear, createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { isRuntimeError, runtimeError } from '../engine/errors.js';
import { cleanModelUrl, type AppConfigLike, type ModelRecordLike } from '../engine/model-record.js';
import { deleteWllamaCached, listWllamaCache } from '../engine/wllama/wllama-cache.js';

export const WEBLLM_CACHE_DATABASES = { model: 'webllm/model', config: 'webllm/config', wasm: 'webllm/wasm' } as const;
const STORE = 'urls';
const REGISTRY_DB = 'attention-moa-cache';
const REGISTRY_STORE = 'models';

/** One registry row: a model id this library loaded. */
export interface RegistryEntry {
  modelId: string;
  /** WebLLM's base URL of the weights (`…/resolve/main/`). */
  modelUrl: string;
  libUrl: string;
  /** Cached bytes for this model as last measured (weights, tokenizer, config and library). */
  sizeBytes?: number;
  firstLoaded: number;
  lastUsed: number;
}

/** A set of cached weights and the files that go with it. */
export interface CachedModel {
  /** Which engine's cache holds it: WebLLM's (IndexedDB) or the WASM engine's GGUF files (OPFS, `modelUrl` = the
   *  GGUF URL, `modelId` = its file name, everything counted as weights). */
  engine?: 'wllama';
  /** The id most recently used with these weights (or the first known one). */
  modelId: string;
  /** Every known id that uses these weights. */
  modelIds: string[];
  modelUrl: string;
  /** All cached bytes: weights + tokenizer + config + libraries. */
  sizeBytes: number;
  /** weights: the shards and their manifest (tensor-cache.json); tokenizer: tokenizer files and anything else
   *  under the model URL; config: mlc-chat-config.json; library: the model's .wasm. */
  parts: { weights: number; tokenizer: number; config: number; library: number };
  files: number;
  /** Every weight shard listed in tensor-cache.json is present (what WebLLM's hasModelInCache checks). */
  complete: boolean;
  lastUsed?: number;
}

export interface CacheOptions {
  /** Your own model list, for ids that are not in WebLLM's prebuilt list. */
  appConfig?: AppConfigLike;
}

let registryStore: UseStore | undefined;
function registry(): UseStore {
  return (registryStore ??= createStore(REGISTRY_DB, REGISTRY_STORE));
}

/** Names of the DOMExceptions a refused or broken IndexedDB raises (Chromium, Firefox, Safari). */
const UNAVAILABLE = new Set(['SecurityError', 'InvalidStateError', 'UnknownError', 'VersionError', 'InvalidAccessError', 'NotAllowedError']);

/**
 * IndexedDB failures as typed errors: a full disk is QUOTA_EXCEEDED, a refused or broken database
 * STORAGE_UNAVAILABLE (both say what to do). Anything else passes through as it is.
 */
function storageError(error: unknown, action: string): unknown {
  if (isRuntimeError(error)) return error;
  const e = error as { name?: unknown; message?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const details = { causeName: name || 'Error', causeMessage: message };
  if (name === 'QuotaExceededError') {
    return runtimeError('QUOTA_EXCEEDED', details, {
      cause: error,
      message: `The browser's storage is full, so ${action} failed; what was stored before is kept. Delete cached models you no longer need (deleteCachedModel / deleteAllCachedModels), free disk space, or ask for persistent storage (requestPersistentStorage()).`,
    });
  }
  if (UNAVAILABLE.has(name) || typeof indexedDB === 'undefined') return runtimeError('STORAGE_UNAVAILABLE', details, { cause: error });
  return error;
}

/** Runs a storage operation, turning IndexedDB's failures into typed errors. */
async function guarded<T>(action: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storageError(error, action);
  }
}

// ---- raw IndexedDB access, schema-compatible with WebLLM ----------------------------------------

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Opens a WebLLM cache database, creating it exactly as WebLLM would (version 1, store `urls`, keyPath `url`). */
function openCacheDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'url' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withDb<T>(name: string, fn: (db: IDBDatabase) => Promise<T>): Promise<T> {
  const db = await openCacheDb(name);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

async function keysOf(name: string): Promise<string[]> {
  return withDb(name, async (db) => (await request(db.transaction(STORE, 'readonly').objectStore(STORE).getAllKeys())).map(String));
}

async function valueOf(db: IDBDatabase, url: string): Promise<unknown> {
  const record = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(url))) as { data?: unknown } | undefined;
  return record?.data;
}

function byteSize(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data === undefined || data === null) return 0;
  return new TextEncoder().encode(typeof data === 'string' ? data : JSON.stringify(data)).byteLength;
}

async function sizesOf(name: string, urls: string[]): Promise<number> {
  if (!urls.length) return 0;
  return withDb(name, async (db) => {
    let total = 0;
    for (const url of urls) total += byteSize(await valueOf(db, url));
    return total;
  });
}

async function deleteUrls(name: string, urls: string[]): Promise<number> {
  if (!urls.length) return 0;
  return withDb(name, (db) => new Promise<number>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const url of urls) store.delete(url);
    tx.oncomplete = () => resolve(urls.length);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

interface Manifest {
  records?: { dataPath: string; nbytes: number }[];
}

// ---- model records ------------------------------------------------------------------------------

async function knownRecords(options: CacheOptions): Promise<ModelRecordLike[]> {
  if (options.appConfig) return options.appConfig.model_list;
  const { WEBLLM_PREBUILT_MODELS } = await import('../engine/webllm/webllm-catalog.js');
  return [...WEBLLM_PREBUILT_MODELS];
}

async function registryEntries(): Promise<RegistryEntry[]> {
  return (await entries<string, RegistryEntry>(registry())).map(([, value]) => value);
}

async function recordFor(modelId: string, options: CacheOptions): Promise<{ modelUrl: string; libUrl: string; manifest?: string }> {
  const record = (await knownRecords(options)).find((r) => r.model_id === modelId);
  if (record) return { modelUrl: cleanModelUrl(record.model), libUrl: record.model_lib, ...(record.model_manifest ? { manifest: record.model_manifest } : {}) };
  const entry = (await registryEntries()).find((e) => e.modelId === modelId);
  if (entry) return { modelUrl: entry.modelUrl, libUrl: entry.libUrl };
  throw runtimeError('UNKNOWN_MODEL', { model: modelId }, {
    message: `Unknown model id "${modelId}": it is neither in WebLLM's prebuilt list, nor in the cache registry, nor in the given appConfig. Pass { appConfig } for custom models.`,
  });
}

/** Notes that a model was loaded (called by the pool after every successful WebLLM load). */
export async function recordModelUse(record: Pick<ModelRecordLike, 'model' | 'model_id' | 'model_lib'>, now = Date.now()): Promise<void> {
  return guarded(`recording ${record.model_id} in the model registry`, async () => {
    const modelUrl = cleanModelUrl(record.model);
    const previous = (await registryEntries()).find((e) => e.modelId === record.model_id);
    const entry: RegistryEntry = { modelId: record.model_id, modelUrl, libUrl: record.model_lib, firstLoaded: previous?.firstLoaded ?? now, lastUsed: now };
    const cached = (await listCachedModels()).find((m) => m.modelUrl === modelUrl);
    if (cached) entry.sizeBytes = cached.sizeBytes;
    await set(record.model_id, entry, registry());
  });
}

/** The registry rows (model id, size, first and last use). */
export async function listRegistry(): Promise<RegistryEntry[]> {
  return guarded('reading the model registry', async () => {
    return (await registryEntries()).sort((a, b) => b.lastUsed - a.lastUsed);
  });
}

// ---- public API ---------------------------------------------------------------------------------

/** Lists every set of cached weights with its size, completeness and the ids that use it. */
export async function listCachedModels(options: CacheOptions = {}): Promise<CachedModel[]> {
  return guarded('listing cached models', async () => {
    return [...(await listWebLLMCache(options)), ...(await listGgufCache())];
  });
}

/** The WASM engine's cached GGUF files, in the same shape. */
async function listGgufCache(): Promise<CachedModel[]> {
  return (await listWllamaCache()).map((e) => {
    const name = decodeURIComponent(new URL(e.url).pathname.split('/').pop() || e.url);
    return {
      engine: 'wllama' as const,
      modelId: name,
      modelIds: [name],
      modelUrl: e.url,
      sizeBytes: e.bytes,
      parts: { weights: e.bytes, tokenizer: 0, config: 0, library: 0 },
      files: 1,
      complete: e.complete,
    };
  });
}

/** GGUF URLs and file names are the WASM engine's; never WebLLM ids. */
const GGUF_NAME = /\.gguf(?:\?.*)?$/i;

/** A cached GGUF named by its URL or file name, if there is one. */
async function ggufEntry(idOrUrl: string): Promise<CachedModel | undefined> {
  const gguf = await listGgufCache();
  return gguf.find((m) => m.modelUrl === idOrUrl) ?? gguf.find((m) => m.modelId === idOrUrl);
}

async function listWebLLMCache(options: CacheOptions): Promise<CachedModel[]> {
  const [modelKeys, configKeys, wasmKeys] = await Promise.all([keysOf(WEBLLM_CACHE_DATABASES.model), keysOf(WEBLLM_CACHE_DATABASES.config), keysOf(WEBLLM_CACHE_DATABASES.wasm)]);
  const bases = new Set<string>();
  for (const url of modelKeys) if (url.endsWith('/tensor-cache.json')) bases.add(url.slice(0, -'tensor-cache.json'.length));
  for (const url of configKeys) if (url.endsWith('/mlc-chat-config.json')) bases.add(url.slice(0, -'mlc-chat-config.json'.length));
  if (!bases.size) return [];
  const records = await knownRecords(options);
  const registered = await registryEntries();
  const modelKeySet = new Set(modelKeys);
  const wasmKeySet = new Set(wasmKeys);
  const out: CachedModel[] = [];
  for (const base of [...bases].sort()) {
    const manifest = modelKeySet.has(`${base}tensor-cache.json`)
      ? ((await withDb(WEBLLM_CACHE_DATABASES.model, (db) => valueOf(db, `${base}tensor-cache.json`))) as Manifest | undefined)
      : undefined;
    const shards = (manifest?.records ?? []).map((r) => ({ url: new URL(r.dataPath, base).href, nbytes: r.nbytes }));
    const shardUrls = new Set(shards.map((s) => s.url));
    const presentShards = shards.filter((s) => modelKeySet.has(s.url));
    const manifestUrl = `${base}tensor-cache.json`;
    const otherModelFiles = modelKeys.filter((u) => u.startsWith(base) && !shardUrls.has(u) && u !== manifestUrl);
    const configFiles = configKeys.filter((u) => u.startsWith(base));
    const fromRegistry = registered.filter((e) => e.modelUrl === base || base.startsWith(e.modelUrl));
    const fromRecords = records.filter((r) => {
      const url = cleanModelUrl(r.model);
      return url === base || base.startsWith(url);
    });
    const ids = [...new Set([...fromRegistry.sort((a, b) => b.lastUsed - a.lastUsed).map((e) => e.modelId), ...fromRecords.map((r) => r.model_id)])];
    if (!ids.length) ids.push(/\/([^/]+)\/resolve\//.exec(base)?.[1] ?? base);
    const libs = [...new Set([...fromRegistry.map((e) => e.libUrl), ...fromRecords.map((r) => r.model_lib)])].filter((u) => wasmKeySet.has(u));
    const weights = presentShards.reduce((sum, s) => sum + s.nbytes, 0) + (manifest ? byteSize(manifest) : 0);
    const tokenizer = await sizesOf(WEBLLM_CACHE_DATABASES.model, otherModelFiles);
    const config = await sizesOf(WEBLLM_CACHE_DATABASES.config, configFiles);
    const library = await sizesOf(WEBLLM_CACHE_DATABASES.wasm, libs);
    const lastUsed = fromRegistry.reduce<number | undefined>((max, e) => (max === undefined || e.lastUsed > max ? e.lastUsed : max), undefined);
    out.push({
      modelId: ids[0]!,
      modelIds: ids,
      modelUrl: base,
      sizeBytes: weights + tokenizer + config + library,
      parts: { weights, tokenizer, config, library },
      files: presentShards.length + (manifest ? 1 : 0) + otherModelFiles.length + configFiles.length + libs.length,
      complete: !!manifest && presentShards.length === shards.length,
      ...(lastUsed !== undefined ? { lastUsed } : {}),
    });
  }
  return out;
}

/** True when the model's weights are all cached (the same check as WebLLM's `hasModelInCache`). */
export async function hasCachedModel(modelId: string, options: CacheOptions = {}): Promise<boolean> {
  return guarded(`checking the cache for ${modelId}`, async () => {
    const gguf = await ggufEntry(modelId);
    if (gguf || GGUF_NAME.test(modelId)) return !!gguf?.complete;
    const { modelUrl } = await recordFor(modelId, options);
    return (await listCachedModels(options)).some((m) => m.modelUrl === modelUrl && m.complete);
  });
}

export interface DeleteResult {
  files: number;
  bytes: number;
}

/**
 * Deletes a model's cached weights, tokenizer, config and library, and its registry row. Weights shared with
 * other ids (a `-1k` build and its 4k build) go too, and so do those ids' libraries and registry rows.
 */
export async function deleteCachedModel(modelId: string, options: CacheOptions = {}): Promise<DeleteResult> {
  return guarded(`deleting ${modelId}`, async () => {
    const gguf = await ggufEntry(modelId);
    if (gguf) return { files: (await deleteWllamaCached(gguf.modelUrl)) ? 1 : 0, bytes: gguf.sizeBytes };
    if (GGUF_NAME.test(modelId)) return { files: 0, bytes: 0 };
    const { modelUrl } = await recordFor(modelId, options);
    const cached = (await listCachedModels(options)).find((m) => m.modelUrl === modelUrl);
    const [modelKeys, configKeys] = await Promise.all([keysOf(WEBLLM_CACHE_DATABASES.model), keysOf(WEBLLM_CACHE_DATABASES.config)]);
    const records = await knownRecords(options);
    const registered = await registryEntries();
    const sharing = new Set([modelId, ...(cached?.modelIds ?? [])]);
    const libs = new Set([...records.filter((r) => sharing.has(r.model_id)).map((r) => r.model_lib), ...registered.filter((e) => sharing.has(e.modelId)).map((e) => e.libUrl)]);
    let files = 0;
    files += await deleteUrls(WEBLLM_CACHE_DATABASES.model, modelKeys.filter((u) => u.startsWith(modelUrl)));
    files += await deleteUrls(WEBLLM_CACHE_DATABASES.config, configKeys.filter((u) => u.startsWith(modelUrl)));
    const wasmKeys = new Set(await keysOf(WEBLLM_CACHE_DATABASES.wasm));
    files += await deleteUrls(WEBLLM_CACHE_DATABASES.wasm, [...libs].filter((u) => wasmKeys.has(u)));
    for (const id of sharing) await del(id, registry());
    return { files, bytes: cached?.sizeBytes ?? 0 };
  });
}

/** Deletes every cached model file and the registry. */
export async function deleteAllCachedModels(): Promise<DeleteResult> {
  return guarded('deleting cached models', async () => {
    const cached = await listCachedModels();
    let files = 0;
    for (const name of Object.values(WEBLLM_CACHE_DATABASES)) {
      const keys = await keysOf(name);
      files += await deleteUrls(name, keys);
    }
    for (const gguf of cached.filter((m) => m.engine === 'wllama')) if (await deleteWllamaCached(gguf.modelUrl)) files += 1;
    await clear(registry());
    return { files, bytes: cached.reduce((sum, m) => sum + m.sizeBytes, 0) };
  });
}

export interface StorageEstimate {
  /** Bytes used by this origin (all storage, not only models). */
  usage: number;
  /** Bytes this origin may use. */
  quota: number;
  /** Whether storage is persistent (not evicted under pressure). */
  persisted: boolean;
}

/** `navigator.storage.estimate()` plus whether storage is persistent. */
export async function storageEstimate(): Promise<StorageEstimate> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.estimate) throw runtimeError('ENGINE_ERROR', {}, { message: 'navigator.storage is not available here (it needs a secure context: https or localhost).' });
  const estimate = await storage.estimate();
  const persisted = storage.persisted ? await storage.persisted() : false;
  return { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
}

/** Asks the browser to keep this origin's storage (models included) under storage pressure. Resolves to the answer. */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return false;
  return storage.persist();
}
