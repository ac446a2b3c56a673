// Reads a request body into memory, but never more than `maxBytes`: a larger body is drained and
// discarded (so the client still reads our 413 instead of a reset connection).
import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

export function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (read: BodyRead) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        settle({ ok: false, reason: 'too_large' });
        request.resume();
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => settle({ ok: true, body: Buffer.concat(chunks, size) }));
    request.once('error', () => settle({ ok: false, reason: 'aborted' }));
    request.once('close', () => {
      if (!request.complete) settle({ ok: false, reason: 'aborted' });
    });
  });
}
