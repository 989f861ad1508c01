// The login and session rules of the loopback transport (docs/security.md): the printed token logs
// a browser in once, for a cookie named for the port that holds a session id, never the token;
// the token is refused in query strings afterwards; sessions expire when idle (a moved clock, not
// a wait); and an answer too deep for JSON.stringify is cut rather than ending the process.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttpServer, type HttpServer } from '../../../src/engine/api/http.ts';
import { SESSION_IDLE_MS } from '../../../src/engine/api/http-sessions.ts';
import { TOO_DEEP } from '../../../src/engine/api/bounded-json.ts';
import { ApiService } from '../../../src/engine/api/service.ts';

let tmp: string;
let service: ApiService;
let server: HttpServer;
let now = 1_700_000_000_000;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(path: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const apiWith = (headers: Record<string, string>, channel = 'app.info'): Promise<Reply> =>
  call(`/api/${channel}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...headers } });

/** Log a browser in with `link`'s token: the session cookie it is given, as a Cookie header value. */
async function login(link: string): Promise<string> {
  const r = await call(new URL(link).pathname + new URL(link).search);
  expect(r.status).toBe(303);
  const set = String(r.headers['set-cookie']);
  return set.split(';')[0];
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-sessions-'));
  const ui = join(tmp, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  service = new ApiService({ transport: 'http' });
  server = await startHttpServer(service, { staticDir: ui, sessions: { now: () => now }, heartbeatMs: 20 });
});

afterAll(async () => {
  await server.close();
  await service.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('login and sessions', () => {
  let cookie = '';

  it('trades the printed token once for a session cookie named for the port, holding no token', async () => {
    cookie = await login(server.openUrl);
    const [name, value] = cookie.split('=');
    expect(name).toBe(`gumshoe_${server.port}`);
    expect(value).not.toBe(server.token);
    expect(value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await call('/', { headers: { cookie } })).status).toBe(200);
    expect((await apiWith({ cookie })).status).toBe(200);
  });

  it('refuses the token in a query string after that, from any other browser', async () => {
    const again = await call(`/?token=${server.token}`);
    expect(again.status).toBe(403);
    expect(again.body).toContain('login-spent');
    expect(again.headers['set-cookie']).toBeUndefined();
    // A call never logs in by query, spent or not.
    expect((await call(`/api/app.info?token=${server.token}`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(403);
  });

  it('sends a browser that is already in on to the clean URL when it reloads the login link', async () => {
    const r = await call(`/?token=${server.token}`, { headers: { cookie } });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it("ignores another port's cookie and a made-up session", async () => {
    const value = cookie.split('=')[1];
    expect((await call('/', { headers: { cookie: `gumshoe_${server.port + 1}=${value}` } })).status).toBe(403);
    expect((await call('/', { headers: { cookie: `gumshoe_${server.port}=${'A'.repeat(32)}` } })).status).toBe(403);
    expect((await call('/', { headers: { cookie: `gumshoe_token=${server.token}` } })).status).toBe(403);
  });

  it('keeps scripts working with the token in the header', async () => {
    expect((await apiWith({ 'x-gumshoe-token': server.token })).status).toBe(200);
  });

  it('expires a session left idle past the limit, and keeps one in use alive', async () => {
    const idle = await login(server.loginUrl());
    const busy = await login(server.loginUrl());
    now += SESSION_IDLE_MS - 1000;
    expect((await apiWith({ cookie: busy })).status).toBe(200);
    now += 2000;
    const expired = await call('/', { headers: { cookie: idle } });
    expect(expired.status).toBe(403);
    expect(expired.body).toContain('session-expired');
    expect((await apiWith({ cookie: busy })).status).toBe(200);
    // Gone for good: it does not come back once the clock is forgiving again.
    expect((await call('/', { headers: { cookie: idle } })).status).toBe(403);
  });

  it('keeps the session of an open tab alive through its event stream, however long nothing is clicked', async () => {
    const tab = await login(server.loginUrl());
    const closed = await login(server.loginUrl());
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${server.url}/api/events`, { headers: { cookie: tab } }, resolve);
      req.on('error', reject);
      req.end();
    });
    expect(stream.statusCode).toBe(200);
    let beats = 0;
    stream.on('data', (d: Buffer) => (beats += d.toString().split('keep-alive').length - 1));
    // Two idle limits pass in steps, each shorter than the limit, with keep-alives between them.
    for (let step = 0; step < 4; step++) {
      now += SESSION_IDLE_MS / 2;
      const seen = beats;
      await vi.waitFor(() => expect(beats).toBeGreaterThan(seen), { timeout: 5000, interval: 10 });
    }
    stream.destroy();
    expect((await apiWith({ cookie: tab })).status).toBe(200);
    expect((await apiWith({ cookie: closed })).status).toBe(403);
  });

  it('gives each fresh login link one use, and only for a few minutes', async () => {
    const link = server.loginUrl();
    await login(link);
    expect((await call(new URL(link).pathname + new URL(link).search)).status).toBe(403);
    const stale = server.loginUrl();
    now += 11 * 60_000;
    expect((await call(new URL(stale).pathname + new URL(stale).search)).status).toBe(403);
  });
});

describe('answers no serialiser can write', () => {
  it('cuts an answer nested 100,000 deep to a marker and stays up', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { spec: deep };
    const spy = vi.spyOn(service, 'call').mockResolvedValueOnce({ ok: true, value: { event: deep } });
    const r = await apiWith({ 'x-gumshoe-token': server.token }, 'events.get');
    spy.mockRestore();
    expect(r.status).toBe(200);
    expect(r.body).toContain(TOO_DEEP);
    const answer = JSON.parse(r.body) as { ok: boolean; value: { event: { spec: unknown } } };
    expect(answer.ok).toBe(true);
    expect((await apiWith({ 'x-gumshoe-token': server.token })).status).toBe(200);
  });

  it('answers a handler that throws or rejects with a typed error', async () => {
    const spy = vi.spyOn(service.handlers, 'app.info').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const r = await apiWith({ 'x-gumshoe-token': server.token });
    spy.mockRestore();
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'internal' } });
    const rejecting = vi.spyOn(service.handlers, 'app.info').mockImplementationOnce(() => Promise.reject(new Error('gone')) as never);
    const r2 = await apiWith({ 'x-gumshoe-token': server.token });
    rejecting.mockRestore();
    expect(JSON.parse(r2.body)).toMatchObject({ ok: false, error: { code: 'internal', message: 'gone' } });
  });
});
