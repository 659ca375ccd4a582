/**
 * A local test server on 127.0.0.1 for the remote engine's failure paths: each POST /v1/chat/completions takes the
 * next fault from a queue (429 / 5xx with Retry-After, headers that never come, a stream that stalls or drops, an
 * error event). With no fault queued it forwards to `upstream` (a real server: a fault proxy) or, without one,
 * streams a fixed test sentence (the fault tests' own text, never presented as a model's). It records every request,
 * and whether the client hung up before the end. Nothing listens beyond the loopback address.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { status: number; retryAfter?: string; body?: string }
  /** Wait this long before sending headers. */
  | { delayHeadersMs: number }
  /** Stream this many chunks, then go silent (until the client hangs up). */
  | { stallAfterChunks: number }
  /** Stream this many chunks, then destroy the connection. */
  | { dropAfterChunks: number }
  /** Stream this many chunks, then an OpenAI error event. */
  | { errorAfterChunks: number; message: string }
  /** Stream with this delay between chunks. */
  | { chunkDelayMs: number };

export interface RecordedRequest {
  at: number;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The client closed the connection before the response ended. */
  clientClosedEarly: boolean;
  status?: number;
}

export const TEST_SENTENCE = 'A fixed test sentence from the fault server.';

export interface FaultServer {
  url: string;
  /** Faults for the next requests, in order. */
  queue(...faults: Fault[]): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

function chunk(content: string | null, finish: string | null, usage?: object): string {
  const body = {
    id: 'chatcmpl-fault',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: 'fault-server',
    choices: usage ? [] : [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFaultServer(options: { upstream?: string; cors?: boolean } = {}): Promise<FaultServer> {
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const cors = (res: ServerResponse) => {
    if (!options.cors) return;
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    // Without this a page cannot read Retry-After on a cross-origin 429 (only safelisted headers are exposed).
    res.setHeader('access-control-expose-headers', 'retry-after, retry-after-ms');
  };

  async function forward(req: IncomingMessage, raw: Buffer, res: ServerResponse, record: RecordedRequest) {
    const target = new URL(req.url!, options.upstream);
    await new Promise<void>((resolve) => {
      const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
        record.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', resolve);
        up.on('error', resolve);
      });
      upstream.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fault proxy: upstream failed: ${error.message}` } }));
        resolve();
      });
      res.on('close', () => upstream.destroy());
      upstream.end(raw);
    });
  }

  async function stream(res: ServerResponse, record: RecordedRequest, fault: Fault | undefined) {
    record.status = 200;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const tokens = words(TEST_SENTENCE);
    const stopAt = fault && 'stallAfterChunks' in fault ? fault.stallAfterChunks : fault && 'dropAfterChunks' in fault ? fault.dropAfterChunks : fault && 'errorAfterChunks' in fault ? fault.errorAfterChunks : Infinity;
    const delay = fault && 'chunkDelayMs' in fault ? fault.chunkDelayMs : 0;
    for (let i = 0; i < tokens.length; i++) {
      if (res.destroyed) return;
      if (i === stopAt) {
        if (fault && 'stallAfterChunks' in fault) return; // silent until the client hangs up
        if (fault && 'dropAfterChunks' in fault) {
          await sleep(50); // let the chunks reach the client first, so it sees an answer cut short
          return void res.socket?.destroy();
        }
        if (fault && 'errorAfterChunks' in fault) return void res.end(`data: ${JSON.stringify({ error: { message: fault.message, type: 'server_error' } })}\n\n`);
      }
      res.write(chunk(tokens[i]!, null));
      if (delay) await sleep(delay);
    }
    res.write(chunk(null, 'stop'));
    const completion = tokens.length;
    if ((record.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      res.write(chunk(null, null, { prompt_tokens: 11, completion_tokens: completion, total_tokens: 11 + completion }));
    }
    res.end('data: [DONE]\n\n');
  }

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', async () => {
      const raw = Buffer.concat(parts);
      cors(res);
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      let body: Record<string, unknown> = {};
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch {
        // recorded as empty
      }
      const record: RecordedRequest = { at: Date.now(), method: req.method!, url: req.url!, headers: req.headers, body, clientClosedEarly: false };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.clientClosedEarly = true;
      });
      const isChat = req.method === 'POST' && req.url?.endsWith('/chat/completions');
      const fault = isChat ? faults.shift() : undefined;
      if (fault && 'status' in fault) {
        record.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
        return void res.end(fault.body ?? JSON.stringify({ error: { message: `fault server: status ${fault.status} on cue`, type: 'server_error' } }));
      }
      if (fault && 'delayHeadersMs' in fault) {
        await sleep(fault.delayHeadersMs);
        if (res.destroyed) return;
      }
      if (options.upstream && (!fault || 'delayHeadersMs' in fault)) return void forward(req, raw, res, record);
      if (isChat) return void stream(res, record, fault);
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `fault server: no route ${req.method} ${req.url}` } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queue: (...more) => void faults.push(...more),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
