// Consoles converge: whatever happens to the connection between a console and the relay (the relay
// restarting, a proxy cutting or black-holing the connection, a console too slow to keep up), two
// consoles with the same visibility end with identical caches, equal to the relay's own view, with
// every delivered message exactly once and every reply sent to Meta exactly once.
// Real parts throughout: the simulator, the relay, console cores with SQLite files, and a TCP proxy.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConsoleCore, type ConsoleCore } from '../../src/main/core/console-core.ts';
import { messagesWebhook } from '../../src/simulator/index.ts';
import { closeCodes } from '../../src/shared/protocol.ts';
import { waitUntilSettled, type CursorProbe } from '../helpers/console-settle.ts';
import { startConsoleStack, STACK_PHONE_NUMBER_ID, type ConsoleStack } from '../helpers/console-stack.ts';
import { waitFor } from '../helpers/console-wait.ts';
import { firstDifference, pendingLocalRows, readMirrorRows } from '../helpers/convergence-mirror-rows.ts';
import { cacheView, relayView, sortedEntries } from '../helpers/convergence-relay-view.ts';
import { openSyncMirror } from '../helpers/convergence-sync-mirror.ts';
import { ConvergenceTraffic, postCommand } from '../helpers/convergence-traffic.ts';
import { startTcpProxy, type MidFrameCut, type TcpProxy } from '../helpers/tcp-proxy.ts';

let stack: ConsoleStack | null = null;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stack?.close();
  stack = null;
});

async function newStack(): Promise<ConsoleStack> {
  stack = await startConsoleStack();
  // Templates are part of the mirror: have the relay fetch Meta's set once.
  await postCommand(stack.relayUrl, stack.token, 'sync-templates-0001', { kind: 'sync_templates' });
  return stack;
}

interface Desk {
  core: ConsoleCore;
  cachePath: string;
  /** Every sync state the console went through, and every error it turned to. */
  states: Set<string>;
  errors: string[];
  /** Closes the core (once; the cleanup after the test calls it too). */
  close(): Promise<void>;
}

async function openDesk(
  s: ConsoleStack,
  name: string,
  options: { token: string; relayUrl?: string },
): Promise<Desk> {
  const cachePath = join(s.dir, `${name}.sqlite`);
  const core = await openConsoleCore({
    cachePath,
    relayUrl: options.relayUrl ?? s.relayUrl,
    token: options.token,
    clientId: name,
    demo: false,
  });
  let closing: Promise<void> | null = null;
  const desk: Desk = {
    core,
    cachePath,
    states: new Set(),
    errors: [],
    close: () => (closing ??= core.close()),
  };
  cleanups.push(() => desk.close());
  let lastError: string | null = null;
  core.onEvent((event) => {
    if (event.type !== 'sync.status') return;
    desk.states.add(event.status.state);
    const { error } = event.status;
    if (error !== null && error !== lastError) desk.errors.push(error);
    lastError = error;
  });
  return desk;
}

async function proxyTo(s: ConsoleStack): Promise<TcpProxy> {
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: s.relay.port });
  cleanups.push(() => proxy.close());
  return proxy;
}

const deskProbe =
  (desk: Desk): CursorProbe =>
  async () => {
    const status = await desk.core.getSyncStatus({});
    return { cursor: status.cursor, caughtUp: status.state === 'connected' };
  };

/**
 * The proof, once traffic has stopped and every console has closed at the relay's head: the caches
 * are identical row by row, equal to the relay's view, hold every delivered inbound message and
 * every reply exactly once, with nothing left pending; Meta received each reply exactly once.
 */
