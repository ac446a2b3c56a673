// Contract of the Electron shell and preload, checked on what ships: the BUILT out/main/index.js runs
// in a child Node process against a stand-in `electron` (there is no Electron binary on every
// machine), and the BUILT out/preload/index.cjs runs in a bare vm context, as in a sandboxed renderer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  BRIDGE_GLOBAL,
  CONSOLE_BRIDGE_KEYS,
  CONSOLE_METHODS,
  IPC_EVENT_CHANNEL,
  ipcChannel,
} from '../../src/shared/console-api.ts';
import { errorInfoSchema } from '../../src/shared/result.ts';
import { MainProcess } from './fixtures/main-process.ts';

const root = join(import.meta.dirname, '..', '..');
const builtMain = join(root, 'out', 'main', 'index.js');
const builtPreload = join(root, 'out', 'preload', 'index.cjs');
const builtPage = join(root, 'out', 'renderer', 'index.html');

beforeAll(() => {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
}, 180_000);

const stateSchema = z.object({
  windows: z.array(
    z.object({
      options: z.object({
        title: z.string(),
        show: z.boolean(),
        width: z.number(),
        height: z.number(),
        minWidth: z.number(),
        minHeight: z.number(),
        webPreferences: z.object({
          preload: z.string(),
          contextIsolation: z.boolean(),
          sandbox: z.boolean(),
          nodeIntegration: z.boolean(),
          webSecurity: z.boolean(),
        }),
      }),
      url: z.string().nullable(),
      shown: z.boolean(),
    }),
  ),
  ipcChannels: z.array(z.string()),
});
const resultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorInfoSchema }),
]);
const sentSchema = z.array(z.object({ channel: z.string(), payload: z.unknown() }));
const eventTypeSchema = z.object({ type: z.string() });
const functionSchema = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function');

function childEnv(userData: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, STAND_IN_USER_DATA: userData, ...extra };
  if (!('VENTANA_RELAY_URL' in extra)) delete env.VENTANA_RELAY_URL;
  delete env.ELECTRON_RENDERER_URL;
  return env;
}

