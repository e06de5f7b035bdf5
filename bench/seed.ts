import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { ExternalCalendar, ExternalCalendarStatus } from '../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../src/modules/connections/provider-calendar.entity';
import { SyncConfig } from '../src/modules/connections/sync-config.entity';
import { applyChanges, type EventTarget } from '../src/modules/events/event-store';
import { Resource } from '../src/modules/resources/resource.entity';
import { Weekday } from '../src/modules/resources/working-hours';
import type { Tenant } from '../src/modules/tenancy/tenant.entity';
import { ProviderKind, type NormalizedEvent, type TimeWindow } from '../src/providers/provider';

const MINUTE = 60_000;
const ZONE = 'Europe/Berlin';
const WEEKDAYS_9_TO_5 = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY].map((weekday) => ({
  weekday,
  start: '09:00',
  end: '17:00',
}));

/** mulberry32: a small seeded PRNG, so every run stores the same events. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` occurrences spread uniformly over the window on a 5-minute grid, 5..30 minutes
 * long; a realistic mix: 8 % TRANSPARENT, 4 % CANCELLED, 6 % TENTATIVE, 1 % all-day.
 */
function events(count: number, window: TimeWindow, next: () => number, prefix: string): NormalizedEvent[] {
  const span = (window.to.getTime() - window.from.getTime()) / (5 * MINUTE);
  return Array.from({ length: count }, (_, k) => {
    const roll = next();
    const allDay = roll >= 0.18 && roll < 0.19;
    let startsAt = new Date(window.from.getTime() + Math.floor(next() * span) * 5 * MINUTE);
    let endsAt = new Date(startsAt.getTime() + (1 + Math.floor(next() * 6)) * 5 * MINUTE);
    // An all-day event covers its local day in the resource's zone, as the providers store it.
    const day = DateTime.fromJSDate(startsAt, { zone: ZONE }).startOf('day');
    if (allDay) [startsAt, endsAt] = [day.toJSDate(), day.plus({ days: 1 }).toJSDate()];
    const isoDate = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toISODate()!;
    return {
      externalId: `${prefix}-${k}`,
      seriesId: null,
      recurrenceId: null,
      title: `event ${k}`,
      startsAt,
      endsAt,
      allDay,
      startDate: allDay ? isoDate(startsAt) : null,
      endDate: allDay ? isoDate(endsAt) : null,
      status: roll < 0.04 ? 'CANCELLED' : roll < 0.1 ? 'TENTATIVE' : 'CONFIRMED',
      transparency: roll >= 0.1 && roll < 0.18 ? 'TRANSPARENT' : 'OPAQUE',
      timeZone: allDay ? null : ZONE,
    };
  });
}

/**
 * One Europe/Berlin resource (weekdays 09:00-17:00) with a CalDAV-shaped connection, its
 * SyncConfig and one read provider calendar (rows only, as test/integration/dataloaders.test.ts
 * seeds them), and `count` events stored through the event store as one full answer.
 */
export async function seedResource(em: EntityManager, tenant: Tenant, name: string, count: number, window: TimeWindow, seed: number): Promise<Resource> {
  const resource = em.create(Resource, { tenant, name, timeZone: ZONE, workingHours: WEEKDAYS_9_TO_5 });
  const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
  em.create(SyncConfig, { tenant, externalCalendar: connection });
  const calendar = em.create(ProviderCalendar, {
    tenant,
    externalCalendar: connection,
    resource,
    providerCalendarId: `${name}-cal`,
    name: `${name} calendar`,
    read: true,
  });
  await em.flush();
  const target: EventTarget = {
    tenantId: tenant.id,
    resourceId: resource.id,
    externalCalendarId: connection.id,
    providerCalendarId: calendar.id,
    privateImport: false,
  };
  await em.transactional((tx) =>
    applyChanges(tx, target, window, { events: events(count, window, random(seed), name), deletedIds: [], skipped: [], nextCursor: null, full: true }),
  );
  return resource;
}
