// `gumshoe serve` as a user starts it (a child process on 127.0.0.1, random port, a case built
// with the engine's own ingest), fed malformed and hostile requests one at a time; after each,
// the process must still be running and must still answer a good call. Loopback only; a fixed,
// bounded list of inputs, each with its own short deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../src/engine/jobs/ingest.ts';
import { openCase } from '../../../src/engine/store/db.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** How deep the hostile event nests: past what V8's recursive JSON.stringify survives in `serve`. */
const DEEP = 5000;

let tmp: string;
let child: ChildProcess;
let port: number;
let token: string;
let stderr = '';

/** JSON text of an object nesting DEEP levels. */
function deepObject(): string {
  return `${'{"spec":'.repeat(DEEP)}"bottom"${'}'.repeat(DEEP)}`;
}

/** One audit event whose requestObject nests DEEP levels, as a hostile cluster could log it. */
function deepEvent(): string {
  const deep = deepObject();
  return `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"fuzz-deep-0001","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/configmaps","verb":"create","user":{"username":"alice","groups":["system:authenticated"]},"sourceIPs":["10.0.0.7"],"objectRef":{"resource":"configmaps","namespace":"default","name":"deep"},"responseStatus":{"code":201},"requestObject":${deep},"requestReceivedTimestamp":"2024-03-01T10:00:00.000000Z","stageTimestamp":"2024-03-01T10:00:00.050000Z"}`;
}

/** Bytes to the server on a fresh socket; resolves with whatever came back when it closes or `ms` pass. */
function raw(chunks: (string | Buffer)[], opts: { destroyAfterWrite?: boolean; ms?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, opts.ms ?? 3000);
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      // A client that vanishes mid-body: the server sees ECONNRESET or an aborted request.
      if (opts.destroyAfterWrite) setTimeout(() => socket.resetAndDestroy(), 50);
    });
  });
}

const host = (): string => `Host: 127.0.0.1:${port}\r\nConnection: close\r\n`;
const auth = (): string => `${host()}x-gumshoe-token: ${token}\r\n`;
const post = (channel: string, body: string | Buffer, extra = ''): (string | Buffer)[] => [
  `POST /api/${channel} HTTP/1.1\r\n${auth()}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`,
  body,
];

/** A good call: app.info with the token. */
function good(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/app.info', method: 'POST', headers: { 'content-type': 'application/json', 'x-gumshoe-token': token } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', reject);
    req.end('{}');
  });
}

const answering = (): Promise<boolean> =>
  child.exitCode === null
    ? good()
        .then((r) => r.status === 200)
        .catch(() => false)
    : Promise.resolve(false);

async function stillServing(after: string): Promise<void> {
  expect(child.exitCode, `serve exited after ${after}; its stderr:\n${stderr}`).toBeNull();
  const r = await good().catch((err: unknown) => ({ status: 0, body: String(err) }));
  expect(r.status, `after ${after}: ${r.body}\n${stderr}`).toBe(200);
  expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { transport: 'http' } });
}

