import { createHash, randomBytes } from 'node:crypto';
import { providerRejection } from '../helpers/builders';
import { GraphCalendarAdapter } from '../../src/providers/microsoft/graph-calendar.adapter';
import { MicrosoftOAuthClient } from '../../src/providers/microsoft/microsoft-oauth.client';
import { APPOINTMENT_PROPERTY_ID, EXPORT_PROPERTY_ID } from '../../src/providers/microsoft/graph-export.mapper';
import { type ExportEvent, type FetchOptions, type OAuthAccess } from '../../src/providers/provider';
import { startGraphFake, type FakeStoredEvent, type GraphFake } from '../fakes/microsoft/graph-fake';

const OPTIONS: FetchOptions = {
  window: { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') },
  timeZone: 'Europe/Paris',
};
const REDIRECT_URI = 'http://localhost:4000/oauth/callback';

let fake: GraphFake;
let adapter: GraphCalendarAdapter;
let access: OAuthAccess;

beforeEach(async () => {
  fake = await startGraphFake();
  adapter = new GraphCalendarAdapter({ graphUrl: fake.url });
  access = { accessToken: fake.issueAccessToken() };
});

afterEach(() => fake.close());

/** `count` one-hour events spread over 2024, 2h55m apart. */
function addEvents(count: number): string[] {
  const first = Date.parse('2024-01-01T08:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const start = first + i * 175 * 60_000;
    return fake.addEvent(fake.defaultCalendarId, {
      subject: `Event ${i}`,
      start: new Date(start).toISOString(),
      end: new Date(start + 3_600_000).toISOString(),
    });
  });
}

