/**
 * Reads a `text/event-stream` body into the `data` of each event (joined across multi-line `data:` fields),
 * skipping comments and other fields, as the SSE spec says. Line ends may be LF, CRLF or CR.
 */
export async function* sseData(body: ReadableStream<Uint8Array>, nextChunk: <T>(read: Promise<T>) => Promise<T>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await nextChunk(reader.read());
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A CR at the end may be half of a CRLF: keep it until the next read says.
      const held = !done && buffer.endsWith('\r') ? '\r' : '';
      const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      // The last piece may be a partial line: keep it for the next read.
      buffer = done ? '' : lines.pop()! + held;
      for (const line of lines) {
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
      if (done) {
        if (data.length) yield data.join('\n');
        return;
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
