import { closeSync, createReadStream, createWriteStream, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
const FLUSH_AT = 1 << 16;

/** Appends text to one file through a 1 MiB buffer; sync writes keep the byte order trivially deterministic. */
export class FileOut {
  private fd: number;
  private buf: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  write(s: string): void {
    this.buf.push(s);
    this.pending += s.length;
    this.bytes += Buffer.byteLength(s);
    if (this.pending >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** `2024-01-02T03-04-05.678`: lumberjack's backup timestamp, which kube-apiserver's rotation uses (UTC). */
export function backupStamp(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 23).replace(/:/g, '-');
}

/**
 * kube-apiserver's own log file: `audit.log`, rotated at --audit-log-maxsize into
 * `audit-<time of rotation>.log` and compressed to `.log.gz` (--audit-log-compress).
 * Compression runs on the libuv pool while generation continues.
 */
export class RotatingAuditLog {
  private cur: FileOut;
  private readonly jobs: Promise<void>[] = [];
  readonly files: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    this.cur = new FileOut(join(dir, 'audit.log'));
  }

  write(line: string, us: number): void {
    if (this.cur.bytes > 0 && this.cur.bytes + line.length + 1 > this.maxBytes) this.rotate(us);
    this.cur.write(line + '\n');
  }

  private rotate(us: number): void {
    this.cur.close();
    const plain = join(this.dir, `audit-${backupStamp(us)}.log`);
    renameSync(this.cur.path, plain);
    this.files.push(`${plain}.gz`);
    this.jobs.push(
      pipeline(createReadStream(plain), createGzip(), createWriteStream(`${plain}.gz`)).then(() => unlinkSync(plain)),
    );
    this.cur = new FileOut(join(this.dir, 'audit.log'));
  }

  async close(): Promise<string[]> {
    this.cur.close();
    await Promise.all(this.jobs);
    return [...this.files, this.cur.path];
  }
}

/**
 * One file per period key (a day, an hour), each opened with `head`, items joined by `sep`,
 * closed with `tail`: JSON lines when head and tail are empty, a JSON array or envelope otherwise.
 */
export class PeriodFiles {
  private cur: FileOut | null = null;
  private key = '';
  private first = true;
  readonly files: string[] = [];

  constructor(
    private readonly pathFor: (key: string) => string,
    private readonly head: string,
    private readonly sep: string,
    private readonly tail: string,
  ) {}

  write(key: string, item: string): void {
    if (key !== this.key || !this.cur) {
      this.end();
      this.key = key;
      this.cur = new FileOut(this.pathFor(key));
      this.files.push(this.cur.path);
      this.cur.write(this.head);
      this.first = true;
    }
    if (!this.first) this.cur.write(this.sep);
    this.first = false;
    this.cur.write(item);
  }

  end(): void {
    if (!this.cur) return;
    this.cur.write(this.tail);
    this.cur.close();
    this.cur = null;
  }
}
