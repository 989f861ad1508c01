import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FindingRecord } from '../../shared/domain.ts';
import { GroundTruthSchema, type GroundTruth } from './truth.ts';

const ReasonSchema = z.object({ kind: z.string(), text: z.string(), auditIDs: z.array(z.string()), weight: z.number().optional() });

/** FindingRecord (src/shared/domain.ts) as JSON; unknown extra fields are allowed and ignored. */
export const FindingRecordSchema = z.looseObject({
  id: z.string(),
  kind: z.enum(['anomaly', 'rule', 'correlated']),
  start: z.string(),
  end: z.string(),
  score: z.number(),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
  techniques: z.array(z.string()),
  users: z.array(z.string()),
  sourceIPs: z.array(z.string()),
  auditIDs: z.array(z.string()),
  title: z.string().optional(),
  reasons: z.array(ReasonSchema).optional(),
  sessionId: z.number().optional(),
  triage: z.enum(['new', 'investigating', 'malicious', 'benign_true_positive', 'false_positive']).optional(),
});

/** Accepts a bare array or `{ "findings": [...] }` (the shape of a case's JSON export). */
const FindingListSchema = z.union([z.array(FindingRecordSchema), z.looseObject({ findings: z.array(FindingRecordSchema) }).transform((o) => o.findings)]);

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} ${path} is not JSON: ${(err as Error).message}`);
  }
}

function explain(err: z.ZodError): string {
  return err.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function readFindings(path: string): FindingRecord[] {
  const r = FindingListSchema.safeParse(readJson(path, 'finding list'));
  if (!r.success) throw new Error(`finding list ${path} does not match docs/findings.md: ${explain(r.error)}`);
  return r.data as FindingRecord[];
}

export function readTruth(path: string): GroundTruth {
  const r = GroundTruthSchema.safeParse(readJson(path, 'ground truth'));
  if (!r.success) throw new Error(`ground truth ${path} is not a simulator ground_truth.json: ${explain(r.error)}`);
  return r.data;
}
