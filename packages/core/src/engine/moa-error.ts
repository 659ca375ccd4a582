/**
 * The base of every error this library throws on purpose: the protocol's (`AttentionMoAError`), the runtime's
 * (`RuntimeError`), the WASM engine's (`WllamaEngineError`, `GgufFormatError`), the backend choice's and the
 * element's. One `instanceof MoAError` tells a library error from anything else; `code` (stable, UPPER_SNAKE for
 * core, kebab-case for the element's problems) says which one, `message` is for people and may be reworded.
 */
export class MoAError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = 'MoAError';
  }
}

/** True for any error this library threw on purpose (see MoAError). */
export function isMoAError(value: unknown): value is MoAError {
  return value instanceof MoAError;
}
