import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameSecret, type Sessions } from './http-sessions.ts';

/**
 * The page renders hostile log strings, so the policy assumes an injection will one day slip
 * through and leaves it nothing to do: no inline or foreign script, no foreign connections, no
 * framing, no form posts, no plugins.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** The header a script (not a browser) sends the printed token in. */
export const TOKEN_HEADER = 'x-gumshoe-token';

/**
 * The session cookie's name. Cookies ignore ports, so every server on 127.0.0.1 sees every
 * cookie: one named for its port keeps two `gumshoe serve` from overwriting each other's.
 */
export const sessionCookie = (port: number): string => `gumshoe_${port}`;

export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export type Refusal = 'bad-host' | 'bad-origin' | 'no-token' | 'login-spent' | 'session-expired';

export type AuthResult = { kind: 'ok'; session?: string } | { kind: 'login'; session: string | null } | { kind: 'refused'; why: Refusal };

const refused = (why: Refusal): AuthResult => ({ kind: 'refused', why });

/**
 * Who may talk to the server: requests whose Host is our own loopback address (defeats DNS
 * rebinding), whose Origin, when sent, is ours (defeats other local pages), and that either carry
 * the printed token in a header (scripts), carry a live session cookie (the page), or are the one
 * page load that trades a login token or code from the query for that cookie (a browser that
 * already holds a live one is just sent on to the clean URL).
 */
export function authorize(req: IncomingMessage, url: URL, origin: string, port: number, token: string, sessions: Sessions): AuthResult {
  const host = req.headers.host ?? '';
  if (`http://${host}` !== origin) return refused('bad-host');
  const from = req.headers.origin;
  if (from !== undefined && from !== origin) return refused('bad-origin');
  const c = cookie(req, sessionCookie(port));
  const q = url.searchParams.get('token');
  if (q !== null) {
    // Only a page load logs in: a query token on a call would be a token in a URL on every request.
    if (req.method !== 'GET' || url.pathname.startsWith('/api/')) return refused('login-spent');
    // A browser already in (a reload of the login link) is sent on without spending anything.
    if (c !== null && sessions.touch(c)) return { kind: 'login', session: null };
    const session = sessions.login(q);
    return session === null ? refused('login-spent') : { kind: 'login', session };
  }
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && sameSecret(header, token)) return { kind: 'ok' };
  if (c !== null) return sessions.touch(c) ? { kind: 'ok', session: c } : refused('session-expired');
  return refused('no-token');
}

/** What a refused browser is told, in words it can act on. */
export const REFUSALS: Record<Refusal, string> = {
  'bad-host': 'this server answers only to its own 127.0.0.1 address',
  'bad-origin': 'calls from other pages are refused',
  'no-token': 'open the login link `gumshoe serve` printed',
  'login-spent': 'this login link was used already (each works once) or is stale: press Enter in the `gumshoe serve` terminal for a new one',
  'session-expired': 'the session ended after sitting idle: press Enter in the `gumshoe serve` terminal for a new login link',
};
