// The console's one window: locked-down web preferences, our preload, shown once it has painted.
import { BrowserWindow } from 'electron';
import type { RendererLocation } from './renderer-location.ts';

export function createMainWindow(location: RendererLocation): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Ventana',
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    // Shown at ready-to-show, so the user never sees an empty white frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: location.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(location.url).catch((error: unknown) => {
    console.error(`Ventana could not load its page ${location.url}:`, error);
  });
  return window;
}