/** `gumshoe serve` on the case; each input starts it afresh if an earlier one killed it, so each is judged alone. */
async function startServe(): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
  stderr = '';
  child = spawn(process.execPath, ['bin/gumshoe.mjs', 'serve', '--json', '--port', '0', '--root', tmp, '--case', join(tmp, 'case')], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gumshoe serve exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  const printed = JSON.parse(line) as { url: string; token: string };
  port = Number(new URL(printed.url).port);
  token = printed.token;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gumshoe-fuzz-'));
  writeFileSync(join(tmp, 'deep.log'), `${deepEvent()}\n`);
  const db = openCase(join(tmp, 'case'), { create: true });
  try {
    await ingest(db, [join(tmp, 'deep.log')]);
    // Today's reader cuts the stored object past its depth cap; a case ingested before that cap
    // holds the whole 5,000 levels, and serve must answer for it too: store it so.
    expect(db.prepare('UPDATE events SET request_object = ? WHERE audit_id = ?').run(deepObject(), 'fuzz-deep-0001').changes).toBe(1);
  } finally {
    db.close();
  }
  await startServe();
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const deepArray = (n: number): string => '['.repeat(n) + ']'.repeat(n);

/** Each input, named; sent raw so nothing on our side tidies it first. */
const inputs: { name: string; send: () => Promise<unknown> }[] = [
  // Request lines and targets, without the token: anyone on the box can send these.
  { name: 'absolute-form URL with a bad port (unauthenticated)', send: () => raw([`GET http://a:99999/ HTTP/1.1\r\n${host()}\r\n`]) },
  { name: 'absolute-form URL naming our host with a bad port', send: () => raw([`GET http://127.0.0.1:99999/ HTTP/1.1\r\n${auth()}\r\n`]) },
  { name: 'absolute-form URL for a foreign host', send: () => raw([`GET http://evil.example/api/events HTTP/1.1\r\n${auth()}\r\n`]) },
  { name: 'absolute-form URL with userinfo and IPv6 junk', send: () => raw([`GET http://u:p@[::1/ HTTP/1.1\r\n${auth()}\r\n`]) },
  { name: 'unknown method', send: () => raw([`BREW / HTTP/1.1\r\n${host()}\r\n`]) },
  { name: 'CONNECT', send: () => raw([`CONNECT 127.0.0.1:22 HTTP/1.1\r\n${host()}\r\n`]) },
  { name: 'OPTIONS *', send: () => raw([`OPTIONS * HTTP/1.1\r\n${auth()}\r\n`]) },
  { name: 'request line without a version', send: () => raw([`GET /\r\n\r\n`]) },
  { name: 'HTTP/9.9', send: () => raw([`GET / HTTP/9.9\r\n${host()}\r\n`]) },
  { name: 'NUL in the method', send: () => raw([Buffer.from(`G\0T / HTTP/1.1\r\n${host()}\r\n`)]) },
  { name: 'NUL in the target', send: () => raw([Buffer.from(`GET /a\0b HTTP/1.1\r\n${auth()}\r\n`)]) },
  { name: '%00 in the target', send: () => raw([`GET /index.html%00.js HTTP/1.1\r\n${auth()}\r\n`]) },
  { name: 'bad %-encoding on a call', send: () => raw(post('%ff', '{}')) },
  { name: 'bad %-encoding on a page', send: () => raw([`GET /%E0%A4%A HTTP/1.1\r\n${auth()}\r\n`]) },
  { name: 'truncated %-encoding', send: () => raw([`GET /api/% HTTP/1.1\r\n${auth()}\r\n`]) },
  { name: 'raw UTF-8 in the target', send: () => raw([Buffer.from(`GET /ünïcödé/日本/🙂 HTTP/1.1\r\n${auth()}\r\n`, 'utf8')]) },
  { name: 'invalid UTF-8 bytes in the target', send: () => raw([Buffer.concat([Buffer.from('GET /'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(` HTTP/1.1\r\n${auth()}\r\n`)])]) },
  { name: 'a 100 KB header', send: () => raw([`GET / HTTP/1.1\r\n${host()}X-Big: ${'a'.repeat(100_000)}\r\n\r\n`]) },
  { name: '2,000 headers', send: () => raw([`GET / HTTP/1.1\r\n${host()}${'X-H: 1\r\n'.repeat(2000)}\r\n`]) },
  { name: 'a token query on a call', send: () => raw(post(`app.info?token=${token}`, '{}')) },
  { name: 'a cookie header of junk', send: () => raw([`GET / HTTP/1.1\r\n${host()}Cookie: ;;==;gumshoe_${port}=%ff\0\r\n\r\n`]) },
  // Bodies, with the token.
  { name: 'truncated JSON', send: () => raw(post('cases.open', '{"dir": "/tm')) },
  { name: 'JSON of NUL bytes', send: () => raw(post('cases.open', Buffer.alloc(64))) },
  { name: 'invalid UTF-8 body', send: () => raw(post('cases.open', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))) },
  { name: 'deep JSON body (500,000 nested arrays)', send: () => raw(post('cases.open', deepArray(500_000))) },
  { name: 'deep JSON in an argument', send: () => raw(post('evidence.add', `{"paths":${deepArray(100_000)}}`)) },
  { name: 'deep JSON in a record argument', send: () => raw(post('jobs.start', `{"kind":"sessions","options":{"a":${deepArray(100_000)}}}`)) },
  { name: 'a body over the cap (5 MiB)', send: () => raw(post('cases.open', `{"dir":"${'a'.repeat(5 << 20)}"}`)) },
  { name: 'a Content-Length over the cap, no body', send: () => raw([`POST /api/cases.open HTTP/1.1\r\n${auth()}Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n`], { ms: 500 }) },
  { name: 'a bad Content-Length', send: () => raw([`POST /api/app.info HTTP/1.1\r\n${auth()}Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}`]) },
  { name: 'broken chunked encoding', send: () => raw([`POST /api/app.info HTTP/1.1\r\n${auth()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`]) },
  { name: 'a body aborted mid-way (socket reset)', send: () => raw([`POST /api/cases.open HTTP/1.1\r\n${auth()}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"dir":"/t`], { destroyAfterWrite: true }) },
  { name: 'a chunked body aborted mid-chunk', send: () => raw([`POST /api/cases.open HTTP/1.1\r\n${auth()}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n{"dir"`], { destroyAfterWrite: true }) },
  { name: 'an event stream reset at once', send: () => raw([`GET /api/events HTTP/1.1\r\n${auth()}\r\n`], { destroyAfterWrite: true }) },
  { name: 'a deep event via events.get', send: () => raw(post('events.get', '{"auditID":"fuzz-deep-0001"}')) },
  { name: 'a deep event via events.get, reset before the answer', send: () => raw(post('events.get', '{"auditID":"fuzz-deep-0001"}'), { destroyAfterWrite: true }) },
  { name: 'the deep event page via events.query', send: () => raw(post('events.query', '{"limit":10}')) },
  { name: 'a call for no such channel with a long name', send: () => raw(post(`${'x'.repeat(5000)}`, '{}')) },
];

describe('gumshoe serve under malformed and hostile requests', () => {
  it('starts on 127.0.0.1 and answers the good request', async () => {
    await stillServing('start');
  });

  for (const input of inputs) {
    it(`survives ${input.name}`, async () => {
      if (!(await answering())) await startServe();
      await input.send();
      await stillServing(input.name);
    }, 20_000);
  }

  it('answers a body over the 4 MiB cap with 413, read to its end so the sender sees it', async () => {
    if (!(await answering())) await startServe();
    const text = await raw(post('cases.open', `{"dir":"${'a'.repeat(5 << 20)}"}`));
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
  }, 20_000);

  it('answers events.get on the deep event with the event, its raw record whole', async () => {
    if (!(await answering())) await startServe();
    const text = await raw(post('events.get', '{"auditID":"fuzz-deep-0001"}'));
    expect(text.startsWith('HTTP/1.1 200')).toBe(true);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    const answer = JSON.parse(body) as { ok: boolean; value: { event: { auditID: string }; raw: string } };
    expect(answer.ok).toBe(true);
    expect(answer.value.event.auditID).toBe('fuzz-deep-0001');
    // The raw record is text and travels whole, however deep its JSON.
    expect(answer.value.raw.length).toBeGreaterThan(DEEP * 8);
  }, 20_000);
});
