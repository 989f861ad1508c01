import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How long a browser session lives with nothing using it. An open tab never idles out: its event
 * stream refreshes the session at every keep-alive (15 s), so a long ingest or training run watched
 * from the page does not log the analyst out. What expires is a session no tab holds: a cookie left
 * in a closed browser, or copied out of a profile, is worthless half an hour after the last tab
 * closed. Thirty minutes covers closing the tab and coming back within a meeting; past that, ask
 * `gumshoe serve` for a new login link (Enter in its terminal).
 */
export const SESSION_IDLE_MS = 30 * 60_000;

/** A login link printed on demand is for the next few minutes, not for the scrollback. */
export const LOGIN_CODE_MS = 10 * 60_000;

export const newSecret = (): string => randomBytes(24).toString('base64url');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SessionOptions {
  idleMs?: number;
  /** Milliseconds; tests pass a clock they move. */
  now?: () => number;
}

/**
 * The browser sessions of one server. The printed token logs a browser in once (its query use is
 * then spent, so a URL in history or a screenshot is useless); further links come from
 * `loginCode()`, each good once and for LOGIN_CODE_MS. A login yields a session id for the cookie:
 * the token itself never sits in a cookie.
 */
export class Sessions {
  private tokenSpent = false;
  private readonly codes = new Map<string, number>();
  private readonly live = new Map<string, number>();
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(
    private readonly token: string,
    options: SessionOptions = {},
  ) {
    this.idleMs = options.idleMs ?? SESSION_IDLE_MS;
    this.now = options.now ?? Date.now;
  }

  /** A fresh one-time login code. */
  loginCode(): string {
    const code = newSecret();
    this.codes.set(code, this.now() + LOGIN_CODE_MS);
    return code;
  }

  /** Trade a login token or code for a new session id; null when it is wrong, used or stale. */
  login(candidate: string): string | null {
    if (!this.tokenSpent && sameSecret(candidate, this.token)) {
      this.tokenSpent = true;
      return this.open();
    }
    const now = this.now();
    let hit = false;
    for (const [code, until] of this.codes) {
      if (until <= now) this.codes.delete(code);
      else if (!hit && sameSecret(candidate, code)) {
        this.codes.delete(code);
        hit = true;
      }
    }
    return hit ? this.open() : null;
  }

  /** Whether `id` is a live session; using it keeps it alive. Stale sessions are dropped on the way. */
  touch(id: string): boolean {
    const now = this.now();
    let found = false;
    for (const [sid, seen] of this.live) {
      if (now - seen > this.idleMs) this.live.delete(sid);
      else if (!found && sameSecret(id, sid)) {
        this.live.set(sid, now);
        found = true;
      }
    }
    return found;
  }

  private open(): string {
    const id = newSecret();
    this.live.set(id, this.now());
    return id;
  }
}
