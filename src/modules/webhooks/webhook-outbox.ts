import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Records an event for the tenant's endpoints subscribed to `type` (and to the resource, when they
 * name resources), IN THE CALLER'S TRANSACTION: one PENDING delivery per endpoint and its job
 * (`record_webhook_event`, migration Migration20261204010000_webhooks, which the status triggers
 * call too). Commits or rolls back with the change it reports.
 * @param type - the dotted name (`external_events.pushed`).
 * @param data - the payload's `data`: small, ids and counts, no secrets.
 * @returns how many deliveries were recorded (0 when no endpoint listens).
 */
export async function recordWebhookEvent(
  em: EntityManager,
  tenantId: string,
  type: string,
  resourceId: string | null,
  data: Record<string, unknown>,
): Promise<number> {
  const [row] = await em.execute<{ recorded: number }[]>(`select record_webhook_event(?::uuid, ?, ?::uuid, ?::jsonb) as recorded`, [
    tenantId,
    type,
    resourceId,
    JSON.stringify(data),
  ]);
  return row?.recorded ?? 0;
}
