import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookDeliveryStatus, type WebhookDelivery } from './webhook-delivery.entity';
import type { Logger } from '../../common/logger';
import { metrics } from '../../common/metrics';
import type { ModuleDeps } from '../shared/module-deps';
import { attemptDelivery, type AttemptResult } from './webhook-attempt';
import { nextAttemptAt, verdictOf, type AttemptVerdict } from './webhook-retry';
import { signAttempt } from './webhook-signing';
import { enqueueDrain } from './webhook.jobs';

/** How long an attempt may hold its delivery before another worker takes it for dead: twice the attempt's time limit and 5 s. */
export function leaseMs(timeoutMs: number): number {
  return 2 * timeoutMs + 5_000;
}

/**
 * Starts a delivery's series of attempts: PENDING now, from its first attempt, its retry window
 * from now; flushes `em` and queues the endpoint's drain in the caller's transaction. With the
 * outcomes the deliverer records, the only writer of a delivery's status (the outbox trigger
 * inserts new rows PENDING).
 */
export async function scheduleDelivery(em: EntityManager, delivery: WebhookDelivery): Promise<WebhookDelivery> {
  const now = new Date();
  Object.assign(delivery, { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: now, windowStartedAt: now, attemptWorker: null, attemptStartedAt: null });
  await em.flush();
  await enqueueDrain(em, { endpointId: delivery.endpoint.id, tenantId: delivery.tenant.id }, now);
  return delivery;
}

/** A claimed delivery with what its attempt needs (the secrets still sealed; instants as em.execute gives them, text or Date). */
interface Claimed {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  /** The start of its retry window: its recording, or its last redelivery. */
  window_started_at: string | Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | Date | null;
  endpoint_status: 'ENABLED' | 'DISABLED';
}

/** Attempts of one endpoint in flight at once (the lanes of a drain). */
export const ENDPOINT_CONCURRENCY = 8;

/** How long one drain goes on before it hands over to a new job: a busy endpoint keeps its slot no longer, a stopping worker is not held. */
const DRAIN_BUDGET_MS = 30_000;

/** How long a delivery whose outcome could not be recorded waits before it is attempted again. */
const UNRECORDED_RETRY_MS = 2_000;

/** How long a delivery whose secret this process cannot open waits for a worker that can. */
const UNREADABLE_SECRET_RETRY_MS = 60_000;

/**
 * Delivers what is due for one endpoint (the `webhook_deliver` job, one per endpoint, in the
 * endpoint's own graphile-worker queue) with an EntityManager that sees every tenant:
 * 1. claims the longest-due delivery: PENDING, due, and not held by a live attempt (a lease:
 *    `attempt_worker` and `attempt_started_at`, older than {@link leaseMs} means its worker died),
 *    in each of {@link ENDPOINT_CONCURRENCY} lanes at once;
 * 2. signs its stored body with the endpoint's secrets (both while a rotated one still signs) and
 *    POSTs it (webhook-attempt.ts), outside any transaction;
 * 3. records each outcome if it still holds the lease: SUCCEEDED; PENDING with its next attempt's
 *    time (webhook-retry.ts); or FAILED. The endpoint's failure clock starts at its first failure
 *    and stops at a success; failing for WEBHOOK_DISABLE_AFTER_DAYS disables it;
 * and again, until nothing is due or {@link DRAIN_BUDGET_MS} has passed; then it queues the
 * endpoint's next job at its earliest due delivery. An endpoint that never answers so holds one
 * worker slot, whatever its backlog, and a busy one is not slowed by a job per delivery.
 * A worker killed mid-attempt leaves the lease, which the reaper ({@link reapStaleDeliveries}) takes
 * over: the delivery is attempted again with the same webhook-id (at least once).
 */
