// The page half: answers the requests the Service Worker (sw.ts) hands over with an OpenAI fetch handler, streaming
// the response back; a cancelled response (the client aborted) aborts the run.
import type { OpenAIFetchHandler } from '@attention-moa/core';

export async function serveOpenAI(handler: OpenAIFetchHandler, swUrl: string): Promise<void> {
  navigator.serviceWorker.addEventListener('message', async (event: MessageEvent) => {
    const data = event.data as { type?: string; url: string; method: string; headers: [string, string][]; body?: ArrayBuffer };
    if (data?.type !== 'openai-request') return;
    const port = event.ports[0]!;
    const abort = new AbortController();
    port.onmessage = ({ data: message }) => {
      if (message?.type === 'cancel') abort.abort();
    };
    const response = await handler(new Request(data.url, { method: data.method, headers: data.headers, ...(data.body ? { body: data.body } : {}), signal: abort.signal }));
    port.postMessage({ type: 'head', status: response.status, headers: [...response.headers] });
    const reader = response.body?.getReader();
    try {
      for (;;) {
        const step = await reader?.read();
        if (!step || step.done) break;
        const chunk = step.value.slice().buffer;
        port.postMessage({ type: 'chunk', chunk }, [chunk]);
      }
      port.postMessage({ type: 'end' });
    } catch (error) {
      port.postMessage({ type: 'error', message: (error as Error).message });
    }
  });
  await navigator.serviceWorker.register(swUrl, { type: 'module' });
  // The first visit: wait until the worker controls this page (it claims it on activation).
  if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
}