describe('GraphCalendarAdapter against the Graph fake', () => {
  it('lists every calendar across pages', async () => {
    for (let i = 1; i <= 14; i++) fake.addCalendar({ name: `Room ${i}`, hexColor: i === 1 ? '#ff8c00' : '', canEdit: i !== 2 });
    const calendars = await adapter.listCalendars(access);
    expect(calendars).toHaveLength(15);
    expect(fake.requestCount('/v1.0/me/calendars')).toBe(2);
    expect(calendars[0]).toEqual({
      providerCalendarId: fake.defaultCalendarId,
      name: 'Calendar',
      color: '#1e90ff',
      timeZone: null,
      primary: true,
      canWrite: true,
      ctag: expect.any(String),
    });
    expect(calendars.find((calendar) => calendar.name === 'Room 1')).toMatchObject({ color: '#ff8c00', primary: false });
    expect(calendars.find((calendar) => calendar.name === 'Room 2')).toMatchObject({ color: null, canWrite: false });
  });

  it('syncs 3,000 events in full across pages and returns a deltaLink cursor', async () => {
    const ids = addEvents(3000);
    fake.addEvent(fake.defaultCalendarId, { subject: 'Outside the window', start: '2025-06-01T10:00:00Z', end: '2025-06-01T11:00:00Z' });

    const changes = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);

    expect(changes.full).toBe(true);
    expect(changes.deletedIds).toEqual([]);
    expect(changes.skipped).toEqual([]);
    expect(changes.events.map((event) => event.externalId).sort()).toEqual([...ids].sort());
    expect(changes.events.find((event) => event.title === 'Event 0')?.startsAt.toISOString()).toBe('2024-01-01T08:00:00.000Z');
    // The primary calendar, by v1.0's documented calendarView delta of the primary calendar.
    expect(changes.nextCursor).toMatch(new RegExp(`^${fake.url}/v1\\.0/me/calendarView/delta\\?\\$deltatoken=`));
    expect(fake.requestCount('/calendarView/delta')).toBe(6); // 500 per page, as the adapter asks
    const pages = fake.requests.filter((request) => request.path.includes('/calendarView/delta'));
    expect(pages.every((request) => request.status === 200 && request.prefer === 'outlook.timezone="UTC", odata.maxpagesize=500')).toBe(true);
  });

  it('returns exactly the changes since the cursor on an incremental sync', async () => {
    const ids = addEvents(40);
    const first = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);

    fake.updateEvent(fake.defaultCalendarId, ids[3]!, { subject: 'Moved', start: '2024-02-01T09:00:00Z', end: '2024-02-01T10:00:00Z' });
    fake.updateEvent(fake.defaultCalendarId, ids[7]!, { showAs: 'free' });
    const added = fake.addEvent(fake.defaultCalendarId, { subject: 'New', start: '2024-05-05T12:00:00Z', end: '2024-05-05T13:00:00Z' });
    fake.deleteEvent(fake.defaultCalendarId, ids[10]!);
    fake.deleteEvent(fake.defaultCalendarId, ids[11]!);

    const second = await adapter.fetchChanges(access, fake.defaultCalendarId, first.nextCursor, OPTIONS);

    expect(second.full).toBe(false);
    expect(second.events.map((event) => event.externalId).sort()).toEqual([ids[3], ids[7], added].sort());
    expect(second.events.find((event) => event.externalId === ids[3])).toMatchObject({
      title: 'Moved',
      startsAt: new Date('2024-02-01T09:00:00Z'),
    });
    expect(second.events.find((event) => event.externalId === ids[7])?.transparency).toBe('TRANSPARENT');
    expect(second.deletedIds.sort()).toEqual([ids[10], ids[11]].sort());
    expect(second.nextCursor).not.toBe(first.nextCursor);

    const third = await adapter.fetchChanges(access, fake.defaultCalendarId, second.nextCursor, OPTIONS);
    expect(third).toMatchObject({ events: [], deletedIds: [], full: false });

    // A cursor whose successor was never saved (crash) can be replayed.
    const replay = await adapter.fetchChanges(access, fake.defaultCalendarId, first.nextCursor, OPTIONS);
    expect(replay.events).toHaveLength(3);
  });

  it('maps occurrences, exceptions, cancellations and declines coming from the service', async () => {
    const calendar = fake.defaultCalendarId;
    const master = 'AAMkADseriesMaster=';
    const occurrence = fake.addEvent(calendar, {
      type: 'occurrence',
      seriesMasterId: master,
      originalStart: '2024-03-11T16:00:00Z',
      start: '2024-03-11T16:00:00Z',
      end: '2024-03-11T16:30:00Z',
    });
    const exception = fake.addEvent(calendar, {
      type: 'exception',
      seriesMasterId: master,
      originalStart: '2024-03-12T16:00:00Z',
      start: '2024-03-12T18:00:00Z',
      end: '2024-03-12T18:30:00Z',
      showAs: 'tentative',
    });
    const allDay = fake.addEvent(calendar, { isAllDay: true, start: '2024-07-14', end: '2024-07-15', showAs: 'oof' });
    const cancelled = fake.addEvent(calendar, { isCancelled: true, start: '2024-04-01T09:00:00Z', end: '2024-04-01T10:00:00Z' });
    const declined = fake.addEvent(calendar, { response: 'declined', start: '2024-04-02T09:00:00Z', end: '2024-04-02T10:00:00Z' });

    const { events, deletedIds } = await adapter.fetchChanges(access, calendar, null, OPTIONS);

    expect(events.find((event) => event.externalId === occurrence)).toMatchObject({ seriesId: master, recurrenceId: '20240311T160000Z' });
    expect(events.find((event) => event.externalId === exception)).toMatchObject({ recurrenceId: '20240312T160000Z', status: 'TENTATIVE' });
    expect(events.find((event) => event.externalId === allDay)).toMatchObject({
      allDay: true,
      startDate: '2024-07-14',
      endDate: '2024-07-15',
      startsAt: new Date('2024-07-13T22:00:00Z'),
      transparency: 'OPAQUE',
    });
    expect(deletedIds.sort()).toEqual([cancelled, declined].sort());
    expect(events).toHaveLength(3);

    const fetched = await adapter.fetchEvents(access, calendar, OPTIONS);
    expect(fetched.events).toHaveLength(3);
  });

  it('reads another calendar whole from its calendarView, across pages, and leaves a saved per-calendar deltaLink for a full round', async () => {
    const team = fake.addCalendar({ name: 'Team' });
    const first = Date.parse('2024-01-01T08:00:00Z');
    for (let i = 0; i < 750; i++) {
      fake.addEvent(team, {
        subject: `Team ${i}`,
        start: new Date(first + i * 3_600_000).toISOString(),
        end: new Date(first + i * 3_600_000 + 1_800_000).toISOString(),
      });
    }
    const changes = await adapter.fetchChanges(access, team, null, OPTIONS);
    expect(changes).toMatchObject({ full: true, nextCursor: null, deletedIds: [] });
    expect(changes.events).toHaveLength(750);
    const views = fake.requests.filter((request) => request.path.startsWith(`/v1.0/me/calendars/${encodeURIComponent(team)}/calendarView?`));
    expect(views.map((request) => request.status)).toEqual([200, 200]); // 500 a page
    expect(fake.requestCount('/calendarView/delta')).toBe(0);

    const legacy = `${fake.url}/v1.0/me/calendars/${encodeURIComponent(team)}/calendarView/delta?$deltatoken=old`;
    const again = await adapter.fetchChanges(access, team, legacy, OPTIONS);
    expect(again).toMatchObject({ full: true, nextCursor: null });
    expect(again.events).toHaveLength(750);
    expect(fake.requests.some((request) => request.path.includes('$deltatoken=old'))).toBe(false);
  });

  it('begins a full round again when Graph forgets the skip token in the middle', async () => {
    addEvents(1200);
    fake.expireDeltaTokensAfter(1);
    const changes = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);
    expect(changes.events).toHaveLength(1200);
    const statuses = fake.requests.filter((request) => request.path.includes('/calendarView/delta')).map((request) => request.status);
    expect(statuses).toEqual([200, 410, 200, 200, 200]);
  });

  it('reports an expired delta token as SYNC_CURSOR_INVALID, and a full sync recovers', async () => {
    addEvents(5);
    const first = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);
    fake.expireDeltaTokens();

    const error = await providerRejection(adapter.fetchChanges(access, fake.defaultCalendarId, first.nextCursor, OPTIONS));
    expect(error.code).toBe('SYNC_CURSOR_INVALID');
    expect(fake.requests.at(-1)?.status).toBe(410);

    const again = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);
    expect(again.events).toHaveLength(5);
  });

  it('rides out a throttling storm, honouring Retry-After', async () => {
    fake.failNext(3, { status: 429, retryAfter: 1 });
    const started = Date.now();
    const calendars = await adapter.listCalendars(access);
    expect(calendars).toHaveLength(1);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 429, 429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });

  it('gives up on a lasting outage as TEMPORARY after the bounded attempts', async () => {
    fake.failNext(6, { status: 503, retryAfter: 0 });
    const error = await providerRejection(adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS));
    expect(error.code).toBe('TEMPORARY');
    expect(error.retryAfterSeconds).toBe(0);
    expect(fake.requests).toHaveLength(5);
  });

  it('does not wait for a Retry-After longer than the retry policy allows', async () => {
    fake.failNext(1, { status: 429, retryAfter: 3600 });
    const error = await providerRejection(adapter.listCalendars(access));
    expect(error).toMatchObject({ code: 'TEMPORARY', retryAfterSeconds: 3600 });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a refused access token as AUTH_REVOKED without leaking it', async () => {
    const stale = { accessToken: 'eyJ0eXAiOiJKV1Qi.not-issued-by-the-fake' };
    const error = await providerRejection(adapter.listCalendars(stale));
    expect(error.code).toBe('AUTH_REVOKED');
    expect(error.message).not.toContain(stale.accessToken);

    fake.revokeGrant();
    expect((await providerRejection(adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS))).code).toBe('AUTH_REVOKED');
  });

  it('reports an unknown calendar as NOT_FOUND', async () => {
    const error = await providerRejection(adapter.fetchChanges(access, 'AAMkADgone=', null, OPTIONS));
    expect(error.code).toBe('NOT_FOUND');
  });

  it('reports an unreachable service as TEMPORARY', async () => {
    const url = fake.url;
    await fake.close();
    const offline = new GraphCalendarAdapter({ graphUrl: url });
    const error = await providerRejection(offline.fetchChanges(access, 'any', null, OPTIONS));
    expect(error.code).toBe('TEMPORARY');
    fake = await startGraphFake(); // for afterEach
  });
});

