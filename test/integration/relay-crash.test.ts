// The relay SIGKILLed during ingest, at seeded random points, and restarted on the same SQLite file:
// what it acknowledged (200) must be in the log exactly once, and Meta's retries of what it did not
// acknowledge must complete the log without duplicates. The relay runs as a child process
// (test/helpers/relay-child.ts); the log is read back the way a console reads it, over the sync
// WebSocket. Replay a failing run with VENTANA_CRASH_SEED=<the printed seed>.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomInt } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION, SYNC_PATH, parseFrame, serverFrameSchema } from '../../src/shared/protocol.ts';
import { relayChildReadySchema, type RelayChildArgs } from '../helpers/relay-child.ts';

const APP_SECRET = 'relay-crash-app-secret';
const WABA_ID = '310000000000009';
const NUMBER = '420000000000009';
const KILLS = 10;
const SENDERS = 8;
/** Each round's relay is killed once it has acknowledged between these many webhooks (seeded). */
const MIN_ACKS_BEFORE_KILL = 5;
const MAX_ACKS_BEFORE_KILL = 120;

const childScript = join(import.meta.dirname, '../helpers/relay-child.ts');

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------
// The relay child process.

interface RunningRelay {
  url: string;
  supervisorToken: string | null;
  kill(): Promise<void>;
}

const children = new Set<ChildProcess>();

async function startRelayChild(args: RelayChildArgs): Promise<RunningRelay> {
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', childScript, JSON.stringify(args)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    exited.then(([code, signal]) => {
      throw new Error(
        `the relay child exited (code ${String(code)}, signal ${String(signal)}) before listening`,
      );
    }),
  ])) as [string];
  const ready = relayChildReadySchema.parse(JSON.parse(first));
  return {
    url: ready.url,
    supervisorToken: ready.supervisorToken,
    async kill() {
      child.kill('SIGKILL');
      await exited;
      children.delete(child);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Meta's side: unique signed webhooks, one inbound text message each.

interface Delivery {
  wamid: string;
  body: Buffer;
  signature: string;
}

function delivery(n: number): Delivery {
  const customer = String(5215500000000 + (n % 37));
  const wamid = `wamid.crash.${n}`;
  const body = Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA_ID,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550009999', phone_number_id: NUMBER },
                contacts: [{ profile: { name: `Cliente ${n % 37}` }, wa_id: customer }],
                messages: [
                  {
                    from: customer,
                    id: wamid,
                    timestamp: String(1_790_000_000 + n),
                    type: 'text',
                    text: { body: `Mensaje número ${n}` },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  );
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  return { wamid, body, signature };
}

/** True only when the relay answered 200; a refused or cut request is "not acknowledged". */
async function post(relayUrl: string, { body, signature }: Delivery): Promise<boolean> {
  try {
    const response = await fetch(`${relayUrl}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// A console's view of the log: every message.upserted event, replayed from the start.

async function messageIdsInLog(relayUrl: string, token: string): Promise<string[]> {
  const ws = new WebSocket(`${relayUrl.replace(/^http/, 'ws')}${SYNC_PATH}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await once(ws, 'open');
  const ids: string[] = [];
  const caughtUp = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const parsed = parseFrame(serverFrameSchema, data.toString('utf8'));
      if (!parsed.ok) return reject(new Error(`a frame outside the protocol: ${parsed.reason}`));
      const frame = parsed.frame;
      if (frame.type === 'events') {
        for (const event of frame.events) if (event.type === 'message.upserted') ids.push(event.message.id);
      } else if (frame.type === 'caught_up') resolve();
      else if (frame.type !== 'welcome') reject(new Error(`unexpected ${frame.type} frame during replay`));
    });
    ws.once('close', (code) => reject(new Error(`sync closed (${code}) before caught_up`)));
  });
  ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: 'crash-reader', cursor: 0 }));
  await caughtUp;
  ws.close();
  return ids;
}

function occurrences(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------------------------------------------

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ventana-relay-crash-'));
});

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  rmSync(dir, { recursive: true, force: true });
});

describe('relay killed during ingest', () => {
  it('keeps every acknowledged webhook exactly once, and Meta’s retries complete the log', async () => {
    const seed = Number(process.env.VENTANA_CRASH_SEED ?? randomInt(2 ** 31));
    console.log(`relay crash test seed: ${seed} (replay with VENTANA_CRASH_SEED=${seed})`);
    const random = seededRandom(seed);
    const args: RelayChildArgs = {
      dir,
      dbPath: join(dir, 'relay.sqlite'),
      appSecret: APP_SECRET,
      wabaId: WABA_ID,
      createSupervisor: true,
    };

    const acknowledged = new Set<string>();
    const unacknowledged: Delivery[] = [];
    let supervisorToken: string | null = null;
    let next = 0;

    for (let round = 0; round < KILLS; round++) {
      const relay = await startRelayChild({ ...args, createSupervisor: round === 0 });
      supervisorToken ??= relay.supervisorToken;
      const killAfter =
        MIN_ACKS_BEFORE_KILL + Math.floor(random() * (MAX_ACKS_BEFORE_KILL - MIN_ACKS_BEFORE_KILL));
      let acksThisRound = 0;
      let killRequested = false;
      // Concurrent senders, as Meta delivers. They keep posting through the kill, so it lands with
      // posts in flight; each stops at its first post the dead relay does not answer.
      const sender = async (): Promise<void> => {
        for (;;) {
          const item = delivery(next++);
          if (await post(relay.url, item)) {
            acknowledged.add(item.wamid);
            acksThisRound += 1;
            if (acksThisRound >= killAfter && !killRequested) {
              killRequested = true;
              void relay.kill();
            }
            continue;
          }
          unacknowledged.push(item);
          if (killRequested) return;
          throw new Error(`the relay refused ${item.wamid} before it was killed`);
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, sender));
      await relay.kill();
    }

    const relay = await startRelayChild(args);
    if (supervisorToken === null) throw new Error('the first relay start printed no supervisor token');
    const afterCrashes = occurrences(await messageIdsInLog(relay.url, supervisorToken));
    const lostOrDoubled = [...acknowledged].filter((wamid) => afterCrashes.get(wamid) !== 1);
    expect(lostOrDoubled, 'acknowledged webhooks missing from the log or in it twice').toEqual([]);
    expect([...afterCrashes.values()].every((count) => count === 1)).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILLS * MIN_ACKS_BEFORE_KILL);
    const committedUnanswered = unacknowledged.filter((item) => afterCrashes.has(item.wamid)).length;
    console.log(
      `${acknowledged.size} acknowledged, ${unacknowledged.length} cut by the kills ` +
        `(${committedUnanswered} of those committed before the kill)`,
    );

    // Meta redelivers what it never saw acknowledged; some of those were committed before the kill.
    for (const item of unacknowledged) expect(await post(relay.url, item)).toBe(true);
    const afterRetries = occurrences(await messageIdsInLog(relay.url, supervisorToken));
    const everyMessage = Array.from({ length: next }, (_, n) => `wamid.crash.${n}`);
    expect(everyMessage.filter((wamid) => afterRetries.get(wamid) !== 1)).toEqual([]);
    expect(afterRetries.size).toBe(next);
    await relay.kill();
  });
});
