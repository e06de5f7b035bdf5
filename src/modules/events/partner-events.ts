import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { badInput } from '../../common/errors';
import { ResourceService } from '../resources/resource.service';
import { recordWebhookEvent } from '../webhooks/webhook-outbox';
import type { Tenant } from '../tenancy/tenant.entity';
import { deactivatePartnerEvents, upsertPartnerEvents, type PartnerEventRow, type PartnerUpsertOutcome } from './event-store';
import { ExternalEvent, ExternalEventSource } from './external-event.entity';
import type { BulkDeactivateExternalEventsInput, BulkUpsertExternalEventsInput, PartnerEventItemInput } from './partner-event.inputs';
import {
  DeactivateResult,
  UpsertResult,
  type BulkDeactivateExternalEventsPayload,
  type BulkUpsertExternalEventsPayload,
  type ExternalEventUpsertItemResult,
} from './partner-event.payloads';

/** Most items (or externalIds) in one call. */
export const MAX_PARTNER_ITEMS = 1000;
/** Longest partner item, as for appointments. */
const MAX_DURATION_MS = 7 * 86_400_000;
const MAX_ALL_DAY_DAYS = 7;
const MAX_EXTERNAL_ID = 500;
const MAX_TITLE = 1000;

/**
 * Partner-pushed busy items (vcita `external_calendar_items`): ExternalEvents with source
 * PARTNER_PUSH, no connection and no calendar (migration Migration20261122200000_partner_events),
 * idempotent by (resource, externalId). They block time exactly like synced events: the row
 * trigger computes `blocking` with SyncConfig's defaults (tentative and all-day items block;
 * inactive, CANCELLED and TRANSPARENT ones never do), and the statement triggers grow
 * `resource.busy_version`, so cached busy time sees every change. The EntityManager is scoped
 * to the caller's tenant.
 */
export class PartnerEventService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Creates or updates the items of one resource, in one transaction. An invalid item is FAILED
   * with a reason naming its field (`items[i].endsAt: ...`) and the others still land; an item
   * whose externalId appears earlier in the same call is FAILED too. Re-pushing a deactivated
   * item reactivates it (UPDATED).
   * @throws AppError BAD_USER_INPUT `input.items` (over 1,000 items), NOT_FOUND `input.resourceId`.
   */
  async bulkUpsert(tenant: Tenant, input: BulkUpsertExternalEventsInput): Promise<BulkUpsertExternalEventsPayload> {
    if (input.items.length > MAX_PARTNER_ITEMS) throw badInput('input.items', `Give at most ${MAX_PARTNER_ITEMS} items in one call, got ${input.items.length}`);
    return this.em.transactional(async (em) => {
      const resource = await new ResourceService(em).get(input.resourceId, 'input.resourceId');
      const firstIndex = new Map<string, number>();
      const checked = input.items.map((item, index) => {
        const externalId = typeof item.externalId === 'string' ? item.externalId.trim() : '';
        const outcome = validateItem(item, index, resource.timeZone);
        if (typeof outcome === 'string') return { externalId, reason: outcome };
        const earlier = firstIndex.get(outcome.externalId);
        if (earlier !== undefined)
          return { externalId, reason: `items[${index}].externalId: appears more than once in this call (first at items[${earlier}])` };
        firstIndex.set(outcome.externalId, index);
        return { externalId, row: outcome };
      });
      const rows = checked.flatMap((entry) => (entry.row ? [entry.row] : []));
      const outcomes: Map<string, PartnerUpsertOutcome> = rows.length > 0 ? await upsertPartnerEvents(em, tenant.id, resource.id, rows) : new Map();
      const stored =
        rows.length > 0
          ? await em.find(ExternalEvent, { resource, source: ExternalEventSource.PARTNER_PUSH, externalId: { $in: rows.map((row) => row.externalId) } })
          : [];
      const byId = new Map(stored.map((event) => [event.externalId, event]));
      const results: ExternalEventUpsertItemResult[] = checked.map((entry) =>
        entry.row
          ? {
              externalId: entry.externalId,
              result: UpsertResult[outcomes.get(entry.externalId) ?? 'UNCHANGED'],
              reason: null,
              event: byId.get(entry.externalId) ?? null,
            }
          : { externalId: entry.externalId, result: UpsertResult.FAILED, reason: entry.reason!, event: null },
      );
      await announcePush(em, tenant.id, resource.id, 'UPSERT', outcomes);
      return { results };
    });
  }

  /**
   * Deactivates partner items of one resource, in one transaction: an inactive item never
   * blocks time, and pushing it again reactivates it. Each externalId gets DEACTIVATED (it was
   * active), UNCHANGED (already inactive, or named earlier in the same call) or NOT_FOUND (no
   * PARTNER_PUSH item of the resource has it; synced events cannot be deactivated).
   * @throws AppError BAD_USER_INPUT `input.externalIds` (over 1,000), NOT_FOUND `input.resourceId`.
   */
  async bulkDeactivate(input: BulkDeactivateExternalEventsInput): Promise<BulkDeactivateExternalEventsPayload> {
    if (input.externalIds.length > MAX_PARTNER_ITEMS) {
      throw badInput('input.externalIds', `Give at most ${MAX_PARTNER_ITEMS} externalIds in one call, got ${input.externalIds.length}`);
    }
    return this.em.transactional(async (em) => {
      const resource = await new ResourceService(em).get(input.resourceId, 'input.resourceId');
      const ids = input.externalIds.map((id) => id.trim());
      const { deactivated, alreadyInactive } =
        ids.length > 0 ? await deactivatePartnerEvents(em, resource.id, ids) : { deactivated: new Set<string>(), alreadyInactive: new Set<string>() };
      const reported = new Set<string>();
      const results = ids.map((externalId) => {
        const first = !reported.has(externalId);
        reported.add(externalId);
        if (deactivated.has(externalId)) return { externalId, result: first ? DeactivateResult.DEACTIVATED : DeactivateResult.UNCHANGED };
        return { externalId, result: alreadyInactive.has(externalId) ? DeactivateResult.UNCHANGED : DeactivateResult.NOT_FOUND };
      });
      await announcePush(em, resource.tenant.id, resource.id, 'DEACTIVATE', new Map([...deactivated].map((id) => [id, 'DEACTIVATED'])));
      return { results };
    });
  }
}

