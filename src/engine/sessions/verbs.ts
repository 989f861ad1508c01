/** The verb vocabulary of the label vector, in bit order (bit i of a label mask = VERBS[i]). */
export const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;
export type Verb = (typeof VERBS)[number];

/**
 * Words that name or imply a verb and so must never reach a node string of a graph labelled with
 * verbs: the label vocabulary, plus client commands that map onto it (kubectl apply → patch,
 * edit → patch, replace → update) and the `watch` query flag.
 */
const VERB_WORDS = new Set<string>([...VERBS, 'apply', 'edit', 'replace', 'watchlist', 'proxy']);
// Derived forms carry the verb just as well (`deleters`, `watcher`, `patched`, `listing`).
const VERB_FORM = new RegExp(`^(${[...VERB_WORDS].join('|')})(s|es|r|rs|er|ers|d|ed|ing)?$`, 'i');
const isVerbWord = (w: string): boolean => VERB_FORM.test(w);

/** Bit mask of the session's verbs; verbs outside VERBS do not set a bit. */
export function verbMask(verbs: Iterable<string>): number {
  let mask = 0;
  for (const v of verbs) {
    const i = (VERBS as readonly string[]).indexOf(v);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}

export function maskVerbs(mask: number): Verb[] {
  return VERBS.filter((_, i) => (mask & (1 << i)) !== 0);
}

const camelParts = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g;

/**
 * Replaces every verb word in `s` by `~`. Words are split on non-letters and at camelCase
 * boundaries, so `kubectl-delete`, `DeleteOptions`, `watch=true` and `deleters` are all caught
 * while `target` or `budget` (words that merely contain a verb's letters) are kept.
 */
export function scrubVerbs(s: string): string {
  return s.replace(/[A-Za-z]+/g, (word) => {
    if (isVerbWord(word)) return '~';
    const parts = word.match(camelParts);
    if (!parts || parts.length < 2) return word;
    let hit = false;
    const out = parts.map((p) => {
      if (isVerbWord(p)) {
        hit = true;
        return '~';
      }
      return p;
    });
    return hit ? out.join('') : word;
  });
}

/** True when a verb word survives in `s` (what the leak tests assert never happens). */
export function hasVerbWord(s: string): boolean {
  return scrubVerbs(s) !== s;
}

/**
 * The request object of an event as a verb-free string: the request URI's path without the
 * query (which carries `watch=true`, `dryRun`, `fieldManager=kubectl-edit`…) and without the
 * legacy `/watch/` path segment, then scrubbed.
 */
export function requestObject(requestURI: string): string {
  const q = requestURI.indexOf('?');
  const path = q >= 0 ? requestURI.slice(0, q) : requestURI;
  const segs = path.split('/').filter((s, i) => !(s === 'watch' && i <= 4));
  return scrubVerbs(segs.join('/'));
}
