/**
 * The remote engine: a model on any OpenAI-compatible server (vLLM, Ollama, llama.cpp's server, a hosted API),
 * behind the engine contract. It streams `POST {baseURL}/chat/completions` over `fetch`, names the spec's model in
 * every request, retries 408/409/429/5xx and unreachable servers with exponential backoff (before anything has
 * streamed: a half-streamed answer is never repeated), times out a response that does not begin or a stream
 * that goes silent, and stops at once on abort. Runs wherever `fetch` does: the page, a worker, Node.
 *
 * Everything sent to it leaves the browser: the UI marks such agents (see `offDeviceHost`).
 */
import type { ChatCompletionChunk, ChatCompletionCreateParams, ChatEngine, RequestOptions } from '../contract.js';
import { RemoteEngineError } from './remote-errors.js';
import { validateRemoteSpec, type RemoteEngineSpec } from './remote-spec.js';
import { sseData } from './sse-lines.js';

export interface RemoteEngineOptions {
  /** The fetch to use (default: the global one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

export interface RemoteEngine extends ChatEngine {
  /** Where this engine's requests go (a plain record: no `baseURL` field, which marks clients needing a model). */
  readonly remote: { baseURL: string; model: string };
  /** Aborts every request of this engine in flight. */
  interruptGenerate(): void;
}

const RETRYABLE = new Set([408, 409, 429, 500, 502, 503, 504]);
const MAX_DELAY_MS = 30_000;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The request was aborted', 'AbortError');
}

/** Resolves after `ms`, or rejects with the signal's reason. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` (seconds or a date) or `retry-after-ms`, in ms. */
function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** The server's own words: OpenAI's `{ error: { message } }`, llama.cpp's and Ollama's `{ error: "…" }`, or the text. */
async function serverMessage(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    const message = typeof body.error === 'string' ? body.error : body.error?.message ?? body.message ?? body.detail;
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON
  }
  return text.slice(0, 300) || response.statusText || 'no message';
}

function statusHint(status: number, spec: RemoteEngineSpec): string {
  if (status === 401 || status === 403) return spec.apiKey ? 'The server refused the API key: check apiKey.' : 'The server wants an API key: set apiKey.';
  if (status === 404) return `Check that baseURL is the API root (it usually ends in /v1) and that the server serves the model "${spec.model}" (its GET ${spec.baseURL}/models lists them).`;
  if (status === 429) return 'The server is rate-limiting: lower the agents\' concurrency, or raise retries.';
  if (status >= 500) return 'The server failed: see its log.';
  return 'The server rejected the request.';
}

