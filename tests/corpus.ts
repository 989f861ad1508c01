import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * The third-party corpora (Falco trace files and rules, SigmaHQ rules, captured cluster logs) in
 * ../shared/data beside the repository. They are not ours to commit, so a bare clone has none:
 * the tests that need them are conformance tests, run when the corpus is there and skipped, with
 * one line saying so, when it is not. `.ci/run` refuses to run without it (CI=true).
 */
export const CORPUS = fileURLToPath(new URL('../../shared/data/', import.meta.url));

/** Whether ../shared/data is there. GUMSHOE_NO_CORPUS=1 pretends it is not (to try a bare clone's run). */
export const hasCorpus = existsSync(CORPUS) && process.env.GUMSHOE_NO_CORPUS !== '1';

/** A path inside the corpus (whether or not it exists). */
export const corpusPath = (rel: string): string => join(CORPUS, rel);

const said = new Set<string>();

/**
 * `describe` when the corpus is there. Otherwise the suite is skipped without running its body
 * (a body often reads the corpus while collecting), after printing once per `what`:
 * "conformance: ../shared/data not found: skipping <what>".
 */
export function describeWithCorpus(what: string): (name: string, body: () => void) => void {
  if (hasCorpus) return (name, body) => describe(name, body);
  if (!said.has(what)) {
    said.add(what);
    // stderr, not console: one plain line in the run's output, not a vitest console block.
    process.stderr.write(`conformance: ../shared/data not found: skipping ${what}\n`);
  }
  return (name) => describe.skip(name, () => it.skip(`needs ${CORPUS}`, () => undefined));
}

/** `it` when the corpus is there; otherwise `it.skip` (the body never runs), after the same one line. */
export function itWithCorpus(what: string): typeof it | typeof it.skip {
  if (hasCorpus) return it;
  if (!said.has(what)) {
    said.add(what);
    process.stderr.write(`conformance: ../shared/data not found: skipping ${what}\n`);
  }
  return it.skip;
}

/**
 * The repo's own small audit log (37 requests by seven users over half an hour, 2017-09-11 19:35
 * to 20:03), for tests that need realistic record texts but none of the corpus's particulars.
 */
export const DEMO_FIXTURE = fileURLToPath(new URL('./fixtures/audit-demo.log', import.meta.url));