const APPOINTMENT_ID = '3f2a6c1e-8b4d-4c2a-9e1f-0a1b2c3d4e5f';
const WRITE_PREFER = 'outlook.timezone="UTC", outlook.body-content-type="text"';
/** The extended properties every export carries: its appointment and its export id. */
const EXPORT_MARKS = [
  { id: APPOINTMENT_PROPERTY_ID, value: APPOINTMENT_ID },
  { id: EXPORT_PROPERTY_ID, value: `${APPOINTMENT_ID}-1` },
];

/** An appointment as the export outbox hands it to the adapter. */
function exportEvent(overrides: Partial<ExportEvent> = {}): ExportEvent {
  return {
    appointmentId: APPOINTMENT_ID,
    exportId: `${APPOINTMENT_ID}-1`,
    title: 'Haircut: Ada Lovelace',
    description: 'Wash and cut.\nBring a photo.',
    location: 'Chair 2',
    attendees: [
      { email: 'ada@example.com', name: 'Ada Lovelace' },
      { email: 'bob@example.com', name: null },
    ],
    startsAt: new Date('2024-03-01T09:00:00Z'),
    endsAt: new Date('2024-03-01T10:30:00Z'),
    timeZone: 'Europe/Paris',
    status: 'CONFIRMED',
    sequence: 0,
    inviteAttendees: false,
    ...overrides,
  };
}

