// The parent's handle on a console child process (console-child.ts): start it, talk to it line by
// line, wait for what it reports, and SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  childLineSchema,
  type ChildArgs,
  type ChildCommand,
  type ChildLine,
} from './console-child-protocol.ts';

const childScript = join(import.meta.dirname, 'console-child.ts');

export class ConsoleChild {
  readonly #process: ChildProcess;
  readonly #waiters = new Set<{ accept: (line: ChildLine) => boolean; resolve: (line: ChildLine) => void }>();
  readonly #onLine: (line: ChildLine) => void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #alive = true;

  constructor(args: ChildArgs, onLine: (line: ChildLine) => void) {
    this.#onLine = onLine;
    this.#process = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', childScript, JSON.stringify(args)],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    this.exited = new Promise((resolve) => {
      this.#process.once('exit', (code, signal) => {
        this.#alive = false;
        resolve({ code, signal });
      });
    });
    // A write racing the child's death must not crash the test.
    this.#process.stdin?.on('error', () => {});
    if (!this.#process.stdout) throw new Error('the console child has no stdout');
    createInterface({ input: this.#process.stdout }).on('line', (text) => this.#receive(text));
  }

  get alive(): boolean {
    return this.#alive;
  }

  send(command: ChildCommand): void {
    if (this.#alive) this.#process.stdin?.write(`${JSON.stringify(command)}\n`);
  }

  /** Resolves with the first line (from now on) that `accept` takes; rejects if the child exits first. */
  waitForLine(accept: (line: ChildLine) => boolean): Promise<ChildLine> {
    return new Promise((resolve, reject) => {
      const waiter = { accept, resolve };
      this.#waiters.add(waiter);
      void this.exited.then(({ code, signal }) => {
        if (!this.#waiters.delete(waiter)) return;
        reject(
          new Error(`the console child exited (code ${code}, signal ${signal}) before the expected line`),
        );
      });
    });
  }

  async kill(): Promise<void> {
    if (this.#alive) this.#process.kill('SIGKILL');
    await this.exited;
  }

  #receive(text: string): void {
    const parsed = childLineSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`the console child printed an unexpected line: ${text}`);
    this.#onLine(parsed.data);
    for (const waiter of this.#waiters) {
      if (!waiter.accept(parsed.data)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(parsed.data);
    }
  }
}