function expectConverged(input: {
  cachePaths: string[];
  view: Awaited<ReturnType<typeof relayView>>;
  head: number;
  delivered: ReadonlySet<string>;
  replies: readonly { mutationId: string }[];
  s: ConsoleStack;
}): void {
  const [first, ...others] = input.cachePaths.map((path) => readMirrorRows(path));
  if (!first) throw new Error('no caches to compare');
  expect(Object.keys(first)).toEqual(expect.arrayContaining(['conversations', 'messages', 'templates']));
  for (const other of others) expect(firstDifference(first, other)).toBeNull();
  for (const path of input.cachePaths) expect(pendingLocalRows(path)).toEqual({ outbox: 0, rebuild: 0 });

  // Against the relay: the whole stream as a fresh console of the same visibility reads it.
  expect(input.view.cursor).toBe(input.head);
  const cached = cacheView(input.cachePaths[0] as string);
  expect(sortedEntries(cached.messages)).toEqual(sortedEntries(input.view.messages));
  expect(sortedEntries(cached.conversations)).toEqual(sortedEntries(input.view.conversations));
  expect(sortedEntries(cached.templates)).toEqual(sortedEntries(input.view.templates));
  expect(cached.templates.size).toBeGreaterThan(0);

  // Nothing missing, nothing doubled: inbound ids are what the simulator delivered; outbound ids are
  // the replies typed, each sent to Meta once, and the cache names the wamid Meta answered.
  const rows = first.messages as { id: string; direction: string; wa_message_id: string | null }[];
  expect(new Set(rows.filter((m) => m.direction === 'in').map((m) => m.id))).toEqual(input.delivered);
  const outbound = rows.filter((m) => m.direction === 'out');
  expect(new Set(outbound.map((m) => m.id))).toEqual(new Set(input.replies.map((r) => r.mutationId)));
  const sends = input.s.simulator.sends();
  for (const message of outbound) {
    const sent = sends.filter((send) => send.bizOpaqueCallbackData === message.id);
    expect(sent, `sends of ${message.id}`).toHaveLength(1);
    expect(message.wa_message_id).toBe(sent[0]?.wamid);
  }
}

