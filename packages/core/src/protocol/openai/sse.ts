/**
 * Server-sent events as OpenAI streams them: one `data: {json}` line and a blank line per chunk, `data: [DONE]` at
 * the end, and on a failure after the stream began `data: {"error": {…}}` (which the `openai` client raises as an
 * APIError). Comment lines (`: keep-alive`) keep idle proxies and Service Workers from closing a long run's stream;
 * every SSE parser skips them.
 */
import { toOpenAIError } from './errors.js';

const encoder = new TextEncoder();

export function sseData(data: unknown): Uint8Array {
  return encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } as const;

export interface SseOptions {
  /** Called when the stream is cancelled (the reader went away): should abort the run. */
  stop: (reason: unknown) => void;
  /** The request's signal: once it aborts nobody reads the error event, so the stream ends as fetch's does, with an AbortError. */
  clientGone?: AbortSignal;
  /** Interval of the comment lines sent while no chunk comes (0: none). */
  keepAliveMs: number;
}

/** A byte stream of `chunks` framed as SSE. */
export function sseStream(chunks: AsyncIterable<unknown>, { stop, clientGone, keepAliveMs }: SseOptions): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      clientGone?.addEventListener(
        'abort',
        () => {
          if (closed) return;
          closed = true;
          clearInterval(timer);
          controller.error(new DOMException('The client aborted the request', 'AbortError'));
        },
        { once: true },
      );
      if (keepAliveMs > 0) {
        timer = setInterval(() => {
          if (!closed) controller.enqueue(encoder.encode(': keep-alive\n\n'));
        }, keepAliveMs);
      }
      void (async () => {
        try {
          for (;;) {
            const step = await iterator.next();
            if (closed) return;
            if (step.done) break;
            controller.enqueue(sseData(step.value));
          }
          controller.enqueue(sseData('[DONE]'));
        } catch (error) {
          if (!closed) controller.enqueue(sseData(toOpenAIError(error).toJSON()));
        } finally {
          clearInterval(timer);
          if (!closed) {
            closed = true;
            controller.close();
          }
        }
      })();
    },
    cancel(reason) {
      closed = true;
      clearInterval(timer);
      stop(reason);
      void iterator.return?.()?.catch?.(() => undefined);
    },
  });
}
