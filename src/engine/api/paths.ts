import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { absolute } from './case-state.ts';
import { ApiFailure } from './errors.ts';

/**
 * Which files the API may read or write, for a transport whose caller is not trusted with the
 * whole disk (`gumshoe serve`: anyone holding its session can send any path). A path is allowed
 * when, with every symbolic link resolved, it lies under one of the roots the user named when
 * starting the server, or under a path the user picked in a native dialog (`grant`). Without roots
 * (the desktop app, whose renderer is sandboxed and loads nothing remote) every path is allowed.
 * docs/security.md states the rule.
 */
export class PathPolicy {
  private readonly roots: string[] | null;

  constructor(roots?: readonly string[]) {
    this.roots = roots === undefined ? null : roots.map(real);
  }

  get confined(): boolean {
    return this.roots !== null;
  }

  /** The roots as the user will recognise them in an error (resolved). */
  describe(): string {
    return this.roots === null ? 'anywhere' : this.roots.join(', ');
  }

  /** A path the user chose in a native dialog: allowed from now on (a directory with its contents). */
  grant(path: string): void {
    if (this.roots !== null) this.roots.push(real(path));
  }

  /** Whether an existing or to-be-created path lies inside the roots, links resolved. */
  allows(path: string): boolean {
    if (this.roots === null) return true;
    let r: string;
    try {
      r = real(path);
    } catch {
      return false;
    }
    return this.roots.some((root) => r === root || r.startsWith(root.endsWith(sep) ? root : root + sep));
  }

  /**
   * An existing file or directory the API will read: absolute, present, inside the roots.
   * Returns the path with its links resolved, so what is checked is what is opened.
   */
  existing(path: string, what: string): string {
    const abs = absolute(path);
    if (!existsSync(abs)) throw new ApiFailure('user', `No such file or directory: ${abs}`);
    return this.inside(abs, what);
  }

  /** A path the API will create (a case directory, an export): its nearest existing ancestor decides. */
  creatable(path: string, what: string): string {
    return this.inside(absolute(path), what);
  }

  private inside(abs: string, what: string): string {
    if (this.roots === null) return abs;
    if (!this.allows(abs)) {
      throw new ApiFailure('forbidden', `${what} ${abs} lies outside the folders this server may use (${this.describe()}); restart \`gumshoe serve\` with --root for it.`);
    }
    return real(abs);
  }
}

/**
 * `path` with the links of its nearest existing ancestor resolved and the missing tail kept as
 * typed: the tail cannot hold a link yet, so the result is where a create would land.
 */
export function real(path: string): string {
  const abs = resolve(path);
  const tail: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return join(realpathSync(cur), ...tail.reverse());
    } catch {
      // A dangling link would be followed by the create: where it lands is not what we checked.
      if (isLink(cur)) throw new ApiFailure('forbidden', `${cur} is a symbolic link to nothing; give the real path.`);
      const parent = dirname(cur);
      if (parent === cur) return abs;
      tail.push(basename(cur));
      cur = parent;
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
