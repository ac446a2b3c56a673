// Signing in and out of a real relay: the token checked with GET /v1/me before anything is kept, the
// keychain (a MemoryVault for most tests; a real gnome-keyring under its own D-Bus session for the
// last ones), one cache folder per relay and agent, the session remembered for an offline start, and machine policy over what
// the agent types. Simulator -> relay -> console over loopback, caches as SQLite files in the temp dir.
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDemo } from '../../src/main/demo.ts';
import { accountPaths } from '../../src/main/session/account-paths.ts';
import type { SessionConsole } from '../../src/main/session/session-console.ts';
import { MemoryVault } from '../../src/main/vault/memory-vault.ts';
import type { ConsoleApi } from '../../src/shared/console-api.ts';
import { conversationId } from '../../src/shared/domain.ts';
import {
  startConsoleStack,
  STACK_PHONE_NUMBER_ID,
  STACK_SECOND_PHONE_NUMBER_ID,
  type ConsoleStack,
} from '../helpers/console-stack.ts';
import { waitFor } from '../helpers/console-wait.ts';
import { freshUserData, openSession } from '../helpers/session-console-setup.ts';

let stack: ConsoleStack;
let customers = 0;
const opened: SessionConsole[] = [];
const folders: string[] = [];

beforeAll(async () => {
  stack = await startConsoleStack({ twoNumbers: true });
});
afterEach(async () => {
  for (const api of opened.splice(0)) await api.close();
});
afterAll(async () => {
  await stack.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function userData(): string {
  const dir = freshUserData();
  folders.push(dir);
  return dir;
}

async function session(setup: Parameters<typeof openSession>[0]) {
  const result = await openSession(setup);
  opened.push(result.api);
  return result;
}

/** A customer writes to the first number; resolves with the conversation id. */
async function customerWrites(text: string, phoneNumberId = STACK_PHONE_NUMBER_ID): Promise<string> {
  const waId = `5939922${String(++customers).padStart(5, '0')}`;
  const { status } = await stack.simulator.sendInboundText({ from: waId, text, phoneNumberId });
  expect(status).toBe(200);
  return conversationId(phoneNumberId, waId);
}

async function inboxIds(api: ConsoleApi): Promise<string[]> {
  const page = await api.listConversations({ view: 'open', limit: 500 });
  return page.items.map((item) => item.id);
}

function waitForConversation(api: ConsoleApi, id: string) {
  return waitFor(`conversation ${id} in the inbox`, async () => (await inboxIds(api)).includes(id));
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected a refusal, got an answer');
    },
    (error: unknown) => error as { code: string; message: string },
  );
}

