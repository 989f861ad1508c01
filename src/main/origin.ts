// Who may call the API over IPC. Kept free of electron imports so it is unit-tested under plain Node.

/** The renderer is served from this privileged scheme so it has a real origin to pin. */
export const APP_ORIGIN = 'app://gumshoe';

/** Is this URL our own renderer? (about:blank, data:, file: and navigated-to pages are not.) */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'gumshoe';
  } catch {
    return false;
  }
}

/** The minimum of Electron's WebFrameMain the check needs. */
export interface FrameLike {
  url: string;
  parent: unknown;
}

/** Only our own top frame may call: a sub-frame or a foreign page never reaches a handler. */
export function senderAllowed(frame: FrameLike | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}