export class WebhookDeliverer {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<ModuleDeps, 'secrets' | 'webhooks' | 'logger'>,
  ) {}

  /** @throws the first error of an attempt whose outcome could not be recorded (the drain stops; that delivery is released). */
  async drain(endpointId: string, tenantId: string, workerId: string): Promise<void> {
    const started = Date.now();
    let failure: unknown = null;
    // Lanes: as soon as one attempt ends, the lane claims the next due delivery.
    const lane = async (): Promise<void> => {
      while (failure === null && Date.now() - started < DRAIN_BUDGET_MS) {
        const claimed = await this.claim(endpointId, workerId);
        if (!claimed) return;
        try {
          await this.attempt(claimed, workerId);
        } catch (error) {
          failure ??= error;
          // This worker is alive: a lease left behind would hold the delivery until the reaper took it for dead.
          await this.release(claimed.id, workerId, UNRECORDED_RETRY_MS).catch(() => undefined);
        }
      }
    };
    await Promise.all(Array.from({ length: ENDPOINT_CONCURRENCY }, lane));
    await this.scheduleNext(endpointId, tenantId);
    if (failure !== null) throw failure;
  }

  private async attempt(claimed: Claimed, workerId: string): Promise<void> {
    if (claimed.endpoint_status !== 'ENABLED') {
      await this.record(claimed, workerId, null, { kind: 'failed', reason: 'the endpoint is DISABLED' }, new Date());
      return;
    }
    const now = new Date();
    const secrets = this.openSecrets(claimed, now);
    if (!secrets) {
      // Sealed under another CALSYNC_ENCRYPTION_KEY (a worker of another deployment on this database,
      // or a key being rolled out): left for a worker that can read it, not failed and not sent unsigned.
      this.deps.logger.warn(
        { deliveryId: claimed.id, endpointId: claimed.endpoint_id, tenantId: claimed.tenant_id },
        "webhook signing secret unreadable with this process's CALSYNC_ENCRYPTION_KEY; left for another worker",
      );
      await this.release(claimed.id, workerId, UNREADABLE_SECRET_RETRY_MS);
      return;
    }
    const body = JSON.stringify(claimed.payload);
    const result = await attemptDelivery(
      this.deps.webhooks.policy,
      claimed.url,
      body,
      signAttempt(claimed.id, now, body, secrets),
      this.deps.webhooks.timeoutMs,
    );
    await this.record(claimed, workerId, result, verdictOf(result.status, result.failure), now);
  }

  /** Gives up this worker's lease on a delivery without an outcome: it is due again in `delayMs`, for any worker. */
  private async release(deliveryId: string, workerId: string, delayMs: number): Promise<void> {
    await this.em.execute(
      `update webhook_delivery set attempt_worker = null, attempt_started_at = null, next_attempt_at = now() + ? * interval '1 millisecond'
        where id = ? and attempt_worker = ?`,
      [delayMs, deliveryId, workerId],
    );
  }

  /** The secrets that sign now (the current one, and the previous one during its grace), or null when this process cannot open them. */
  private openSecrets(claimed: Claimed, now: Date): string[] | null {
    try {
      const secrets = [this.deps.secrets.open(claimed.secret)];
      if (claimed.previous_secret && claimed.previous_secret_expires_at && new Date(claimed.previous_secret_expires_at) > now) {
        secrets.push(this.deps.secrets.open(claimed.previous_secret));
      }
      return secrets;
    } catch {
      return null;
    }
  }

  /** The endpoint's longest-due delivery, leased to this worker, or null when none is due. */
  private async claim(endpointId: string, workerId: string): Promise<Claimed | null> {
    const [claimed] = await this.em.execute<Claimed[]>(
      `update webhook_delivery d set attempt_worker = ?, attempt_started_at = now(), updated_at = now()
         from webhook_endpoint e
        where e.id = d.endpoint_id and d.id = (
          select id from webhook_delivery
           where endpoint_id = ? and status = 'PENDING' and next_attempt_at <= now()
             and (attempt_worker is null or attempt_started_at < now() - ? * interval '1 millisecond')
           order by next_attempt_at, created_at, id limit 1 for update skip locked)
        returning d.id, d.tenant_id, d.endpoint_id, d.event_type, d.payload, d.attempts, d.window_started_at,
                  e.url, e.secret, e.previous_secret, e.previous_secret_expires_at, e.status as endpoint_status`,
      [workerId, endpointId, leaseMs(this.deps.webhooks.timeoutMs)],
    );
    return claimed ?? null;
  }

  /** Queues the endpoint's next job at its earliest due delivery not held by an attempt (none when nothing waits). */
  private async scheduleNext(endpointId: string, tenantId: string): Promise<void> {
    const [next] = await this.em.execute<{ due: string | Date | null }[]>(
      `select min(next_attempt_at) as due from webhook_delivery where endpoint_id = ? and status = 'PENDING' and attempt_worker is null`,
      [endpointId],
    );
    if (next?.due == null) return;
    await enqueueDrain(this.em, { endpointId, tenantId }, new Date(Math.max(Date.now(), new Date(next.due).getTime())), 'preserve_run_at');
  }

  /** Writes the outcome of the attempt sent at `sentAt` in one transaction, unless another worker took the delivery over meanwhile. */
  private async record(claimed: Claimed, workerId: string, result: AttemptResult | null, verdict: AttemptVerdict, sentAt: Date): Promise<void> {
    const settings = this.deps.webhooks;
    const attempts = claimed.attempts + 1;
    const retryAt = verdict.kind === 'retry' ? nextAttemptAt(settings, new Date(claimed.window_started_at), attempts, result?.retryAfter ?? null) : null;
    const outcome = verdict.kind === 'succeeded' ? 'succeeded' : retryAt ? 'retrying' : 'failed';
    const error =
      verdict.kind === 'succeeded'
        ? null
        : verdict.kind === 'retry' && !retryAt
          ? `${verdict.reason}; retried for ${settings.retryWindowMs / 3_600_000} hours`
          : verdict.reason;
    const written = await this.em.transactional(async (em) => {
      const updated = await em.execute<{ id: string }[]>(
        `update webhook_delivery set status = ?, attempts = ?, last_attempt_at = ?::timestamptz, next_attempt_at = ?::timestamptz,
            response_status = ?, response_body = ?, latency_ms = ?, error = ?,
            succeeded_at = case when ? then now() end, attempt_worker = null, attempt_started_at = null, updated_at = now()
          where id = ? and attempt_worker = ?
          returning id`,
        [
          outcome === 'succeeded' ? 'SUCCEEDED' : outcome === 'retrying' ? 'PENDING' : 'FAILED',
          attempts,
          sentAt.toISOString(),
          retryAt?.toISOString() ?? null,
          result?.status ?? null,
          result?.body ?? null,
          result?.latencyMs ?? null,
          error,
          outcome === 'succeeded',
          claimed.id,
          workerId,
        ],
      );
      if (updated.length === 0) return false;
      if (result) await this.noteEndpoint(em, claimed.endpoint_id, outcome === 'succeeded');
      return true;
    });
    if (!written) return;
    metrics.webhookAttempts.inc({ event_type: claimed.event_type, outcome });
    if (result) metrics.webhookAttemptDuration.observe({ outcome }, result.latencyMs / 1000);
    if (outcome === 'succeeded')
      metrics.webhookDeliveryLag.observe({ event_type: claimed.event_type }, (Date.now() - new Date(claimed.window_started_at).getTime()) / 1000);
    logAttempt(this.deps.logger, claimed, attempts, result, outcome, error);
  }

  /** A success stops the endpoint's failure clock; a failure starts it, and disables the endpoint once it has run too long. */
  private async noteEndpoint(em: EntityManager, endpointId: string, succeeded: boolean): Promise<void> {
    if (succeeded) {
      await em.execute(`update webhook_endpoint set failing_since = null, updated_at = now() where id = ? and failing_since is not null`, [endpointId]);
      return;
    }
    await em.execute(
      `update webhook_endpoint set failing_since = coalesce(failing_since, now()), updated_at = now(),
          status = case when failing_since < now() - ? * interval '1 millisecond' then 'DISABLED'::webhook_endpoint_status else status end,
          disabled_reason = case when failing_since < now() - ? * interval '1 millisecond'
            then 'every delivery failed since ' || to_char(failing_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') else disabled_reason end
        where id = ?`,
      [this.deps.webhooks.disableAfterMs, this.deps.webhooks.disableAfterMs, endpointId],
    );
  }
}

/** One line per attempt: ids, the event type, the answer's status and the outcome; never the URL, the body or a secret. */
function logAttempt(logger: Logger, claimed: Claimed, attempts: number, result: AttemptResult | null, outcome: string, error: string | null): void {
  const fields = {
    deliveryId: claimed.id,
    endpointId: claimed.endpoint_id,
    tenantId: claimed.tenant_id,
    eventType: claimed.event_type,
    attempt: attempts,
    responseStatus: result?.status ?? null,
    latencyMs: result?.latencyMs ?? null,
    outcome,
    error,
  };
  if (outcome === 'succeeded') logger.info(fields, 'webhook delivered');
  else logger.warn(fields, outcome === 'retrying' ? 'webhook attempt failed; retrying' : 'webhook delivery failed');
}
