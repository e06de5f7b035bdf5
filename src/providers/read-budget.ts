import { ProviderError } from './provider';

/**
 * Why a sync run stopped reading: it read more than its budget from tenant-chosen servers. A
 * TEMPORARY provider failure, as for a deadline: the connection keeps its status and what was
 * committed, gets `lastError`, and its next sync goes on from the saved cursors (calendars that
 * were stored cost only their incremental read then).
 */
export class ReadBudgetExceeded extends ProviderError {
  constructor(readonly limitBytes: number) {
    super(
      'TEMPORARY',
      `The sync stopped after reading ${Math.round(limitBytes / 1024 / 1024)} MiB from the provider (SYNC_RUN_MAX_READ_MB). ` +
        'What it committed is kept; the next sync goes on from the saved cursors',
    );
    this.name = 'ReadBudgetExceeded';
  }
}

/**
 * The bytes one sync run may read from servers a tenant chose (CalDAV, feeds), shared by every
 * request of the run: the per-answer cap (OUTBOUND_MAX_RESPONSE_MB) bounds one answer, this
 * bounds a server that answers many of them. Counted as the bodies stream in, after
 * decompression.
 */
export class ReadBudget {
  private used = 0;

  /** @param limitBytes the bytes the run may read in all. */
  constructor(readonly limitBytes: number) {}

  /** Bytes read so far. */
  get readBytes(): number {
    return this.used;
  }

  /**
   * Counts `bytes` more.
   * @throws ReadBudgetExceeded once the run has read more than its limit.
   */
  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limitBytes) throw new ReadBudgetExceeded(this.limitBytes);
  }
}
