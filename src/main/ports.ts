// What the console core needs from the process that hosts it, declared here without electron so the
// core stays plain Node: src/main/shell implements these for Electron.
import type { ConsoleApi } from '../shared/console-api.ts';

/** Where this installation keeps its files. */
export interface AppPaths {
  /** The per-user data folder (Electron's userData): cache, demo data, the installation id. */
  userData: string;
}

/** Carries a ConsoleApi to one UI (in Electron: IPC to one window). */
export interface UiTransport {
  /** Answers the UI's calls with `api` and forwards its events to the UI. */
  expose(api: ConsoleApi): void;
  /** Stops answering calls and forwarding events. */
  close(): void;
}

/** A started console: the API the UI uses and how to stop everything behind it. */
export interface RunningConsole {
  api: ConsoleApi;
  /** Serves ventana-media: URLs; read on every request (signing in as someone else changes it). */
  readonly media: MediaSource | null;
  close(): Promise<void>;
}

/**
 * A message's media as a complete file on this computer (src/main/media fetches it from the relay on
 * first use and keeps it); the web host and the Electron protocol serve it from here.
 */
export interface MediaSource {
  /** Throws CodedError MEDIA_NOT_FOUND, MEDIA_PENDING, MEDIA_FAILED, MEDIA_OFFLINE or MEDIA_CORRUPT. */
  file(messageId: string): Promise<{
    /** Absolute path of the cached bytes (named from a hash of the message id, never from input). */
    path: string;
    size: number;
    mimeType: string;
    /** The original name, offered for "save as"; null when unknown. */
    filename: string | null;
  }>;
}

// Kept beside the interface that uses it, so that this addition stays apart from the lines above.
import type { ConsoleNotification } from '../shared/console-api.ts';

/**
 * Where the console asks for the user's attention on the desktop: in Electron, native notifications
 * and the dock, taskbar or launcher badge (src/main/shell/notifications.ts).
 */
export interface DesktopAttention {
  /** Shows a notification; clicking it brings the window up on its conversation (a digest opens none). */
  notify(notification: ConsoleNotification): void;
  /** Unread messages in the agent's conversations, shown on the app's icon; 0 clears it. */
  setUnreadCount(total: number): void;
}