describe('two consoles with the same visibility converge', () => {
  it('after a relay restart in the middle of traffic', async () => {
    const s = await newStack();
    // Two agents of the same number: the same visibility, from two desks.
    const ana = s.relay.createAgent({ name: 'Ana Paz', role: 'agent', numbers: [STACK_PHONE_NUMBER_ID] });
    const beto = s.relay.createAgent({ name: 'Beto Ruiz', role: 'agent', numbers: [STACK_PHONE_NUMBER_ID] });
    const anaDesk = await openDesk(s, 'ana-desk', { token: ana.token });
    const betoDesk = await openDesk(s, 'beto-desk', { token: beto.token });
    const traffic = new ConvergenceTraffic({
      simulator: s.simulator,
      relayUrl: s.relayUrl,
      adminToken: s.token,
      phoneNumberId: STACK_PHONE_NUMBER_ID,
      repliers: [anaDesk.core, betoDesk.core],
      assignees: [ana.agent.id, beto.agent.id],
      seed: 1101,
      tag: 'restart',
    });

    await traffic.run(25);
    await s.stopRelay();
    // While it is down: customers' webhooks are retried, replies wait in the outboxes.
    await traffic.run(12);
    await s.startRelay();
    await traffic.run(25);
    await traffic.finish();

    const head = await waitUntilSettled(s, [deskProbe(anaDesk), deskProbe(betoDesk)]);
    // Both lost the relay and came back on their own.
    expect(anaDesk.states).toContain('offline');
    expect(betoDesk.states).toContain('offline');
    await anaDesk.close();
    await betoDesk.close();
    // The restart really struck mid-traffic: customers' webhooks met a stopped relay and were retried.
    expect(traffic.webhookRetries).toBeGreaterThan(0);
    expect(traffic.replies.length).toBeGreaterThan(10);
    expectConverged({
      cachePaths: [anaDesk.cachePath, betoDesk.cachePath],
      view: await relayView(s.relayUrl, ana.token),
      head,
      delivered: traffic.delivered,
      replies: traffic.replies,
      s,
    });
  });

  it('when a proxy cuts one console off abruptly, mid-frame, and black-holes another', async () => {
    const s = await newStack();
    const cutter = await proxyTo(s);
    const blackHole = await proxyTo(s);
    const direct = await openDesk(s, 'direct-desk', { token: s.token });
    const behind = await openDesk(s, 'proxied-desk', { token: s.token, relayUrl: cutter.url });
    // The third console notices a black hole only by its watchdog (see convergence-sync-mirror.ts).
    const watchdogMs = 2_000;
    const silent = openSyncMirror({
      cachePath: join(s.dir, 'black-holed-desk.sqlite'),
      relayUrl: blackHole.url,
      token: s.token,
      clientId: 'black-holed-desk',
      watchdogMs,
      seed: 1203,
    });
    cleanups.push(() => silent.close());
    const traffic = new ConvergenceTraffic({
      simulator: s.simulator,
      relayUrl: s.relayUrl,
      adminToken: s.token,
      phoneNumberId: STACK_PHONE_NUMBER_ID,
      repliers: [direct.core, behind.core],
      assignees: [s.agent.id],
      seed: 1202,
      tag: 'proxy',
    });
    /** Keeps traffic flowing until `done` says so (bounded, so a hang fails clearly). */
    const trafficUntil = async (what: string, done: () => boolean) => {
      for (let steps = 0; !done(); steps++) {
        if (steps > 400) throw new Error(`no ${what} after 400 traffic steps`);
        await traffic.run(1, 25);
      }
    };

    /** Cuts only land on a live connection: wait until the console behind the proxy is back. */
    const behindIsLive = () =>
      waitFor('the proxied console to be connected', async () => {
        const status = await behind.core.getSyncStatus({});
        return status.state === 'connected' && cutter.open === 1;
      });

    await traffic.run(15);
    await behindIsLive();
    expect(cutter.cutAll()).toBe(1);
    await traffic.run(15);

    await behindIsLive();
    const midFrame: { cut: MidFrameCut | null } = { cut: null };
    void cutter.cutMidFrame(256).then((cut) => (midFrame.cut = cut));
    await trafficUntil('a mid-frame cut', () => midFrame.cut !== null);
    const { cut } = midFrame;
    if (!cut) throw new Error('unreachable: the cut happened');
    expect(cut.opcode).toBe(1);
    expect(cut.forwardedBytes).toBeGreaterThan(0);
    expect(cut.forwardedBytes).toBeLessThan(cut.frameBytes);

    await traffic.run(15);
    await behindIsLive();
    await waitFor('the black-holed console to be connected', () => blackHole.open === 1);
    expect(cutter.cutAll()).toBe(1);
    expect(blackHole.cutAll()).toBe(1);
    await traffic.run(15);

    // Connected means past the WebSocket handshake: a black hole during the handshake is the
    // handshake timeout's (15 s) to notice, not the watchdog's.
    await waitFor(
      'the black-holed console to be connected',
      () => blackHole.open === 1 && silent.status.state === 'connected',
    );
    const acceptedBefore = blackHole.accepted;
    const errorsBefore = silent.errors.length;
    expect(blackHole.blackHole()).toBe(1);
    await trafficUntil('reconnect after the black hole', () => blackHole.accepted > acceptedBefore);
    // Nothing was closed: the console's watchdog is what gave up on the silent connection.
    expect(silent.errors.slice(errorsBefore)).toEqual([
      `nothing heard from the relay for ${Math.round(watchdogMs / 1000)} s`,
    ]);
    await traffic.run(15);
    await traffic.finish();

    const head = await waitUntilSettled(s, [
      deskProbe(direct),
      deskProbe(behind),
      // The mirror's short watchdog may drop an idle connection (pings come every 15 s): what counts
      // is that its committed cursor reached the head.
      () => Promise.resolve({ cursor: silent.status.cursor, caughtUp: true }),
    ]);
    // Three cuts, three reconnects.
    expect(cutter.accepted).toBeGreaterThanOrEqual(4);
    await direct.close();
    await behind.close();
    await silent.close();
    expectConverged({
      cachePaths: [direct.cachePath, behind.cachePath, join(s.dir, 'black-holed-desk.sqlite')],
      view: await relayView(s.relayUrl, s.token),
      head,
      delivered: traffic.delivered,
      replies: traffic.replies,
      s,
    });
  });

  it('when one console reads too slowly and the relay drops it as a slow consumer', async () => {
    const s = await newStack();
    const proxy = await proxyTo(s);
    const fast = await openDesk(s, 'fast-desk', { token: s.token });
    const slow = await openDesk(s, 'slow-desk', { token: s.token, relayUrl: proxy.url });
    const traffic = new ConvergenceTraffic({
      simulator: s.simulator,
      relayUrl: s.relayUrl,
      adminToken: s.token,
      phoneNumberId: STACK_PHONE_NUMBER_ID,
      repliers: [fast.core, slow.core],
      assignees: [s.agent.id],
      seed: 1303,
      tag: 'slow',
    });
    await traffic.run(15);
    await traffic.finish();
    await waitUntilSettled(s, [deskProbe(fast), deskProbe(slow)]);

    // The slow desk now takes in FLOOD_READ_RATE bytes a second while customers send a flood.
    proxy.slowDown(FLOOD_READ_RATE);
    const flooded = await flood(s, 'slow');
    await traffic.run(10);
    proxy.fullSpeed();
    await waitFor('the relay to drop the slow console', () =>
      proxy.closeCodes.includes(closeCodes.slowConsumer),
    );
    await traffic.run(10);
    await traffic.finish();

    const head = await waitUntilSettled(s, [deskProbe(fast), deskProbe(slow)]);
    expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    expect(slow.errors.some((error) => error.includes('too far behind'))).toBe(true);
    await fast.close();
    await slow.close();
    expectConverged({
      cachePaths: [fast.cachePath, slow.cachePath],
      view: await relayView(s.relayUrl, s.token),
      head,
      delivered: new Set([...traffic.delivered, ...flooded]),
      replies: traffic.replies,
      s,
    });
  });
});

