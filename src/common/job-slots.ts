import type { Job, WorkerEvents } from 'graphile-worker';

/** Prefix of the job flag that names the tenant a job works for. */
const TENANT_FLAG_PREFIX = 'tenant:';

/** How long one worker's claim may hold the others back if graphile-worker never reports its outcome. */
const CLAIM_TIMEOUT_MS = 10_000;

/**
 * The graphile-worker job flag of a tenant's jobs: jobs added with it count against the tenant's
 * slots in {@link TenantSlots}.
 * @see https://worker.graphile.org/docs/library/add-job (`flags`)
 */
export function tenantFlag(tenantId: string): string {
  return TENANT_FLAG_PREFIX + tenantId;
}

/**
 * At most `perTenant` jobs flagged with the same {@link tenantFlag} run at once in this
 * process, so that one tenant's slow jobs (a slow CalDAV server answering every sync) hold at
 * most that many of the process's worker slots and the others stay free for other tenants.
 *
 * Enforced when a job is claimed, with graphile-worker's `forbiddenFlags`: before each worker
 * looks for a job, it is told the flags of tenants at their cap, and the database skips their
 * jobs (they wait, queued, and are taken once a slot frees). The check and the claim are one
 * step: the process's workers claim one after the other (the next asks only once graphile-worker
 * has reported the previous claim's outcome — `job:start`, `worker:getJob:empty` or
 * `worker:getJob:error`), so that two idle workers cannot both take a tenant's last slot.
 * Jobs without a tenant flag (schedules, reapers) are never held back.
 * @see https://worker.graphile.org/docs/library/run (`forbiddenFlags`, `events`)
 */
export class TenantSlots {
  private readonly running = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private endClaim: (() => void) | null = null;

  /** @param perTenant most jobs of one tenant at once (≥ 1). */
  constructor(private readonly perTenant: number) {}

  /** graphile-worker's `forbiddenFlags`: waits for the previous claim, then names the tenants at their cap. */
  readonly forbiddenFlags = async (): Promise<string[]> => {
    const previous = this.queue;
    let done!: () => void;
    this.queue = new Promise<void>((resolve) => (done = resolve));
    await previous;
    const timer = setTimeout(() => this.claimEnded(), CLAIM_TIMEOUT_MS);
    timer.unref();
    this.endClaim = () => {
      clearTimeout(timer);
      done();
    };
    return [...this.running].filter(([, count]) => count >= this.perTenant).map(([flag]) => flag);
  };

  /** Follows a runner's events: jobs starting and completing, claims ending. */
  attach(events: WorkerEvents): void {
    events.on('job:start', ({ job }) => {
      for (const flag of tenantFlags(job)) this.running.set(flag, (this.running.get(flag) ?? 0) + 1);
      this.claimEnded();
    });
    events.on('worker:getJob:empty', () => this.claimEnded());
    events.on('worker:getJob:error', () => this.claimEnded());
    events.on('job:complete', ({ job }) => {
      for (const flag of tenantFlags(job)) {
        const left = (this.running.get(flag) ?? 1) - 1;
        if (left > 0) this.running.set(flag, left);
        else this.running.delete(flag);
      }
    });
  }

  /** Jobs running now per tenant flag (for tests and metrics). */
  runningFor(tenantId: string): number {
    return this.running.get(tenantFlag(tenantId)) ?? 0;
  }

  private claimEnded(): void {
    const end = this.endClaim;
    this.endClaim = null;
    end?.();
  }
}

function tenantFlags(job: Job): string[] {
  return Object.keys(job.flags ?? {}).filter((flag) => flag.startsWith(TENANT_FLAG_PREFIX));
}
