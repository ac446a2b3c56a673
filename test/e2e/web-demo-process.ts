// Starts `src/main/web-demo.ts` as a child process, the way a person runs the web demo, and reads
// the URLs it prints. The test then drives the simulator through its HTTP control endpoints.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { z } from 'zod';

const root = join(import.meta.dirname, '../..');
const urlsSchema = z.object({
  consoleUrl: z.string().url(),
  relayUrl: z.string().url(),
  simulatorUrl: z.string().url(),
});
export type DemoUrls = z.infer<typeof urlsSchema>;

export interface WebDemoProcess extends DemoUrls {
  stop(): Promise<void>;
}

export async function startWebDemo(flags: string[]): Promise<WebDemoProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(root, 'src/main/web-demo.ts'), '--json', ...flags],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls = await new Promise<DemoUrls>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(urlsSchema.parse(JSON.parse(line))));
    child.once('exit', (code) => reject(new Error(`web demo exited with ${code} before printing its URLs`)));
  });
  return {
    ...urls,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Calls one of the simulator's loopback control endpoints (`/_sim/...`). */
export async function simulatorControl<T>(
  demo: DemoUrls,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${demo.simulatorUrl}/_sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`simulator ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
