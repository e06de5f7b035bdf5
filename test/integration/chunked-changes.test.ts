import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { initOrm } from '../../src/db/orm';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { ProviderCalendar } from '../../src/modules/connections/provider-calendar.entity';
import { applyChangesInChunks } from '../../src/modules/events/chunked-changes';
import { applyChanges, type EventTarget, type StoreResult } from '../../src/modules/events/event-store';
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
const series = (id: string, days: number[]) =>
  days.map((day) =>
    occurrence(`${id}#202612${String(day).padStart(2, '0')}T090000Z`, day, { seriesId: id, recurrenceId: `202612${String(day).padStart(2, '0')}T090000Z` }),
  );

/**
 * The chunked writer ends where one transaction of applyChanges ends, for full and incremental
 * answers; it commits in chunks with the caller's bookkeeping last; an abort keeps a prefix that
 * applying the answer again completes.
 */
describe('applyChangesInChunks', () => {
  let orm: MikroORM;
  let chunked: EventTarget;
  let single: EventTarget;

  beforeAll(async () => {
    orm = await initOrm(process.env.DATABASE_URL!);
    const em = orm.em.fork();
    const tenant = em.create(Tenant, { name: 'chunks' });
    const resource = em.create(Resource, { tenant, name: 'r', timeZone: 'UTC' });
    const connection = em.create(ExternalCalendar, { tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
    const a = em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: 'a', name: 'a' });
    const b = em.create(ProviderCalendar, { tenant, externalCalendar: connection, resource, providerCalendarId: 'b', name: 'b' });
    await em.flush();
    const base = { tenantId: tenant.id, resourceId: resource.id, externalCalendarId: connection.id, privateImport: false };
    chunked = { ...base, providerCalendarId: a.id };
    single = { ...base, providerCalendarId: b.id };
  });
  afterAll(() => orm.close());

  const transactions = () => {
    const log: { changed: StoreResult; last: boolean }[] = [];
    return { log, inTransaction: async (_em: unknown, changed: StoreResult, last: boolean) => void log.push({ changed, last }) };
  };
  const inChunks = (set: ChangeSet, chunkSize = 2, signal?: AbortSignal) => {
    const bookkeeping = transactions();
    return applyChangesInChunks((work) => orm.em.fork().transactional(work), chunked, window, set, {
      chunkSize,
      signal,
      inTransaction: bookkeeping.inTransaction,
    }).then((result) => ({ result, log: bookkeeping.log }));
  };
  const inOne = (set: ChangeSet) => orm.em.fork().transactional((em) => applyChanges(em, single, window, set));
  const rows = async (target: EventTarget) =>
    (await orm.em
      .getConnection()
      .execute('select external_id, title, starts_at from external_event where provider_calendar_id = ? order by external_id', [
        target.providerCalendarId,
      ])) as {
      external_id: string;
    }[];
  const both = async (set: ChangeSet, chunkSize = 2) => {
    const [many, one] = [await inChunks(set, chunkSize), await inOne(set)];
    expect(many.result).toEqual(one);
    expect((await rows(chunked)).map((row) => ({ ...row }))).toEqual((await rows(single)).map((row) => ({ ...row })));
    return many;
  };

  it('ends as one transaction would, with the bookkeeping in the last of its transactions', async () => {
    const first = await both(
      changes(
        [...'abcdefg'].map((id, day) => occurrence(id, day + 1)),
        { full: true },
      ),
    );
    expect(first.log.map((entry) => entry.last)).toEqual([false, false, false, true]);
    expect(first.log.reduce((sum, entry) => sum + entry.changed.upserted, 0)).toBe(7);

    // Full again: b and e gone, c changed, h new; the deletions come after every upsert.
    const second = await both(
      changes([occurrence('a', 1), occurrence('c', 3, { title: 'c2' }), occurrence('d', 4), occurrence('f', 6), occurrence('g', 7), occurrence('h', 8)], {
        full: true,
      }),
    );
    expect(second.result).toEqual({ upserted: 2, deleted: 2 });
    expect(second.log.at(-1)).toEqual({ changed: { upserted: 0, deleted: 2 }, last: true });

    // Incremental: a series replaced in the window (one occurrence kept), ids deleted, one both changed and deleted.
    await both(changes([...series('S', [10, 11, 12, 13])]), 3);
    await both(changes([series('S', [11])[0], occurrence('d', 5, { title: 'moved' })], { replacedIds: ['S'], deletedIds: ['a', 'd', 'f', 'missing'] }), 2);
    expect((await rows(chunked)).map((row) => row.external_id)).toEqual(['S#20261211T090000Z', 'c', 'd', 'g', 'h']);

    // A deleted series goes whole; an answer that fits in one chunk is one transaction.
    const small = await both(changes([], { deletedIds: ['S'] }), 10);
    expect(small.log).toEqual([{ changed: { upserted: 0, deleted: 1 }, last: true }]);
    // Nothing to do is still one transaction, for the cursor.
    expect((await both(changes([]))).log).toEqual([{ changed: { upserted: 0, deleted: 0 }, last: true }]);
  });

  it('stops between chunks when aborted, keeping what committed; the same answer again completes it', async () => {
    const answer = changes(
      [...'pqrstu'].map((id, day) => occurrence(id, day + 20)),
      { full: true },
    );
    const controller = new AbortController();
    const bookkeeping = transactions();
    const stopped = applyChangesInChunks((work) => orm.em.fork().transactional(work), chunked, window, answer, {
      chunkSize: 2,
      signal: controller.signal,
      inTransaction: bookkeeping.inTransaction,
      committed: (_changed, last) => {
        if (!last && bookkeeping.log.length === 2) controller.abort(new Error('deadline'));
      },
    });
    await expect(stopped).rejects.toThrow('deadline');
    expect(bookkeeping.log.map((entry) => entry.last)).toEqual([false, false]);
    // Upserts first: nothing stored before was removed by the stopped answer.
    expect((await rows(chunked)).map((row) => row.external_id)).toEqual(['c', 'd', 'g', 'h', 'p', 'q', 'r', 's']);

    const again = await inChunks(answer);
    expect(again.result).toEqual({ upserted: 2, deleted: 4 });
    expect((await rows(chunked)).map((row) => row.external_id)).toEqual([...'pqrstu']);
  });

  it('sweeps a full answer over more stored rows than one page holds', async () => {
    const many = Array.from({ length: 12_000 }, (_, i) => occurrence(`m${String(i).padStart(5, '0')}`, 1 + (i % 28)));
    const stored = await inChunks(changes(many, { full: true }), 1_000);
    expect(stored.result).toEqual({ upserted: 12_000, deleted: 6 });
    const kept = many.filter((_, i) => i % 3 === 0);
    const swept = await inChunks(changes(kept, { full: true }), 1_000);
    expect(swept.result).toEqual({ upserted: 0, deleted: 8_000 });
    expect(swept.log.every((entry) => entry.changed.deleted <= 1_000)).toBe(true);
    expect(await rows(chunked)).toHaveLength(4_000);
  });
});
