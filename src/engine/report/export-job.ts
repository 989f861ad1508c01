import { z } from 'zod';
import type { ExportKind, ExportOptions } from './export.ts';

/** What an export job or call is given: one format, its target, and the all-events switch. */
export const exportJobParams = z.object({
  format: z.enum(['pdf', 'json', 'timesketch', 'csv', 'stix', 'navigator']),
  path: z.string().min(1),
  allEvents: z.boolean().default(false),
});
export type ExportJobParams = z.infer<typeof exportJobParams>;

const TARGET: Record<ExportKind, keyof ExportOptions> = {
  pdf: 'pdfPath',
  json: 'jsonPath',
  timesketch: 'timesketchPath',
  csv: 'csvPath',
  stix: 'stixPath',
  navigator: 'navigatorPath',
};

/** Export options writing one format to one (already checked) path. */
export function exportOptionsFor(p: ExportJobParams): ExportOptions {
  return { [TARGET[p.format]]: p.path, allEvents: p.format === 'json' && p.allEvents };
}
