import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { AuditEvent, Severity } from '../../../shared/domain.ts';
import { UserError } from '../../util/errors.ts';
import type { Rule } from '../types.ts';
import { checkRefs, evalCondition, parseCondition, resolveOf, type Cond } from './condition.ts';
import { sigmaField } from './fields.ts';
import { compileClause, stringTest } from './match.ts';

/** A Sigma rule as loaded: a Rule, plus its detection kept for `exampleEvent` and display. */
export interface SigmaRule extends Rule {
  detection: Record<string, unknown>;
  conditions: string[];
  tags: string[];
  references: string[];
}

type Selection = (e: AuditEvent) => boolean;

const LEVELS: Record<string, Severity> = { informational: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

/** attack.t1552.007 → T1552.007; tactic tags (attack.persistence) carry no technique. */
export function techniquesFromTags(tags: string[]): string[] {
  return tags.map((t) => /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t)?.[1].toUpperCase()).filter((t): t is string => !!t);
}

const KEYWORD_FIELDS: (keyof AuditEvent)[] = ['requestURI', 'userAgent', 'user', 'verb', 'resource', 'subresource', 'namespace', 'name'];

function compileSelection(name: string, body: unknown, fieldsUsed: Set<string>): Selection {
  if (Array.isArray(body) && body.every((b) => b !== null && typeof b === 'object' && !Array.isArray(b))) {
    const alts = body.map((b, i) => compileSelection(`${name}[${i}]`, b, fieldsUsed));
    return (e) => alts.some((a) => a(e));
  }
  if (Array.isArray(body) || typeof body === 'string' || typeof body === 'number') {
    // Keyword search: Sigma's "anywhere in the event"; here, the event's main text fields.
    const tests = (Array.isArray(body) ? body : [body]).map((k) => stringTest(`*${String(k)}*`, true));
    return (e) => KEYWORD_FIELDS.some((f) => typeof e[f] === 'string' && tests.some((t) => t(e[f] as string)));
  }
  if (body === null || typeof body !== 'object') throw new Error(`selection '${name}' is neither a map nor a list`);
  const clauses = Object.entries(body).map(([key, value]) => {
    const [field, ...mods] = key.split('|');
    const f = sigmaField(field);
    if (!f) throw new Error(`field '${field}' has no mapping onto Gumshoe's audit event (see docs/rules.md)`);
    fieldsUsed.add(field);
    const test = compileClause(mods, value);
    return (e: AuditEvent) => test(f.get(e));
  });
  return (e) => clauses.every((c) => c(e));
}

/** Parses one Sigma rule (YAML text). Throws with a reason when it cannot be used. */
export function parseSigmaRule(text: string, origin: string): SigmaRule {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1) throw new Error('rule collections (several YAML documents) are not supported');
  if (docs[0].errors.length > 0) throw new Error(docs[0].errors[0].message);
  const doc = docs[0].toJS() as Record<string, unknown>;
  const logsource = (doc.logsource ?? {}) as Record<string, unknown>;
  if (logsource.product !== 'kubernetes' || logsource.service !== 'audit') {
    throw new Error('not a kubernetes/audit rule (logsource must be product: kubernetes, service: audit)');
  }
  const detection = doc.detection as Record<string, unknown> | undefined;
  if (!detection || typeof detection !== 'object') throw new Error('rule has no detection');
  const { condition, timeframe, ...sels } = detection;
  if (timeframe !== undefined) throw new Error('timeframe (correlation) is not supported');
  const conditions = (Array.isArray(condition) ? condition : [condition]).map(String);
  if (conditions.length === 0 || condition === undefined) throw new Error('detection has no condition');
  const names = Object.keys(sels);
  const fieldsUsed = new Set<string>();
  const compiled = new Map(names.map((n) => [n, compileSelection(n, sels[n], fieldsUsed)]));
  const conds: Cond[] = conditions.map(parseCondition);
  conds.forEach((c) => checkRefs(c, names));
  const resolved = conds.map((c) => resolveOf(c, names));

  const tags = Array.isArray(doc.tags) ? doc.tags.map(String) : [];
  const level = String(doc.level ?? 'medium').toLowerCase();
  const title = String(doc.title ?? path.basename(origin));
  const index = new Map(names.map((n, i) => [n, i]));
  const selections = names.map((n) => compiled.get(n)!);
  // Per-event memo: −1 not evaluated yet, 0/1 the selection's result. Reused, never reallocated.
  const memo = new Int8Array(names.length);
  let current: AuditEvent;
  const test = (n: string): boolean => {
    const i = index.get(n)!;
    if (memo[i] < 0) memo[i] = selections[i](current) ? 1 : 0;
    return memo[i] === 1;
  };
  const match = (e: AuditEvent): string | null => {
    current = e;
    memo.fill(-1);
    if (!resolved.some((c) => evalCondition(c, test, names))) return null;
    const matched = names.filter((_, i) => memo[i] === 1);
    return `Sigma "${title}": ${matched.join(', ') || 'condition'} matched`;
  };
  return {
    id: String(doc.id ?? path.basename(origin)),
    title,
    description: String(doc.description ?? '').trim(),
    severity: LEVELS[level] ?? 'medium',
    techniques: techniquesFromTags(tags),
    falsePositives: Array.isArray(doc.falsepositives) ? doc.falsepositives.map(String) : [],
    fields: [...fieldsUsed],
    // A rule that names response codes (unauthorized actions, enumeration) has said which
    // outcome it wants; any other is about the request, so a refused one hits as an attempt.
    ...(fieldsUsed.has('responseStatus.code') ? { attempts: 'as-is' as const } : {}),
    source: 'sigma',
    author: doc.author === undefined ? undefined : String(doc.author),
    status: doc.status === undefined ? undefined : String(doc.status),
    origin,
    matcher: () => match,
    detection: sels,
    conditions,
    tags,
    references: Array.isArray(doc.references) ? doc.references.map(String) : [],
  };
}

export interface SigmaLoadError {
  path: string;
  message: string;
}

function sigmaFiles(p: string): string[] {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) throw new UserError(`no such Sigma rule file or folder: ${p}`);
  if (st.isFile()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => {
      const full = path.join(p, d.name);
      if (d.isDirectory()) return sigmaFiles(full);
      return /\.ya?ml$/i.test(d.name) ? [full] : [];
    });
}

/**
 * Loads Sigma rules from folders (recursively, *.yml / *.yaml) and files. A rule that cannot be
 * used goes to `onError` when given (so one bad file in a user's folder does not hide the rest);
 * without it, the first one stops the load with a UserError naming the file and the reason.
 */
export function loadSigmaRules(input: string | string[], onError?: (err: SigmaLoadError) => void): SigmaRule[] {
  const files = (Array.isArray(input) ? input : [input]).flatMap(sigmaFiles);
  const rules: SigmaRule[] = [];
  for (const file of files) {
    try {
      rules.push(parseSigmaRule(readFileSync(file, 'utf8'), file));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!onError) throw new UserError(`${file}: ${message}`);
      onError({ path: file, message });
    }
  }
  return rules;
}
