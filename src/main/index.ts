// Electron host: one hardened window over the same API service web mode uses. Kept thin on
// purpose: everything testable lives in src/engine/api and is tested without Electron.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { nativeDialogs } from './dialogs.ts';
import { registerIpc } from './ipc.ts';
import { registerScheme, serveRenderer } from './protocol.ts';
import { createMainWindow, lockDownSession } from './window.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerScheme();
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  void app.whenReady().then(async () => {
    lockDownSession();
    serveRenderer(join(here, '../renderer'));
    // The engine runs from its TypeScript sources under tsx, as the CLI does, rather than from
    // this bundle: its workers (jobs, ingest reader, training) and data files are found beside
    // their sources through import.meta.url, which bundling would break.
    register();
    const engine = pathToFileURL(join(app.getAppPath(), 'src/engine/api/service.ts')).href;
    const { ApiService } = (await import(/* @vite-ignore */ engine)) as typeof import('../engine/api/service.ts');
    const service = new ApiService({ transport: 'ipc', dialogs: nativeDialogs(() => win) });
    const unregister = registerIpc(service, () => win?.webContents ?? null);
    win = createMainWindow(join(here, '../preload/index.cjs'));
    win.on('closed', () => (win = null));
    app.on('window-all-closed', () => {
      unregister();
      void service.close().then(() => app.quit());
    });
  });
}
