/**
 * `createOpenAIHandler(moa)`: an OpenAI-compatible HTTP API as a fetch handler, `(request) => Promise<Response>`.
 * It serves `POST /v1/chat/completions` (JSON, or `text/event-stream` with `stream: true`) and `GET /v1/models`,
 * answering bad requests with OpenAI's status codes and error bodies. Put it in a Service Worker to let any
 * OpenAI client in the page talk to the ensemble, in a Node or Deno server, or pass it as a client's `fetch`.
 */
import type { AttentionMoA } from '../attention-moa.js';
import { DEFAULT_MODEL_NAME } from './completions.js';
import { badParam, OpenAIRequestError, toOpenAIError } from './errors.js';
import { SSE_HEADERS, sseStream } from './sse.js';
import type { EnsembleCompletionParams } from './types.js';
import { assertRequestObject } from './validate.js';

/** What the handler needs of an ensemble: its `chat.completions`. */
export type OpenAIServedEnsemble = Pick<AttentionMoA, 'chat'>;

export interface OpenAIHandlerOptions {
  /** Path prefix of the API (default '/v1'): requests go to `${basePath}/chat/completions` and `${basePath}/models`. */
  basePath?: string;
  /** Larger request bodies get a 413 before they are read further (default 4 MiB). */
  maxBodyBytes?: number;
  /** Interval of SSE comment lines while a run streams nothing (default 15000 ms; 0: none). */
  keepAliveMs?: number;
}

/** Fetch-shaped, so it can also stand in for `fetch` in a client: `new OpenAI({ fetch: handler })`. */
export type OpenAIFetchHandler = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function errorResponse(error: unknown, headers: Record<string, string> = {}): Response {
  const e = toOpenAIError(error);
  return json(e.toJSON(), e.status, headers);
}

function isEnsemble(value: unknown): value is OpenAIServedEnsemble {
  return typeof (value as OpenAIServedEnsemble | null)?.chat?.completions?.create === 'function';
}

function ensemblesOf(target: unknown): Map<string, OpenAIServedEnsemble> {
  if (isEnsemble(target)) return new Map([[DEFAULT_MODEL_NAME, target]]);
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    throw new TypeError('createOpenAIHandler: pass an AttentionMoA, or an object mapping model names to AttentionMoA instances ({ "moa-small": moa })');
  }
  const entries = Object.entries(target);
  if (!entries.length) throw new TypeError('createOpenAIHandler: the model map is empty; name at least one ensemble, e.g. { "attention-moa": moa }');
  for (const [name, value] of entries) {
    if (!name.trim()) throw new TypeError('createOpenAIHandler: a model name is empty; use a name such as "attention-moa"');
    if (!isEnsemble(value)) throw new TypeError(`createOpenAIHandler: models["${name}"] is not an AttentionMoA (it has no chat.completions.create)`);
  }
  return new Map(entries as [string, OpenAIServedEnsemble][]);
}

/** Reads at most `limit` bytes; more is a 413. */
async function readBody(request: Request, limit: number): Promise<string> {
  const tooLarge = () =>
    new OpenAIRequestError(413, `The request body is larger than this server accepts (${limit} bytes). Send a shorter conversation, or raise maxBodyBytes in createOpenAIHandler.`, { code: 'request_too_large' });
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

export function createOpenAIHandler(target: OpenAIServedEnsemble | Record<string, OpenAIServedEnsemble>, options: OpenAIHandlerOptions = {}): OpenAIFetchHandler {
  const ensembles = ensemblesOf(target);
  const base = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 2 ** 20;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const created = Math.floor(Date.now() / 1000);
  const model = (id: string) => ({ id, object: 'model', created, owned_by: 'attention-moa' });
  const names = [...ensembles.keys()];

  async function completions(request: Request): Promise<Response> {
    let body: unknown;
    const text = await readBody(request, maxBodyBytes);
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new OpenAIRequestError(
        400,
        `We could not parse the JSON body of your request (${(error as Error).message}). The body must be JSON such as { "model": "${names[0]}", "messages": [{ "role": "user", "content": "Hi" }] }, sent with Content-Type: application/json.`,
        { code: 'invalid_json' },
      );
    }
    assertRequestObject(body);
    const name = body.model;
    if (name === undefined || name === null || name === '') {
      throw badParam('model', 'missing_required_parameter', `Missing required parameter: 'model'. Models served here: ${names.join(', ')}.`);
    }
    if (typeof name !== 'string') throw badParam('model', 'invalid_type', `Invalid type for 'model': expected a string such as "${names[0]}".`);
    const ensemble = ensembles.get(name);
    if (!ensemble) {
      throw new OpenAIRequestError(404, `The model '${name}' does not exist or you do not have access to it. Models served here: ${names.join(', ')} (GET ${base}/models lists them).`, { param: 'model', code: 'model_not_found' });
    }
    // Stop the run when the client goes away (its request's signal), or the response stream is cancelled.
    const controller = new AbortController();
    const onGone = () => controller.abort(request.signal.reason);
    if (request.signal.aborted) onGone();
    else request.signal.addEventListener('abort', onGone, { once: true });
    // Checked field by field in create().
    const params = body as unknown as EnsembleCompletionParams;
    try {
      if (params.stream === true) {
        const stream = await ensemble.chat.completions.create({ ...params, stream: true }, { signal: controller.signal });
        const done = () => request.signal.removeEventListener('abort', onGone);
        const framed = sseStream(
          (async function* () {
            try {
              yield* stream;
            } finally {
              done();
            }
          })(),
          { stop: (reason) => controller.abort(reason), clientGone: request.signal, keepAliveMs },
        );
        return new Response(framed, { status: 200, headers: SSE_HEADERS });
      }
      const response = await ensemble.chat.completions.create({ ...params, stream: false }, { signal: controller.signal });
      request.signal.removeEventListener('abort', onGone);
      return json(response);
    } catch (error) {
      request.signal.removeEventListener('abort', onGone);
      throw error;
    }
  }

  return async (input, init) => {
    try {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      const path = new URL(request.url).pathname.replace(/\/+$/, '');
      const method = request.method.toUpperCase();
      if (path === `${base}/chat/completions`) {
        if (method !== 'POST') return errorResponse(new OpenAIRequestError(405, `${method} is not allowed on ${path}; send POST with a JSON body.`, { code: 'method_not_allowed' }), { allow: 'POST' });
        return await completions(request);
      }
      if (path === `${base}/models`) {
        if (method !== 'GET') return errorResponse(new OpenAIRequestError(405, `${method} is not allowed on ${path}; send GET.`, { code: 'method_not_allowed' }), { allow: 'GET' });
        return json({ object: 'list', data: names.map(model) });
      }
      if (path.startsWith(`${base}/models/`) && method === 'GET') {
        const id = decodeURIComponent(path.slice(`${base}/models/`.length));
        if (ensembles.has(id)) return json(model(id));
        return errorResponse(new OpenAIRequestError(404, `The model '${id}' does not exist or you do not have access to it. Models served here: ${names.join(', ')}.`, { param: 'model', code: 'model_not_found' }));
      }
      return errorResponse(new OpenAIRequestError(404, `Unknown request URL: ${method} ${path}. Served here: POST ${base}/chat/completions, GET ${base}/models.`, { code: 'unknown_url' }));
    } catch (error) {
      return errorResponse(error);
    }
  };
}
