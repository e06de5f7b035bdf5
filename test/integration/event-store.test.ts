import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../src/db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { applyChanges, type EventTarget } from '../../src/modules/events/event-store';
import { Resource } from '../../src/modules/resources/resource.entity';
import { Tenant } from '../../src/modules/tenancy/tenant.entity';
import { ProviderKind, type ChangeSet, type NormalizedEvent } from '../../src/providers/provider';
import { makeEvent } from '../helpers/builders';

const window = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };

function occurrence(externalId: string, day: number, overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
  const startsAt = new Date(Date.UTC(2026, 11, day, 9));
  return makeEvent(externalId, startsAt, new Date(startsAt.getTime() + 3_600_000), overrides);
}

const changes = (events: NormalizedEvent[], rest: Partial<ChangeSet> = {}): ChangeSet => ({
  events,
  deletedIds: [],
  skipped: [],
  nextCursor: null,
  full: false,
  ...rest,
});

describe('event store', () => {
  let orm: MikroORM;
  let target: EventTarget;

  beforeAll(async () => {
    orm = await initOrm(process.env.DATABASE_URL!);
    const em = orm.em.fork();
    const tenant = em.create(Tenant, { name: 'store' });
    const resource = em.create(Resource, { tenant, name: 'r', timeZone: 'UTC' });
    const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
    const calendar = em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: 'cal', name: 'cal' });
    await em.flush();
    target = { tenantId: tenant.id, resourceId: resource.id, externalCalendarId: connection.id, providerCalendarId: calendar.id, privateImport: false };
  });
  afterAll(() => orm.close());

  const apply = (set: ChangeSet) => orm.em.fork().transactional((em) => applyChanges(em, target, window, set));
  const stored = async () =>
    (
      (await orm.em
        .getConnection()
        .execute('select external_id from external_event where provider_calendar_id = ? order by external_id', [target.providerCalendarId])) as {
        external_id: string;
      }[]
    ).map((row) => row.external_id);

  it('rewrites only what changed, and a full answer removes what it no longer holds', async () => {
    const series = [1, 2, 3].map((day) => occurrence(`S#2026120${day}T090000Z`, day, { seriesId: 'S', recurrenceId: `2026120${day}T090000Z` }));
    expect(await apply(changes([occurrence('a', 5), occurrence('b', 6), ...series], { full: true }))).toEqual({ upserted: 5, deleted: 0 });
    expect(await apply(changes([occurrence('a', 5), occurrence('b', 6, { title: 'b2' }), ...series], { full: true }))).toEqual({ upserted: 1, deleted: 0 });
    expect(await apply(changes([occurrence('b', 6, { title: 'b2' }), ...series], { full: true }))).toEqual({ upserted: 0, deleted: 1 });
    expect(await stored()).toEqual(['S#20261201T090000Z', 'S#20261202T090000Z', 'S#20261203T090000Z', 'b']);
  });

  it('deletes named occurrences, and every occurrence of a deleted series, incrementally', async () => {
    expect(await apply(changes([occurrence('c', 7)], { deletedIds: ['S', 'missing'] }))).toEqual({ upserted: 1, deleted: 3 });
    expect(await stored()).toEqual(['b', 'c']);
    // An id both changed and deleted in one answer keeps its new version.
    expect(await apply(changes([occurrence('c', 8)], { deletedIds: ['c', 'b'] }))).toEqual({ upserted: 1, deleted: 1 });
    expect(await stored()).toEqual(['c']);
  });

  it('keeps no titles under private import', async () => {
    await orm.em.fork().transactional((em) => applyChanges(em, { ...target, privateImport: true }, window, changes([occurrence('p', 9)])));
    const [{ title }] = await orm.em.getConnection().execute("select title from external_event where external_id = 'p'");
    expect(title).toBeNull();
  });
});
