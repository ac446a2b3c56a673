// A console core in its own process, for test/integration/console-crash.test.ts to SIGKILL.
//
// argv[2]: JSON {cachePath, relayUrl, token, clientId, pauseAtEvent, pauseAtSnapshotRow?}. With
// pauseAtEvent = n the child stops inside the apply transaction at the n-th event it applies: it
// prints a `paused` line and blocks (Atomics.wait) so the parent can kill it right there.
// pauseAtSnapshotRow = n does the same at the n-th row of a rebuild from a snapshot
// (`paused_in_snapshot`).
// stdin lines: {"cmd":"reply","conversationId":..,"text":..} | {"cmd":"read","conversationId":..}
// | {"cmd":"close"}
// stdout lines (JSON): ready | paused | paused_in_snapshot | queued {mutationId, conversationId, text}
// | refused | read | closed
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openConsoleCore } from '../../src/main/core/console-core.ts';
import { toErrorInfo } from '../../src/shared/result.ts';
import { childArgsSchema, childCommandSchema, type ChildLine } from './console-child-protocol.ts';

/** Written synchronously: the parent must see a line even if the next instant is a SIGKILL. */
function report(line: ChildLine): void {
  writeSync(1, `${JSON.stringify(line)}\n`);
}

/** Holds the transaction open until the parent's SIGKILL arrives (it goes on after 30 s). */
function blockForTheKill(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
}

async function main(): Promise<void> {
  const args = childArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  let applied = 0;
  const core = await openConsoleCore({
    cachePath: args.cachePath,
    relayUrl: args.relayUrl,
    token: args.token,
    clientId: args.clientId,
    demo: false,
    hooks: {
      insideApplyTransaction() {
        applied += 1;
        if (applied !== args.pauseAtEvent) return;
        report({ type: 'paused', applied });
        blockForTheKill();
      },
      insideSnapshotTransaction(rows) {
        if (rows !== args.pauseAtSnapshotRow) return;
        report({ type: 'paused_in_snapshot', rows });
        blockForTheKill();
      },
    },
  });
  report({ type: 'ready' });

  // A reply may be asked for before this console has synced the conversation: try for a while.
  async function reply(conversationId: string, text: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { mutationId } = await core.sendText({ conversationId, text });
        report({ type: 'queued', mutationId, conversationId, text });
        return;
      } catch (error) {
        const { code } = toErrorInfo(error);
        if (code !== 'CONVERSATION_NOT_FOUND' || attempt >= 200) {
          report({ type: 'refused', conversationId, code });
          return;
        }
        await sleep(50);
      }
    }
  }

  for await (const line of createInterface({ input: process.stdin })) {
    const command = childCommandSchema.parse(JSON.parse(line));
    if (command.cmd === 'reply') {
      void reply(command.conversationId, command.text);
    } else if (command.cmd === 'read') {
      await core.markConversationRead({ conversationId: command.conversationId });
      report({ type: 'read', conversationId: command.conversationId });
    } else {
      await core.close();
      report({ type: 'closed' });
      process.exit(0);
    }
  }
}

await main();
