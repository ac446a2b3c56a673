// The console's attention on the desktop, in Electron: its notifications as native ones (a click
// brings the window up and asks the page to open the conversation), and its unread total on the
// app's icon: the dock badge on macOS, the launcher badge on Linux (LauncherEntry: Unity, KDE,
// Dash to Dock), an overlay dot on the taskbar button on Windows, where app.setBadgeCount does nothing.
import { app, nativeImage, Notification, type BrowserWindow, type NativeImage } from 'electron';
import { IPC_EVENT_CHANNEL, type ConsoleNotification, type Unsubscribe } from '../../shared/console-api.ts';
import { bindAttention, type AttentionSource } from '../notifications/attention-binding.ts';
import { badgeDotPng } from '../notifications/badge-dot.ts';
import { openConversationRequest } from '../notifications/open-request.ts';
import type { DesktopAttention } from '../ports.ts';
import { isAppUrl, type RendererLocation } from './renderer-location.ts';

/** electron-builder's appId: Windows shows toasts only for an app with a user model id. */
const WINDOWS_APP_USER_MODEL_ID = 'app.ventana.console';
/** Notifications kept referenced until clicked or closed (a collected one loses its click). */
const MAX_KEPT = 20;

export interface DesktopNotificationsOptions {
  api: AttentionSource;
  /** The console's window now, or null while none is open (macOS keeps running without one). */
  window: () => BrowserWindow | null;
  location: RendererLocation;
}

/** Call once the app is ready; the answer stops it (the console's own close stops its events too). */
export function attachDesktopNotifications(options: DesktopNotificationsOptions): Unsubscribe {
  if (process.platform === 'win32') app.setAppUserModelId(WINDOWS_APP_USER_MODEL_ID);
  return bindAttention(options.api, new ElectronAttention(options));
}

class ElectronAttention implements DesktopAttention {
  readonly #options: DesktopNotificationsOptions;
  readonly #kept = new Set<Notification>();
  #overlay: NativeImage | null = null;

  constructor(options: DesktopNotificationsOptions) {
    this.#options = options;
  }

  notify(notification: ConsoleNotification): void {
    if (!Notification.isSupported()) return;
    const window = this.#options.window();
    const focused = window?.isFocused() ?? false;
    // The agent is looking at Ventana already: tell them without a sound.
    const shown = new Notification({ title: notification.title, body: notification.body, silent: focused });
    shown.on('click', () => {
      this.#kept.delete(shown);
      this.#bringUp(notification.conversationId);
    });
    shown.on('close', () => this.#kept.delete(shown));
    this.#keep(shown);
    shown.show();
    // Windows flashes the taskbar button, Linux marks the window urgent; macOS would bounce the dock
    // for every message, which the badge already tells.
    if (window && !focused && process.platform !== 'darwin') {
      window.flashFrame(true);
      window.once('focus', () => window.flashFrame(false));
    }
  }

  setUnreadCount(total: number): void {
    const count = Math.max(0, Math.floor(total));
    if (process.platform !== 'win32') {
      app.setBadgeCount(count);
      return;
    }
    const window = this.#options.window();
    if (!window) return;
    if (count === 0) window.setOverlayIcon(null, '');
    else window.setOverlayIcon(this.#dot(), `Ventana: ${count}`);
  }

  #bringUp(conversationId: string | null): void {
    const window = this.#options.window();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (conversationId === null) return;
    const contents = window.webContents;
    // Only to our own page, as the IPC transport sends events.
    if (!contents.isDestroyed() && isAppUrl(contents.mainFrame.url, this.#options.location)) {
      contents.send(IPC_EVENT_CHANNEL, openConversationRequest(conversationId));
    }
  }

  #keep(notification: Notification): void {
    this.#kept.add(notification);
    for (const old of this.#kept) {
      if (this.#kept.size <= MAX_KEPT) break;
      this.#kept.delete(old);
    }
  }

  #dot(): NativeImage {
    this.#overlay ??= nativeImage.createFromBuffer(badgeDotPng());
    return this.#overlay;
  }
}