describe('built main process (demo mode) against a stand-in electron', () => {
  let userData: string;
  let main: MainProcess;
  const state = async () => stateSchema.parse(await main.call('state'));
  const invoke = async (caller: string, method: (typeof CONSOLE_METHODS)[number], input: unknown = {}) =>
    resultSchema.parse(await main.call('invoke', { channel: ipcChannel(method), caller, input }));

  beforeAll(async () => {
    userData = mkdtempSync(join(tmpdir(), 'ventana-shell-'));
    main = new MainProcess(builtMain, childEnv(userData));
    await main.event('loaded');
    await vi.waitFor(async () => expect((await state()).windows[0]?.shown).toBe(true), {
      timeout: 30_000,
      interval: 50,
    });
  }, 60_000);

  afterAll(() => {
    main.kill();
    rmSync(userData, { recursive: true, force: true });
  });

  it('opens one locked-down Ventana window on the built page, shown only once ready', async () => {
    const { windows } = await state();
    expect(windows).toHaveLength(1);
    const [window] = windows;
    expect(window?.url).toBe(pathToFileURL(builtPage).href);
    expect(window?.options).toMatchObject({ title: 'Ventana', show: false });
    expect(window?.options.minWidth).toBeLessThanOrEqual(window?.options.width ?? 0);
    expect(window?.options.minHeight).toBeLessThanOrEqual(window?.options.height ?? 0);
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });

  it('points the window at the one-file CommonJS preload that the build produced', async () => {
    const preload = (await state()).windows[0]?.options.webPreferences.preload ?? '';
    expect(preload).toMatch(/\.cjs$/);
    expect(preload).toBe(builtPreload);
    expect(existsSync(preload)).toBe(true);
  });

  it('keeps every navigation on the app page', async () => {
    await expect(main.call('navigate', { url: 'https://example.com/' })).resolves.toEqual({
      prevented: true,
    });
    await expect(
      main.call('navigate', { url: pathToFileURL(join(root, 'README.md')).href }),
    ).resolves.toEqual({ prevented: true });
    await expect(main.call('navigate', { url: `${pathToFileURL(builtPage).href}#/inbox` })).resolves.toEqual({
      prevented: false,
    });
  });

  it('denies every new window', async () => {
    await expect(main.call('openWindow', { url: 'https://example.com/' })).resolves.toEqual({
      action: 'deny',
    });
  });

  it('grants notifications and no other permission', async () => {
    await expect(main.call('requestPermission', { permission: 'notifications' })).resolves.toBe(true);
    await expect(main.call('checkPermission', { permission: 'notifications' })).resolves.toBe(true);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal']) {
      await expect(main.call('requestPermission', { permission })).resolves.toBe(false);
      await expect(main.call('checkPermission', { permission })).resolves.toBe(false);
    }
  });

  it('puts a strict Content-Security-Policy on responses', async () => {
    const { responseHeaders } = z
      .object({
        responseHeaders: z.object({
          'Content-Type': z.array(z.string()),
          'Content-Security-Policy': z.array(z.string()).length(1),
        }),
      })
      .parse(await main.call('responseHeaders'));
    expect(responseHeaders['Content-Type']).toEqual(['text/html']);
    const csp = responseHeaders['Content-Security-Policy'][0] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
  });

  it('binds one IPC handler per console method', async () => {
    expect((await state()).ipcChannels.sort()).toEqual(CONSOLE_METHODS.map(ipcChannel).sort());
  });

  it('answers the app page and turns away every other sender with FORBIDDEN_SENDER', async () => {
    const fromPage = await invoke('app-page', 'getSyncStatus');
    expect(fromPage.ok, JSON.stringify(fromPage)).toBe(true);
    for (const caller of ['foreign-subframe', 'main-frame-navigated-away', 'other-web-contents']) {
      const refused = await invoke(caller, 'getSyncStatus');
      expect(refused.ok ? 'answered' : refused.error.code, caller).toBe('FORBIDDEN_SENDER');
    }
  });

  it('validates what the page sends before the core sees it', async () => {
    const refused = await invoke('app-page', 'sendText', { conversationId: 'c1', text: '   ' });
    expect(refused.ok ? 'answered' : refused.error.code).toBe('INVALID_INPUT');
  });

  it("forwards the core's events to the page", async () => {
    await vi.waitFor(
      async () => {
        const events = sentSchema
          .parse(await main.call('sent'))
          .filter((sent) => sent.channel === IPC_EVENT_CHANNEL);
        expect(events.map((sent) => eventTypeSchema.parse(sent.payload).type)).toContain('sync.status');
      },
      { timeout: 30_000, interval: 50 },
    );
  });

  it('quits when its last window closes, after closing the console', async () => {
    await main.call('closeWindow');
    await main.event('quit');
    // The driver lets go of its IPC channel at quit: the process ends by itself only if the demo's
    // relay, simulator and cache were all closed.
    await expect(main.exitWithin(20_000)).resolves.toEqual({ code: 0, signal: null });
  });
});

