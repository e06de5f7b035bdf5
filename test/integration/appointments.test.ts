import {
  AvailabilityDocument,
  CancelAppointmentDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  ExplainAppointmentDocument,
  GetAppointmentDocument,
  ListAppointmentsDocument,
  RescheduleAppointmentDocument,
  type CreateAppointmentInput,
} from '../graphql/generated';
import { makeEvent } from '../helpers/builders';
import { storeEvents } from '../helpers/store-events';
import { startTestServer, type TestServer } from '../helpers/test-server';

// Monday 2030-01-07, Europe/Berlin (UTC+1): working hours 09:00-17:00 local = 08:00Z-16:00Z.
const weekdays = (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
const DAY = { from: '2030-01-07T00:00:00Z', to: '2030-01-08T00:00:00Z' };

describe('appointments: booking rules, idempotency, concurrency, busy time and explanations', () => {
  let server: TestServer;
  let resourceId: string;

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
    const { createResource } = await server.ok(CreateResourceDocument, {
      input: { name: 'Dr. Who', timeZone: 'Europe/Berlin', workingHours: weekdays, bufferAfterMinutes: 15 },
    });
    resourceId = createResource.id;
  });
  afterAll(() => server.close());

  const book = (input: Partial<CreateAppointmentInput>) =>
    server.gql(CreateAppointmentDocument, {
      input: { resourceId, startsAt: '2030-01-07T09:00:00Z', endsAt: '2030-01-07T10:00:00Z', title: 'Check-up', ...input },
    });

  it('books a free time; without a write calendar the export is SKIPPED with a reason', async () => {
    const { createAppointment } = await server.ok(CreateAppointmentDocument, {
      input: {
        resourceId,
        startsAt: '2030-01-07T10:00:00+01:00',
        endsAt: '2030-01-07T11:00:00+01:00',
        title: 'Check-up',
        description: 'Bring the X-ray',
        attendees: [{ email: 'pat@example.com', name: 'Pat' }],
      },
    });
    expect(createAppointment).toMatchObject({
      startsAt: '2030-01-07T09:00:00.000Z',
      endsAt: '2030-01-07T10:00:00.000Z',
      status: 'CONFIRMED',
      version: 0,
      exportStatus: 'SKIPPED',
      exportError: 'The resource has no write calendar with export on',
      attendees: [{ email: 'pat@example.com', name: 'Pat' }],
      resource: { id: resourceId },
    });
  });

  it('counts appointments and their buffers as busy time, and explains them', async () => {
    const { availability } = await server.ok(AvailabilityDocument, { input: { resourceId, ...DAY, slotMinutes: 60 } });
    expect(availability.busy).toEqual([{ start: '2030-01-07T09:00:00.000Z', end: '2030-01-07T10:15:00.000Z' }]);
    expect(availability.slots.map((slot) => slot.start.slice(11, 16))).not.toContain('09:00');

    const inside = (await server.ok(ExplainAppointmentDocument, { resourceId, at: '2030-01-07T09:30:00Z' })).explainAvailability;
    expect(inside).toMatchObject({
      free: false,
      blocks: [
        { kind: 'APPOINTMENT', start: '2030-01-07T09:00:00.000Z', end: '2030-01-07T10:00:00.000Z', appointment: { title: 'Check-up' }, externalEvent: null },
      ],
    });
    const buffer = (await server.ok(ExplainAppointmentDocument, { resourceId, at: '2030-01-07T10:05:00Z' })).explainAvailability;
    expect(buffer.blocks).toEqual([
      expect.objectContaining({ kind: 'BUFFER_AFTER', end: '2030-01-07T10:15:00.000Z', appointment: { id: expect.any(String), title: 'Check-up' } }),
    ]);
  });

  it('refuses times that are not available with CONFLICT unless allowOverlap', async () => {
    const overlap = await book({ startsAt: '2030-01-07T09:30:00Z', endsAt: '2030-01-07T10:30:00Z' });
    expect(overlap.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'input.startsAt' });
    const inBuffer = await book({ startsAt: '2030-01-07T10:10:00Z', endsAt: '2030-01-07T10:40:00Z' });
    expect(inBuffer.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const sunday = await book({ startsAt: '2030-01-06T10:00:00Z', endsAt: '2030-01-06T11:00:00Z' });
    expect(sunday.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const afterBuffer = await book({ startsAt: '2030-01-07T10:15:00Z', endsAt: '2030-01-07T10:45:00Z' });
    expect(afterBuffer.errors).toBeUndefined();
    const forced = await book({ startsAt: '2030-01-06T10:00:00Z', endsAt: '2030-01-06T11:00:00Z', allowOverlap: true });
    expect(forced.data?.createAppointment).toMatchObject({ allowOverlap: true, status: 'CONFIRMED' });
  });

  it("refuses an external event's time too", async () => {
    await storeEvents(server, resourceId, [makeEvent('dentist', '2030-01-07T13:00:00Z', '2030-01-07T14:00:00Z')]);
    const over = await book({ startsAt: '2030-01-07T13:30:00Z', endsAt: '2030-01-07T14:30:00Z' });
    expect(over.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'input.startsAt' });
  });

  it('answers a repeated idempotencyKey with the first appointment, and refuses the key for other values', async () => {
    const input = { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T09:30:00Z', idempotencyKey: 'booking-42' };
    const first = (await book(input)).data!.createAppointment;
    const again = (await book(input)).data!.createAppointment;
    expect(again.id).toBe(first.id);
    const other = await book({ ...input, title: 'Something else' });
    expect(other.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'input.idempotencyKey' });
  });

  it('lets exactly one of 20 concurrent bookings of one slot succeed', async () => {
    const slot = { startsAt: '2030-01-09T12:00:00Z', endsAt: '2030-01-09T13:00:00Z' };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => book({ ...slot, title: `Race ${i}` })));
    const won = results.filter((result) => !result.errors);
    expect(won).toHaveLength(1);
    expect(results.filter((result) => result.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(19);
    const [{ count }] = await server.orm.em
      .fork()
      .execute(`select count(*)::int as count from appointment where resource_id = ? and starts_at = ?`, [resourceId, slot.startsAt]);
    expect(count).toBe(1);
  });

  it('is guarded by the database itself: an overlapping row cannot be inserted behind the service', async () => {
    const insert = server.orm.em.fork().execute(
      `insert into appointment (id, created_at, updated_at, tenant_id, resource_id, starts_at, ends_at, title, attendees, status)
       values (gen_random_uuid(), now(), now(), ?, ?, '2030-01-09T12:30:00Z', '2030-01-09T12:45:00Z', 'Sneaky', '[]', 'CONFIRMED')`,
      [server.tenantId, resourceId],
    );
    await expect(insert).rejects.toThrow(/appointment_no_overlap/);
  });

  it('reschedules into free time only, and cancelling frees the time', async () => {
    const created = (await book({ startsAt: '2030-01-10T09:00:00Z', endsAt: '2030-01-10T10:00:00Z' })).data!.createAppointment;
    const blocker = (await book({ startsAt: '2030-01-10T12:00:00Z', endsAt: '2030-01-10T13:00:00Z' })).data!.createAppointment;
    const moved = (
      await server.ok(RescheduleAppointmentDocument, { input: { id: created.id, startsAt: '2030-01-10T10:00:00Z', endsAt: '2030-01-10T11:00:00Z' } })
    ).rescheduleAppointment;
    expect(moved).toMatchObject({ startsAt: '2030-01-10T10:00:00.000Z', version: 1 });
    const onto = await server.gql(RescheduleAppointmentDocument, {
      input: { id: created.id, startsAt: '2030-01-10T12:30:00Z', endsAt: '2030-01-10T13:30:00Z' },
    });
    expect(onto.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const cancelled = (await server.ok(CancelAppointmentDocument, { id: blocker.id, reason: 'Patient ill' })).cancelAppointment;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Patient ill', version: 1 });
    expect((await server.ok(CancelAppointmentDocument, { id: blocker.id })).cancelAppointment.version).toBe(1);
    const now = (
      await server.ok(RescheduleAppointmentDocument, { input: { id: created.id, startsAt: '2030-01-10T12:30:00Z', endsAt: '2030-01-10T13:30:00Z' } })
    ).rescheduleAppointment;
    expect(now.version).toBe(2);
    const again = await server.gql(RescheduleAppointmentDocument, {
      input: { id: blocker.id, startsAt: '2030-01-10T14:00:00Z', endsAt: '2030-01-10T15:00:00Z' },
    });
    expect(again.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', field: 'input.id' });
  });

  it('lists appointments by window, resource and status, a page at a time', async () => {
    const filter = { from: '2030-01-07T00:00:00Z', to: '2030-01-11T00:00:00Z', resourceIds: [resourceId], statuses: ['CONFIRMED' as const] };
    const first = (await server.ok(ListAppointmentsDocument, { filter, first: 2 })).appointments;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await server.ok(ListAppointmentsDocument, { filter, first: 100, after: first.pageInfo.endCursor })).appointments;
    const all = [...first.edges, ...rest.edges].map((edge) => edge.node);
    expect(all.every((a) => a.status === 'CONFIRMED')).toBe(true);
    expect(all.map((a) => a.startsAt)).toEqual([...all.map((a) => a.startsAt)].sort());
    expect(all.length).toBe(5);
  });

  it('names the offending field of bad input', async () => {
    const cases: [Partial<CreateAppointmentInput>, string][] = [
      [{ endsAt: '2030-01-07T08:00:00Z' }, 'input.endsAt'],
      [{ endsAt: '2030-01-20T09:00:00Z' }, 'input.endsAt'],
      [{ title: '' }, 'input.title'],
      [{ attendees: [{ email: 'not-an-address' }] }, 'input.attendees[0].email'],
      [{ status: 'CANCELLED' }, 'input.status'],
    ];
    for (const [input, field] of cases) {
      const result = await book(input);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    const unknown = await book({ resourceId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'input.resourceId' });
  });

  it('keeps tenants apart: another tenant neither sees nor cancels an appointment', async () => {
    const mine = (await book({ startsAt: '2030-01-11T09:00:00Z', endsAt: '2030-01-11T09:30:00Z' })).data!.createAppointment;
    const other = await server.createTenant('intruder');
    expect((await server.gql(GetAppointmentDocument, { id: mine.id }, other.apiKey)).data?.appointment).toBeNull();
    const cancel = await server.gql(CancelAppointmentDocument, { id: mine.id }, other.apiKey);
    expect(cancel.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await server.ok(GetAppointmentDocument, { id: mine.id })).appointment?.status).toBe('CONFIRMED');
  });
});
