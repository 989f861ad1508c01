import { dialog, type BrowserWindow } from 'electron';
import type { Dialogs } from '../engine/api/handlers.ts';

/** Native open/save dialogs, parented to the window so they are modal to it. */
export function nativeDialogs(win: () => BrowserWindow | null): Dialogs {
  const parent = (): BrowserWindow | undefined => win() ?? undefined;
  return {
    async pickDirectory(title) {
      const p = parent();
      const opts = { title: title ?? 'Choose a case directory', properties: ['openDirectory', 'createDirectory'] as const };
      const r = p ? await dialog.showOpenDialog(p, { ...opts, properties: [...opts.properties] }) : await dialog.showOpenDialog({ ...opts, properties: [...opts.properties] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async pickEvidence(title) {
      const p = parent();
      const opts = { title: title ?? 'Add evidence', properties: ['openFile', 'openDirectory', 'multiSelections'] as ('openFile' | 'openDirectory' | 'multiSelections')[] };
      const r = p ? await dialog.showOpenDialog(p, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : r.filePaths;
    },
    async pickSavePath(title, defaultName) {
      const p = parent();
      const opts = { title: title ?? 'Save', defaultPath: defaultName };
      const r = p ? await dialog.showSaveDialog(p, opts) : await dialog.showSaveDialog(opts);
      return r.canceled ? null : (r.filePath ?? null);
    },
  };
}