/** A loopback port nothing listens on (opened, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('signing in', () => {
  it('starts signed out: getSession and the inbox refuse with NOT_SIGNED_IN, policy and status answer', async () => {
    const { api } = await session({
      userData: userData(),
      vault: new MemoryVault(),
      relayUrlOverride: stack.relayUrl,
    });
    expect(await refusal(api.getSession({}))).toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(await refusal(api.listConversations({ view: 'open', limit: 10 }))).toMatchObject({
      code: 'NOT_SIGNED_IN',
    });
    expect(await refusal(api.signOut({ wipeCache: false }))).toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(await api.getSyncStatus({})).toMatchObject({ state: 'offline', cursor: 0 });
    // The developer's override prefills the sign-in screen; nothing is locked.
    expect(await api.getPolicy({})).toMatchObject({ relayUrl: stack.relayUrl, locked: [], problems: [] });
  });

  it('refuses a wrong token with INVALID_TOKEN and keeps nothing', async () => {
    const dir = userData();
    const vault = new MemoryVault();
    const { api, events } = await session({ userData: dir, vault });
    const error = await refusal(
      api.signIn({ relayUrl: stack.relayUrl, token: 'not-the-token-of-anyone-here' }),
    );
    expect(error.code).toBe('INVALID_TOKEN');
    expect(error.message).not.toContain('not-the-token-of-anyone-here');
    expect(await vault.get(stack.relayUrl)).toBeNull();
    expect(readdirSync(dir).sort()).toEqual([]);
    expect(events).toEqual([]);
    expect(await refusal(api.getSession({}))).toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('says RELAY_UNREACHABLE with the reason when nothing answers at the address', async () => {
    const vault = new MemoryVault();
    const { api } = await session({ userData: userData(), vault });
    const relayUrl = `http://127.0.0.1:${await closedPort()}`;
    const error = await refusal(api.signIn({ relayUrl, token: stack.token }));
    expect(error.code).toBe('RELAY_UNREACHABLE');
    expect(error.message).toContain('ECONNREFUSED');
    expect(await vault.get(relayUrl)).toBeNull();
  });

  it('says NOT_A_RELAY when the address answers but is not a relay', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Intranet</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { api } = await session({ userData: userData(), vault: new MemoryVault() });
      const relayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await refusal(api.signIn({ relayUrl, token: stack.token }))).toMatchObject({
        code: 'NOT_A_RELAY',
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('keeps the token in the vault only, remembers relay and agent, and the inbox works', async () => {
    const dir = userData();
    const vault = new MemoryVault();
    const { api, events } = await session({ userData: dir, vault });
    const info = await api.signIn({ relayUrl: `${stack.relayUrl}/`, token: stack.token });
    expect(info).toEqual({ agent: stack.agent, relayUrl: stack.relayUrl, demo: false });
    expect(events).toContainEqual({ type: 'session.changed' });
    expect(await vault.get(stack.relayUrl)).toBe(stack.token);
    expect((await api.getSession({})).agent.id).toBe(stack.agent.id);

    // On disk: the relay and the agent, never the token.
    const remembered = readFileSync(join(dir, 'session.json'), 'utf8');
    expect(JSON.parse(remembered)).toMatchObject({ relayUrl: stack.relayUrl, agent: { id: stack.agent.id } });
    for (const file of ['session.json', 'settings.json']) {
      expect(readFileSync(join(dir, file), 'utf8')).not.toContain(stack.token);
    }
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({
      relayUrl: stack.relayUrl,
    });
    expect((await api.getPolicy({})).relayUrl).toBe(stack.relayUrl);

    const conversation = await customerWrites('Hola, ¿siguen abiertos?');
    await waitForConversation(api, conversation);
    expect(existsSync(accountPaths(dir, stack.relayUrl, stack.agent.id).cachePath)).toBe(true);
    // Events of the account's core reach the listeners of the session console.
    await waitFor('a conversations.changed event', () =>
      events.some((e) => e.type === 'conversations.changed' && e.conversationIds.includes(conversation)),
    );
  });

  it('gives a second agent on the same relay its own cache, without the first agent’s rows', async () => {
    const dir = userData();
    const vault = new MemoryVault();
    const { api } = await session({ userData: dir, vault });
    const bruno = stack.relay.createAgent({
      name: 'Bruno',
      role: 'agent',
      numbers: [STACK_SECOND_PHONE_NUMBER_ID],
    });

    await api.signIn({ relayUrl: stack.relayUrl, token: stack.token });
    const anasConversation = await customerWrites('Mensaje que solo ve Ana');
    await waitForConversation(api, anasConversation);

    // Signing in as someone else closes Ana's core first.
    const info = await api.signIn({ relayUrl: stack.relayUrl, token: bruno.token });
    expect(info.agent.id).toBe(bruno.agent.id);
    expect(await vault.get(stack.relayUrl)).toBe(bruno.token);
    const brunosConversation = await customerWrites('Hola Bruno', STACK_SECOND_PHONE_NUMBER_ID);
    await waitForConversation(api, brunosConversation);
    expect(await inboxIds(api)).not.toContain(anasConversation);

    const ana = accountPaths(dir, stack.relayUrl, stack.agent.id);
    const brunos = accountPaths(dir, stack.relayUrl, bruno.agent.id);
    expect(brunos.dir).not.toBe(ana.dir);
    const db = new Database(brunos.cachePath, { readonly: true });
    try {
      const ids = db
        .prepare<[], { id: string }>('SELECT id FROM conversations')
        .all()
        .map((row) => row.id);
      expect(ids).toContain(brunosConversation);
      expect(ids).not.toContain(anasConversation);
      const messages = db
        .prepare<[string], { n: number }>('SELECT count(*) AS n FROM messages WHERE conversation_id = ?')
        .get(anasConversation);
      expect(messages?.n).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('signing out', () => {
  it('without deleting the copy: the token goes, the cache stays and is reused (cursor kept) at the next sign-in', async () => {
    const dir = userData();
    const vault = new MemoryVault();
    const { api, events } = await session({ userData: dir, vault });
    await api.signIn({ relayUrl: stack.relayUrl, token: stack.token });
    const conversation = await customerWrites('Antes de salir');
    await waitForConversation(api, conversation);
    const cursor = await waitFor('the cursor past the message', async () => {
      const status = await api.getSyncStatus({});
      return status.state === 'connected' && status.cursor > 0 && status.cursor;
    });

    events.length = 0;
    expect(await api.signOut({ wipeCache: false })).toBeNull();
    expect(events).toEqual([{ type: 'session.changed' }]);
    expect(await vault.get(stack.relayUrl)).toBeNull();
    expect(existsSync(join(dir, 'session.json'))).toBe(false);
    expect(await refusal(api.listConversations({ view: 'open', limit: 10 }))).toMatchObject({
      code: 'NOT_SIGNED_IN',
    });
    const paths = accountPaths(dir, stack.relayUrl, stack.agent.id);
    expect(existsSync(paths.cachePath)).toBe(true);

    await api.signIn({ relayUrl: stack.relayUrl, token: stack.token });
    // Opened from the same cache: the cursor is where it was, before the relay is even asked again.
    expect((await api.getSyncStatus({})).cursor).toBeGreaterThanOrEqual(cursor);
    expect(await inboxIds(api)).toContain(conversation);
  });

  it('deleting this computer’s copy removes the account’s folder', async () => {
    const dir = userData();
    const vault = new MemoryVault();
    const { api } = await session({ userData: dir, vault });
    await api.signIn({ relayUrl: stack.relayUrl, token: stack.token });
    const conversation = await customerWrites('Borra mi copia');
    await waitForConversation(api, conversation);
    const paths = accountPaths(dir, stack.relayUrl, stack.agent.id);
    expect(existsSync(paths.cachePath)).toBe(true);

    await api.signOut({ wipeCache: true });
    expect(existsSync(paths.dir)).toBe(false);
    expect(await vault.get(stack.relayUrl)).toBeNull();
  });
});

describe('machine policy', () => {
  it('a locked relay URL wins over the one typed, and is not saved as the user’s', async () => {
    const dir = userData();
    const { api } = await session({
      userData: dir,
      vault: new MemoryVault(),
      policy: { relayUrl: stack.relayUrl, locks: ['relayUrl'], retentionDays: 30 },
      relayUrlOverride: 'http://127.0.0.1:9',
    });
    expect(await api.getPolicy({})).toMatchObject({
      relayUrl: stack.relayUrl,
      retentionDays: 30,
      locked: ['relayUrl'],
      problems: [],
    });
    const typed = `http://127.0.0.1:${await closedPort()}`;
    const info = await api.signIn({ relayUrl: typed, token: stack.token });
    expect(info.relayUrl).toBe(stack.relayUrl);
    expect((await api.getSession({})).relayUrl).toBe(stack.relayUrl);
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
  });

  it('reports invalid policy entries and applies the safe default', async () => {
    const { api } = await session({
      userData: userData(),
      vault: new MemoryVault(),
      policy: { retentionDays: 'forever', locks: ['retentionDays'] },
    });
    const policy = await api.getPolicy({});
    expect(policy.retentionDays).toBe(90);
    expect(policy.locked).toEqual(['retentionDays']);
    expect(policy.problems).toHaveLength(1);
    expect(policy.problems[0]).toMatch(/retentionDays/);
  });
});

describe('the next launch', () => {
  it('reopens the remembered session offline, without asking the relay, and shows the cached inbox', async () => {
    const dir = userData();
    const vault = new MemoryVault();
    const first = await session({ userData: dir, vault });
    await first.api.signIn({ relayUrl: stack.relayUrl, token: stack.token });
    const conversation = await customerWrites('Llegó antes del corte');
    await waitForConversation(first.api, conversation);
    await first.api.close();

    await stack.stopRelay();
    try {
      const { api } = await session({ userData: dir, vault });
      expect(await api.getSession({})).toMatchObject({
        agent: { id: stack.agent.id },
        relayUrl: stack.relayUrl,
      });
      expect(await inboxIds(api)).toContain(conversation);
      expect((await api.getSyncStatus({})).state).not.toBe('connected');
    } finally {
      await stack.startRelay();
    }
  });

  it('starts signed out when the keychain no longer holds the token', async () => {
    const dir = userData();
    const vault = new MemoryVault();
    const first = await session({ userData: dir, vault });
    await first.api.signIn({ relayUrl: stack.relayUrl, token: stack.token });
    await first.api.close();
    await vault.delete(stack.relayUrl);

    const { api } = await session({ userData: dir, vault });
    expect(await refusal(api.getSession({}))).toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(existsSync(join(dir, 'session.json'))).toBe(false);
  });
});

describe('demo mode', () => {
  it('is signed in from the start; signing in or out is refused with DEMO_MODE; the policy answers', async () => {
    const demo = await startDemo({ customers: false });
    try {
      expect(await demo.api.getSession({})).toMatchObject({ demo: true, agent: { name: 'Agente demo' } });
      expect(
        await refusal(demo.api.signIn({ relayUrl: demo.relay.url, token: 'x'.repeat(20) })),
      ).toMatchObject({
        code: 'DEMO_MODE',
      });
      expect(await refusal(demo.api.signOut({ wipeCache: true }))).toMatchObject({ code: 'DEMO_MODE' });
      expect(await demo.api.getPolicy({})).toMatchObject({ retentionDays: 90, locked: [] });
    } finally {
      await demo.close();
    }
  });
});

// ---- the real keychain: KeytarVault in a child process under dbus-run-session ----------------------

const keyringChild = join(import.meta.dirname, '../helpers/session-keyring-child.ts');
/** HOME and XDG_* of the child: a fresh temp dir for this file's keyring tests. */
let keyringHome = '';

