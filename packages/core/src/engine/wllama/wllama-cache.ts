/**
 * The browser cache of GGUF weights for the WASM engine.
 *
 * It is wllama's own cache (its `CacheManager`: the Origin Private File System, directory `cache/`, one
 * file per URL plus a JSON metadata file), so models downloaded by other wllama apps on the same origin
 * are shared, and wllama streams downloads to disk instead of holding them in memory. This module adds
 * what the engine and the runtime's cache listing need: typed download errors, an integrity check on
 * open, and list/delete by URL. It works on the page and in workers; wllama is imported lazily, and only
 * to download or open a model.
 */
import { WllamaEngineError, describeUnknown } from './wllama-errors.js';
import { importBackend } from '../module-load.js';

type CacheManagerLike = import('@wllama/wllama').CacheManager;

export interface WllamaCacheEntry {
  /** The URL the model was downloaded from (the cache key). */
  url: string;
  /** Bytes stored. */
  bytes: number;
  /** False when the stored size differs from the download's (an interrupted download): it will be fetched again. */
  complete: boolean;
  /** wllama's file name in the OPFS `cache/` directory. */
  key: string;
}

export interface DownloadProgress {
  loadedBytes: number;
  /** 0 when the server sent no Content-Length. */
  totalBytes: number;
}

let shared: Promise<CacheManagerLike | null> | undefined;

/** wllama's cache manager, or null where the browser has no OPFS (the engine then loads without caching). */
function wllamaCacheManager(): Promise<CacheManagerLike | null> {
  shared ??= importBackend('@wllama/wllama', () => import('@wllama/wllama'), (m) => typeof m.CacheManager === 'function').then(({ CacheManager }) => {
    try {
      return new CacheManager();
    } catch {
      return null; // "No supported storage backend found"
    }
  });
  return shared;
}

// Listing and deleting read wllama 3.13's cache layout directly (OPFS `cache/`: one file per model named
// `<sha1(url)>_<file name>`, and `__metadata__<that name>` holding `{ originalURL, originalSize, etag }`), so a
// page can show and clean the cache without loading wllama's 270 kB, and without creating the directory.
const CACHE_DIRECTORY = 'cache';
const METADATA_PREFIX = '__metadata__';

type DirectoryWithEntries = FileSystemDirectoryHandle & { entries(): AsyncIterableIterator<[string, FileSystemHandle]> };

async function cacheDirectory(): Promise<DirectoryWithEntries | null> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.getDirectory) return null;
  try {
    return (await (await storage.getDirectory()).getDirectoryHandle(CACHE_DIRECTORY)) as DirectoryWithEntries;
  } catch {
    return null; // never created: nothing cached
  }
}

async function readEntries(dir: DirectoryWithEntries): Promise<{ name: string; size: number; url?: string; expectedSize?: number }[]> {
  const sizes = new Map<string, number>();
  const metadata = new Map<string, { originalURL?: unknown; originalSize?: unknown }>();
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind !== 'file') continue;
    const file = await (handle as FileSystemFileHandle).getFile();
    if (name.startsWith(METADATA_PREFIX)) {
      try {
        metadata.set(name.slice(METADATA_PREFIX.length), JSON.parse(await file.text()));
      } catch {
        // corrupt metadata: the file is listed without a URL
      }
    } else sizes.set(name, file.size);
  }
  return [...sizes].map(([name, size]) => {
    const meta = metadata.get(name);
    return {
      name,
      size,
      ...(typeof meta?.originalURL === 'string' && meta.originalURL ? { url: meta.originalURL } : {}),
      ...(typeof meta?.originalSize === 'number' ? { expectedSize: meta.originalSize } : {}),
    };
  });
}

/** Every GGUF file in the browser cache, for the runtime's merged cache listing. Works on the page and in workers. */
export async function listWllamaCache(): Promise<WllamaCacheEntry[]> {
  const dir = await cacheDirectory();
  if (!dir) return [];
  return (await readEntries(dir))
    .filter((e): e is typeof e & { url: string } => e.url !== undefined)
    .map((e) => ({ url: e.url, bytes: e.size, complete: e.size === e.expectedSize, key: e.name }))
    .sort((a, b) => a.url.localeCompare(b.url));
}

