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
  close(): Promise<void>;
}
