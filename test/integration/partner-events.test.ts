import {
  AvailabilityDocument,
  BulkDeactivateExternalEventsDocument,
  BulkUpsertExternalEventsDocument,
  CreateResourceDocument,
  DisconnectDocument,
  ExplainAvailabilityDocument,
  ListExternalCalendarsDocument,
  ListProviderCalendarsDocument,
  PartnerEventsDocument,
  SelectCalendarsDocument,
  UpdateResourceDocument,
  UpdateSyncConfigDocument,
  type PartnerEventItemInput,
} from '../graphql/generated';
import { makeEvent } from '../helpers/builders';
import { storeEvents } from '../helpers/store-events';
import { startTestServer, type TestServer } from '../helpers/test-server';

// The resources have no working hours (available around the clock) and no buffers: busy time is the items themselves.
const DAY = { from: '2030-03-04T00:00:00Z', to: '2030-03-05T00:00:00Z' };
const item = (externalId: string, startsAt: string, endsAt: string, extra: Partial<PartnerEventItemInput> = {}): PartnerEventItemInput => ({
  externalId,
  title: externalId,
  startsAt,
  endsAt,
  ...extra,
});

describe('partner-pushed external events (bulkUpsertExternalEvents / bulkDeactivateExternalEvents)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
  });
  afterAll(() => server.close());

  const newResource = async (timeZone = 'Europe/Berlin') =>
    (await server.ok(CreateResourceDocument, { input: { name: 'Partner room', timeZone } })).createResource.id;
  const upsert = (resourceId: string, items: PartnerEventItemInput[]) =>
    server.ok(BulkUpsertExternalEventsDocument, { input: { resourceId, items } }).then((data) => data.bulkUpsertExternalEvents.results);
  const deactivate = (resourceId: string, externalIds: string[]) =>
    server.ok(BulkDeactivateExternalEventsDocument, { input: { resourceId, externalIds } }).then((data) => data.bulkDeactivateExternalEvents.results);
  const busy = async (resourceId: string) => (await server.ok(AvailabilityDocument, { input: { resourceId, ...DAY, slotMinutes: 60 } })).availability.busy;

  it('creates items idempotently by externalId: CREATED, then UNCHANGED, then UPDATED when a value changes', async () => {
    const resourceId = await newResource();
    const first = await upsert(resourceId, [
      item('a', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z'),
      item('b', '2030-03-04T11:00:00+01:00', '2030-03-04T12:00:00+01:00'),
    ]);
    expect(first.map((r) => [r.externalId, r.result, r.reason])).toEqual([
      ['a', 'CREATED', null],
      ['b', 'CREATED', null],
    ]);
    expect(first[1]!.event).toMatchObject({
      externalId: 'b',
      title: 'b',
      startsAt: '2030-03-04T10:00:00.000Z',
      endsAt: '2030-03-04T11:00:00.000Z',
      allDay: false,
      status: 'CONFIRMED',
      transparency: 'OPAQUE',
      active: true,
      source: 'PARTNER_PUSH',
      calendar: null,
      externalCalendar: null,
      resource: { id: resourceId },
    });

    const again = await upsert(resourceId, [
      item('a', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z'),
      item('b', '2030-03-04T10:00:00Z', '2030-03-04T11:00:00Z', { title: 'renamed' }),
    ]);
    expect(again.map((r) => r.result)).toEqual(['UNCHANGED', 'UPDATED']);
    expect(again.map((r) => r.event?.id)).toEqual(first.map((r) => r.event?.id));
    expect(again[1]!.event!.title).toBe('renamed');
    const [{ count }] = await server.orm.em.fork().execute(`select count(*)::int as count from external_event where resource_id = ?`, [resourceId]);
    expect(count).toBe(2);
  });

  it('fails bad items with a reason naming the field, and lands the others in the same call', async () => {
    const resourceId = await newResource();
    const results = await upsert(resourceId, [
      item('ok-1', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z'),
      item('backwards', '2030-03-04T10:00:00Z', '2030-03-04T09:00:00Z'),
      item('too-long', '2030-03-04T10:00:00Z', '2030-03-12T10:00:00Z'),
      item('   ', '2030-03-04T10:00:00Z', '2030-03-04T11:00:00Z'),
      item('ok-1', '2030-03-04T12:00:00Z', '2030-03-04T13:00:00Z'),
      item('big-title', '2030-03-04T10:00:00Z', '2030-03-04T11:00:00Z', { title: 'x'.repeat(1001) }),
      item('empty', '2030-03-04T10:00:00Z', '2030-03-04T10:00:00Z'),
      item('ok-2', '2030-03-04T14:00:00Z', '2030-03-04T15:00:00Z', { title: null }),
    ]);
    expect(results.map((r) => [r.externalId, r.result, r.reason?.split(':')[0] ?? null])).toEqual([
      ['ok-1', 'CREATED', null],
      ['backwards', 'FAILED', 'items[1].endsAt'],
      ['too-long', 'FAILED', 'items[2].endsAt'],
      ['', 'FAILED', 'items[3].externalId'],
      ['ok-1', 'FAILED', 'items[4].externalId'],
      ['big-title', 'FAILED', 'items[5].title'],
      ['empty', 'FAILED', 'items[6].endsAt'],
      ['ok-2', 'CREATED', null],
    ]);
    expect(results[1]!.reason).toBe('items[1].endsAt: must be after startsAt');
    expect(results.filter((r) => r.result === 'FAILED').every((r) => r.event === null)).toBe(true);
    expect(results[7]!.event!.title).toBeNull();
    expect(await busy(resourceId)).toEqual([
      { start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' },
      { start: '2030-03-04T14:00:00.000Z', end: '2030-03-04T15:00:00.000Z' },
    ]);
  });

  it("refuses more than 1,000 items, an unknown resource and another tenant's resource", async () => {
    const resourceId = await newResource();
    const many = Array.from({ length: 1001 }, (_, i) => item(`n${i}`, '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z'));
    const tooMany = await server.gql(BulkUpsertExternalEventsDocument, { input: { resourceId, items: many } });
    expect(tooMany.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.items' });
    const tooManyIds = await server.gql(BulkDeactivateExternalEventsDocument, { input: { resourceId, externalIds: many.map((i) => i.externalId) } });
    expect(tooManyIds.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.externalIds' });

    const unknown = await server.gql(BulkUpsertExternalEventsDocument, { input: { resourceId: '00000000-0000-4000-8000-000000000000', items: [] } });
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'input.resourceId' });
    const other = await server.createTenant('partner-intruder');
    const foreign = await server.gql(
      BulkUpsertExternalEventsDocument,
      { input: { resourceId, items: [item('x', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z')] } },
      other.apiKey,
    );
    expect(foreign.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'input.resourceId' });
    const foreignDeactivate = await server.gql(BulkDeactivateExternalEventsDocument, { input: { resourceId, externalIds: ['x'] } }, other.apiKey);
    expect(foreignDeactivate.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('accepts exactly 1,000 items in one call', async () => {
    const resourceId = await newResource();
    const items = Array.from({ length: 1000 }, (_, i) =>
      item(`n${i}`, new Date(Date.UTC(2030, 3, 1) + i * 3_600_000).toISOString(), new Date(Date.UTC(2030, 3, 1) + i * 3_600_000 + 1_800_000).toISOString()),
    );
    const results = await upsert(resourceId, items);
    expect(results).toHaveLength(1000);
    expect(new Set(results.map((r) => r.result))).toEqual(new Set(['CREATED']));
    expect(results.map((r) => r.externalId)).toEqual(items.map((i) => i.externalId));
  });

  it('stores each item once when the same push arrives concurrently', async () => {
    const resourceId = await newResource();
    const items = Array.from({ length: 50 }, (_, i) =>
      item(`c${i}`, new Date(Date.UTC(2030, 4, 1) + i * 3_600_000).toISOString(), new Date(Date.UTC(2030, 4, 1) + i * 3_600_000 + 1_800_000).toISOString()),
    );
    const pushes = await Promise.all(Array.from({ length: 5 }, () => server.gql(BulkUpsertExternalEventsDocument, { input: { resourceId, items } })));
    expect(pushes.every((push) => push.errors === undefined)).toBe(true);
    const created = pushes.flatMap((push) => push.data!.bulkUpsertExternalEvents.results).filter((r) => r.result === 'CREATED');
    expect(created).toHaveLength(50);
    const [{ count }] = await server.orm.em.fork().execute(`select count(*)::int as count from external_event where resource_id = ?`, [resourceId]);
    expect(count).toBe(50);
  });

  it('blocks busy time like a synced event: through availability and explainAvailability; inactive, CANCELLED and TRANSPARENT items never block', async () => {
    const resourceId = await newResource();
    await upsert(resourceId, [
      item('meeting', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z', { title: 'Partner meeting' }),
      item('tentative', '2030-03-04T11:00:00Z', '2030-03-04T12:00:00Z', { status: 'TENTATIVE' }),
      item('cancelled', '2030-03-04T13:00:00Z', '2030-03-04T14:00:00Z', { status: 'CANCELLED' }),
      item('free', '2030-03-04T15:00:00Z', '2030-03-04T16:00:00Z', { transparency: 'TRANSPARENT' }),
    ]);
    expect(await busy(resourceId)).toEqual([
      { start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' },
      { start: '2030-03-04T11:00:00.000Z', end: '2030-03-04T12:00:00.000Z' },
    ]);
    const inside = (await server.ok(ExplainAvailabilityDocument, { resourceId, at: '2030-03-04T09:30:00Z' })).explainAvailability;
    expect(inside).toMatchObject({
      free: false,
      blocks: [
        {
          kind: 'EXTERNAL_EVENT',
          start: '2030-03-04T09:00:00.000Z',
          end: '2030-03-04T10:00:00.000Z',
          externalEvent: { externalId: 'meeting', title: 'Partner meeting', calendar: null },
        },
      ],
    });
    expect((await server.ok(ExplainAvailabilityDocument, { resourceId, at: '2030-03-04T13:30:00Z' })).explainAvailability).toMatchObject({
      free: true,
      blocks: [],
    });
    expect((await server.ok(ExplainAvailabilityDocument, { resourceId, at: '2030-03-04T15:30:00Z' })).explainAvailability).toMatchObject({
      free: true,
      blocks: [],
    });

    // Deactivating frees the time at once (the busy-time cache sees the change), re-pushing reactivates.
    expect(await deactivate(resourceId, ['meeting'])).toEqual([{ externalId: 'meeting', result: 'DEACTIVATED' }]);
    expect(await busy(resourceId)).toEqual([{ start: '2030-03-04T11:00:00.000Z', end: '2030-03-04T12:00:00.000Z' }]);
    expect((await server.ok(ExplainAvailabilityDocument, { resourceId, at: '2030-03-04T09:30:00Z' })).explainAvailability.free).toBe(true);
    const back = await upsert(resourceId, [item('meeting', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z', { title: 'Partner meeting' })]);
    expect(back[0]).toMatchObject({ result: 'UPDATED', event: { active: true } });
    expect((await busy(resourceId))[0]).toEqual({ start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' });

    // Moving an item moves its busy time.
    await upsert(resourceId, [item('tentative', '2030-03-04T17:00:00Z', '2030-03-04T18:00:00Z', { status: 'TENTATIVE' })]);
    expect(await busy(resourceId)).toEqual([
      { start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' },
      { start: '2030-03-04T17:00:00.000Z', end: '2030-03-04T18:00:00.000Z' },
    ]);
  });

  it("stores an all-day item as the resource's whole local days", async () => {
    const resourceId = await newResource('Europe/Berlin');
    const [result] = await upsert(resourceId, [item('holiday', '2030-03-04T10:00:00+01:00', '2030-03-04T12:00:00+01:00', { allDay: true })]);
    expect(result!.event).toMatchObject({
      allDay: true,
      startDate: '2030-03-04',
      endDate: '2030-03-05',
      startsAt: '2030-03-03T23:00:00.000Z',
      endsAt: '2030-03-04T23:00:00.000Z',
    });
    // The local day 2030-03-04 is 2030-03-03T23:00Z..2030-03-04T23:00Z; the window of `busy` starts at 00:00Z.
    expect(await busy(resourceId)).toEqual([{ start: '2030-03-04T00:00:00.000Z', end: '2030-03-04T23:00:00.000Z' }]);
    expect((await server.ok(ExplainAvailabilityDocument, { resourceId, at: '2030-03-03T23:30:00Z' })).explainAvailability).toMatchObject({
      free: false,
      blocks: [{ kind: 'EXTERNAL_EVENT', externalEvent: { externalId: 'holiday', calendar: null } }],
    });
    expect((await server.ok(ExplainAvailabilityDocument, { resourceId, at: '2030-03-04T23:00:00Z' })).explainAvailability.free).toBe(true);
    const week = await upsert(resourceId, [item('too-many-days', '2030-03-04T00:00:00+01:00', '2030-03-12T00:00:00+01:00', { allDay: true })]);
    expect(week[0]).toMatchObject({ result: 'FAILED', reason: expect.stringMatching(/^items\[0\]\.endsAt: /) });
  });

  it('deactivates per id: DEACTIVATED, UNCHANGED when already inactive, NOT_FOUND for unknown ids and synced events', async () => {
    const resourceId = await newResource();
    await storeEvents(server, resourceId, [makeEvent('synced', '2030-03-04T07:00:00Z', '2030-03-04T08:00:00Z')]);
    await upsert(resourceId, [item('p1', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z'), item('p2', '2030-03-04T10:00:00Z', '2030-03-04T11:00:00Z')]);
    expect(await deactivate(resourceId, ['p1', 'nope', 'synced', 'p1'])).toEqual([
      { externalId: 'p1', result: 'DEACTIVATED' },
      { externalId: 'nope', result: 'NOT_FOUND' },
      { externalId: 'synced', result: 'NOT_FOUND' },
      { externalId: 'p1', result: 'UNCHANGED' },
    ]);
    expect(await deactivate(resourceId, ['p1', 'p2'])).toEqual([
      { externalId: 'p1', result: 'UNCHANGED' },
      { externalId: 'p2', result: 'DEACTIVATED' },
    ]);
    expect(await busy(resourceId)).toEqual([{ start: '2030-03-04T07:00:00.000Z', end: '2030-03-04T08:00:00.000Z' }]);
    expect(await deactivate(resourceId, [])).toEqual([]);
  });

  it('is never touched by a sync of the same resource, even under the same externalId, and lists with the synced events', async () => {
    const resourceId = await newResource();
    await upsert(resourceId, [item('shared-id', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z', { title: 'pushed' })]);
    // A full sync answer over 2020-2040 with one event of the same externalId: it deletes every other synced row of its calendar.
    await storeEvents(server, resourceId, [makeEvent('shared-id', '2030-03-04T12:00:00Z', '2030-03-04T13:00:00Z', { title: 'synced' })]);
    await storeEvents(server, resourceId, [], 'Other');
    const { externalEvents } = await server.ok(PartnerEventsDocument, { filter: { ...DAY, resourceIds: [resourceId] }, first: 10 });
    expect(
      externalEvents.edges.map(({ node }) => [node.externalId, node.title, node.source, node.calendar?.name ?? null, node.externalCalendar === null]),
    ).toEqual([
      ['shared-id', 'pushed', 'PARTNER_PUSH', null, true],
      ['shared-id', 'synced', 'PROVIDER_SYNC', 'Work', false],
    ]);
    expect(await busy(resourceId)).toEqual([
      { start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' },
      { start: '2030-03-04T12:00:00.000Z', end: '2030-03-04T13:00:00.000Z' },
    ]);
  });

  it("survives selectCalendars, updateSyncConfig and disconnect of the resource's connections, and moves with its time zone when all-day", async () => {
    const resourceId = await newResource('Europe/Berlin');
    await storeEvents(server, resourceId, [makeEvent('synced', '2030-03-04T07:00:00Z', '2030-03-04T08:00:00Z', { status: 'TENTATIVE' })]);
    await upsert(resourceId, [
      item('pushed', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z', { status: 'TENTATIVE', title: 'kept' }),
      item('day', '2030-03-06T12:00:00+01:00', '2030-03-06T13:00:00+01:00', { allDay: true }),
    ]);
    const [connection] = (await server.ok(ListExternalCalendarsDocument, { resourceId })).externalCalendars;
    // The connection's switches apply to its own events only: partner items follow the defaults.
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connection!.id, input: { tentativeIsBusy: false, privateImport: true } });
    expect(await busy(resourceId)).toEqual([{ start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' }]);
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connection!.id, input: { tentativeIsBusy: true } });
    expect(await busy(resourceId)).toHaveLength(2);

    const [calendar] = (await server.ok(ListProviderCalendarsDocument, { externalCalendarId: connection!.id })).providerCalendars;
    await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connection!.id, readCalendarIds: [] } });
    expect(calendar).toBeDefined();
    expect(await busy(resourceId)).toEqual([{ start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' }]);
    await server.ok(DisconnectDocument, { id: connection!.id });
    const { externalEvents } = await server.ok(PartnerEventsDocument, {
      filter: { from: DAY.from, to: '2030-03-08T00:00:00Z', resourceIds: [resourceId] },
      first: 10,
    });
    expect(externalEvents.edges.map(({ node }) => [node.externalId, node.title, node.source])).toEqual([
      ['pushed', 'kept', 'PARTNER_PUSH'],
      ['day', 'day', 'PARTNER_PUSH'],
    ]);

    await server.ok(UpdateResourceDocument, { id: resourceId, input: { timeZone: 'America/New_York' } });
    const moved = await server.ok(PartnerEventsDocument, { filter: { from: DAY.from, to: '2030-03-08T00:00:00Z', resourceIds: [resourceId] }, first: 10 });
    expect(moved.externalEvents.edges.find(({ node }) => node.externalId === 'day')!.node).toMatchObject({
      startDate: '2030-03-06',
      endDate: '2030-03-07',
      startsAt: '2030-03-06T05:00:00.000Z',
      endsAt: '2030-03-07T05:00:00.000Z',
    });
  });

  it('is guarded by the database: a partner row has no calendar, a synced row must have one, and partner ids are unique per resource', async () => {
    const resourceId = await newResource();
    const em = server.orm.em.fork();
    const insert = (source: string, externalId: string) =>
      em.execute(
        `insert into external_event (id, created_at, updated_at, tenant_id, resource_id, external_id, starts_at, ends_at, source)
         values (gen_random_uuid(), now(), now(), ?, ?, ?, '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z', ?::external_event_source)`,
        [server.tenantId, resourceId, externalId, source],
      );
    await expect(insert('PROVIDER_SYNC', 'orphan')).rejects.toThrow(/external_event_source_calendars/);
    await insert('PARTNER_PUSH', 'twice');
    await expect(insert('PARTNER_PUSH', 'twice')).rejects.toThrow(/external_event_partner_external_id/);
  });
});
