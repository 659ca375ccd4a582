/// <reference lib="webworker" />
// The Service Worker half of the example: it answers the page's requests to ./v1/ by handing them to the page, where
// the ensemble runs (a Service Worker cannot start the Web Workers the models run in), and streams the page's
// response back. Any OpenAI client in the page then talks to the local ensemble through plain fetch.
const sw = self as unknown as ServiceWorkerGlobalScope;

const API = /\/v1\/(chat\/completions|models)(\/.*)?$/;

sw.addEventListener('install', () => void sw.skipWaiting());
sw.addEventListener('activate', (event: ExtendableEvent) => event.waitUntil(sw.clients.claim()));

sw.addEventListener('fetch', (event: FetchEvent) => {
  const url = new URL(event.request.url);
  if (url.origin !== sw.location.origin || !API.test(url.pathname)) return;
  event.respondWith(forward(event));
});

function unavailable(message: string): Response {
  const error = { message, type: 'server_error', param: null, code: 'ensemble_unavailable' };
  return new Response(JSON.stringify({ error }), { status: 503, headers: { 'content-type': 'application/json' } });
}

async function forward(event: FetchEvent): Promise<Response> {
  const client = event.clientId ? await sw.clients.get(event.clientId) : undefined;
  if (!client) return unavailable('No page is serving the ensemble: open the page that runs it (serveOpenAI) first.');
  const request = event.request;
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const { port1, port2 } = new MessageChannel();
  client.postMessage(
    { type: 'openai-request', url: request.url, method: request.method, headers: [...request.headers], body },
    body ? [port2, body] : [port2],
  );
  return new Promise<Response>((resolve) => {
    let sink: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => void (sink = controller),
      cancel: () => port1.postMessage({ type: 'cancel' }), // the client stopped reading: the page aborts the run
    });
    // The page's client is gone (closed tab) or stopped answering: fail the request rather than hang.
    const timer = setTimeout(() => resolve(unavailable('The page serving the ensemble did not answer.')), 30_000);
    port1.onmessage = ({ data }) => {
      if (data.type === 'head') {
        clearTimeout(timer);
        resolve(new Response(stream, { status: data.status, headers: data.headers }));
      } else if (data.type === 'chunk') sink.enqueue(new Uint8Array(data.chunk));
      else if (data.type === 'end') sink.close();
      else if (data.type === 'error') sink.error(new Error(data.message));
    };
  });
}
