// Contract of the Electron shell and preload, checked on what ships: the BUILT out/main/index.js runs
// in a child Node process against a stand-in `electron` (there is no Electron binary on every
// machine), and the BUILT out/preload/index.cjs runs in a bare vm context, as in a sandboxed renderer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  BRIDGE_GLOBAL,
  CONSOLE_BRIDGE_KEYS,
  CONSOLE_METHODS,
  IPC_EVENT_CHANNEL,
  MEDIA_SCHEME,
  ipcChannel,
} from '../../src/shared/console-api.ts';
import { errorInfoSchema } from '../../src/shared/result.ts';
import type { BrowserWindow as BrowserWindowType } from 'electron';
import { EventHub } from '../../src/main/core/event-hub.ts';
import type { ConsoleEvent, ConsoleEventListener } from '../../src/shared/console-api.ts';
// Types only: the modules themselves are loaded once `electron` is swapped for the stand-in.
import type * as Shell from '../../src/main/shell/notifications.ts';
import type * as StandIn from './fixtures/electron-stand-in.ts';
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
const shownSchema = z.array(
  z.object({ title: z.string(), body: z.string(), silent: z.boolean().optional() }),
);
const badgeSchema = z.object({ badgeCounts: z.array(z.number()), overlays: z.number() });
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
    main = new MainProcess(builtMain, childEnv(userData), ['--demo']);
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

  it(`registers ${MEDIA_SCHEME} as a privileged streaming scheme before ready, and handles it`, async () => {
    // The stand-in throws if the shell registers privileges after ready or handles before it.
    const protocols = z
      .object({ privileged: z.array(z.unknown()).nullable(), handled: z.array(z.string()) })
      .parse(await main.call('protocols'));
    expect(protocols.privileged).toEqual([
      { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true } },
    ]);
    expect(protocols.handled).toEqual([MEDIA_SCHEME]);
  });

  it(`answers ${MEDIA_SCHEME} requests with JSON errors and refuses what is not a message URL`, async () => {
    const answerSchema = z.object({
      status: z.number(),
      headers: z.record(z.string(), z.string()),
      body: z.string(),
    });
    const fetchScheme = async (url: string, method = 'GET') =>
      answerSchema.parse(await main.call('fetchScheme', { url, method }));
    const codeOf = (body: string) => z.object({ error: errorInfoSchema }).parse(JSON.parse(body)).error.code;

    const otherHost = await fetchScheme(`${MEDIA_SCHEME}://file/etc/passwd`);
    expect(otherHost.status).toBe(404);
    expect(codeOf(otherHost.body)).toBe('MEDIA_NOT_FOUND');
    expect((await fetchScheme(`${MEDIA_SCHEME}://message/x`, 'POST')).status).toBe(405);

    // An unknown message: MEDIA_NOT_FOUND from the console's media cache, or MEDIA_UNAVAILABLE
    // while the running console exposes none; never a file, never a crash.
    const unknown = await fetchScheme(`${MEDIA_SCHEME}://message/${encodeURIComponent('../../etc/passwd')}`);
    expect([404, 503]).toContain(unknown.status);
    expect(['MEDIA_NOT_FOUND', 'MEDIA_UNAVAILABLE']).toContain(codeOf(unknown.body));
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
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

  it('shows the console unread total on the app icon as soon as the window is open', async () => {
    // The shell asks the console for its total at start, then follows unread.changed.
    await vi.waitFor(
      async () => {
        const { badgeCounts } = badgeSchema.parse(await main.call('badge'));
        expect(badgeCounts.length).toBeGreaterThan(0);
        for (const count of badgeCounts) expect(Number.isInteger(count) && count >= 0).toBe(true);
      },
      { timeout: 30_000, interval: 50 },
    );
  });

  it("shows the console's notifications natively, and a click brings the window up", async () => {
    // The demo's customers write in: the first of their messages after the catch-up is news.
    const notifications = await vi.waitFor(
      async () => {
        const shown = shownSchema.parse(await main.call('notifications'));
        expect(shown.length).toBeGreaterThan(0);
        return shown;
      },
      { timeout: 45_000, interval: 100 },
    );
    expect(notifications[0]?.title).toBeTruthy();
    expect(notifications[0]?.body).toBeTruthy();
    const { badgeCounts } = badgeSchema.parse(await main.call('badge'));
    expect(badgeCounts.at(-1)).toBeGreaterThan(0);
    await expect(main.call('clickNotification', { index: 0 })).resolves.toEqual({ focused: true });
  }, 60_000);

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

  it('for a real relay, without a token in the keychain, opens signed out and never falls back to the demo', async () => {
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
    const invoke = async (method: (typeof CONSOLE_METHODS)[number]) =>
      resultSchema.parse(
        await main.call('invoke', { channel: ipcChannel(method), caller: 'app-page', input: {} }),
      );
    try {
      await main.event('loaded');
      await vi.waitFor(
        async () => expect(stateSchema.parse(await main.call('state')).windows[0]?.shown).toBe(true),
        { timeout: 30_000, interval: 50 },
      );
      // The sign-in screen: nobody signed in, the configured relay offered, no demo anywhere.
      expect(await invoke('getSession')).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
      expect(await invoke('getPolicy')).toMatchObject({
        ok: true,
        value: { relayUrl: 'http://127.0.0.1:9' },
      });
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

  it(`gives the page ${MEDIA_SCHEME}: URLs for media without calling main`, () => {
    const { exposed, invocations } = loadPreload();
    const bridge = bridgeSchema.parse(exposed.get(BRIDGE_GLOBAL));
    expect(bridge.mediaUrl?.('wamid.HBg/+x=')).toBe(`${MEDIA_SCHEME}://message/wamid.HBg%2F%2Bx%3D`);
    expect(bridge.mediaUrl?.('../secret')).toBe(`${MEDIA_SCHEME}://message/..%2Fsecret`);
    expect(invocations).toEqual([]);
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

describe('desktop notifications and badge (src/main/shell/notifications.ts) against the stand-in electron', () => {
  let electron: typeof StandIn;
  let shell: typeof Shell;
  const location = { url: 'file:///ventana/out/renderer/index.html', preloadPath: '' };
  const platform = process.platform;

  beforeAll(async () => {
    // In this process, not the built main: the console's events are fed by hand, and the stand-in
    // records what Electron would show.
    process.env.STAND_IN_USER_DATA ??= tmpdir();
    vi.doMock('electron', () => import('./fixtures/electron-stand-in.ts'));
    electron = await import('./fixtures/electron-stand-in.ts');
    shell = await import('../../src/main/shell/notifications.ts');
  });
  afterEach(() => {
    Object.defineProperty(process, 'platform', { value: platform });
    electron.Notification.supported = true;
  });
  afterAll(() => {
    vi.doUnmock('electron');
  });

  /** A window on our page, and a console that answers `unreadTotal` and emits what the test says. */
  function attach(unreadTotal = 0) {
    const window = new electron.BrowserWindow({});
    void window.loadURL(location.url);
    const hub = new EventHub();
    const api = {
      onEvent: (listener: ConsoleEventListener) => hub.on(listener),
      listConversations: () =>
        Promise.resolve({ items: [], nextCursor: null, counts: noCounts, unreadTotal }),
    };
    const stop = shell.attachDesktopNotifications({
      api,
      window: () => window as unknown as BrowserWindowType,
      location,
    });
    const shownSince = electron.Notification.shown.length;
    return {
      window,
      emit: (event: ConsoleEvent) => hub.emit(event),
      shown: () => electron.Notification.shown.slice(shownSince),
      stop,
    };
  }
  const noCounts = { open: 0, mine: 0, unassigned: 0, unread: 0, expiring: 0, closed: 0 };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('sets the badge from the total at start, then from every unread.changed', async () => {
    Object.defineProperty(process, 'platform', { value: 'linux' });
    const before = electron.app.badgeCounts.length;
    const { emit, stop } = attach(3);
    await settle();
    emit({ type: 'unread.changed', unreadTotal: 7 });
    emit({ type: 'unread.changed', unreadTotal: 0 });
    expect(electron.app.badgeCounts.slice(before)).toEqual([3, 7, 0]);
    stop();
    emit({ type: 'unread.changed', unreadTotal: 9 });
    expect(electron.app.badgeCounts.slice(before)).toEqual([3, 7, 0]);
  });

  it('shows a notification, flashes the unfocused window, and a click opens its conversation in the page', () => {
    Object.defineProperty(process, 'platform', { value: 'linux' });
    const { window, emit, shown } = attach();
    emit({ type: 'notification', notification: { title: 'Lucía', body: 'Hola', conversationId: 'n:593' } });
    expect(shown().map((n) => n.options)).toEqual([{ title: 'Lucía', body: 'Hola', silent: false }]);
    expect(window.flashes).toEqual([true]);

    shown()[0]?.click();
    expect(window.isFocused()).toBe(true);
    expect(window.flashes).toEqual([true, false]);
    expect(window.webContents.sent).toContainEqual({
      channel: IPC_EVENT_CHANNEL,
      payload: { type: 'conversation.open', conversationId: 'n:593' },
    });
  });

  it('is silent while the window has focus, and a digest click only brings the window up', () => {
    const { window, emit, shown } = attach();
    window.focus();
    emit({
      type: 'notification',
      notification: { title: 'Mensajes nuevos', body: '12 en 5', conversationId: null },
    });
    expect(shown().map((n) => n.options.silent)).toEqual([true]);
    expect(window.flashes).toEqual([]);
    shown()[0]?.click();
    expect(window.webContents.sent).toEqual([]);
  });

  it('shows nothing where the system has no notifications', () => {
    electron.Notification.supported = false;
    const { emit, shown } = attach();
    emit({ type: 'notification', notification: { title: 'Lucía', body: 'Hola', conversationId: null } });
    expect(shown()).toEqual([]);
  });

  it('on Windows, badges the taskbar button with an overlay dot instead of app.setBadgeCount', async () => {
    Object.defineProperty(process, 'platform', { value: 'win32' });
    const before = electron.app.badgeCounts.length;
    const { window, emit } = attach(0);
    await settle();
    emit({ type: 'unread.changed', unreadTotal: 5 });
    emit({ type: 'unread.changed', unreadTotal: 0 });
    expect(electron.app.appUserModelId).toBe('app.ventana.console');
    expect(electron.app.badgeCounts.length).toBe(before);
    expect(window.overlays.map((o) => [o.image === null, o.description])).toEqual([
      [true, ''],
      [false, 'Ventana: 5'],
      [true, ''],
    ]);
    const png = window.overlays[1]?.image?.buffer ?? Buffer.alloc(0);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([16, 16]);
  });
});
