import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { ApiEvent } from '../../shared/contract.ts';
import { stringifyAnswer } from './bounded-json.ts';
import { authorize, REFUSALS, securityHeaders, sessionCookie } from './http-security.ts';
import { newSecret, Sessions, type SessionOptions } from './http-sessions.ts';
import type { ApiService } from './service.ts';

export interface HttpOptions {
  port?: number;
  /** The built renderer (out/renderer); the API works without it. */
  staticDir?: string;
  token?: string;
  /** Idle limit and clock of the browser sessions (tests move the clock). */
  sessions?: SessionOptions;
  /** Keep-alive period of the event stream, which also refreshes its session (tests shorten it). */
  heartbeatMs?: number;
}

export interface HttpServer {
  url: string;
  /** The URL to open: its token logs one browser in, once; the page then lives on a session cookie. */
  openUrl: string;
  /** The printed token: good in the x-gumshoe-token header (scripts) for the server's life. */
  token: string;
  port: number;
  /** A fresh login link, good once and for a few minutes (a second browser, an expired session). */
  loginUrl(): string;
  close(): Promise<void>;
}

/**
 * The largest request body read. The contract's largest call is evidence.add with 1,000 paths of
 * up to 4,096 characters: about 4.1 MB of JSON for ASCII paths, so 4 MiB refuses no call a person
 * can make, while one body held in memory stays small. Only authorised callers get this far.
 */
const MAX_BODY = 4 << 20;
/**
 * How much of an over-cap body is read (and dropped) so its sender can see the 413: a few times the
 * cap covers any honest mistake (a big paste); a sender that goes on past it is cut off.
 */
const DRAIN_LIMIT = 4 * MAX_BODY;
const HEARTBEAT_MS = 15_000;
const TEXT = 'text/plain; charset=utf-8';
const ignore = (): void => {};
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

interface Stream {
  res: ServerResponse;
  /** The browser session the stream belongs to: each keep-alive refreshes it. */
  session?: string;
}

/**
 * Serve the contract over HTTP on 127.0.0.1 only: POST /api/<call>, GET /api/events (SSE), static UI.
 * No request, however malformed, and no client, however rude, ends the process: each request runs
 * inside a catch that answers 400/500, bodies are read with a cap and an abort path, answers too
 * deep for JSON.stringify are cut, and socket errors are absorbed per connection.
 */
