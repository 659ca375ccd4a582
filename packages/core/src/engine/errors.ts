/**
 * Typed runtime errors: every failure of the worker runtime (GPU, download, storage, worker, plan) becomes a
 * `RuntimeError` with a stable `code`, structured `details`, and a message that says what happened and what to do.
 *
 * They cross the worker boundary intact (name, code, details, message, stack) through `serializeError` /
 * `deserializeError`, which the comlink `throw` handler installed by `installErrorTransfer()` uses.
 */
import { MoAError } from './moa-error.js';

export type RuntimeErrorCode =
  /** `navigator.gpu` is missing (old browser, not a secure context, WebGPU disabled). */
  | 'NO_WEBGPU'
  /** `navigator.gpu.requestAdapter()` returned null (no usable GPU / blocklisted driver). */
  | 'NO_ADAPTER'
  /** The model needs `shader-f16`, which the adapter lacks. */
  | 'F16_MISSING'
  /** The model needs another GPU feature the adapter lacks. */
  | 'GPU_FEATURE_MISSING'
  /** The model id is in neither WebLLM's prebuilt list nor the given appConfig. */
  | 'UNKNOWN_MODEL'
  /** A bad option or engine spec (the message names the field and the fix). */
  | 'BAD_SPEC'
  /** A download failed at the network level (offline, DNS, CORS, blocked); `details.url` says which. */
  | 'NETWORK'
  /** A model file answered HTTP 404; `details.url`. */
  | 'HTTP_404'
  /** A model file answered another non-OK HTTP status; `details.url`, `details.status`. */
  | 'HTTP_ERROR'
  /** `mlc-chat-config.json` is not valid; `details.url`. */
  | 'BAD_MODEL_CONFIG'
  /** The model library (wasm) does not compile; `details.url`. */
  | 'BAD_MODEL_LIB'
  /** The browser's storage quota is exhausted while caching weights or writing the registry. */
  | 'QUOTA_EXCEEDED'
  /** IndexedDB is refused (private browsing, blocked by settings, a sandboxed frame) or broken. */
  | 'STORAGE_UNAVAILABLE'
  /** The GPU device was lost (usually out of memory). */
  | 'DEVICE_LOST'
  /** A GPU allocation failed. */
  | 'OUT_OF_MEMORY'
  /** The memory plan found a model that cannot fit the budget even alone (raised before any download). */
  | 'CANNOT_FIT'
  /** A worker died or stopped answering. */
  | 'WORKER_CRASHED'
  /** A worker script could not be started at all. */
  | 'WORKER_START_FAILED'
  /** A model load was cancelled. */
  | 'LOAD_CANCELLED'
  /** The engine kind is not part of this build. */
  | 'ENGINE_UNAVAILABLE'
  /** A file of this library (the agent worker's engine chunk) did not load: the app's build did not emit it or the
   *  server does not serve it; `details.url` says which. Not a network problem with a model host. */
  | 'LIBRARY_FILE_MISSING'
  /** An engine's package (`@mlc-ai/web-llm`, `@wllama/wllama`: optional peer dependencies) is not installed in the
   *  app; `details.package` names it. */
  | 'BACKEND_NOT_INSTALLED'
  /** The prompt does not fit the model's context window. */
  | 'CONTEXT_WINDOW_EXCEEDED'
  /** The pool (or engine) was disposed. */
  | 'DISPOSED'
  /** Any other engine failure; `details.causeName` keeps the engine's error name. */
  | 'ENGINE_ERROR';

export interface RuntimeErrorDetails {
  /** The model id (or pool key) concerned. */
  model?: string;
  /** The URL that failed (downloads, configs, model libraries, worker scripts). */
  url?: string;
  /** HTTP status for HTTP_404 / HTTP_ERROR. */
  status?: number;
  /** The original error's name (e.g. WebLLM's `DeviceLostError`), when this error wraps one. */
  causeName?: string;
  /** The original error's message. */
  causeMessage?: string;
  /** GPU feature for F16_MISSING / GPU_FEATURE_MISSING. */
  feature?: string;
  /** A suggested replacement model id. */
  suggestion?: string;
  /** Memory figures for CANNOT_FIT. */
  requiredMB?: number;
  budgetMB?: number;
  [key: string]: unknown;
}

/** Base class of every runtime error (itself a MoAError). `code` is stable; `message` is for people. */
export class RuntimeError extends MoAError {
  declare readonly code: RuntimeErrorCode;
  readonly details: RuntimeErrorDetails;

