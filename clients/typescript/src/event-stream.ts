/** One Server-Sent Events message; comment lines (`: keep-alive`) are not messages. */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/**
 * The messages of a text/event-stream body, as the WHATWG event-stream interpretation reads them:
 * lines end with CRLF, LF or CR, a blank line ends a message, `:` starts a comment, a message
 * without `data:` is dropped. Cancels the body when the caller stops early.
 */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] | null = null;
  // A CR that ended the last chunk: an LF starting the next one is the rest of that CRLF.
  let pendingCr = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      let chunk = decoder.decode(value, { stream: true });
      if (chunk === '') continue;
      if (pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
      pendingCr = chunk.endsWith('\r');
      buffer += chunk;
      const lines = buffer.split(/\r\n|\r|\n/);
      // The last piece is not a whole line yet.
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (data !== null) yield { id, event: event || 'message', data: data.join('\n') };
          event = '';
          data = null;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const raw = colon === -1 ? '' : line.slice(colon + 1);
        const text = raw.startsWith(' ') ? raw.slice(1) : raw;
        if (field === 'data') (data ??= []).push(text);
        else if (field === 'event') event = text;
        else if (field === 'id' && !text.includes('\0')) id = text;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