/** Most externalIds an `external_events.pushed` payload lists; its counts cover all. */
const MAX_ANNOUNCED_IDS = 100;

/**
 * Records `external_events.pushed` for the resource's webhook endpoints, in the operation's
 * transaction, when it changed something: `data { resourceId, operation, created, updated,
 * deactivated, externalIds }` (the first {@link MAX_ANNOUNCED_IDS} changed ids).
 */
async function announcePush(
  em: EntityManager,
  tenantId: string,
  resourceId: string,
  operation: 'UPSERT' | 'DEACTIVATE',
  changed: Map<string, PartnerUpsertOutcome | 'DEACTIVATED'>,
): Promise<void> {
  const ids = [...changed].filter(([, outcome]) => outcome !== 'UNCHANGED').map(([id]) => id);
  if (ids.length === 0) return;
  const count = (outcome: string) => [...changed.values()].filter((value) => value === outcome).length;
  await recordWebhookEvent(em, tenantId, 'external_events.pushed', resourceId, {
    resourceId,
    operation,
    created: count('CREATED'),
    updated: count('UPDATED'),
    deactivated: count('DEACTIVATED'),
    externalIds: ids.slice(0, MAX_ANNOUNCED_IDS),
  });
}

/**
 * Checks one item and turns it into a row, or returns why it fails (`items[i].<field>: ...`).
 * An all-day item is stored as the resource's local days it covers: from the local day of
 * `startsAt` to the local day of `endsAt` (exclusive; rounded up to a whole day when `endsAt`
 * is not a local midnight, and at least one day), its instants the local midnights, as a sync
 * stores all-day events (so that `updateResource` moves them with a new time zone).
 */
export function validateItem(item: PartnerEventItemInput, index: number, timeZone: string): PartnerEventRow | string {
  const field = (name: string) => `items[${index}].${name}`;
  const externalId = typeof item.externalId === 'string' ? item.externalId.trim() : '';
  if (externalId === '' || externalId.length > MAX_EXTERNAL_ID) return `${field('externalId')}: must be 1 to ${MAX_EXTERNAL_ID} characters`;
  const title = item.title?.trim() || null;
  if (title && title.length > MAX_TITLE) return `${field('title')}: must be at most ${MAX_TITLE} characters`;
  const startsAt = item.startsAt;
  const endsAt = item.endsAt;
  if (!(startsAt instanceof Date) || Number.isNaN(startsAt.getTime())) return `${field('startsAt')}: must be an ISO 8601 instant`;
  if (!(endsAt instanceof Date) || Number.isNaN(endsAt.getTime())) return `${field('endsAt')}: must be an ISO 8601 instant`;
  if (endsAt.getTime() <= startsAt.getTime()) return `${field('endsAt')}: must be after startsAt`;
  const base = { externalId, title, status: item.status, transparency: item.transparency };
  if (!item.allDay) {
    if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) return `${field('endsAt')}: must be at most 7 days after startsAt`;
    return { ...base, startsAt, endsAt, allDay: false, startDate: null, endDate: null, timeZone: null };
  }
  const first = DateTime.fromJSDate(startsAt, { zone: timeZone }).startOf('day');
  const end = DateTime.fromJSDate(endsAt, { zone: timeZone });
  let last = end.startOf('day');
  if (last.toMillis() !== end.toMillis()) last = last.plus({ days: 1 });
  if (last <= first) last = first.plus({ days: 1 });
  if (last.diff(first, 'days').days > MAX_ALL_DAY_DAYS) return `${field('endsAt')}: an all-day item may cover at most ${MAX_ALL_DAY_DAYS} days`;
  return {
    ...base,
    startsAt: first.toJSDate(),
    endsAt: last.toJSDate(),
    allDay: true,
    startDate: first.toISODate()!,
    endDate: last.toISODate()!,
    timeZone,
  };
}
