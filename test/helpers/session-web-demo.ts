// Starts `src/main/web-demo.ts --sign-in` as a child process: the demo's relay and simulator with a
// console that starts signed out, like a real install. Reads the URLs and the demo agent's token it prints.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

const root = join(import.meta.dirname, '../..');
const printedSchema = z.object({
  consoleUrl: z.url(),
  relayUrl: z.url(),
  simulatorUrl: z.url(),
  agentToken: z.string().min(16),
});

export interface SignInWebDemo extends z.infer<typeof printedSchema> {
  stop(): Promise<void>;
}

export async function startSignInWebDemo(flags: string[] = []): Promise<SignInWebDemo> {
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      join(root, 'src/main/web-demo.ts'),
      '--json',
      '--sign-in',
      ...flags,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const printed = await new Promise<z.infer<typeof printedSchema>>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      try {
        resolve(printedSchema.parse(JSON.parse(line)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the web demo exited with ${code} before printing its URLs`)),
    );
  });
  return {
    ...printed,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
