import type { ApiResult } from '../../shared/contract.ts';

/** Host → read thread: run one call against the case at `caseDir` (opened there on first use). */
export interface ReadRequest {
  id: number;
  caseDir: string;
  /** Null: only open the case, so the first real call does not wait for it. */
  channel: string | null;
  args: unknown;
}

/** Read thread → host: the call's result, as dispatch gives it. */
export interface ReadReply {
  id: number;
  result: ApiResult<unknown>;
}

/** What a read thread is started with. */
export interface ReadWorkerData {
  transport: 'ipc' | 'http';
  /** The host's `--root` folders, so a read thread's path policy is never wider than the host's. */
  roots?: readonly string[];
}
