/**
 * Typed errors of the WASM (wllama) engine. `code` is stable and meant for programs (retry, show a hint,
 * fall back to another model); `message` says what happened and what to do, for people.
 *
 * Errors cross the worker boundary, where only `name` and `message` survive a plain structured clone:
 * `toJSON()` gives the whole error as data, and `WllamaEngineError.from()` rebuilds it.
 */
import { MoAError } from '../moa-error.js';

export type WllamaEngineErrorCode =
  /** The spec is wrong (a field is missing, of the wrong type or out of range); the message names the field. */
  | 'BAD_SPEC'
  /** The browser lacks WebAssembly memory64 or JSPI (Chromium-based browsers have both). */
  | 'UNSUPPORTED_BROWSER'
  /** The model URL answered HTTP 404 (`details.url`). */
  | 'HTTP_404'
  /** The model URL answered another error status (`details.url`, `details.status`). */
  | 'HTTP_ERROR'
  /** The model could not be fetched at all: offline, DNS, CORS, connection refused (`details.url`). */
  | 'NETWORK'
  /** The file is not a GGUF model llama.cpp can load: wrong format, truncated, corrupt, missing tensors. */
  | 'BAD_GGUF'
  /** llama.cpp could not allocate memory for the weights or the context (KV cache): the wasm heap is 4 GiB. */
  | 'OUT_OF_MEMORY'
  /** llama.cpp aborted while running (its worker is gone); create the engine again. */
  | 'WORKER_CRASHED'
  /** The engine was unloaded. */
  | 'DISPOSED'
  /** llama.cpp refused or failed a request; the engine still works. */
  | 'ENGINE_ERROR';

/** Same shape as the runtime's error details, so the pool can pass these errors on unchanged. */
export interface WllamaEngineErrorDetails {
  /** The model (file name or id). */
  model?: string;
  url?: string;
  status?: number;
  /** llama.cpp's own log lines that explain the failure. */
  log?: string[];
  causeName?: string;
  causeMessage?: string;
  [key: string]: unknown;
}

export interface WllamaEngineErrorData {
  name: 'WllamaEngineError';
  code: WllamaEngineErrorCode;
  message: string;
  details: WllamaEngineErrorDetails;
}

export class WllamaEngineError extends MoAError {
  override name = 'WllamaEngineError' as const;
  declare readonly code: WllamaEngineErrorCode;
  readonly details: WllamaEngineErrorDetails;

  constructor(code: WllamaEngineErrorCode, message: string, details: WllamaEngineErrorDetails = {}, options?: { cause?: unknown }) {
    super(code, message, options);
    this.details = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) as WllamaEngineErrorDetails;
  }

  toJSON(): WllamaEngineErrorData {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }

  static from(data: WllamaEngineErrorData): WllamaEngineError {
    return new WllamaEngineError(data.code, data.message, data.details);
  }
}

/** llama.cpp / ggml / emscripten phrases that mean an allocation failed. */
const OUT_OF_MEMORY = [
  /insufficient memory/i,
  /failed to allocate/i,
  /out of memory/i,
  /\bOOM\b/,
  /Cannot enlarge memory/i,
  /could not allocate memory/i,
  /Array buffer allocation failed/i,
  /WebAssembly\.Memory.*(grow|allocat)/i,
  /std::bad_alloc/,
];

export function looksOutOfMemory(text: string): boolean {
  return OUT_OF_MEMORY.some((pattern) => pattern.test(text));
}

/** The log lines that explain a llama.cpp load failure (its `error loading model: …` and allocation errors). */
export function explainingLines(log: readonly string[]): string[] {
  return log.filter((line) => /error|failed|insufficient|not found|unknown|invalid|unsupported|GGML_ASSERT/i.test(line)).slice(-8);
}

/**
 * What a failed llama.cpp load means, from its log: out of memory, or a file llama.cpp cannot use.
 * wllama 3.13 resolves `loadModel` even when llama.cpp failed; the engine checks `success` and calls this.
 */
export function loadFailure(log: readonly string[], source: string): WllamaEngineError {
  const lines = explainingLines(log);
  const text = lines.join('\n');
  if (looksOutOfMemory(text)) {
    const bytes = /buffer of size (\d+)/.exec(text)?.[1];
    const size = bytes ? ` (it asked for ${(Number(bytes) / 2 ** 20).toFixed(0)} MiB at once)` : '';
    return new WllamaEngineError(
      'OUT_OF_MEMORY',
      `llama.cpp ran out of memory loading ${source}${size}: the WebAssembly heap is limited to 4 GiB. ` +
        'Use a smaller model or quantization, or a smaller contextWindow.',
      { model: source, log: lines },
    );
  }
  const reason = /error loading model: (.*)/.exec(text)?.[1] ?? lines[0] ?? 'no reason was logged';
  return new WllamaEngineError('BAD_GGUF', `llama.cpp cannot load ${source}: ${reason}`, { model: source, log: lines });
}

export function describeUnknown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