export async function startHttpServer(service: ApiService, options: HttpOptions = {}): Promise<HttpServer> {
  const token = options.token ?? newSecret();
  const sessions = new Sessions(token, options.sessions);
  let origin = '';
  let port = 0;
  const streams = new Set<Stream>();

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    securityHeaders(res);
    const url = parseTarget(req.url, origin);
    if (url === null) return send(res, 400, TEXT, 'bad request target\n');
    const auth = authorize(req, url, origin, port, token, sessions);
    if (auth.kind === 'refused') return send(res, 403, TEXT, `forbidden: ${auth.why}: ${REFUSALS[auth.why]}\n`);
    if (auth.kind === 'login') {
      if (auth.session !== null) res.setHeader('Set-Cookie', `${sessionCookie(port)}=${auth.session}; Path=/; HttpOnly; SameSite=Strict`);
      // Off the address bar at once: the spent token should not sit in history either.
      url.searchParams.delete('token');
      res.writeHead(303, { Location: url.pathname + url.search });
      res.end();
      return;
    }
    const pathname = decodePath(url.pathname);
    if (pathname === null) return send(res, 400, TEXT, 'bad %-encoding in the path\n');

    if (pathname === '/api/events' && req.method === 'GET') return openStream(res, streams, service, auth.session);
    if (pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, TEXT, 'POST only\n');
      // A JSON content type forces a CORS preflight on any cross-site attempt.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, TEXT, 'JSON only\n');
      handleCall(req, res, service, pathname.slice('/api/'.length)).catch((err: unknown) => failed(res, err));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, TEXT, 'GET only\n');
    serveStatic(res, options.staticDir, pathname);
  };

  const server = createServer((req, res) => {
    // A client that resets mid-request surfaces here; the request is simply over.
    req.on('error', ignore);
    res.on('error', ignore);
    try {
      route(req, res);
    } catch (err) {
      failed(res, err);
    }
  });
  // Unparseable requests (bad methods, header floods, NUL in the target) end their own connection only.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', ignore);
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const heartbeat = setInterval(() => {
    for (const s of streams) {
      if (s.session !== undefined) sessions.touch(s.session);
      s.res.write(': keep-alive\n\n');
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  return {
    url: origin,
    openUrl: `${origin}/?token=${token}`,
    token,
    port,
    loginUrl: () => `${origin}/?token=${sessions.loginCode()}`,
    close: async () => {
      clearInterval(heartbeat);
      for (const s of streams) s.res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request target as a URL of ours, or null: absolute-form targets must name us, ports included. */
function parseTarget(target: string | undefined, origin: string): URL | null {
  try {
    const url = new URL(target ?? '/', origin);
    return url.origin === origin ? url : null;
  } catch {
    return null;
  }
}

function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The last resort for anything a request threw: a typed 'internal' answer, and the server lives on. */
function failed(res: ServerResponse, err: unknown): void {
  if (res.headersSent) return void res.destroy();
  const message = err instanceof Error ? err.message : String(err);
  send(res, 500, 'application/json', JSON.stringify({ ok: false, error: { code: 'internal', message: message.slice(0, 500) } }));
}

/**
 * The body, or why there is none: the client went away, or sent more than MAX_BODY. A body over
 * the cap is read to its end and dropped, so its sender sees the 413 rather than a reset, unless
 * it runs past DRAIN_LIMIT more bytes: then the connection is cut.
 */
function readBody(req: IncomingMessage): Promise<Buffer | 'aborted' | 'too-large'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const whole = (): Buffer | 'too-large' => (over ? 'too-large' : Buffer.concat(chunks));
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > MAX_BODY + DRAIN_LIMIT) req.destroy();
      } else if (size > MAX_BODY) {
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(whole()));
    req.on('error', () => resolve('aborted'));
    req.on('close', () => resolve(req.complete ? whole() : 'aborted'));
  });
}

async function handleCall(req: IncomingMessage, res: ServerResponse, service: ApiService, channel: string): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? 0);
  // Declared past what would be drained: refused before a byte is read.
  const body = declared > MAX_BODY + DRAIN_LIMIT ? 'too-large' : await readBody(req);
  if (body === 'aborted') return;
  if (body === 'too-large') {
    // Close after answering: the rest of the body is not worth reading.
    res.setHeader('Connection', 'close');
    return send(res, 413, TEXT, `request body over ${MAX_BODY} bytes\n`);
  }
  let args: unknown;
  try {
    args = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    return send(res, 400, 'application/json', JSON.stringify({ ok: false, error: { code: 'invalid-argument', message: 'body is not JSON' } }));
  }
  // Typed errors travel in the body with 200, exactly as over IPC: one client code path.
  const result = await service.call(channel, args);
  send(res, 200, 'application/json', stringifyAnswer(result));
}

function openStream(res: ServerResponse, streams: Set<Stream>, service: ApiService, session: string | undefined): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  const stream: Stream = { res, session };
  streams.add(stream);
  const unsubscribe = service.subscribe((e: ApiEvent) => res.write(`data: ${stringifyAnswer(e)}\n\n`));
  res.on('close', () => {
    unsubscribe();
    streams.delete(stream);
  });
}

function serveStatic(res: ServerResponse, root: string | undefined, pathname: string): void {
  if (!root || !existsSync(join(root, 'index.html'))) {
    return send(res, 404, TEXT, 'The UI is not built: run `npm run build`.\n');
  }
  const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = resolve(root);
  const file = normalize(join(base, rel));
  if (rel.includes('\0') || !file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return send(res, 404, TEXT, 'not found\n');
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  // A file that vanishes or cannot be read after the check ends this response, not the server.
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
