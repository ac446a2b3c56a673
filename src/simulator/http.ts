// Small node:http helpers shared by the Graph and control routes.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CodedError } from '../shared/result.ts';

/** Bodies above this are refused: Graph send bodies are a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The whole request body. Keeps reading past the limit (so we can still answer) and then rejects. */
export async function readBody(req: IncomingMessage, limitBytes: number = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  }
  if (size > limitBytes)
    throw new CodedError('SIM_BODY_TOO_LARGE', `Request body is ${size} bytes; the limit is ${limitBytes}.`);
  return Buffer.concat(chunks);
}

/** Parses a JSON body; a syntax error becomes a coded error the routes answer with 400. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    throw new CodedError(
      'SIM_INVALID_JSON',
      `Request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Answers JSON and resolves once the response is handed to the socket. */
export function sendJson(res: ServerResponse, status: number, body: unknown): Promise<void> {
  const text = JSON.stringify(body);
  return new Promise((resolve) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text, () => resolve());
    // A client that hung up never triggers end's callback; resolve anyway so nothing waits forever.
    res.once('close', () => resolve());
  });
}

export function isLoopback(address: string | undefined): boolean {
  return (
    address === '127.0.0.1' ||
    address === '::1' ||
    address === '::ffff:127.0.0.1' ||
    (address?.startsWith('127.') ?? false)
  );
}

/** True when `header` is `Bearer <accessToken>`; compared in constant time. */
export function bearerMatches(header: string | undefined, accessToken: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  // Hash first so the constant-time comparison works on equal lengths.
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1].trim()), digest(accessToken));
}
