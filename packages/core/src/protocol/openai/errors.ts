/**
 * Errors in OpenAI's shape: an HTTP status and a body `{ error: { message, type, param, code } }`. The fetch handler
 * sends them as they are; `moa.chat.completions.create()` throws them, so in-page callers see the same fields.
 */
import { AttentionMoAError } from '../errors.js';

export type OpenAIErrorType = 'invalid_request_error' | 'not_found_error' | 'server_error';

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export class OpenAIRequestError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  /** The request field at fault, as a path (`messages[2].role`), or null. */
  readonly param: string | null;
  /** A stable, OpenAI-style code: `missing_required_parameter`, `invalid_value`, `model_not_found`, … */
  readonly code: string | null;

  constructor(status: number, message: string, fields: { type?: OpenAIErrorType; param?: string | null; code?: string | null } = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpenAIRequestError';
    this.status = status;
    this.type = fields.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = fields.param ?? null;
    this.code = fields.code ?? null;
  }

  toJSON(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 for one request field. */
export function badParam(param: string | null, code: string, message: string): OpenAIRequestError {
  return new OpenAIRequestError(400, message, { param, code });
}

/** Any error in OpenAI's shape: ours as they are, a run's failure as a 500 with its code (an abort as a 499). */
export function toOpenAIError(error: unknown): OpenAIRequestError {
  if (error instanceof OpenAIRequestError) return error;
  if (error instanceof AttentionMoAError) {
    const status = error.code === 'ABORTED' ? 499 : 500;
    return new OpenAIRequestError(status, error.message, { type: 'server_error', code: error.code.toLowerCase() }, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OpenAIRequestError(500, `The ensemble failed: ${message}`, { type: 'server_error', code: 'internal_error' }, { cause: error });
}