/** How fast the slow console reads while the flood goes out (bytes per second). */
const FLOOD_READ_RATE = 64 * 1024;
const FLOOD_WEBHOOKS = 16;
const FLOOD_MESSAGES_PER_WEBHOOK = 200;
const FLOOD_TEXT_BYTES = 4_000;

/**
 * Customers' messages far past what the socket buffers and the relay's 4 MiB send-buffer limit
 * hold: FLOOD_WEBHOOKS deliveries of FLOOD_MESSAGES_PER_WEBHOOK long texts, just under the relay's
 * 1 MiB webhook limit each. Answers the ids delivered.
 */
async function flood(s: ConsoleStack, tag: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const filler = 'Necesito ayuda con mi pedido, por favor. '.repeat(Math.ceil(FLOOD_TEXT_BYTES / 41));
  for (let w = 0; w < FLOOD_WEBHOOKS; w++) {
    const customer = `5939777${String(w).padStart(5, '0')}`;
    const timestamp = String(Math.floor(s.simulator.clock.now() / 1000));
    const messages = Array.from({ length: FLOOD_MESSAGES_PER_WEBHOOK }, (_, i) => {
      const id = `wamid.flood-${tag}-${w}-${i}`;
      ids.add(id);
      const body = `${i} ${filler}`.slice(0, FLOOD_TEXT_BYTES);
      return { from: customer, id, timestamp, type: 'text', text: { body } };
    });
    const answer = await s.simulator.sendWebhook(
      messagesWebhook(
        {
          wabaId: '102290129340398',
          phoneNumberId: STACK_PHONE_NUMBER_ID,
          displayPhoneNumber: '+593 2 555 0100',
        },
        { contacts: [{ profile: { name: `Cliente ${w}` }, wa_id: customer }], messages },
      ),
    );
    expect(answer.status, answer.body).toBe(200);
  }
  return ids;
}
