import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { ApiEvent } from '../../shared/contract.ts';
import { authorize, newToken, securityHeaders, TOKEN_COOKIE } from './http-security.ts';
import type { ApiService } from './service.ts';

export interface HttpOptions {
  port?: number;
  /** The built renderer (out/renderer); the API works without it. */
  staticDir?: string;
  token?: string;
}

export interface HttpServer {
  url: string;
  /** The URL to open: carries the token once, the page then lives on a cookie. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
const HEARTBEAT_MS = 15_000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Serve the contract over HTTP on 127.0.0.1 only: POST /api/<call>, GET /api/events (SSE), static UI. */
export async function startHttpServer(service: ApiService, options: HttpOptions = {}): Promise<HttpServer> {
  const token = options.token ?? newToken();
  let origin = '';
  const streams = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    securityHeaders(res);
    const url = new URL(req.url ?? '/', origin);
    const auth = authorize(req, url, origin, token);
    if (auth !== 'ok' && auth !== 'ok-set-cookie') return send(res, 403, 'text/plain; charset=utf-8', `forbidden: ${auth}\n`);
    if (auth === 'ok-set-cookie') res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);

    if (url.pathname === '/api/events' && req.method === 'GET') return openStream(res, streams, service);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST only\n');
      // A JSON content type forces a CORS preflight on any cross-site attempt.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain; charset=utf-8', 'JSON only\n');
      void handleCall(req, res, service, decodeURIComponent(url.pathname.slice('/api/'.length)));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only\n');
    serveStatic(res, options.staticDir, url.pathname);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    url: origin,
    openUrl: `${origin}/?token=${token}`,
    token,
    port,
    close: async () => {
      clearInterval(heartbeat);
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(body);
}

async function handleCall(req: IncomingMessage, res: ServerResponse, service: ApiService, channel: string): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return send(res, 413, 'text/plain; charset=utf-8', 'request too large\n');
    chunks.push(chunk);
  }
  let args: unknown;
  try {
    args = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  } catch {
    return send(res, 400, 'application/json', JSON.stringify({ ok: false, error: { code: 'invalid-argument', message: 'body is not JSON' } }));
  }
  // Typed errors travel in the body with 200, exactly as over IPC: one client code path.
  const result = await service.call(channel, args);
  send(res, 200, 'application/json', JSON.stringify(result));
}

function openStream(res: ServerResponse, streams: Set<ServerResponse>, service: ApiService): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  streams.add(res);
  const unsubscribe = service.subscribe((e: ApiEvent) => res.write(`data: ${JSON.stringify(e)}\n\n`));
  res.on('close', () => {
    unsubscribe();
    streams.delete(res);
  });
}

function serveStatic(res: ServerResponse, root: string | undefined, pathname: string): void {
  if (!root || !existsSync(join(root, 'index.html'))) {
    return send(res, 404, 'text/plain; charset=utf-8', 'The UI is not built: run `npm run build`.\n');
  }
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const base = resolve(root);
  const file = normalize(join(base, rel));
  if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}
