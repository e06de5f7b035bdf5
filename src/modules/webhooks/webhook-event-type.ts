import { registerEnumType } from 'type-graphql';

/**
 * What a webhook endpoint can subscribe to; the payload's `type` is the dotted name of
 * {@link WEBHOOK_TYPE_NAMES}. Every payload is `{ type, version: 1, timestamp, data }` (the Standard
 * Webhooks payload structure), small, with ids to read the rest through GraphQL.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#payload-structure
 */
export enum WebhookEventType {
  /** `availability.changed`: `data { resourceId, ranges: [{ from, to }], busyVersion }`, coalesced per resource over 5 seconds. */
  AVAILABILITY_CHANGED = 'AVAILABILITY_CHANGED',
  /** `connection.status_changed`: `data { externalCalendarId, resourceId, provider, previousStatus, status, reason }`. */
  CONNECTION_STATUS_CHANGED = 'CONNECTION_STATUS_CHANGED',
  /** `sync_run.finished`: `data { syncRunId, resourceId, externalCalendarId, kind, status, errorCode, fetched, upserted, deleted, skipped, startedAt, finishedAt }`. */
  SYNC_RUN_FINISHED = 'SYNC_RUN_FINISHED',
  /** `appointment.export_changed`: `data { appointmentId, resourceId, previousExportStatus, exportStatus, version, exportedVersion }`. */
  APPOINTMENT_EXPORT_CHANGED = 'APPOINTMENT_EXPORT_CHANGED',
  /** `external_events.pushed`: `data { resourceId, operation: UPSERT | DEACTIVATE, created, updated, deactivated, externalIds }`. */
  EXTERNAL_EVENTS_PUSHED = 'EXTERNAL_EVENTS_PUSHED',
  /** `webhook.test`: sent by sendTestWebhook only, to any endpoint; `data { endpointId }`. */
  WEBHOOK_TEST = 'WEBHOOK_TEST',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description:
    'An event a webhook endpoint receives; the payload `type` is its dotted name: availability.changed, connection.status_changed, ' +
    'sync_run.finished, appointment.export_changed, external_events.pushed, webhook.test (sendTestWebhook only; not subscribable).',
});

/** The payload `type` of each event type, as stored and sent. */
export const WEBHOOK_TYPE_NAMES: Readonly<Record<WebhookEventType, string>> = {
  [WebhookEventType.AVAILABILITY_CHANGED]: 'availability.changed',
  [WebhookEventType.CONNECTION_STATUS_CHANGED]: 'connection.status_changed',
  [WebhookEventType.SYNC_RUN_FINISHED]: 'sync_run.finished',
  [WebhookEventType.APPOINTMENT_EXPORT_CHANGED]: 'appointment.export_changed',
  [WebhookEventType.EXTERNAL_EVENTS_PUSHED]: 'external_events.pushed',
  [WebhookEventType.WEBHOOK_TEST]: 'webhook.test',
};

const BY_NAME = new Map(Object.entries(WEBHOOK_TYPE_NAMES).map(([type, name]) => [name, type as WebhookEventType]));

/** The event type of a stored dotted name. @throws Error for a name no version of Calsync wrote. */
export function webhookEventType(name: string): WebhookEventType {
  const type = BY_NAME.get(name);
  if (!type) throw new Error(`Unknown webhook event type ${name}`);
  return type;
}
