// Cold open: from spawning a new Node process to the first inbox page read from an existing cache,
// with the relay unreachable (a loopback port nobody listens on). Measured from the parent, so the
// process start, module loading and the cache opening are all inside.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';

const answerSchema = z.object({ conversations: z.number().int() });

export interface ColdOpenRun {
  ms: number;
  conversations: number;
}

/** A loopback URL that refuses connections: a port taken from the OS, then released. */
export async function unreachableRelayUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no loopback port');
  return `http://127.0.0.1:${address.port}`;
}

export function coldOpen(cachePath: string, relayUrl: string, timeoutMs: number): Promise<ColdOpenRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        join(import.meta.dirname, 'cold-open-child.ts'),
        cachePath,
        relayUrl,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    let settled = false;
    const settle = (work: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      work();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new Error(`cold open did not answer within ${timeoutMs} ms`)));
    }, timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const newline = output.indexOf('\n');
      if (newline < 0) return;
      const ms = performance.now() - started;
      settle(() => {
        try {
          const answer = answerSchema.parse(JSON.parse(output.slice(0, newline)));
          resolve({ ms, conversations: answer.conversations });
        } catch (error) {
          reject(new Error(`cold open answered something unexpected: ${(error as Error).message}`));
        }
      });
    });
    child.once('close', (code, signal) =>
      settle(() => reject(new Error(`cold open exited before answering (code ${code}, signal ${signal})`))),
    );
  });
}
