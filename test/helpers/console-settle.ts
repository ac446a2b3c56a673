// Waiting until consoles have everything the relay logged: each stands at the relay's head, and the
// head stayed put for a moment (statuses of the last sends may still be on their way).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsoleStack } from './console-stack.ts';
import { relayHeadSeq } from './console-stream-reader.ts';
import { waitFor } from './console-wait.ts';

/** Where one console stands: its cursor, and whether it has finished catching up. */
export type CursorProbe = () => Promise<{ cursor: number; caughtUp: boolean }>;

export async function waitUntilSettled(stack: ConsoleStack, consoles: CursorProbe[]): Promise<number> {
  const allAt = async (head: number) => {
    for (const probe of consoles) {
      const { cursor, caughtUp } = await probe();
      if (!caughtUp || cursor !== head) return false;
    }
    return true;
  };
  return waitFor('the consoles to reach the relay head', async () => {
    const head = await relayHeadSeq(stack.relayUrl, stack.token);
    if (!(await allAt(head))) return false;
    await sleep(300);
    const after = await relayHeadSeq(stack.relayUrl, stack.token);
    return after === head && (await allAt(head)) ? head : false;
  });
}
