// The benchmark's child processes: forked with an IPC channel, their output sent to our stderr (stdout
// belongs to the result), every answer validated, and all of them killed when the run ends, however
// it ends.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { z } from 'zod';

const running = new Set<ChildProcess>();

export class BenchChild {
  readonly name: string;
  readonly #process: ChildProcess;
  readonly #inbox: unknown[] = [];
  #wake: (() => void) | null = null;
  #exit: string | null = null;

  constructor(name: string, script: string) {
    this.name = name;
    this.#process = fork(join(import.meta.dirname, script), [], {
      execArgv: ['--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    running.add(this.#process);
    this.#process.on('message', (message) => {
      this.#inbox.push(message);
      this.#wake?.();
    });
    this.#process.once('exit', (code, signal) => {
      running.delete(this.#process);
      this.#exit = `exited (code ${code}, signal ${signal})`;
      this.#wake?.();
    });
  }

  /** Sends `message` (if any) and waits for the child's next message, which must match `schema`. */
  async ask<T>(message: unknown, schema: z.ZodType<T>, timeoutMs: number): Promise<T> {
    if (message !== undefined) this.#process.send(message as object);
    const deadline = performance.now() + timeoutMs;
    while (this.#inbox.length === 0) {
      if (this.#exit !== null) throw new Error(`bench ${this.name} ${this.#exit}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`bench ${this.name} did not answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
    const parsed = schema.safeParse(this.#inbox.shift());
    if (!parsed.success)
      throw new Error(`bench ${this.name} answered something unexpected: ${parsed.error.message}`);
    return parsed.data;
  }

  stop(): void {
    this.#process.kill('SIGKILL');
  }
}

export function stopAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