const report = z.union([
  z.object({
    ok: z.literal(true),
    agentId: z.string(),
    relayUrl: z.string().optional(),
    stored: z.string().nullable().optional(),
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
type Report = z.infer<typeof report>;

/** A private HOME and XDG_* so the keyring the child uses is never the real one. */
function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LANG: 'C.UTF-8', NODE: process.execPath };
  for (const [name, dir] of [
    ['HOME', 'home'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_CACHE_HOME', 'cache'],
    ['XDG_RUNTIME_DIR', 'runtime'],
  ] as const) {
    const path = join(home, dir);
    mkdirSync(path, { recursive: true, mode: 0o700 });
    env[name] = path;
  }
  return env;
}

/** Runs the command and parses every JSON line it printed. */
function run(command: string, args: string[]): Promise<Report[]> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: isolatedEnv(keyringHome), timeout: 60_000 }, (error, stdout, stderr) => {
      const lines = stdout.split('\n').filter((line) => line.startsWith('{'));
      if (lines.length === 0) {
        reject(
          new Error(
            `${command} printed no report${error ? ` (${error.message})` : ''}:\n${stdout}\n${stderr}`,
          ),
        );
        return;
      }
      resolve(lines.map((line) => report.parse(JSON.parse(line))));
    });
  });
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
const childCommand = (args: string[]) =>
  `"$NODE" --disable-warning=ExperimentalWarning ${[keyringChild, ...args].map(quote).join(' ')}`;