function liveEvents(calendarId = fake.defaultCalendarId): FakeStoredEvent[] {
  return fake.events(calendarId).filter((event) => !event.deleted);
}

function storedEvent(id: string): FakeStoredEvent {
  const event = fake.events(fake.defaultCalendarId).find((candidate) => candidate.id === id);
  if (!event) throw new Error(`no event ${id} in the fake`);
  return event;
}

/** The statuses of the export lookups by extended property, in order. */
function lookups(): number[] {
  return fake.requests.filter((request) => request.path.startsWith('/v1.0/me/events?')).map((request) => request.status);
}

function writes(): string[] {
  return fake.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.status}`);
}

describe('GraphCalendarAdapter writing appointments to the Graph fake', () => {
  it('creates the event with its transactionId and mark, and reads it back as the appointment', async () => {
    const before = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);

    const ref = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent());

    expect(ref).toEqual({ providerEventId: expect.any(String), etag: null });
    const [stored] = liveEvents();
    expect(liveEvents()).toHaveLength(1);
    expect(stored!.id).toBe(ref.providerEventId);
    expect(stored!.resource).toMatchObject({
      transactionId: `calsync-${APPOINTMENT_ID}-1`,
      subject: 'Haircut: Ada Lovelace',
      location: { displayName: 'Chair 2' },
      start: { dateTime: '2024-03-01T09:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2024-03-01T10:30:00.0000000', timeZone: 'UTC' },
      showAs: 'busy',
      isAllDay: false,
      // Not invited (Graph would mail them): listed in the body instead.
      attendees: [],
    });
    expect(stored!.resource.body).toEqual({
      contentType: 'text',
      content: 'Wash and cut.\nBring a photo.\n\nAttendees: Ada Lovelace <ada@example.com>, bob@example.com',
    });
    expect(fake.mailSent).toEqual([]);
    expect(stored!.singleValueExtendedProperties).toEqual(EXPORT_MARKS);
    const post = fake.requests.find((request) => request.method === 'POST')!;
    expect(post.path).toBe(`/v1.0/me/calendars/${encodeURIComponent(fake.defaultCalendarId)}/events`);
    expect(post.prefer).toBe(WRITE_PREFER);
    expect(writes()).toEqual(['POST 201']); // the answer matched what was sent: no PATCH
    // Looked up by its export id first (nothing found), then created.
    const lookup = fake.requests.find((request) => request.path.startsWith('/v1.0/me/events?'))!;
    expect(decodeURIComponent(lookup.path)).toContain(`ep/id eq '${EXPORT_PROPERTY_ID}' and ep/value eq '${APPOINTMENT_ID}-1'`);

    // The delta carries transactionId, so that both reads recognise the export.
    const raw = await fetch(before.nextCursor!, { headers: { authorization: `Bearer ${access.accessToken}` } }).then(
      (response) => response.json() as Promise<{ value: unknown[] }>,
    );
    expect(raw.value).toEqual([expect.objectContaining({ id: ref.providerEventId, transactionId: `calsync-${APPOINTMENT_ID}-1` })]);
    const changes = await adapter.fetchChanges(access, fake.defaultCalendarId, before.nextCursor, OPTIONS);
    expect(changes.events).toEqual([
      expect.objectContaining({
        externalId: ref.providerEventId,
        appointmentId: APPOINTMENT_ID,
        startsAt: new Date('2024-03-01T09:00:00Z'),
        status: 'CONFIRMED',
      }),
    ]);
    const { events } = await adapter.fetchEvents(access, fake.defaultCalendarId, OPTIONS);
    expect(events).toEqual([expect.objectContaining({ externalId: ref.providerEventId, appointmentId: APPOINTMENT_ID, title: 'Haircut: Ada Lovelace' })]);
  });

  it('leaves appointmentId out for events Calsync did not export', async () => {
    const foreign = fake.addEvent(fake.defaultCalendarId, {
      subject: 'Other app',
      start: '2024-03-02T09:00:00Z',
      end: '2024-03-02T10:00:00Z',
      transactionId: 'crm-7781',
    });
    const malformed = fake.addEvent(fake.defaultCalendarId, {
      subject: 'Not a UUID',
      start: '2024-03-03T09:00:00Z',
      end: '2024-03-03T10:00:00Z',
      transactionId: 'calsync-not-a-uuid',
    });
    const { events } = await adapter.fetchEvents(access, fake.defaultCalendarId, OPTIONS);
    expect(events).toHaveLength(2);
    for (const id of [foreign, malformed]) expect(events.find((event) => event.externalId === id)?.appointmentId).toBeUndefined();
  });

  it('lands a second create with the same exportId on the first event, with the second content', async () => {
    const first = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent());
    const changed = exportEvent({
      title: 'Haircut and colour: Ada Lovelace',
      description: null,
      location: null,
      attendees: [{ email: 'ada@example.com', name: 'Ada Lovelace' }],
      startsAt: new Date('2024-03-01T13:00:00Z'),
      endsAt: new Date('2024-03-01T15:00:00Z'),
      status: 'TENTATIVE',
      sequence: 1,
    });

    const second = await adapter.createEvent(access, fake.defaultCalendarId, changed);

    expect(second).toEqual(first);
    expect(fake.events(fake.defaultCalendarId)).toHaveLength(1);
    // Found by its export id: no second POST (the fake would create a second event for it).
    expect(writes()).toEqual(['POST 201', 'PATCH 200']);
    expect(storedEvent(first.providerEventId).resource).toMatchObject({
      transactionId: `calsync-${APPOINTMENT_ID}-1`,
      subject: 'Haircut and colour: Ada Lovelace',
      body: { contentType: 'text', content: 'Attendees: Ada Lovelace <ada@example.com>' },
      location: { displayName: '' },
      start: { dateTime: '2024-03-01T13:00:00.0000000' },
      end: { dateTime: '2024-03-01T15:00:00.0000000' },
      showAs: 'tentative',
      attendees: [],
    });
    const { events } = await adapter.fetchEvents(access, fake.defaultCalendarId, OPTIONS);
    expect(events).toEqual([expect.objectContaining({ externalId: first.providerEventId, status: 'TENTATIVE', appointmentId: APPOINTMENT_ID })]);

    // The same content again costs the lookup alone.
    await adapter.createEvent(access, fake.defaultCalendarId, changed);
    expect(writes()).toEqual(['POST 201', 'PATCH 200']);
    expect(fake.events(fake.defaultCalendarId)).toHaveLength(1);
  });

  it('retries a create whose answer was lost after Graph stored it, without a second event', async () => {
    let lost = 0;
    fake.onWrite = async (method) => {
      if (method === 'POST' && lost++ === 0) throw new Error('answer lost'); // answered 500, event kept
    };
    const ref = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent());
    // The retry finds the event by its export id instead of POSTing again.
    expect(writes()).toEqual(['POST 500']);
    expect(liveEvents().map((event) => event.id)).toEqual([ref.providerEventId]);
  });

  it('lets a test hold the answer of a write that Graph has already stored', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    fake.onWrite = async (method, eventId, write) => {
      seen.push(`${method} ${write.calendarId === fake.defaultCalendarId} ${write.replayed}`);
      expect(storedEvent(eventId).deleted).toBe(false);
      await held;
    };
    const creating = adapter.createEvent(access, fake.defaultCalendarId, exportEvent());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(liveEvents()).toHaveLength(1); // stored, not yet answered
    expect(writes()).toEqual([]);
    release();
    const ref = await creating;
    expect(ref.providerEventId).toBe(liveEvents()[0]!.id);
    expect(seen).toEqual(['POST true false']);
  });

  it('updates the event and reports a missing one as NOT_FOUND', async () => {
    const ref = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent());
    const { nextCursor } = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);
    const privateExport = exportEvent({
      title: 'Busy',
      description: null,
      location: null,
      attendees: [],
      startsAt: new Date('2024-03-04T08:00:00Z'),
      endsAt: new Date('2024-03-04T09:00:00Z'),
      sequence: 2,
    });

    expect(await adapter.updateEvent(access, fake.defaultCalendarId, ref, privateExport)).toEqual(ref);

    const patch = fake.requests.find((request) => request.method === 'PATCH')!;
    expect(patch).toMatchObject({ path: `/v1.0/me/events/${encodeURIComponent(ref.providerEventId)}`, status: 200, prefer: WRITE_PREFER });
    expect(storedEvent(ref.providerEventId).resource).toMatchObject({
      subject: 'Busy',
      body: { contentType: 'text', content: '' },
      location: { displayName: '' },
      attendees: [],
      start: { dateTime: '2024-03-04T08:00:00.0000000' },
      transactionId: `calsync-${APPOINTMENT_ID}-1`,
    });
    expect(storedEvent(ref.providerEventId).singleValueExtendedProperties).toEqual(EXPORT_MARKS);
    const changes = await adapter.fetchChanges(access, fake.defaultCalendarId, nextCursor, OPTIONS);
    expect(changes.events).toEqual([
      expect.objectContaining({ externalId: ref.providerEventId, title: 'Busy', startsAt: new Date('2024-03-04T08:00:00Z'), appointmentId: APPOINTMENT_ID }),
    ]);

    const unknown = await providerRejection(adapter.updateEvent(access, fake.defaultCalendarId, { providerEventId: 'AAMkADgone=', etag: null }, privateExport));
    expect(unknown.code).toBe('NOT_FOUND');
    fake.deleteEvent(fake.defaultCalendarId, ref.providerEventId);
    expect((await providerRejection(adapter.updateEvent(access, fake.defaultCalendarId, ref, privateExport))).code).toBe('NOT_FOUND');
  });

  it('deletes the event, and a second delete of it succeeds too', async () => {
    const ref = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent());
    const { nextCursor } = await adapter.fetchChanges(access, fake.defaultCalendarId, null, OPTIONS);

    await adapter.deleteEvent(access, fake.defaultCalendarId, ref);
    await adapter.deleteEvent(access, fake.defaultCalendarId, ref);

    expect(writes()).toEqual(['POST 201', 'DELETE 204', 'DELETE 404']);
    expect(storedEvent(ref.providerEventId).deleted).toBe(true);
    const changes = await adapter.fetchChanges(access, fake.defaultCalendarId, nextCursor, OPTIONS);
    expect(changes).toMatchObject({ events: [], deletedIds: [ref.providerEventId] });

    // Exported afresh, with the next generation: a new event.
    const again = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent({ exportId: `${APPOINTMENT_ID}-2` }));
    expect(again.providerEventId).not.toBe(ref.providerEventId);
    expect(liveEvents().map((event) => event.resource.transactionId)).toEqual([`calsync-${APPOINTMENT_ID}-2`]);
  });

  it('reports a refused token as AUTH_REVOKED on every write', async () => {
    const ref = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent());
    fake.revokeGrant();
    for (const write of [
      () => adapter.createEvent(access, fake.defaultCalendarId, exportEvent({ exportId: `${APPOINTMENT_ID}-2` })),
      () => adapter.updateEvent(access, fake.defaultCalendarId, ref, exportEvent({ title: 'Changed' })),
      () => adapter.deleteEvent(access, fake.defaultCalendarId, ref),
    ]) {
      const error = await providerRejection(write());
      expect(error.code).toBe('AUTH_REVOKED');
      expect(error.message).not.toContain(access.accessToken);
    }
    expect(liveEvents()).toHaveLength(1);
    expect(storedEvent(ref.providerEventId).resource.subject).toBe('Haircut: Ada Lovelace');
  });

  it('retries throttled writes, honouring Retry-After', async () => {
    // The lookup before the POST is throttled twice; each retry looks again before it POSTs.
    fake.failNext(2, { status: 429, retryAfter: 1 });
    const started = Date.now();
    const ref = await adapter.createEvent(access, fake.defaultCalendarId, exportEvent());
    expect(lookups()).toEqual([429, 429, 200]);
    expect(writes()).toEqual(['POST 201']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(liveEvents()).toHaveLength(1);

    fake.failNext(1, { status: 429, retryAfter: 1 });
    await adapter.deleteEvent(access, fake.defaultCalendarId, ref);
    expect(writes().slice(1)).toEqual(['DELETE 429', 'DELETE 204']);
    expect(liveEvents()).toHaveLength(0);
  });

  it('reports an unknown calendar as NOT_FOUND and a read-only one as UNKNOWN', async () => {
    expect((await providerRejection(adapter.createEvent(access, 'AAMkADgone=', exportEvent()))).code).toBe('NOT_FOUND');
    const readOnly = fake.addCalendar({ name: 'Team', canEdit: false });
    expect((await providerRejection(adapter.createEvent(access, readOnly, exportEvent()))).code).toBe('UNKNOWN');
    expect(fake.events(readOnly)).toHaveLength(0);
  });
});

describe('MicrosoftOAuthClient against the identity platform fake', () => {
  let oauth: MicrosoftOAuthClient;

  beforeEach(() => {
    oauth = new MicrosoftOAuthClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, tenant: 'common', loginUrl: fake.url, graphUrl: fake.url });
  });

  function pkce(): { verifier: string; challenge: string } {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  }

  /** Opens the consent page like a browser and returns where it sends the owner back to. */
  async function consent(challenge: string, state = 'state-123'): Promise<URL> {
    const response = await fetch(oauth.authorizationUrl({ state, codeChallenge: challenge, redirectUri: REDIRECT_URI }), { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  it('builds the v2 authorize URL with PKCE and the narrowest scopes', () => {
    const url = new URL(oauth.authorizationUrl({ state: 'xyz', codeChallenge: 'challenge', redirectUri: REDIRECT_URI }));
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/common/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: fake.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      response_mode: 'query',
      scope: 'offline_access openid email User.Read Calendars.ReadWrite',
      state: 'xyz',
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
      prompt: 'select_account',
    });
  });

  it('exchanges a code with the right verifier and reads the account email', async () => {
    const { verifier, challenge } = pkce();
    const back = await consent(challenge);
    expect(back.searchParams.get('state')).toBe('state-123');

    const before = Date.now();
    const tokens = await oauth.exchangeCode({ code: back.searchParams.get('code')!, codeVerifier: verifier, redirectUri: REDIRECT_URI });
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(tokens.scope).toContain('Calendars.ReadWrite');

    expect(await oauth.accountEmail({ accessToken: tokens.accessToken })).toBe(fake.user.mail);
    fake.user.mail = null;
    expect(await oauth.accountEmail({ accessToken: tokens.accessToken })).toBe(fake.user.userPrincipalName);
  });

  it('refuses a code with the wrong verifier as AUTH_REVOKED', async () => {
    const back = await consent(pkce().challenge);
    const error = await providerRejection(
      oauth.exchangeCode({ code: back.searchParams.get('code')!, codeVerifier: pkce().verifier, redirectUri: REDIRECT_URI }),
    );
    expect(error.code).toBe('AUTH_REVOKED');
    expect(error.message).toContain('AADSTS501481');
  });

  it('sends the owner back with access_denied when consent is declined', async () => {
    fake.denyConsent();
    const back = await consent(pkce().challenge);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    expect(back.searchParams.get('state')).toBe('state-123');
  });

  it('refreshes with rotation, keeping the new refresh token', async () => {
    const { verifier, challenge } = pkce();
    const back = await consent(challenge);
    const tokens = await oauth.exchangeCode({ code: back.searchParams.get('code')!, codeVerifier: verifier, redirectUri: REDIRECT_URI });

    const refreshed = await oauth.refresh(tokens);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(await adapter.listCalendars({ accessToken: refreshed.accessToken })).toHaveLength(1);

    const again = await oauth.refresh(refreshed);
    expect(again.accessToken).toEqual(expect.any(String));
  });

  it('maps invalid_grant after revoked consent to AUTH_REVOKED with a human message', async () => {
    const { verifier, challenge } = pkce();
    const back = await consent(challenge);
    const tokens = await oauth.exchangeCode({ code: back.searchParams.get('code')!, codeVerifier: verifier, redirectUri: REDIRECT_URI });
    fake.revokeGrant();

    const error = await providerRejection(oauth.refresh(tokens));
    expect(error.code).toBe('AUTH_REVOKED');
    expect(error.message).toMatch(/^Microsoft refused the grant: consent was revoked or expired; reconnect the account/);
    expect(error.message).not.toContain(tokens.refreshToken!);
  });

  it('reports wrong app credentials as UNKNOWN, not as a revoked grant', async () => {
    const misconfigured = new MicrosoftOAuthClient({
      clientId: fake.clientId,
      clientSecret: 'expired-secret',
      tenant: 'common',
      loginUrl: fake.url,
      graphUrl: fake.url,
    });
    const { verifier, challenge } = pkce();
    const back = await consent(challenge);
    const error = await providerRejection(
      misconfigured.exchangeCode({ code: back.searchParams.get('code')!, codeVerifier: verifier, redirectUri: REDIRECT_URI }),
    );
    expect(error.code).toBe('UNKNOWN');
    expect(error.message).not.toContain('expired-secret');
  });
});