  constructor(code: RuntimeErrorCode, message: string, details: RuntimeErrorDetails = {}, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'RuntimeError';
    this.details = details;
  }
}

/** WebGPU missing, no adapter, or a required GPU feature missing. */
export class GpuUnavailableError extends RuntimeError {
  constructor(code: 'NO_WEBGPU' | 'NO_ADAPTER' | 'F16_MISSING' | 'GPU_FEATURE_MISSING', message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'GpuUnavailableError';
  }
}

/** Device lost / out of memory at run time, or a plan that cannot fit. */
export class GpuMemoryError extends RuntimeError {
  constructor(code: 'DEVICE_LOST' | 'OUT_OF_MEMORY' | 'CANNOT_FIT', message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'GpuMemoryError';
  }
}

/** A model file could not be downloaded or is not what it should be. `details.url` names it. */
export class ModelFetchError extends RuntimeError {
  constructor(code: 'NETWORK' | 'HTTP_404' | 'HTTP_ERROR' | 'BAD_MODEL_CONFIG' | 'BAD_MODEL_LIB', message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'ModelFetchError';
  }
}

export class StorageQuotaError extends RuntimeError {
  constructor(message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super('QUOTA_EXCEEDED', message, details, options);
    this.name = 'StorageQuotaError';
  }
}

/** IndexedDB cannot be used here: nothing can be cached, models download on every visit. */
export class StorageUnavailableError extends RuntimeError {
  constructor(message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super('STORAGE_UNAVAILABLE', message, details, options);
    this.name = 'StorageUnavailableError';
  }
}

export class UnknownModelError extends RuntimeError {
  constructor(message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super('UNKNOWN_MODEL', message, details, options);
    this.name = 'UnknownModelError';
  }
}

export class WorkerCrashedError extends RuntimeError {
  constructor(code: 'WORKER_CRASHED' | 'WORKER_START_FAILED', message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'WorkerCrashedError';
  }
}

export class LoadCancelledError extends RuntimeError {
  constructor(message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super('LOAD_CANCELLED', message, details, options);
    this.name = 'LoadCancelledError';
  }
}

/** Everything else: bad specs, unavailable kinds, engine failures, disposed pools. */
export class EngineRuntimeError extends RuntimeError {
  constructor(code: 'BAD_SPEC' | 'ENGINE_UNAVAILABLE' | 'LIBRARY_FILE_MISSING' | 'BACKEND_NOT_INSTALLED' | 'CONTEXT_WINDOW_EXCEEDED' | 'DISPOSED' | 'ENGINE_ERROR', message: string, details?: RuntimeErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.name = 'EngineRuntimeError';
  }
}

const SMALLER_MODELS_HINT =
  'Use smaller models (0.5B–1B q4 variants), fewer models at once (a lower memoryBudgetMB switches to swap mode), or the -1k context variants (ids ending in -MLC-1k).';

const quote = (s: string | undefined) => (s ? `"${s}"` : 'the model');

