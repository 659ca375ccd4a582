/**
 * The spec of a remote agent: a model served by any OpenAI-compatible server (vLLM, Ollama, llama.cpp's server,
 * a hosted API). Plain data, so it can sit in an `EnginePool`'s models or come from an element attribute.
 * Validation names the missing or wrong field and how to fix it.
 */
import { RemoteEngineError } from './remote-errors.js';

export interface RemoteEngineSpec {
  kind: 'openai';
  /** The API root, up to and including `/v1`: `http://127.0.0.1:8080/v1` (llama.cpp), `http://127.0.0.1:11434/v1`
   *  (Ollama), `http://127.0.0.1:8000/v1` (vLLM). Requests go to `${baseURL}/chat/completions`. */
  baseURL: string;
  /** The model the server should run: required (vLLM and Ollama reject a request without one). */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Anything in the page can read it: use a key scoped to this use. */
  apiKey?: string;
  /** Extra request headers (e.g. an API gateway's). */
  headers?: Record<string, string>;
  /** Most ms to wait for the response to begin (default 60000). */
  timeoutMs?: number;
  /** Most ms between two chunks of a streaming answer (default 60000). */
  idleTimeoutMs?: number;
  /** Retries of a request answered 429 or 5xx, or that could not reach the server, before anything streamed (default 2). */
  retries?: number;
  /** First retry delay; doubled on each retry, capped at 30 s; a `Retry-After` header wins when longer (default 500). */
  retryDelayMs?: number;
}

const KNOWN = new Set(['kind', 'baseURL', 'model', 'apiKey', 'headers', 'timeoutMs', 'idleTimeoutMs', 'retries', 'retryDelayMs', 'vramMB']);

/** Throws BAD_SPEC naming `where` (e.g. `models["gpu-box"]`) and the field. */
export function validateRemoteSpec(spec: unknown, where = 'remote engine'): asserts spec is RemoteEngineSpec {
  const bad = (field: string, message: string): never => {
    throw new RemoteEngineError('BAD_SPEC', `${where}.${field} ${message}`, { field });
  };
  if (typeof spec !== 'object' || spec === null) {
    throw new RemoteEngineError('BAD_SPEC', `${where} must be an object like { kind: "openai", baseURL: "http://127.0.0.1:8080/v1", model: "smollm2" }`, { field: 'kind' });
  }
  const s = spec as Record<string, unknown>;
  if (s.kind !== undefined && s.kind !== 'openai') bad('kind', `must be "openai" for a remote engine, got ${JSON.stringify(s.kind)}`);
  for (const key of Object.keys(s)) if (!KNOWN.has(key)) bad(key, `is not a remote engine option; known: ${[...KNOWN].filter((k) => k !== 'vramMB').join(', ')}`);
  if (s.baseURL === undefined || s.baseURL === '') bad('baseURL', 'is missing: give the server\'s API root, e.g. "http://127.0.0.1:8080/v1" (llama.cpp) or "http://127.0.0.1:11434/v1" (Ollama)');
  if (typeof s.baseURL !== 'string') bad('baseURL', `must be a URL string, got ${typeof s.baseURL}`);
  let url: URL | undefined;
  try {
    url = new URL(s.baseURL as string);
  } catch {
    bad('baseURL', `is not an absolute URL: ${JSON.stringify(s.baseURL)}; write it with its scheme, e.g. "http://127.0.0.1:8080/v1"`);
  }
  if (url!.protocol !== 'http:' && url!.protocol !== 'https:') bad('baseURL', `must be http: or https:, got ${url!.protocol}`);
  if (url!.pathname.endsWith('/chat/completions')) bad('baseURL', 'must be the API root, not the endpoint: drop "/chat/completions"');
  if (s.model === undefined || s.model === null || (typeof s.model === 'string' && !s.model.trim())) {
    bad('model', 'is missing: name the model the server runs (as its GET /v1/models lists it), e.g. "qwen2.5:0.5b" on Ollama; servers such as vLLM and Ollama reject requests without one');
  }
  if (typeof s.model !== 'string') bad('model', `must be a string, got ${typeof s.model}`);
  if (s.apiKey !== undefined && (typeof s.apiKey !== 'string' || !s.apiKey)) bad('apiKey', 'must be a non-empty string (or left out for servers without keys)');
  if (s.headers !== undefined && (typeof s.headers !== 'object' || s.headers === null || Object.values(s.headers).some((v) => typeof v !== 'string'))) {
    bad('headers', 'must be an object of header names to string values');
  }
  for (const field of ['timeoutMs', 'idleTimeoutMs', 'retryDelayMs'] as const) {
    const v = s[field];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) bad(field, `must be a number of milliseconds > 0, got ${String(v)}`);
  }
  if (s.retries !== undefined && !(Number.isInteger(s.retries) && (s.retries as number) >= 0 && (s.retries as number) <= 10)) {
    bad('retries', `must be a whole number from 0 to 10, got ${String(s.retries)}`);
  }
}
