/**
 * Turns whatever an engine threw (WebLLM's named errors, DOMExceptions, strings from WebLLM's own worker handler,
 * fetch TypeErrors without a URL) into a `RuntimeError` with a stable code.
 *
 * WebLLM's download errors do not say which URL failed or with what status, so the worker records every failed
 * request (see fetch-monitor.ts) and passes them here: the first failure of the load names the URL.
 */
import { isRuntimeError, runtimeError, type RuntimeError, type RuntimeErrorDetails } from './errors.js';

/** A request that failed during a load, as recorded by the fetch monitor. */
export interface FetchFailure {
  url: string;
  /** HTTP status of a non-OK response. */
  status?: number;
  /** Message of a network-level failure (fetch rejected). */
  network?: string;
  /** Why a fetched model config was rejected (not JSON, required fields missing). */
  badConfig?: string;
}

export interface ClassifyContext {
  /** The model id (or pool key) being loaded or run. */
  model?: string;
  phase: 'load' | 'chat';
  /** Failed requests recorded since the load started, oldest first. */
  failures?: readonly FetchFailure[];
  /** URLs requested since the load started, oldest first (for config parse errors). */
  requested?: readonly string[];
  /** The model's config and library URLs, when known. */
  configUrl?: string;
  libUrl?: string;
}

function nameAndMessage(error: unknown): { name: string; message: string } {
  if (typeof error === 'string') {
    // WebLLM's own worker handler rejects with `${err.name}: ${err.message}` strings.
    const match = /^([A-Z]\w*(?:Error|Exception)):\s*([\s\S]*)$/.exec(error);
    return match ? { name: match[1]!, message: match[2]! } : { name: 'Error', message: error };
  }
  const e = error as { name?: unknown; message?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
}

export function classifyEngineError(error: unknown, context: ClassifyContext): RuntimeError | Error {
  if (isRuntimeError(error)) return error;
  // Engines with their own typed errors (a string `code`, e.g. the wllama engine's) are already classified.
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && error.name !== 'Error' && error.name !== 'AbortError') return error;
  const { name, message } = nameAndMessage(error);
  const base: RuntimeErrorDetails = { ...(context.model ? { model: context.model } : {}), causeName: name, causeMessage: message };
  const cause = { cause: error };

  if (name === 'AbortError') {
    // A request's abort stays an AbortError (what fetch and openai-node throw); a load's becomes LOAD_CANCELLED.
    if (context.phase === 'chat') return error instanceof Error ? error : new DOMException(message, 'AbortError');
    return runtimeError('LOAD_CANCELLED', base, cause);
  }
  if (name === 'ModelNotFoundError') return runtimeError('UNKNOWN_MODEL', base, cause);
  if (name === 'WebGPUNotAvailableError') return runtimeError('NO_WEBGPU', base, cause);
  if (/Unable to find a compatible GPU/i.test(message)) return runtimeError('NO_ADAPTER', base, cause);
  if (name === 'ShaderF16SupportError' || /shader-f16/i.test(message)) return runtimeError('F16_MISSING', { ...base, feature: 'shader-f16' }, cause);
  if (name === 'FeatureSupportError') {
    const feature = /feature[:\s]+["']?([\w-]+)/i.exec(message)?.[1];
    return runtimeError('GPU_FEATURE_MISSING', { ...base, ...(feature ? { feature } : {}) }, cause);
  }
  if (name === 'DeviceLostError' || /device (?:was |is )?lost/i.test(message)) return runtimeError('DEVICE_LOST', base, cause);
  if (name === 'GPUOutOfMemoryError' || /out of memory|OutOfMemory/i.test(message)) return runtimeError('OUT_OF_MEMORY', base, cause);
  if (name === 'QuotaExceededError' || /QuotaExceeded|quota (?:has been )?exceeded/i.test(message)) return runtimeError('QUOTA_EXCEEDED', base, cause);
  if (name === 'ContextWindowSizeExceededError' || /context window/i.test(message)) return runtimeError('CONTEXT_WINDOW_EXCEEDED', base, cause);

  if (context.phase === 'load') {
    // The first recorded failure is the one that stopped the load.
    const failure = context.failures?.[0];
    if (failure?.badConfig !== undefined) return runtimeError('BAD_MODEL_CONFIG', { ...base, url: failure.url, causeMessage: failure.badConfig }, cause);
    if (failure?.status === 404) return runtimeError('HTTP_404', { ...base, url: failure.url, status: 404 }, cause);
    if (failure?.status !== undefined) return runtimeError('HTTP_ERROR', { ...base, url: failure.url, status: failure.status }, cause);
    if (failure?.network !== undefined) return runtimeError('NETWORK', { ...base, url: failure.url, causeMessage: failure.network }, cause);

    // No recorded failure: read what the message says (e.g. an error from a cache lookup).
    const storeUrl = /Failed to store (\S+) with error/.exec(message)?.[1] ?? /Unable to fetch (\S+?),? received status (\d+)/.exec(message)?.[1];
    if (/Failed to fetch|NetworkError|network error|ERR_/i.test(message) || (name === 'TypeError' && /fetch/i.test(message))) {
      return runtimeError('NETWORK', { ...base, ...(storeUrl ? { url: storeUrl } : {}) }, cause);
    }
    const status = /received status (\d+)/.exec(message)?.[1];
    if (status === '404') return runtimeError('HTTP_404', { ...base, ...(storeUrl ? { url: storeUrl } : {}), status: 404 }, cause);
    if (storeUrl || /Network response was not ok/.test(message)) {
      return runtimeError('HTTP_ERROR', { ...base, ...(storeUrl ? { url: storeUrl } : {}), ...(status ? { status: Number(status) } : {}) }, cause);
    }
    if (name === 'SyntaxError' || /JSON/.test(message)) {
      const url = [...(context.requested ?? [])].reverse().find((u) => /\.json(?:$|\?)/.test(u)) ?? context.configUrl;
      return runtimeError('BAD_MODEL_CONFIG', { ...base, ...(url ? { url } : {}) }, cause);
    }
    if (name === 'CompileError' || name === 'LinkError' || /WebAssembly/.test(message)) {
      return runtimeError('BAD_MODEL_LIB', { ...base, ...(context.libUrl ? { url: context.libUrl } : {}) }, cause);
    }
  }
  if (context.phase === 'chat') {
    // Unclassified failures of a request keep their own name and message, exactly as an in-thread engine's would.
    if (error instanceof Error) return error;
    const plain = new Error(message);
    plain.name = name;
    return plain;
  }
  return runtimeError('ENGINE_ERROR', base, cause);
}
