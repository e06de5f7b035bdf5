import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../common/logger';
import { metrics } from '../../common/metrics';
import type { ModuleDeps } from '../shared/module-deps';
import { attemptDelivery, type AttemptResult } from './webhook-attempt';
import { nextAttemptAt, verdictOf, type AttemptVerdict } from './webhook-retry';
import { signAttempt } from './webhook-signing';
import { enqueueDelivery } from './webhook.jobs';

/** How long an attempt may hold its delivery before another worker takes it for dead: twice the attempt's time limit and 5 s. */
export function leaseMs(timeoutMs: number): number {
  return 2 * timeoutMs + 5_000;
}

/** A claimed delivery with what its attempt needs (the secrets still sealed; instants as em.execute gives them, text or Date). */
interface Claimed {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: string | Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | Date | null;
  endpoint_status: 'ENABLED' | 'DISABLED';
}

/**
 * Makes one attempt of one delivery (the `webhook_deliver` job) with an EntityManager that sees
 * every tenant (the job names its delivery by id):
 * 1. claims it: PENDING, due, and not held by a live attempt (a lease: `attempt_worker` and
 *    `attempt_started_at`, older than {@link leaseMs} means its worker died); anything else is
 *    a job that has nothing left to do (delivered, taken by another worker, or rescheduled);
 * 2. signs the stored body with the endpoint's secrets (both while a rotated one still signs) and
 *    POSTs it (webhook-attempt.ts), outside any transaction;
 * 3. records the outcome if it still holds the lease: SUCCEEDED; or PENDING with the next
 *    attempt's job (webhook-retry.ts); or FAILED. The endpoint's failure clock starts at its first
 *    failure and stops at a success; failing for WEBHOOK_DISABLE_AFTER_DAYS disables it.
 * A worker killed mid-attempt leaves the lease, which the reaper ({@link reapStaleDeliveries}) takes
 * over: the delivery is attempted again with the same webhook-id (at least once).
 */
export class WebhookDeliverer {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<ModuleDeps, 'secrets' | 'webhooks' | 'logger'>,
  ) {}

  async run(deliveryId: string, workerId: string): Promise<void> {
    const claimed = await this.claim(deliveryId, workerId);
    if (!claimed) return;
    try {
      await this.attempt(claimed, workerId);
    } catch (error) {
      // This worker is alive: a lease left behind would hold the delivery until the reaper took it for
      // dead (and released every job of this worker); released, graphile-worker's retry of this job claims it.
      await this.em
        .execute(`update webhook_delivery set attempt_worker = null, attempt_started_at = null where id = ? and attempt_worker = ?`, [claimed.id, workerId])
        .catch(() => undefined);
      throw error;
    }
  }

  private async attempt(claimed: Claimed, workerId: string): Promise<void> {
    if (claimed.endpoint_status !== 'ENABLED') {
      await this.record(claimed, workerId, null, { kind: 'failed', reason: 'the endpoint is DISABLED' });
      return;
    }
    const now = new Date();
    const secrets = [this.deps.secrets.open(claimed.secret)];
    if (claimed.previous_secret && claimed.previous_secret_expires_at && new Date(claimed.previous_secret_expires_at) > now) {
      secrets.push(this.deps.secrets.open(claimed.previous_secret));
    }
    const body = JSON.stringify(claimed.payload);
    const result = await attemptDelivery(
      this.deps.webhooks.policy,
      claimed.url,
      body,
      signAttempt(claimed.id, now, body, secrets),
      this.deps.webhooks.timeoutMs,
    );
    await this.record(claimed, workerId, result, verdictOf(result.status, result.failure));
  }

  private async claim(deliveryId: string, workerId: string): Promise<Claimed | null> {
    const [row] = await this.em.execute<Claimed[]>(
      `update webhook_delivery d set attempt_worker = ?, attempt_started_at = now(), updated_at = now()
         from webhook_endpoint e
        where d.id = ? and e.id = d.endpoint_id and d.status = 'PENDING' and d.next_attempt_at <= now() + interval '1 second'
          and (d.attempt_worker is null or d.attempt_started_at < now() - ? * interval '1 millisecond')
        returning d.id, d.tenant_id, d.endpoint_id, d.event_type, d.payload, d.attempts, d.created_at,
                  e.url, e.secret, e.previous_secret, e.previous_secret_expires_at, e.status as endpoint_status`,
      [workerId, deliveryId, leaseMs(this.deps.webhooks.timeoutMs)],
    );
    return row ?? null;
  }

  /** Writes the outcome in one transaction, unless another worker took the delivery over meanwhile. */
  private async record(claimed: Claimed, workerId: string, result: AttemptResult | null, verdict: AttemptVerdict): Promise<void> {
    const settings = this.deps.webhooks;
    const attempts = claimed.attempts + 1;
    const retryAt = verdict.kind === 'retry' ? nextAttemptAt(settings, new Date(claimed.created_at), attempts, result?.retryAfter ?? null) : null;
    const outcome = verdict.kind === 'succeeded' ? 'succeeded' : retryAt ? 'retrying' : 'failed';
    const error =
      verdict.kind === 'succeeded'
        ? null
        : verdict.kind === 'retry' && !retryAt
          ? `${verdict.reason}; retried for ${settings.retryWindowMs / 3_600_000} hours`
          : verdict.reason;
    const written = await this.em.transactional(async (em) => {
      const updated = await em.execute<{ id: string }[]>(
        `update webhook_delivery set status = ?, attempts = ?, last_attempt_at = now(), next_attempt_at = ?::timestamptz,
            response_status = ?, response_body = ?, latency_ms = ?, error = ?,
            succeeded_at = case when ? then now() end, attempt_worker = null, attempt_started_at = null, updated_at = now()
          where id = ? and attempt_worker = ?
          returning id`,
        [
          outcome === 'succeeded' ? 'SUCCEEDED' : outcome === 'retrying' ? 'PENDING' : 'FAILED',
          attempts,
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
      if (retryAt) await enqueueDelivery(em, { deliveryId: claimed.id, tenantId: claimed.tenant_id }, retryAt);
      if (result) await this.noteEndpoint(em, claimed.endpoint_id, outcome === 'succeeded');
      return true;
    });
    if (!written) return;
    metrics.webhookAttempts.inc({ event_type: claimed.event_type, outcome });
    if (result) metrics.webhookAttemptDuration.observe({ outcome }, result.latencyMs / 1000);
    if (outcome === 'succeeded')
      metrics.webhookDeliveryLag.observe({ event_type: claimed.event_type }, (Date.now() - new Date(claimed.created_at).getTime()) / 1000);
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
