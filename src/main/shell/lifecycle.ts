// The app's life: one instance per user, the console started while Electron gets ready, one window
// bound to it over IPC, quit when the last window closes (except on macOS, where apps stay in the
// dock), and the console closed before the process exits.
import { app, dialog, session, type BrowserWindow } from 'electron';
import { toErrorInfo } from '../../shared/result.ts';
import type { AppPaths, RunningConsole } from '../ports.ts';
import { IpcTransport } from './ipc-transport.ts';
import { handleMediaProtocol, registerMediaScheme } from './media-protocol.ts';
import { attachDesktopNotifications } from './notifications.ts';
import { rendererLocation, type RendererLocation } from './renderer-location.ts';
import { hardenAllWebContents, hardenSession } from './security.ts';
import { createMainWindow } from './window.ts';

export interface ShellOptions {
  /** Folder of the built main bundle (out/main): the page and the preload are found from it. */
  mainDir: string;
  startConsole(paths: AppPaths): Promise<RunningConsole>;
}

/**
 * Call once from the main entry, and do not await anything before it: Electron emits `ready` only
 * after the entry module has finished evaluating.
 */
export function runShell(options: ShellOptions): void {
  if (!app.requestSingleInstanceLock()) {
    // Another Ventana runs for this user: it comes to the front (second-instance) and this one leaves.
    app.quit();
    return;
  }
  registerMediaScheme();

  let location: RendererLocation;
  try {
    location = rendererLocation(
      options.mainDir,
      app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    );
  } catch (error) {
    failToStart(error, Promise.resolve(null));
    return;
  }
  hardenAllWebContents(location);

  // Started now, not at ready: the console is plain Node and needs nothing from Electron but paths.
  const started = (async () => options.startConsole({ userData: app.getPath('userData') }))();
  let window: BrowserWindow | null = null;
  let quitting = false;
  let consoleClosed = false;

  const openWindow = (running: RunningConsole): void => {
    const opened = createMainWindow(location);
    const transport = new IpcTransport(opened, location);
    transport.expose(running.api);
    opened.on('closed', () => {
      transport.close();
      if (window === opened) window = null;
    });
    window = opened;
  };

  app.on('second-instance', () => {
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (consoleClosed) return;
    // Hold the exit until the console has closed its cache (and, in the demo, relay and simulator).
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    void closeConsole(started).finally(() => {
      consoleClosed = true;
      app.quit();
    });
  });

  Promise.all([started, app.whenReady()])
    .then(([running]) => {
      if (quitting) return;
      hardenSession(session.defaultSession, location);
      handleMediaProtocol(() => running.media);
      openWindow(running);
      // Lives as long as the console: the badge keeps counting while macOS runs without a window.
      attachDesktopNotifications({ api: running.api, window: () => window, location });
      // macOS: clicking the dock icon with no window open brings one back.
      app.on('activate', () => {
        if (window === null && !quitting) openWindow(running);
      });
    })
    .catch((error: unknown) => failToStart(error, started));
}

async function closeConsole(started: Promise<RunningConsole | null>): Promise<void> {
  try {
    await (await started.catch(() => null))?.close();
  } catch (error) {
    console.error('Ventana could not close the console cleanly:', error);
  }
}

function failToStart(error: unknown, started: Promise<RunningConsole | null>): void {
  const { code, message } = toErrorInfo(error);
  console.error(`Ventana could not start (${code}): ${message}`);
  // Before ready on Linux this prints to stderr instead of showing a dialog; both are wanted.
  dialog.showErrorBox('Ventana could not start', message);
  void closeConsole(started).finally(() => app.exit(1));
}
