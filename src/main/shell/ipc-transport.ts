// Carries the ConsoleApi to one window over Electron IPC: a handler per console method that first
// checks the caller is our page in our window's main frame, then validates and runs the call
// (dispatch); the core's events go to that page.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  CONSOLE_METHODS,
  IPC_EVENT_CHANNEL,
  ipcChannel,
  type ConsoleApi,
  type Unsubscribe,
} from '../../shared/console-api.ts';
import { fail, type Result } from '../../shared/result.ts';
import { dispatch } from '../api/dispatch.ts';
import type { UiTransport } from '../ports.ts';
import { isAppUrl, type RendererLocation } from './renderer-location.ts';

export class IpcTransport implements UiTransport {
  readonly #window: BrowserWindow;
  readonly #location: RendererLocation;
  #stopEvents: Unsubscribe | null = null;

  constructor(window: BrowserWindow, location: RendererLocation) {
    this.#window = window;
    this.#location = location;
  }

  expose(api: ConsoleApi): void {
    for (const method of CONSOLE_METHODS) {
      ipcMain.handle(ipcChannel(method), (event, input: unknown): Promise<Result<unknown>> => {
        if (!this.#isOurPage(event)) {
          return Promise.resolve(
            fail('FORBIDDEN_SENDER', `${method} may only be called by the Ventana console page`),
          );
        }
        return dispatch(api, method, input);
      });
    }
    const contents = this.#window.webContents;
    this.#stopEvents = api.onEvent((event) => {
      if (!contents.isDestroyed() && isAppUrl(contents.mainFrame.url, this.#location)) {
        contents.send(IPC_EVENT_CHANNEL, event);
      }
    });
  }

  close(): void {
    for (const method of CONSOLE_METHODS) ipcMain.removeHandler(ipcChannel(method));
    this.#stopEvents?.();
    this.#stopEvents = null;
  }

  /** Our window's main frame (not a subframe or another window), still showing our page. */
  #isOurPage(event: IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    const contents = this.#window.webContents;
    if (frame === null || contents.isDestroyed() || event.sender !== contents) return false;
    // WebFrameMain objects are not guaranteed unique per frame; the frame tree node id is.
    return (
      frame.frameTreeNodeId === contents.mainFrame.frameTreeNodeId && isAppUrl(frame.url, this.#location)
    );
  }
}