/** Builds the error for a code with the house message (what happened + what to do). */
export function runtimeError(code: RuntimeErrorCode, details: RuntimeErrorDetails = {}, options?: { cause?: unknown; message?: string }): RuntimeError {
  const m = details.model;
  const url = details.url ?? 'a model file';
  const custom = options?.message;
  const opts = options?.cause === undefined ? undefined : { cause: options.cause };
  switch (code) {
    case 'NO_WEBGPU':
      return new GpuUnavailableError(code, custom ?? 'WebGPU is not available here (navigator.gpu is missing). Use Chrome or Edge 113+ on desktop, Chrome 121+ on Android or Safari 26+, on a page served over https or from localhost.', details, opts);
    case 'NO_ADAPTER':
      return new GpuUnavailableError(code, custom ?? 'WebGPU found no usable GPU (navigator.gpu.requestAdapter() returned null). Turn on hardware acceleration in the browser settings, update the GPU driver, or try another browser.', details, opts);
    case 'F16_MISSING':
      return new GpuUnavailableError(code, custom ?? `Model ${quote(m)} needs the GPU feature shader-f16, which this GPU does not offer. ${details.suggestion ? `Use "${details.suggestion}" instead` : 'Use a q4f32_1 variant instead'}, or name the model family without the quantization suffix so the f32 variant is picked automatically.`, { feature: 'shader-f16', ...details }, opts);
    case 'GPU_FEATURE_MISSING':
      return new GpuUnavailableError(code, custom ?? `Model ${quote(m)} needs the GPU feature ${details.feature ?? '(unknown)'}, which this GPU does not offer. Pick another model.`, details, opts);
    case 'UNKNOWN_MODEL':
      return new UnknownModelError(custom ?? `Unknown model id ${quote(m)}: it is in neither WebLLM's prebuilt model list nor the given appConfig.${details.suggestion ? ` Did you mean "${details.suggestion}"?` : ' Check the spelling (ids end in -MLC), or pass an appConfig with its model record.'}`, details, opts);
    case 'BAD_SPEC':
      return new EngineRuntimeError(code, custom ?? `Invalid option${details.field ? ` "${String(details.field)}"` : ''}: check it against the runtime section of the @attention-moa/core README.`, details, opts);
    case 'NETWORK':
      return new ModelFetchError(code, custom ?? `Could not download ${url}: the network request failed (offline, DNS failure, CORS or blocked by the browser). Check the connection and that the host is reachable; models already in the cache load without network.`, details, opts);
    case 'HTTP_404':
      return new ModelFetchError(code, custom ?? `Model file not found (HTTP 404): ${url}. Check the model's URLs (model / model_lib in the appConfig) and that the file exists on the server.`, { status: 404, ...details }, opts);
    case 'HTTP_ERROR':
      return new ModelFetchError(code, custom ?? `Downloading ${url} failed with HTTP ${details.status ?? '?'}. Try again later; if it persists, check the server.`, details, opts);
    case 'BAD_MODEL_CONFIG':
      return new ModelFetchError(code, custom ?? `The model config ${url} is not a valid mlc-chat-config.json${details.causeMessage ? ` (${details.causeMessage})` : ''}. Check that the model URL points at an MLC-compiled model directory (a server answering unknown paths with an HTML page causes this too).`, details, opts);
    case 'BAD_MODEL_LIB':
      return new ModelFetchError(code, custom ?? `The model library ${url} is not a valid WebAssembly module${details.causeMessage ? ` (${details.causeMessage})` : ''}. Check model_lib in the appConfig: it must be the .wasm built for this WebLLM version (v0_2_86).`, details, opts);
    case 'QUOTA_EXCEEDED':
      return new StorageQuotaError(custom ?? `The browser's storage quota ran out while caching ${quote(m)}. Delete cached models you no longer need (deleteCachedModel / deleteAllCachedModels), free disk space, leave private browsing, or ask for persistent storage (requestPersistentStorage()).`, details, opts);
    case 'STORAGE_UNAVAILABLE':
      return new StorageUnavailableError(custom ?? `IndexedDB is not available in this page${details.causeMessage ? ` (${details.causeName ? `${details.causeName}: ` : ''}${details.causeMessage})` : ''}: private browsing, site data blocked in the browser settings, or a sandboxed frame. Models cannot be cached and are downloaded on every visit; runs still work.`, details, opts);
    case 'DEVICE_LOST':
      return new GpuMemoryError(code, custom ?? `The GPU device was lost while running ${quote(m)}, usually because GPU memory ran out. ${SMALLER_MODELS_HINT}`, details, opts);
    case 'OUT_OF_MEMORY':
      return new GpuMemoryError(code, custom ?? `The GPU ran out of memory for ${quote(m)}. ${SMALLER_MODELS_HINT}`, details, opts);
    case 'CANNOT_FIT':
      return new GpuMemoryError(code, custom ?? `Model ${quote(m)} needs about ${Math.round(details.requiredMB ?? 0)} MB of GPU memory, more than the memory budget of ${Math.round(details.budgetMB ?? 0)} MB, so it cannot run even alone. Choose a smaller model or a -1k context variant, or raise memoryBudgetMB if this GPU has more memory.`, details, opts);
    case 'WORKER_CRASHED':
      return new WorkerCrashedError(code, custom ?? `The worker running ${quote(m)} crashed or stopped answering${details.causeMessage ? ` (${details.causeMessage})` : ''}. The pool restarts it once; if it keeps crashing, try a smaller model.`, details, opts);
    case 'WORKER_START_FAILED':
      return new WorkerCrashedError(code, custom ?? `The agent worker could not start from ${details.url ?? 'its script'}${details.causeMessage ? ` (${details.causeMessage})` : ''}. If the library's files are served from another origin, serve them with CORS headers, or pass workerUrl.`, details, opts);
    case 'LOAD_CANCELLED':
      return new LoadCancelledError(custom ?? `Loading ${quote(m)} was cancelled. Call load() again, or send a request, to start over.`, details, opts);
    case 'ENGINE_UNAVAILABLE':
      return new EngineRuntimeError(code, custom ?? `Engine kind "${String(details.kind ?? '?')}" is not available in this build.`, details, opts);
    case 'LIBRARY_FILE_MISSING':
      return new EngineRuntimeError(code, custom ?? `A file of @attention-moa/core could not be loaded${details.url ? `: ${details.url}` : ''}. Deploy the whole build output of your app (the agent worker and its chunks), and see "Use it in your app" in the README.`, details, opts);
    case 'BACKEND_NOT_INSTALLED':
      return new EngineRuntimeError(code, custom ?? `The package ${String(details.package ?? 'of this engine')} is not installed in this app: npm install it and build again.`, details, opts);
    case 'CONTEXT_WINDOW_EXCEEDED':
      return new EngineRuntimeError(code, custom ?? `The prompt is longer than the context window of ${quote(m)}${details.causeMessage ? ` (${details.causeMessage})` : ''}. Shorten the conversation or lower max tokens.`, details, opts);
    case 'DISPOSED':
      return new EngineRuntimeError(code, custom ?? 'The engine pool was disposed; create a new EnginePool.', details, opts);
    case 'ENGINE_ERROR':
    default:
      return new EngineRuntimeError('ENGINE_ERROR', custom ?? `${m ? `${m}: ` : ''}${details.causeName ?? 'Error'}: ${details.causeMessage ?? 'the engine failed'}`, details, opts);
  }
}

