import { Client } from 'pg';
import { makeEvent } from '../helpers/builders';
import {
  AvailabilityDocument,
  CommonAvailabilityDocument,
  CreateResourceDocument,
  ExplainAvailabilityDocument,
  FreeBusyDocument,
  UpdateResourceDocument,
  type CreateResourceInput,
  CancelAppointmentDocument,
  CreateAppointmentDocument,
  UpdateSyncConfigDocument,
} from '../graphql/generated';
import { storeEvents } from '../helpers/store-events';
import { startTestServer, type TestServer } from '../helpers/test-server';

// Monday 2030-01-07 .. Saturday 2030-01-12, Europe/Berlin (UTC+1 in January).
const WEEK = { from: '2030-01-07T00:00:00+01:00', to: '2030-01-12T00:00:00+01:00' };
const weekdays = (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
const hhmm = (iso: string) => new Date(iso).toISOString().slice(11, 16);

describe('availability: overrides, validity, notice, many resources, explanations', () => {
  let server: TestServer;
  let queries: string[] = [];

  beforeAll(async () => {
    // No worker: its cron ticks would send statements through the same ORM and be counted.
    server = await startTestServer({ onQuery: (sql) => queries.push(sql), worker: false });
  });
  afterAll(() => server.close());

  async function createResource(input: Partial<CreateResourceInput> = {}): Promise<string> {
    const { createResource } = await server.ok(CreateResourceDocument, {
      input: { name: 'Room', timeZone: 'Europe/Berlin', workingHours: weekdays, ...input },
    });
    return createResource.id;
  }

  it('applies date overrides (a day off, special hours) and the validity range', async () => {
    const resourceId = await createResource({
      dateOverrides: [
        { date: '2030-01-08', hours: [] },
        { date: '2030-01-09', hours: [{ start: '13:00', end: '15:00' }] },
      ],
      validUntil: '2030-01-10',
    });
    const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, ...WEEK, slotMinutes: 60 } });
    const byDay = (day: string) => availability.slots.filter((s) => s.start.startsWith(day)).map((s) => hhmm(s.start));
    expect(byDay('2030-01-07')).toHaveLength(8);
    expect(byDay('2030-01-08')).toEqual([]);
    expect(byDay('2030-01-09')).toEqual(['12:00', '13:00']);
    expect(byDay('2030-01-10')).toHaveLength(8);
    expect(byDay('2030-01-11')).toEqual([]);

    const bad = await server.gql(UpdateResourceDocument, { id: resourceId, input: { dateOverrides: [{ date: '2030-02-30', hours: [] }] } });
    expect(bad.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.dateOverrides[0].date' });
    const reversed = await server.gql(UpdateResourceDocument, { id: resourceId, input: { validFrom: '2030-02-01' } });
    expect(reversed.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.validUntil' });
  });

  it('drops slots inside the minimum notice and aligns the grid in the time zone asked for', async () => {
    const resourceId = await createResource({ workingHours: [] });
    const now = Date.now();
    const from = new Date(now - 3_600_000).toISOString();
    const to = new Date(now + 6 * 3_600_000).toISOString();
    const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, from, to, slotMinutes: 60, minimumNoticeMinutes: 120 } });
    expect(availability.slots.length).toBeGreaterThan(0);
    expect(availability.slots.every((slot) => Date.parse(slot.start) >= now + 120 * 60_000 - 1_000)).toBe(true);

    // Kolkata is UTC+5:30: its local hours start at :30 in UTC.
    const kolkata = await server.ok(AvailabilityDocument, { input: { resourceId, ...WEEK, slotMinutes: 60, timeZone: 'Asia/Kolkata' } });
    expect(kolkata.availability.slots.every((slot) => slot.start.slice(14, 16) === '30')).toBe(true);
  });

  it('refuses bad questions with BAD_USER_INPUT naming the field', async () => {
    const resourceId = await createResource();
    const cases: [Record<string, unknown>, string][] = [
      [{ slotMinutes: 30, stepMinutes: 45 }, 'input.slotMinutes'],
      [{ from: WEEK.to, to: WEEK.from }, 'input.to'],
      [{ to: '2030-06-01T00:00:00Z' }, 'input.to'],
      [{ timeZone: 'Nowhere/City' }, 'input.timeZone'],
      [{ minimumNoticeMinutes: -1 }, 'input.minimumNoticeMinutes'],
    ];
    for (const [change, field] of cases) {
      const result = await server.gql(AvailabilityDocument, { input: { resourceId, ...WEEK, ...change } as never });
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    const tooMany = await server.gql(FreeBusyDocument, { resourceIds: Array.from({ length: 101 }, () => resourceId), ...WEEK });
    expect(tooMany.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'resourceIds' });
    const unknown = await server.gql(FreeBusyDocument, { resourceIds: [resourceId, '00000000-0000-4000-8000-000000000000'], ...WEEK });
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'resourceIds[1]' });
  });

  it('answers freeBusy for 1 or 30 resources with the same number of SQL statements', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = await createResource({ name: `Room ${i}`, bufferAfterMinutes: 10 });
      await storeEvents(server, id, [makeEvent(`e${i}`, '2030-01-07T09:00:00Z', '2030-01-07T10:00:00Z')]);
      ids.push(id);
    }
    const counts: number[] = [];
    for (const resourceIds of [ids.slice(0, 1), ids]) {
      queries = [];
      const { freeBusy } = await server.ok(FreeBusyDocument, { resourceIds, ...WEEK });
      expect(freeBusy.map((entry) => entry.resourceId)).toEqual(resourceIds);
      expect(freeBusy.every((entry) => entry.busy.length === 1 && entry.busy[0].end === '2030-01-07T10:10:00.000Z')).toBe(true);
      counts.push(queries.length);
    }
    expect(counts[0]).toBe(counts[1]);
  });

  it('finds the slots when all, or at least some, of the resources are free', async () => {
    const [a, b, c] = [await createResource(), await createResource(), await createResource()];
    await storeEvents(server, a, [makeEvent('a', '2030-01-07T08:00:00Z', '2030-01-07T10:00:00Z')]);
    await storeEvents(server, b, [makeEvent('b', '2030-01-07T10:00:00Z', '2030-01-07T12:00:00Z')]);
    const monday = { from: '2030-01-07T00:00:00+01:00', to: '2030-01-08T00:00:00+01:00' };
    const all = (await server.ok(CommonAvailabilityDocument, { input: { resourceIds: [a, b, c], ...monday, slotMinutes: 60 } })).commonAvailability;
    expect(all.free.map((i) => [hhmm(i.start), hhmm(i.end)])).toEqual([['12:00', '16:00']]);
    const two = (await server.ok(CommonAvailabilityDocument, { input: { resourceIds: [a, b, c], ...monday, slotMinutes: 60, minimumResources: 2 } }))
      .commonAvailability;
    expect(two.free.map((i) => [hhmm(i.start), hhmm(i.end)])).toEqual([['08:00', '16:00']]);
    const impossible = await server.gql(CommonAvailabilityDocument, { input: { resourceIds: [a, b], ...monday, minimumResources: 3 } });
    expect(impossible.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.minimumResources' });
  });

  it('explains why an instant is not free: hours, override, validity, event, buffers', async () => {
    const resourceId = await createResource({
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 30,
      dateOverrides: [{ date: '2030-01-08', hours: [] }],
      validFrom: '2030-01-07',
    });
    await storeEvents(
      server,
      resourceId,
      [makeEvent('standup#1', '2030-01-07T09:00:00Z', '2030-01-07T10:00:00Z', { title: 'Stand-up', seriesId: 'standup', recurrenceId: '20300107T090000Z' })],
      'Team',
    );
    const explain = async (at: string) => (await server.ok(ExplainAvailabilityDocument, { resourceId, at })).explainAvailability;

    expect(await explain('2030-01-07T12:00:00Z')).toMatchObject({ free: true, blocks: [] });
    expect((await explain('2030-01-07T07:00:00Z')).blocks.map((b) => b.kind)).toEqual(['OUTSIDE_WORKING_HOURS']);
    expect((await explain('2030-01-08T10:00:00Z')).blocks.map((b) => b.kind)).toEqual(['DATE_OVERRIDE']);
    expect((await explain('2030-01-04T10:00:00Z')).blocks.map((b) => b.kind)).toEqual(['OUTSIDE_VALIDITY']);

    const inEvent = await explain('2030-01-07T09:30:00Z');
    expect(inEvent).toMatchObject({ free: false, blocks: [{ kind: 'EXTERNAL_EVENT', start: '2030-01-07T09:00:00.000Z', end: '2030-01-07T10:00:00.000Z' }] });
    expect(inEvent.blocks[0].externalEvent).toEqual({
      externalId: 'standup#1',
      title: 'Stand-up',
      seriesId: 'standup',
      recurrenceId: '20300107T090000Z',
      calendar: { name: 'Team' },
    });
    expect((await explain('2030-01-07T08:50:00Z')).blocks.map((b) => [b.kind, b.start, b.end])).toEqual([
      ['BUFFER_BEFORE', '2030-01-07T08:45:00.000Z', '2030-01-07T10:30:00.000Z'],
    ]);
    expect((await explain('2030-01-07T10:15:00Z')).blocks.map((b) => b.kind)).toEqual(['BUFFER_AFTER']);
  });

  it('never answers stale: a committed change is visible to the very next question', async () => {
    const resourceId = await createResource();
    const ask = async () =>
      (await server.ok(AvailabilityDocument, { input: { resourceId, from: '2030-01-07T00:00:00+01:00', to: '2030-01-08T00:00:00+01:00', slotMinutes: 60 } }))
        .availability;
    expect((await ask()).slots).toHaveLength(8);
    await storeEvents(server, resourceId, [makeEvent('new', '2030-01-07T08:00:00Z', '2030-01-07T10:00:00Z')]);
    expect((await ask()).slots).toHaveLength(6);
    await server.ok(UpdateResourceDocument, { id: resourceId, input: { workingHours: [{ weekday: 'MONDAY', start: '09:00', end: '12:00' }] } });
    expect((await ask()).slots.map((s) => hhmm(s.start))).toEqual(['10:00']);
    await server.ok(UpdateResourceDocument, { id: resourceId, input: { bufferAfterMinutes: 60 } });
    expect((await ask()).slots).toEqual([]);
  });

  it('serves repeated questions from its cache, yet answers every committed change, whichever process made it', async () => {
    const resourceId = await createResource();
    const monday = { from: '2030-01-07T00:00:00+01:00', to: '2030-01-08T00:00:00+01:00' };
    const slots = async () =>
      (await server.ok(AvailabilityDocument, { input: { resourceId, ...monday, slotMinutes: 60 } })).availability.slots.map((s) => hhmm(s.start));
    const busyStatements = () => queries.filter((sql) => sql.includes('range_agg')).length;
    const hours = ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00'];
    expect(await slots()).toEqual(hours);
    queries = [];
    expect(await slots()).toEqual(hours);
    expect(busyStatements()).toBe(0);

    // A tentative event ingested: busy (tentativeIsBusy by default).
    await storeEvents(server, resourceId, [makeEvent('maybe', '2030-01-07T08:00:00Z', '2030-01-07T09:00:00Z', { status: 'TENTATIVE' })]);
    expect(await slots()).toEqual(hours.filter((h) => h !== '08:00'));
    // The connection's SyncConfig changed: tentative events stop blocking.
    const [{ external_calendar_id: connectionId, provider_calendar_id: calendarId }] = await server.orm.em
      .fork()
      .execute('select external_calendar_id, provider_calendar_id from external_event where resource_id = ?', [resourceId]);
    await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connectionId, input: { tentativeIsBusy: false } });
    expect(await slots()).toEqual(hours);
    // Another process writes an event behind this one's back (its own database connection).
    const other = new Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query(
      `insert into external_event (id, created_at, updated_at, tenant_id, resource_id, external_calendar_id, provider_calendar_id, external_id,
         starts_at, ends_at, all_day, status, transparency, active, source)
       values (gen_random_uuid(), now(), now(), $1, $2, $3, $4, 'elsewhere', '2030-01-07T10:00:00Z', '2030-01-07T11:00:00Z', false, 'CONFIRMED', 'OPAQUE', true, 'PROVIDER_SYNC')`,
      [server.tenantId, resourceId, connectionId, calendarId],
    );
    await other.end();
    expect(await slots()).toEqual(hours.filter((h) => h !== '10:00'));
    // An appointment, then its cancellation.
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: { resourceId, startsAt: '2030-01-07T12:00:00Z', endsAt: '2030-01-07T13:00:00Z', title: 'Booked' },
    });
    expect(await slots()).toEqual(hours.filter((h) => h !== '10:00' && h !== '12:00'));
    await server.ok(CancelAppointmentDocument, { id: createAppointment.id });
    expect(await slots()).toEqual(hours.filter((h) => h !== '10:00'));
  });
});
