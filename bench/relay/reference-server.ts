// The reference: a bare node:http server that reads the body, verifies its HMAC and answers 200. It is
// what the hardware and Node give for this traffic before any parsing or storing; the relay's figures
// are read as ratios to it. Started by run.ts over IPC.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { serverReadySchema } from './ipc.ts';

const startSchema = z.object({ type: z.literal('start'), appSecret: z.string() });
const RECEIVED = '{"received":true}';

function verified(body: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const received = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

process.once('message', (message: unknown) => {
  const { appSecret } = startSchema.parse(message);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const ok = verified(Buffer.concat(chunks), request.headers['x-hub-signature-256'], appSecret);
      response.writeHead(ok ? 200 : 401, {
        'content-type': 'application/json',
        'content-length': RECEIVED.length,
      });
      response.end(ok ? RECEIVED : '{"error":"bad signature"}'.padEnd(RECEIVED.length));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.send?.(serverReadySchema.parse({ type: 'ready', url: `http://127.0.0.1:${port}` }));
  });
});
// The orchestrator is gone: so is this process.
process.on('disconnect', () => process.exit(0));