/** Deletes one cached model by its URL. Resolves to whether anything was deleted. */
export async function deleteWllamaCached(url: string): Promise<boolean> {
  const dir = await cacheDirectory();
  if (!dir) return false;
  let deleted = false;
  for (const entry of await readEntries(dir)) {
    if (entry.url !== url) continue;
    for (const name of [entry.name, METADATA_PREFIX + entry.name]) {
      try {
        await dir.removeEntry(name);
        deleted = true;
      } catch (error) {
        if ((error as DOMException)?.name !== 'NotFoundError') throw error;
      }
    }
  }
  return deleted;
}

/** The cached model for this URL, or null when it is absent or incomplete. Reads nothing from the network. */
export async function openWllamaCached(url: string): Promise<Blob | null> {
  const cache = await wllamaCacheManager();
  if (!cache) return null;
  const key = await cache.getNameFromURL(url);
  const metadata = await cache.getMetadata(key);
  if (!metadata || metadata.originalURL !== url) return null;
  const blob = await cache.open(key);
  if (!blob || blob.size !== metadata.originalSize) return null;
  return blob;
}

function httpError(url: string, status: number, statusText = ''): WllamaEngineError {
  const hint = status === 404 ? ' (check the model URL)' : status === 401 || status === 403 ? ' (the server refuses access)' : '';
  return new WllamaEngineError(status === 404 ? 'HTTP_404' : 'HTTP_ERROR', `Fetching the model ${url} failed: HTTP ${status}${statusText ? ` ${statusText}` : ''}${hint}`, { url, status });
}

function networkError(url: string, cause: unknown): WllamaEngineError {
  return new WllamaEngineError(
    'NETWORK',
    `Fetching the model ${url} failed before any answer (${describeUnknown(cause)}): the browser is offline, the host is unreachable, or the server does not allow this origin (CORS)`,
    { url, causeName: (cause as Error | null)?.name, causeMessage: (cause as Error | null)?.message },
    { cause },
  );
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (error as { name?: string } | null)?.name === 'AbortError';
}

/** wllama's download reports HTTP errors as `Error("Failed to fetch <url>: HTTP <status>")`. */
function classifyDownloadError(url: string, error: unknown, signal?: AbortSignal): unknown {
  if (isAbort(error, signal)) return signal?.reason ?? error;
  if (error instanceof WllamaEngineError) return error;
  const status = /HTTP (\d{3})/.exec((error as Error | null)?.message ?? '')?.[1];
  if (status) return httpError(url, Number(status));
  if (error instanceof TypeError) return networkError(url, error);
  return error;
}

/**
 * Downloads a model into the cache (streamed to disk) and opens it. Rejects with `http-status` or
 * `network` WllamaEngineErrors, or the signal's reason when aborted.
 */
export async function downloadToWllamaCache(
  url: string,
  options: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void } = {},
): Promise<Blob> {
  const cache = await wllamaCacheManager();
  if (!cache) throw new Error('downloadToWllamaCache: this browser has no Origin Private File System; load without the cache');
  try {
    await cache.download(url, {
      ...(options.signal ? { signal: options.signal } : {}),
      progressCallback: ({ loaded, total }) => options.onProgress?.({ loadedBytes: loaded, totalBytes: total }),
    });
  } catch (error) {
    throw classifyDownloadError(url, error, options.signal);
  }
  const blob = await openWllamaCached(url);
  if (!blob) throw new WllamaEngineError('NETWORK', `The model ${url} was downloaded but is incomplete in the browser cache; try again`, { url });
  return blob;
}

/** Downloads a model into memory without caching it. Same errors as `downloadToWllamaCache`. */
export async function downloadToBlob(
  url: string,
  options: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void } = {},
): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(url, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    throw classifyDownloadError(url, error, options.signal);
  }
  if (!response.ok || !response.body) throw httpError(url, response.status, response.statusText);
  const total = Number(response.headers.get('content-length') ?? 0);
  const parts: Uint8Array[] = [];
  let loaded = 0;
  let reportedAt = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      loaded += value.byteLength;
      if (performance.now() - reportedAt > 100) {
        reportedAt = performance.now();
        options.onProgress?.({ loadedBytes: loaded, totalBytes: total });
      }
    }
    options.onProgress?.({ loadedBytes: loaded, totalBytes: total || loaded });
  } catch (error) {
    throw classifyDownloadError(url, error, options.signal);
  }
  return new Blob(parts as Uint8Array<ArrayBuffer>[]);
}
