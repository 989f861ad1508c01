import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { channels, EVENT_CHANNEL, type ApiEvent, type ApiResult } from '../shared/contract.ts';
import type { ApiService } from '../engine/api/service.ts';
import { senderAllowed } from './origin.ts';

/**
 * One ipcMain.handle per contract channel. The sender's frame must be our own renderer; arguments
 * are validated by the shared dispatch; every outcome is an ApiResult, never a thrown error (Electron
 * would serialize a thrown error's message and stack into the renderer).
 */
export function registerIpc(service: ApiService, target: () => WebContents | null): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, args: unknown): Promise<ApiResult<unknown>> | ApiResult<unknown> => {
      if (!senderAllowed(event.senderFrame)) {
        return { ok: false, error: { code: 'forbidden', message: 'calls are accepted from the Gumshoe window only' } };
      }
      return service.call(channel, args);
    });
  }
  const unsubscribe = service.subscribe((e: ApiEvent) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(EVENT_CHANNEL, e);
  });
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
