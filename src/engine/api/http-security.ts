import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

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

export const TOKEN_COOKIE = 'gumshoe_token';
export const TOKEN_HEADER = 'x-gumshoe-token';

export const newToken = (): string => randomBytes(24).toString('base64url');

export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export type AuthResult = 'ok' | 'ok-set-cookie' | 'bad-host' | 'bad-origin' | 'no-token';

/**
 * Who may talk to the server: requests whose Host is our own loopback address (defeats DNS
 * rebinding), whose Origin, when sent, is ours (defeats other local pages), and that carry the token
 * (query on the first page load, then a SameSite=Strict cookie, or a header for scripts).
 */
export function authorize(req: IncomingMessage, url: URL, origin: string, token: string): AuthResult {
  const host = req.headers.host ?? '';
  if (`http://${host}` !== origin) return 'bad-host';
  const from = req.headers.origin;
  if (from !== undefined && from !== origin) return 'bad-origin';
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && same(header, token)) return 'ok';
  const c = cookie(req, TOKEN_COOKIE);
  if (c !== null && same(c, token)) return 'ok';
  const q = url.searchParams.get('token');
  if (q !== null && same(q, token)) return 'ok-set-cookie';
  return 'no-token';
}
