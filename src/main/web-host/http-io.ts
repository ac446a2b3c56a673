// Small helpers for the web host's HTTP answers and bounded request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CodedError, type ErrorInfo } from '../../shared/result.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/** A refusal in the same shape as a failed Result, so every client reads one error format. */
export function sendError(res: ServerResponse, status: number, error: ErrorInfo): void {
  if (status === 413) res.setHeader('Connection', 'close');
  sendJson(res, status, { ok: false, error });
}

/** Reads the whole body, refusing (CodedError PAYLOAD_TOO_LARGE) as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () => new CodedError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${limit} bytes`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume(); // discard the rest; the 413 answer closes the connection
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