describe('built main process: refusing to start', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ventana-shell-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('reports a malformed VENTANA_RELAY_URL in an error box and exits with 1', async () => {
    const main = new MainProcess(builtMain, childEnv(freshDir(), { VENTANA_RELAY_URL: 'relay.example.com' }));
    try {
      const exit = await main.event('exit');
      expect(exit.code).toBe(1);
      expect(exit.errorBoxes).toHaveLength(1);
      expect(exit.errorBoxes[0]?.content).toContain('VENTANA_RELAY_URL');
      await expect(main.exitWithin(20_000)).resolves.toEqual({ code: 1, signal: null });
    } finally {
      main.kill();
    }
  });

  it('for a real relay, without a token in the keychain, says so and never falls back to the demo', async () => {
    const userData = freshDir();
    // No desktop session: whatever keychain this machine has stays out of reach.
    const home = freshDir();
    const env = childEnv(userData, {
      VENTANA_RELAY_URL: 'http://127.0.0.1:9',
      HOME: home,
      XDG_CONFIG_HOME: home,
      XDG_DATA_HOME: home,
      XDG_RUNTIME_DIR: home,
    });
    for (const name of ['DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
    const main = new MainProcess(builtMain, env);
    try {
      const exit = await main.event('exit');
      expect(exit.code).toBe(1);
      expect(exit.errorBoxes[0]?.content).toMatch(/keychain/);
      await expect(main.exitWithin(20_000)).resolves.toEqual({ code: 1, signal: null });
      expect(readdirSync(userData)).not.toContain('demo');
    } finally {
      main.kill();
    }
  });

  it('leaves at once when another instance holds the lock, starting nothing', async () => {
    const userData = freshDir();
    const main = new MainProcess(builtMain, childEnv(userData, { STAND_IN_INSTANCE_LOCK: 'taken' }));
    try {
      await main.event('quit');
      await expect(main.exitWithin(20_000)).resolves.toEqual({ code: 0, signal: null });
      expect(readdirSync(userData)).toEqual([]);
    } finally {
      main.kill();
    }
  });
});

describe('built preload in a bare sandbox', () => {
  type Listener = (...args: unknown[]) => void;

  function loadPreload() {
    const requested: string[] = [];
    const exposed = new Map<string, unknown>();
    const invocations: { channel: string; input: unknown }[] = [];
    const listeners = new Map<string, Set<Listener>>();
    const ipcRenderer = {
      invoke: (channel: string, input: unknown) => {
        invocations.push({ channel, input });
        return Promise.resolve({ ok: true, value: `answer of ${channel}` });
      },
      on: (channel: string, listener: Listener) => {
        listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
      },
      removeListener: (channel: string, listener: Listener) => {
        listeners.get(channel)?.delete(listener);
      },
    };
    const contextBridge = {
      exposeInMainWorld(name: string, api: unknown) {
        exposed.set(name, api);
      },
    };
    const sandboxRequire = (id: string) => {
      requested.push(id);
      if (id === 'electron') return { contextBridge, ipcRenderer };
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    // A bare context: no process, no Buffer, nothing but what the CommonJS wrapper passes in.
    const wrapper = functionSchema.parse(
      vm.runInContext(
        `(function (exports, require, module, __filename, __dirname) {${readFileSync(builtPreload, 'utf8')}\n})`,
        vm.createContext({}),
        { filename: builtPreload },
      ),
    );
    const module = { exports: {} };
    wrapper(module.exports, sandboxRequire, module, builtPreload, dirname(builtPreload));
    const emit = (channel: string, ...args: unknown[]) => {
      for (const listener of listeners.get(channel) ?? []) listener(...args);
    };
    const listenerCount = (channel: string) => listeners.get(channel)?.size ?? 0;
    return { requested, exposed, invocations, ipcRenderer, emit, listenerCount };
  }

  const bridgeSchema = z.record(z.string(), functionSchema);

  it('requires nothing but electron', () => {
    expect(new Set(loadPreload().requested)).toEqual(new Set(['electron']));
  });

  it(`exposes exactly one global, ${BRIDGE_GLOBAL}, with exactly the bridge's keys, all functions`, () => {
    const { exposed, ipcRenderer } = loadPreload();
    expect([...exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    const bridge = bridgeSchema.parse(exposed.get(BRIDGE_GLOBAL));
    expect(Object.keys(bridge).sort()).toEqual([...CONSOLE_BRIDGE_KEYS].sort());
    const handedOut = Object.values(bridge);
    for (const leak of [ipcRenderer, ipcRenderer.invoke, ipcRenderer.on])
      expect(handedOut).not.toContain(leak);
  });

  it('turns each method call into ipcRenderer.invoke on its channel, answering what main answers', async () => {
    const { exposed, invocations } = loadPreload();
    const bridge = bridgeSchema.parse(exposed.get(BRIDGE_GLOBAL));
    for (const method of CONSOLE_METHODS) {
      const input = { probe: method };
      await expect(bridge[method]?.(input)).resolves.toEqual({
        ok: true,
        value: `answer of ${ipcChannel(method)}`,
      });
      expect(invocations.at(-1)).toEqual({ channel: ipcChannel(method), input });
    }
    expect(invocations).toHaveLength(CONSOLE_METHODS.length);
  });

  it('delivers only the event payload to onEvent listeners, until unsubscribed', () => {
    const { exposed, emit, listenerCount } = loadPreload();
    const bridge = bridgeSchema.parse(exposed.get(BRIDGE_GLOBAL));
    const listener = vi.fn();
    const unsubscribe = functionSchema.parse(bridge.onEvent?.(listener));
    const payload = { type: 'messages.changed', conversationId: 'c1' };

    emit(IPC_EVENT_CHANNEL, { sender: 'the IpcRendererEvent must not reach the page' }, payload);
    expect(listener.mock.calls).toEqual([[payload]]);

    unsubscribe();
    expect(listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    emit(IPC_EVENT_CHANNEL, {}, payload);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