/** Creates an engine for a model on an OpenAI-compatible server. Throws RemoteEngineError BAD_SPEC for a bad spec. */
export function createRemoteEngine(spec: Omit<RemoteEngineSpec, 'kind'> & { kind?: 'openai' }, options: RemoteEngineOptions = {}): RemoteEngine {
  validateRemoteSpec(spec);
  const config = { ...spec, kind: 'openai' as const, baseURL: spec.baseURL.replace(/\/+$/, '') };
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const url = `${config.baseURL}/chat/completions`;
  const timeoutMs = config.timeoutMs ?? 60_000;
  const idleTimeoutMs = config.idleTimeoutMs ?? 60_000;
  const retries = config.retries ?? 2;
  const baseDelay = config.retryDelayMs ?? 500;
  const active = new Set<AbortController>();
  const where = { baseURL: config.baseURL, model: config.model };

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
    ...config.headers,
  };

  /** One attempt: the response once its headers are in, or a thrown error tagged retryable or not. */
  async function attempt(body: string, signal: AbortSignal): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const onAbort = () => timeout.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await doFetch(url, { method: 'POST', headers, body, signal: timeout.signal });
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (timeout.signal.aborted) {
        throw new RemoteEngineError('TIMEOUT', `The server at ${config.baseURL} did not begin answering within timeoutMs (${timeoutMs} ms) for model "${config.model}". It may be overloaded or still loading the model: raise timeoutMs, or check the server.`, where);
      }
      throw Object.assign(
        new RemoteEngineError(
          'NETWORK',
          `Could not reach the server at ${config.baseURL} (${(error as Error)?.message ?? String(error)}). Check that it runs and that baseURL is right; from a web page the server must also allow this page's origin (CORS: Access-Control-Allow-Origin, and Authorization in Access-Control-Allow-Headers when an apiKey is set).`,
          where,
          { cause: error },
        ),
        { retryable: true },
      );
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function open(params: ChatCompletionCreateParams, signal: AbortSignal): Promise<Response> {
    const body = JSON.stringify({ ...params, model: config.model, stream: true });
    let lastError: unknown;
    for (let attemptNo = 1; attemptNo <= retries + 1; attemptNo++) {
      let wait: number | undefined;
      try {
        const response = await attempt(body, signal);
        if (response.ok) return response;
        const message = await serverMessage(response);
        const error = new RemoteEngineError(
          'HTTP_ERROR',
          `The server at ${config.baseURL} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for model "${config.model}"${attemptNo > 1 ? ` (after ${attemptNo} attempts)` : ''}: ${message}. ${statusHint(response.status, config)}`,
          { ...where, status: response.status, attempts: attemptNo },
        );
        if (!RETRYABLE.has(response.status)) throw error;
        lastError = error;
        wait = retryAfterMs(response.headers);
      } catch (error) {
        if (!(error as { retryable?: boolean })?.retryable) throw error;
        (error as RemoteEngineError).details.attempts = attemptNo;
        lastError = error;
      }
      if (attemptNo <= retries) await sleep(Math.min(MAX_DELAY_MS, Math.max(wait ?? 0, baseDelay * 2 ** (attemptNo - 1))), signal);
    }
    throw lastError;
  }

  async function* chunks(response: Response, signal: AbortSignal): AsyncGenerator<ChatCompletionChunk> {
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      // A server that ignored `stream: true` and sent the whole completion: pass it on as one chunk.
      const completion = (await response.json().catch(() => undefined)) as { id?: string; created?: number; model?: string; choices?: { message?: { content?: string }; finish_reason?: string }[]; usage?: ChatCompletionChunk['usage'] } | undefined;
      const choice = completion?.choices?.[0];
      if (!choice) throw new RemoteEngineError('BAD_RESPONSE', `The server at ${config.baseURL} sent ${type || 'no content type'} instead of an event stream or a chat completion.`, where);
      yield {
        id: completion!.id ?? 'chatcmpl-remote',
        object: 'chat.completion.chunk',
        created: completion!.created ?? Math.floor(Date.now() / 1000),
        model: completion!.model ?? config.model,
        choices: [{ index: 0, delta: { content: choice.message?.content ?? '' }, finish_reason: (choice.finish_reason ?? 'stop') as 'stop' }],
        ...(completion!.usage ? { usage: completion!.usage } : {}),
      };
      return;
    }
    let finished = false;
    /** Races each read against the idle timeout and the abort. */
    const nextChunk = <T>(read: Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new RemoteEngineError('TIMEOUT', `The server at ${config.baseURL} sent nothing for idleTimeoutMs (${idleTimeoutMs} ms) in the middle of an answer of "${config.model}": raise idleTimeoutMs, or check the server.`, where)),
          idleTimeoutMs,
        );
        const onAbort = () => reject(abortReason(signal));
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        read.then(resolve, reject).finally(() => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        });
      });
    for await (const data of sseData(response.body!, nextChunk)) {
      if (data.trim() === '[DONE]') return;
      let chunk: ChatCompletionChunk & { error?: { message?: string } | string };
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new RemoteEngineError('BAD_RESPONSE', `The server at ${config.baseURL} streamed something that is not JSON: ${data.slice(0, 120)}`, where);
      }
      if (chunk.error) {
        const message = typeof chunk.error === 'string' ? chunk.error : chunk.error.message ?? JSON.stringify(chunk.error);
        throw new RemoteEngineError('BAD_RESPONSE', `The server at ${config.baseURL} failed in the middle of an answer of "${config.model}": ${message}`, where);
      }
      if (chunk.choices?.some((c) => c.finish_reason)) finished = true;
      yield chunk;
    }
    if (!finished) throw new RemoteEngineError('BAD_RESPONSE', `The stream from ${config.baseURL} ended before the answer of "${config.model}" finished (no finish_reason, no [DONE]): the connection may have dropped.`, where);
  }

  async function create(params: ChatCompletionCreateParams & { stream: true }, requestOptions?: RequestOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
    const controller = new AbortController();
    const external = requestOptions?.signal;
    const onAbort = () => controller.abort(abortReason(external!));
    if (external?.aborted) onAbort();
    else external?.addEventListener('abort', onAbort, { once: true });
    active.add(controller);
    const release = () => {
      active.delete(controller);
      external?.removeEventListener('abort', onAbort);
    };
    // The call's identity (CallInfo, from the orchestrator) is for local engines; the server gets OpenAI's fields only.
    const { messages, stream_options, temperature, top_p, max_tokens, seed, stop } = params;
    const sent = { messages, ...(stream_options ? { stream_options } : {}), temperature, top_p, max_tokens, seed, stop };
    let response: Response;
    try {
      response = await open(JSON.parse(JSON.stringify(sent)), controller.signal);
    } catch (error) {
      release();
      throw error;
    }
    return (async function* () {
      try {
        yield* chunks(response, controller.signal);
      } finally {
        release(); // the SSE reader cancels the body when it stops early
      }
    })();
  }

  return {
    remote: where,
    chat: { completions: { create } } as ChatEngine['chat'],
    interruptGenerate() {
      for (const controller of active) controller.abort(new DOMException('interruptGenerate() stopped the request', 'AbortError'));
    },
  };
}