describe('signing in with the OS keychain', () => {
  beforeAll(() => {
    keyringHome = mkdtempSync(join(tmpdir(), 'ventana-session-keyring-'));
    folders.push(keyringHome);
  });

  it('keeps the token in a real gnome-keyring and finds it again at the next launch', async () => {
    const userData = join(keyringHome, 'user-data');
    const reports = await run('dbus-run-session', [
      '--',
      'sh',
      '-c',
      'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; ' +
        `${childCommand(['sign-in', userData, stack.relayUrl, stack.token])}; ` +
        `${childCommand(['restart', userData])}`,
    ]);
    expect(reports).toEqual([
      { ok: true, agentId: stack.agent.id },
      { ok: true, agentId: stack.agent.id, relayUrl: stack.relayUrl, stored: stack.token },
    ]);
    // The token is in the keyring, not in the console's files.
    for (const file of readdirSync(userData).filter((name) => name.endsWith('.json'))) {
      expect(readFileSync(join(userData, file), 'utf8')).not.toContain(stack.token);
    }
  });

  it('refuses sign-in with KEYCHAIN_UNAVAILABLE when no Secret Service is reachable, and keeps nothing', async () => {
    const userData = join(keyringHome, 'no-keychain');
    const [answer] = await run(process.execPath, [
      '--disable-warning=ExperimentalWarning',
      keyringChild,
      'sign-in',
      userData,
      stack.relayUrl,
      stack.token,
    ]);
    expect(answer).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expect(existsSync(join(userData, 'session.json'))).toBe(false);
  });
});
