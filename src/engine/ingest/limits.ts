import type { IngestLimits } from './types.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Defaults for every limit the reader enforces. Each exists because seized bundles are untrusted
 * input: a crafted archive must cost the analyst an error line, not the workstation.
 */
export const DEFAULT_LIMITS: IngestLimits = {
  // kube-apiserver caps request bodies at 3 MiB and etcd objects at 1.5 MiB; a RequestResponse
  // event carries a request and a response object plus metadata, so real lines stay well under
  // 8 MiB. 16 MiB leaves headroom without letting one line take the worker's heap.
  maxLineBytes: 16 * MiB,
  // A whole-file JSON object (EventList, Event Hubs blob) must be parsed at once (arrays stream);
  // JSON.parse needs the text plus several times its size in objects. 256 MiB keeps the worker's
  // heap in single-digit GiB and stays below V8's ~512 MiB string limit.
  maxDocumentBytes: 256 * MiB,
  // Per gzip layer or archive member. Rotated audit logs are 100 MiB–a few GiB each; 32 GiB is
  // far beyond any real member but stops an endless stream.
  maxDecompressedBytes: 32 * GiB,
  // Audit JSON deflates 10–30×; deflate itself tops out near 1032×, which is what bombs use.
  // 200× is checked only past RATIO_FLOOR_BYTES so tiny, highly repetitive files do not trip it.
  maxCompressionRatio: 200,
  // A bundle of rotated logs holds hundreds of entries; a hundred thousand tiny entries is an
  // attack on the case store (one evidence row each), not evidence.
  maxEntries: 100_000,
  // Real bundles nest two or three deep (tar.gz → audit.log.N.gz); recursive archive quines
  // nest forever.
  maxDepth: 8,
};

/** Below this many decompressed bytes the compression ratio is not judged (see above). */
export const RATIO_FLOOR_BYTES = 8 * MiB;

/**
 * A zip inside another archive has no random access (yauzl needs the central directory at the
 * end), so it is buffered in memory; bigger nested zips are reported, not read. 1 GiB of Buffer
 * lives outside the JS heap and a worker can afford it once.
 */
export const DEFAULT_MAX_BUFFERED_ZIP_BYTES = 1 * GiB;

/**
 * Error rows stored per evidence item. A bad line is counted and skipped, never a reason to stop
 * reading: valid events after any amount of junk are still evidence (an attacker who can write a
 * few junk lines must not be able to hide what follows). But a 10 GB text file would otherwise
 * become 10^8 rows in the case: past this many, errors are still counted (per code, in the item's
 * error count and in one closing 'errors-not-stored' row with the first and last line) but not
 * stored one by one. 200 rows is more than an analyst reads for one file, and at ~0.5 KB each
 * keeps a bundle of a thousand junk files near 100 MB of case.
 */
export const MAX_ERROR_ROWS_PER_ITEM = 200;

/**
 * Deepest JSON nesting kept as it is. Kubernetes objects (CRD validation schemas included) nest
 * well under 100 levels. Past the cap, the record's deeper parts are replaced by a marker
 * (ingest/depth.ts) so that every recursive reader downstream (JSON.stringify, printers, the
 * renderer's tree, which overflow somewhere past 1,000 levels) stays far from the stack's end.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Most JSON values (objects, arrays and the commas between values, counted in the text before
 * parsing) one line or array element may hold. What JSON.parse costs is per value, not per byte:
 * 10 MB of `{},{},…` is 3.3 million objects and took 235 MiB of reader heap (+386 MiB RSS), where
 * 10 MB of ordinary event text takes 50–75 MiB. Real Kubernetes JSON holds one value per ~15–40
 * bytes, so even a line at the 8 MiB real-world ceiling stays under 600,000; a million values
 * keeps the worst line near 100 MiB of heap.
 */
export const MAX_VALUES_PER_RECORD = 1_000_000;

export function resolveLimits(partial: Partial<IngestLimits> | undefined): IngestLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