export function isRuntimeError(value: unknown): value is RuntimeError {
  return value instanceof RuntimeError;
}

/** A request's abort, shaped like fetch's: a DOMException named AbortError (or the signal's own reason). */
export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('The request was aborted', 'AbortError');
}

export function isAbortError(value: unknown): boolean {
  return (value as { name?: unknown } | null)?.name === 'AbortError';
}

// ---------------------------------------------------------------------------------------------
// Crossing the worker boundary

/** The wire form of an error: structured-cloneable. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  details?: RuntimeErrorDetails;
  /** DOMException names (AbortError, QuotaExceededError) are rebuilt as DOMExceptions. */
  domException?: boolean;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof RuntimeError) {
    return { name: error.name, message: error.message, stack: error.stack, code: error.code, details: cloneable(error.details) };
  }
  if (error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException)) {
    const e = error as Error & { code?: unknown; details?: unknown };
    return {
      name: e.name,
      message: e.message,
      stack: e.stack,
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(e.details && typeof e.details === 'object' ? { details: cloneable(e.details as RuntimeErrorDetails) } : {}),
      ...(typeof DOMException !== 'undefined' && error instanceof DOMException ? { domException: true } : {}),
    };
  }
  // WebLLM's own worker handler rejects with strings like "DeviceLostError: …": keep the name.
  const text = String(error);
  const match = /^([A-Z]\w*(?:Error|Exception)):\s*([\s\S]*)$/.exec(text);
  return match ? { name: match[1]!, message: match[2]! } : { name: 'Error', message: text };
}

const ERROR_CLASSES: Record<string, new (...args: never[]) => RuntimeError> = {
  RuntimeError,
  GpuUnavailableError,
  GpuMemoryError,
  ModelFetchError,
  StorageQuotaError,
  StorageUnavailableError,
  UnknownModelError,
  WorkerCrashedError,
  LoadCancelledError,
  EngineRuntimeError,
};

export function deserializeError(wire: SerializedError): Error {
  if (wire.code && wire.name in ERROR_CLASSES) {
    const error = runtimeError(wire.code as RuntimeErrorCode, wire.details ?? {}, { message: wire.message });
    if (wire.stack) error.stack = wire.stack;
    return error;
  }
  if (wire.domException && typeof DOMException !== 'undefined') return new DOMException(wire.message, wire.name);
  // Another engine's typed error (e.g. the wllama engine's): a plain Error with the same name, code and details.
  const error = new Error(wire.message) as Error & { code?: string; details?: RuntimeErrorDetails };
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  if (wire.code) error.code = wire.code;
  if (wire.details) error.details = wire.details;
  return error;
}

/** Keeps only structured-cloneable detail values (a stray function would make postMessage throw). */
function cloneable(details: RuntimeErrorDetails): RuntimeErrorDetails {
  const out: RuntimeErrorDetails = {};
  for (const [k, v] of Object.entries(details)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    try {
      out[k] = typeof structuredClone === 'function' ? structuredClone(v) : v;
    } catch {
      out[k] = String(v);
    }
  }
  return out;
}
