/**
 * Errors of the remote (OpenAI-compatible server) engine. `code` is stable, for programs; `message` names the
 * server, what happened and what to do, for people. Plain data in `details`, so they cross worker boundaries.
 */

export type RemoteEngineErrorCode =
  /** The spec is wrong; the message names the field. */
  | 'BAD_SPEC'
  /** The server answered an error status (`details.status`); 429 and 5xx only after the retries ran out. */
  | 'HTTP_ERROR'
  /** The server could not be reached: refused, DNS, offline, or (in a browser) blocked by CORS. */
  | 'NETWORK'
  /** No response within `timeoutMs`, or no chunk within `idleTimeoutMs` while streaming. */
  | 'TIMEOUT'
  /** The response was not an OpenAI chat-completions stream (bad JSON, an `error` event, no `[DONE]`). */
  | 'BAD_RESPONSE';

export interface RemoteEngineErrorDetails {
  baseURL?: string;
  model?: string;
  status?: number;
  /** Attempts made (1 = no retry). */
  attempts?: number;
  field?: string;
  [key: string]: unknown;
}

export class RemoteEngineError extends Error {
  override name = 'RemoteEngineError' as const;
  readonly code: RemoteEngineErrorCode;
  readonly details: RemoteEngineErrorDetails;

  constructor(code: RemoteEngineErrorCode, message: string, details: RemoteEngineErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) as RemoteEngineErrorDetails;
  }
}
