import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, type ApiEvent } from '../../../src/shared/contract.ts';
import { startHttpServer, type HttpServer } from '../../../src/engine/api/http.ts';
import { ApiService } from '../../../src/engine/api/service.ts';

let tmp: string;
let service: ApiService;
let server: HttpServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(path: string, opts: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: opts.method ?? 'POST', headers: { 'content-type': 'application/json', ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body === undefined ? undefined : JSON.stringify(opts.body));
  });
}
const api = (channel: string, args: unknown = {}): Promise<Reply> => call(`/api/${channel}`, { body: args, headers: { 'x-gumshoe-token': server.token } });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-http-'));
  const ui = join(tmp, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  service = new ApiService({ transport: 'http' });
  // A trailing slash, as `serve` passes it, must not break the containment check.
  server = await startHttpServer(service, { staticDir: `${ui}/` });
});

afterAll(async () => {
  await server.close();
  await service.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('loopback HTTP transport', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses requests without the token, with a wrong token, or from a foreign origin or host', async () => {
    expect((await call('/api/app.info', { body: {} })).status).toBe(403);
    expect((await call('/api/app.info', { body: {}, headers: { 'x-gumshoe-token': 'nope' } })).status).toBe(403);
    expect((await call('/api/app.info', { body: {}, headers: { 'x-gumshoe-token': server.token, origin: 'http://evil.example' } })).status).toBe(403);
    expect((await call('/api/app.info', { body: {}, headers: { 'x-gumshoe-token': server.token, host: 'evil.example' } })).status).toBe(403);
    expect((await call('/', { method: 'GET' })).status).toBe(403);
  });

  it('serves the UI with a strict CSP and trades the URL token, once, for a strict cookie named for its port', async () => {
    const login = await call(`/?token=${server.token}`, { method: 'GET' });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    const csp = String(login.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^gumshoe_${server.port}=`));
    expect(cookie).not.toContain(server.token);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const again = await call('/', { method: 'GET', headers: { cookie: cookie.split(';')[0] } });
    expect(again.status).toBe(200);
    expect(again.body).toContain('<title>ui</title>');
    expect((await call('/../../etc/passwd', { method: 'GET', headers: { cookie: cookie.split(';')[0] } })).status).toBe(404);
  });

  it('answers calls with typed results and typed errors', async () => {
    const info = JSON.parse((await api('app.info')).body);
    expect(info).toMatchObject({ ok: true, value: { transport: 'http' } });
    // Every call has its engine now; dialogs answer 'not-available' in web mode but are wired.
    expect([...info.value.available].sort()).toEqual([...channels].sort());

    expect(JSON.parse((await api('no.such')).body).error.code).toBe('unknown-call');
    const bad = JSON.parse((await api('cases.open', { dir: 42 })).body);
    expect(bad.error.code).toBe('invalid-argument');
    expect(bad.error.issues[0].path).toBe('dir');
    expect(JSON.parse((await api('cases.open', { dir: '/x', extra: 1 })).body).error.code).toBe('invalid-argument');
    expect(JSON.parse((await api('export.run', { format: 'json', path: '/tmp/x.json' })).body).error.code).toBe('no-case');
    expect(JSON.parse((await api('evidence.add', { paths: ['/tmp'] })).body).error.code).toBe('no-case');
    expect(JSON.parse((await api('dialogs.pickDirectory')).body).error.code).toBe('not-available');
    expect(JSON.parse((await api('cases.create', { dir: 'relative/case' })).body).error.code).toBe('user');
  });

  it('creates and reopens a case, and streams the change as an event', async () => {
    const events: ApiEvent[] = [];
    const streamed = new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/api/events`, { headers: { 'x-gumshoe-token': server.token } }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]) as ApiEvent);
          if (events.length >= 2) resolve();
        });
        void api('cases.create', { dir: join(tmp, 'case-a') }).then(() => api('cases.open', { dir: join(tmp, 'case-a') }));
      });
      req.on('error', reject);
      req.end();
    });
    await streamed;
    expect(events.map((e) => (e.type === 'case' ? e.case?.name : null))).toEqual(['case-a', 'case-a']);
    const again = JSON.parse((await api('cases.create', { dir: join(tmp, 'case-a') })).body);
    expect(again.error.code).toBe('user');
    expect(JSON.parse((await api('cases.current')).body).value.dir).toBe(join(tmp, 'case-a'));
  });
});
