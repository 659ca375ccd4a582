import { describe, expect, it } from 'vitest';
import { RetryStream } from '../../../../packages/core/src/runtime/retry-stream.js';
import { runtimeError } from '../../../../packages/core/src/engine/errors.js';
import type { ChatCompletionChunk } from '../../../../packages/core/src/engine/contract.js';

const chunk = (content: string): ChatCompletionChunk => ({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });

/** A worker's stream: yields `tokens`, then fails with `error` if given. */
async function* worker(tokens: string[], error?: Error): AsyncGenerator<ChatCompletionChunk> {
  for (const t of tokens) yield chunk(t);
  if (error) throw error;
}
const crashed = () => runtimeError('WORKER_CRASHED', { model: 'B', causeMessage: 'test' });

async function read(stream: AsyncIterable<ChatCompletionChunk>): Promise<string> {
  let text = '';
  for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
  return text;
}

describe('RetryStream', () => {
  it('a request whose worker died before sending anything is queued again and its caller gets the new reply', async () => {
    const requeued: RetryStream[] = [];
    const stream = new RetryStream(worker([], crashed()), (s) => {
      requeued.push(s);
      setTimeout(() => s.attach(worker(['fresh ', 'reply'])), 5); // the restarted worker takes it
      return () => {};
    });
    expect(await read(stream)).toBe('fresh reply');
    expect(requeued).toHaveLength(1);
  });

  it('once a chunk arrived, a crash fails the stream: the caller never sees two different replies', async () => {
    let requeues = 0;
    const stream = new RetryStream(worker(['half '], crashed()), () => (requeues++, () => {}));
    await expect(read(stream)).rejects.toMatchObject({ code: 'WORKER_CRASHED' });
    expect(requeues).toBe(0);
  });

  it('only a crash is retried: an engine error or an abort fails at once', async () => {
    const abort = new DOMException('stopped', 'AbortError');
    await expect(read(new RetryStream(worker([], abort), () => () => {}))).rejects.toBe(abort);
    const engine = runtimeError('ENGINE_ERROR', { causeMessage: 'bad' });
    await expect(read(new RetryStream(worker([], engine), () => () => {}))).rejects.toBe(engine);
  });

  it('a model given up (or a disposed pool) fails the request with that error instead of queuing it', async () => {
    const givenUp = runtimeError('WORKER_CRASHED', { model: 'B' }, { message: 'B was given up' });
    await expect(read(new RetryStream(worker([], crashed()), () => givenUp))).rejects.toBe(givenUp);
  });

  it('a request that fails while queued again (aborted, disposed) fails its caller with that error', async () => {
    const stream = new RetryStream(worker([], crashed()), (s) => (setTimeout(() => s.fail(runtimeError('DISPOSED')), 5), () => {}));
    await expect(read(stream)).rejects.toMatchObject({ code: 'DISPOSED' });
  });

  it('the caller leaving while the request waits takes it out of the queue; a late worker stream is closed', async () => {
    let cancelled = 0;
    let closedLate = false;
    const stream = new RetryStream(worker([], crashed()), () => () => void cancelled++);
    const pending = stream.next();
    await new Promise((r) => setTimeout(r, 5));
    await stream.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(cancelled).toBe(1);
    const late = worker(['never read']);
    const close = late.return.bind(late);
    late.return = (v) => ((closedLate = true), close(v));
    stream.attach(late);
    expect(closedLate).toBe(true);
  });
});
