// The sandboxed preload, built to ONE CommonJS file (out/preload/index.cjs) that requires nothing but
// electron. It gives the page the ConsoleBridge and nothing else: one function per console method,
// onEvent and mediaUrl. ipcRenderer itself never reaches the page. Imports only the zod-free console-api.ts.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_GLOBAL,
  CONSOLE_METHODS,
  IPC_EVENT_CHANNEL,
  MEDIA_SCHEME,
  ipcChannel,
  type ConsoleBridge,
  type ConsoleEvent,
  type ConsoleEventListener,
  type ConsoleMethod,
  type Unsubscribe,
} from '../shared/console-api.ts';

type BridgeMethods = Record<ConsoleMethod, (input: unknown) => Promise<unknown>>;

const methods = Object.fromEntries(
  CONSOLE_METHODS.map((method) => [
    method,
    (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input),
  ]),
) as BridgeMethods;

function onEvent(listener: ConsoleEventListener): Unsubscribe {
  // The page gets the event only: the IpcRendererEvent would hand it the sender (ipcRenderer).
  const deliver = (_ipcEvent: IpcRendererEvent, event: ConsoleEvent) => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, deliver);
  return () => {
    ipcRenderer.removeListener(IPC_EVENT_CHANNEL, deliver);
  };
}

/** Main's ventana-media: protocol serves it (src/main/shell/media-protocol.ts). */
function mediaUrl(messageId: string): string {
  return `${MEDIA_SCHEME}://message/${encodeURIComponent(String(messageId))}`;
}

// Main answers every call with a Result (see src/main/shell/ipc-transport.ts), as ConsoleBridge says.
const bridge = { ...methods, onEvent, mediaUrl } as ConsoleBridge;
contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
