// The renderer's only door: one function per contract call plus the event subscription, never
// ipcRenderer itself, so a compromised page can send nothing the contract does not name.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { channels, EVENT_CHANNEL, type ApiEvent } from '../shared/contract.ts';

const api: Record<string, unknown> = {};
for (const channel of channels) api[channel] = (args: unknown) => ipcRenderer.invoke(channel, args);

api.onEvent = (listener: (e: ApiEvent) => void): (() => void) => {
  // Hand over the payload only: the IPC event object carries the sender.
  const wrapped = (_event: unknown, payload: ApiEvent): void => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, wrapped);
  return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
};

api.pathForFile = (file: unknown): string | null => {
  if (!(file instanceof File)) return null;
  return webUtils.getPathForFile(file) || null;
};

contextBridge.exposeInMainWorld('gumshoe', api);
