import { createHash, randomBytes } from 'node:crypto';
import { providerRejection } from '../helpers/builders';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleCalendarAdapter } from '../../src/providers/google/google-calendar.adapter';
import { GoogleOAuthClient } from '../../src/providers/google/google-oauth.client';
import { type ExportEvent, type FetchOptions, type OAuthAccess } from '../../src/providers/provider';
import { FAKE_ACCOUNT_EMAIL, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';

const WINDOW: FetchOptions = {
  window: { from: new Date('2024-04-01T00:00:00Z'), to: new Date('2024-07-01T00:00:00Z') },
  timeZone: 'Europe/Berlin',
};

function timed(id: string, start: string, minutes = 60, summary = `Event ${id}`) {
  const from = new Date(start);
  const to = new Date(from.getTime() + minutes * 60_000);
  return { id, summary, start: { dateTime: from.toISOString(), timeZone: 'UTC' }, end: { dateTime: to.toISOString(), timeZone: 'UTC' } };
}

/** The URL of a port that was just free: nothing listens there. */
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const EVENTS_PATH = (calendarId: string) => `/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`;

describe('GoogleCalendarAdapter against the Google fake', () => {
  let fake: GoogleFake;
  let adapter: GoogleCalendarAdapter;
  let access: OAuthAccess;

  beforeAll(async () => {
    fake = await startGoogleFake();
    adapter = new GoogleCalendarAdapter({ apiUrl: fake.url });
    access = { accessToken: fake.issueTokens().accessToken };
  });
  afterAll(() => fake.close());
  afterEach(() => fake.failNext(0, { status: 503 }));

  it('lists every calendar across pages', async () => {
    fake.addCalendar({
      id: FAKE_ACCOUNT_EMAIL,
      summary: FAKE_ACCOUNT_EMAIL,
      summaryOverride: 'Anna',
      primary: true,
      timeZone: 'Europe/Berlin',
      backgroundColor: '#16a765',
      accessRole: 'owner',
    });
    fake.addCalendar({ id: 'room-1@resource.calendar.google.com', summary: 'Room 1', timeZone: 'Europe/Berlin', accessRole: 'reader' });
    for (let index = 0; index < 298; index++)
      fake.addCalendar({ id: `shared-${index}@group.calendar.google.com`, summary: `Shared ${index}`, accessRole: 'writer' });

    const calendars = await adapter.listCalendars(access);

    expect(calendars).toHaveLength(300);
    expect(fake.requestCount('/calendar/v3/users/me/calendarList')).toBe(2);
    expect(calendars[0]).toEqual({
      providerCalendarId: FAKE_ACCOUNT_EMAIL,
      name: 'Anna',
      color: '#16a765',
      timeZone: 'Europe/Berlin',
      primary: true,
      canWrite: true,
      ctag: null,
    });
    expect(calendars[1]).toMatchObject({ name: 'Room 1', primary: false, canWrite: false });
    expect(calendars[299]).toMatchObject({ providerCalendarId: 'shared-297@group.calendar.google.com', canWrite: true });
  });

  it('syncs 3,000 events in full, in pages of 2,500, and returns the sync token', async () => {
    fake.addCalendar({ id: 'big@group.calendar.google.com', summary: 'Big' });
    const first = Date.parse('2024-04-01T06:00:00Z');
    for (let index = 0; index < 3000; index++)
      fake.addEvent('big@group.calendar.google.com', timed(`big${index}`, new Date(first + index * 40 * 60_000).toISOString(), 30));
    fake.addEvent('big@group.calendar.google.com', timed('before', '2024-03-01T10:00:00Z'));
    fake.addEvent('big@group.calendar.google.com', timed('after', '2024-08-01T10:00:00Z'));

    const changes = await adapter.fetchChanges(access, 'big@group.calendar.google.com', null, WINDOW);

    expect(changes.full).toBe(true);
    expect(changes.events).toHaveLength(3000);
    expect(new Set(changes.events.map((event) => event.externalId)).size).toBe(3000);
    expect(changes.events.some((event) => event.externalId === 'before' || event.externalId === 'after')).toBe(false);
    expect(changes.nextCursor).toEqual(expect.any(String));
    const pages = fake.requests.filter((request) => request.path === EVENTS_PATH('big@group.calendar.google.com'));
    expect(pages).toHaveLength(2);
    expect(Object.fromEntries(pages[0].query)).toEqual({
      singleEvents: 'true',
      maxResults: '2500',
      timeMin: '2024-04-01T00:00:00.000Z',
      timeMax: '2024-07-01T00:00:00.000Z',
    });
    expect(pages[1].query.get('pageToken')).toEqual(expect.any(String));
  });

  describe('incremental sync', () => {
    const calendarId = 'team@group.calendar.google.com';
    let cursor: string;

    beforeAll(async () => {
      fake.addCalendar({ id: calendarId, summary: 'Team', timeZone: 'Europe/Berlin' });
      for (let day = 1; day <= 20; day++) fake.addEvent(calendarId, timed(`e${day}`, `2024-04-${String(day).padStart(2, '0')}T09:00:00Z`));
      fake.addSeries(calendarId, {
        id: 'standup',
        summary: 'Stand-up',
        start: '2024-04-22T09:30:00+02:00',
        durationMinutes: 15,
        count: 5,
        timeZone: 'Europe/Berlin',
      });
      const full = await adapter.fetchChanges(access, calendarId, null, WINDOW);
      expect(full.events).toHaveLength(25);
      expect(full.events.find((event) => event.externalId === 'standup_20240423T073000Z')).toMatchObject({
        seriesId: 'standup',
        recurrenceId: '20240423T073000Z',
      });
      cursor = full.nextCursor as string;
    });

    it('returns exactly the 5 changes since the cursor: 2 updated, 1 added, 2 deleted', async () => {
      fake.updateEvent(calendarId, 'e3', { summary: 'Moved', start: { dateTime: '2024-04-03T14:00:00Z' }, end: { dateTime: '2024-04-03T15:00:00Z' } });
      fake.updateEvent(calendarId, 'standup_20240424T073000Z', {
        summary: 'Stand-up (long)',
        end: { dateTime: '2024-04-24T10:30:00+02:00', timeZone: 'Europe/Berlin' },
      });
      fake.addEvent(calendarId, timed('new', '2024-05-02T08:00:00Z'));
      fake.deleteEvent(calendarId, 'e7');
      fake.deleteEvent(calendarId, 'standup_20240425T073000Z');

      const changes = await adapter.fetchChanges(access, calendarId, cursor, WINDOW);

      expect(changes.full).toBe(false);
      expect(changes.events.map((event) => event.externalId).sort()).toEqual(['e3', 'new', 'standup_20240424T073000Z']);
      expect(changes.events.find((event) => event.externalId === 'e3')).toMatchObject({ title: 'Moved', startsAt: new Date('2024-04-03T14:00:00Z') });
      expect(changes.deletedIds.sort()).toEqual(['e7', 'standup_20240425T073000Z']);
      expect(changes.skipped).toEqual([]);
      expect(changes.nextCursor).toEqual(expect.any(String));
      expect(changes.nextCursor).not.toBe(cursor);
      const last = fake.requests.filter((request) => request.path === EVENTS_PATH(calendarId)).at(-1);
      expect(Object.fromEntries(last?.query ?? [])).toEqual({ singleEvents: 'true', maxResults: '2500', syncToken: cursor });

      const nothing = await adapter.fetchChanges(access, calendarId, changes.nextCursor, WINDOW);
      expect(nothing).toMatchObject({ events: [], deletedIds: [], full: false });
      cursor = nothing.nextCursor as string;
    });

    it('reports an event moved out of the window as deleted and ignores changes outside it', async () => {
      fake.updateEvent(calendarId, 'e10', { start: { dateTime: '2024-09-10T09:00:00Z' }, end: { dateTime: '2024-09-10T10:00:00Z' } });
      fake.addEvent(calendarId, timed('far', '2025-01-01T09:00:00Z'));

      const changes = await adapter.fetchChanges(access, calendarId, cursor, WINDOW);

      expect(changes.events).toEqual([]);
      expect(changes.deletedIds.sort()).toEqual(['e10', 'far']);
      cursor = changes.nextCursor as string;
    });

    it('reports every remaining occurrence of a deleted series as deleted', async () => {
      fake.deleteEvent(calendarId, 'standup');

      const changes = await adapter.fetchChanges(access, calendarId, cursor, WINDOW);

      expect(changes.events).toEqual([]);
      expect(changes.deletedIds.sort()).toEqual([
        'standup_20240422T073000Z',
        'standup_20240423T073000Z',
        'standup_20240424T073000Z',
        'standup_20240426T073000Z',
      ]);
      cursor = changes.nextCursor as string;
    });

    it('throws SYNC_CURSOR_INVALID when Google answers 410, and a full sync then recovers', async () => {
      fake.expireSyncTokens();

      const error = await providerRejection(adapter.fetchChanges(access, calendarId, cursor, WINDOW));

      expect(error.code).toBe('SYNC_CURSOR_INVALID');
      expect(error.message).toContain('410');
      const full = await adapter.fetchChanges(access, calendarId, null, WINDOW);
      expect(full).toMatchObject({ full: true, nextCursor: expect.any(String) });
      expect(full.events.map((event) => event.externalId)).toContain('new');
    });
  });

  it('fetchEvents returns the window with all-day events on the resource’s local days', async () => {
    fake.addCalendar({ id: 'holidays@group.calendar.google.com', summary: 'Holidays', timeZone: 'America/New_York' });
    fake.addEvent('holidays@group.calendar.google.com', { id: 'easter', summary: 'Easter Monday', start: { date: '2024-04-01' }, end: { date: '2024-04-02' } });
    fake.addEvent('holidays@group.calendar.google.com', { id: 'broken', summary: 'Backwards', start: { date: '2024-04-05' }, end: { date: '2024-04-04' } });

    const result = await adapter.fetchEvents(access, 'holidays@group.calendar.google.com', WINDOW);

    expect(result.events).toEqual([
      expect.objectContaining({ externalId: 'easter', allDay: true, startsAt: new Date('2024-03-31T22:00:00Z'), endsAt: new Date('2024-04-01T22:00:00Z') }),
    ]);
    expect(result.skipped).toEqual([{ uid: 'broken', reason: expect.any(String) }]);
  });

  describe('throttling and failures', () => {
    const calendarId = 'storm@group.calendar.google.com';
    beforeAll(() => {
      fake.addCalendar({ id: calendarId, summary: 'Storm' });
      fake.addEvent(calendarId, timed('calm', '2024-04-02T09:00:00Z'));
    });

    it('rides out 3 × 429 with Retry-After: 1, waiting as told', async () => {
      fake.failNext(3, { status: 429, retryAfter: 1 });
      const before = fake.requestCount(EVENTS_PATH(calendarId));
      const started = Date.now();

      const result = await adapter.fetchEvents(access, calendarId, WINDOW);

      expect(result.events.map((event) => event.externalId)).toEqual(['calm']);
      expect(fake.requestCount(EVENTS_PATH(calendarId)) - before).toBe(4);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    });

    it('retries 403 rateLimitExceeded', async () => {
      fake.failNext(2, { status: 403, reason: 'rateLimitExceeded', retryAfter: 0 });
      await expect(adapter.fetchEvents(access, calendarId, WINDOW)).resolves.toMatchObject({ events: [expect.objectContaining({ externalId: 'calm' })] });
    });

    it('gives up on 6 × 503 after 5 attempts with TEMPORARY', async () => {
      fake.failNext(6, { status: 503 });
      const before = fake.requestCount(EVENTS_PATH(calendarId));

      const error = await providerRejection(adapter.fetchEvents(access, calendarId, WINDOW));

      expect(error.code).toBe('TEMPORARY');
      expect(error.message).toContain('503');
      expect(fake.requestCount(EVENTS_PATH(calendarId)) - before).toBe(5);
    });

    it('maps an unknown calendar to NOT_FOUND and an unreachable server to TEMPORARY', async () => {
      expect((await providerRejection(adapter.fetchEvents(access, 'gone@group.calendar.google.com', WINDOW))).code).toBe('NOT_FOUND');
      const nowhere = new GoogleCalendarAdapter({ apiUrl: await closedPortUrl() });
      const error = await providerRejection(nowhere.listCalendars(access));
      expect(error).toMatchObject({ code: 'TEMPORARY', message: expect.stringContaining('ECONNREFUSED') });
    });

    it('maps 401 to AUTH_REVOKED without leaking the token', async () => {
      const error = await providerRejection(adapter.listCalendars({ accessToken: 'ya29.not-a-valid-token' }));
      expect(error.code).toBe('AUTH_REVOKED');
      expect(error.message).not.toContain('ya29');

      const { accessToken } = fake.issueTokens();
      fake.revokeGrant();
      expect((await providerRejection(adapter.fetchEvents({ accessToken }, calendarId, WINDOW))).code).toBe('AUTH_REVOKED');
    });
  });
});

describe('GoogleCalendarAdapter exporting appointments to the Google fake', () => {
  const calendarId = 'desk@group.calendar.google.com';
  const appointmentId = '3f2a9c4e-8b1d-4c6a-9e0f-1a2b3c4d5e6f';
  const exportId = `${appointmentId}-1`;
  const eventId = 'cs3f2a9c4e8b1d4c6a9e0f1a2b3c4d5e6f1';
  let fake: GoogleFake;
  let adapter: GoogleCalendarAdapter;
  let access: OAuthAccess;

  function appointment(overrides: Partial<ExportEvent> = {}): ExportEvent {
    return {
      appointmentId,
      exportId,
      title: 'Haircut with Ana',
      description: 'Wash and cut',
      location: 'Chair 2',
      attendees: [
        { email: 'ana@example.org', name: 'Ana' },
        { email: 'bo@example.org', name: null },
      ],
      startsAt: new Date('2024-05-06T08:00:00Z'),
      endsAt: new Date('2024-05-06T08:45:00Z'),
      timeZone: 'Europe/Berlin',
      status: 'CONFIRMED',
      sequence: 0,
      inviteAttendees: false,
      ...overrides,
    };
  }

  /** Events of the calendar that exist for people (not deleted). */
  const live = () => fake.storedEvents(calendarId).filter((event) => event.status !== 'cancelled');
  const writes = () => fake.requests.filter((request) => request.method !== 'GET' && request.path.startsWith(EVENTS_PATH(calendarId)));

  beforeEach(async () => {
    fake = await startGoogleFake();
    fake.addCalendar({ id: calendarId, summary: 'Front desk', timeZone: 'Europe/Berlin' });
    adapter = new GoogleCalendarAdapter({ apiUrl: fake.url });
    access = { accessToken: fake.issueTokens().accessToken };
  });
  afterEach(() => fake.close());

  it('creates the event under the deterministic id, marked with the appointment, and reads it back', async () => {
    const { nextCursor } = await adapter.fetchChanges(access, calendarId, null, WINDOW);

    const ref = await adapter.createEvent(access, calendarId, appointment());

    expect(ref).toEqual({ providerEventId: eventId, etag: null });
    expect(fake.storedEvents(calendarId)).toHaveLength(1);
    expect(fake.storedEvent(calendarId, eventId)).toMatchObject({
      summary: 'Haircut with Ana',
      description: 'Wash and cut',
      location: 'Chair 2',
      start: { dateTime: '2024-05-06T08:00:00.000Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2024-05-06T08:45:00.000Z', timeZone: 'Europe/Berlin' },
      attendees: [
        { email: 'ana@example.org', displayName: 'Ana', responseStatus: 'needsAction' },
        { email: 'bo@example.org', responseStatus: 'needsAction' },
      ],
      status: 'confirmed',
      transparency: 'opaque',
      extendedProperties: { private: { calsyncAppointmentId: appointmentId, calsyncExportId: exportId } },
    });
    expect(fake.storedEvent(calendarId, eventId)?.sequence).toBe(0);
    expect(writes().map((request) => [request.method, request.query.get('sendUpdates')])).toEqual([['POST', 'none']]);

    const listed = await adapter.fetchEvents(access, calendarId, WINDOW);
    expect(listed.events).toEqual([
      expect.objectContaining({
        externalId: eventId,
        appointmentId,
        title: 'Haircut with Ana',
        startsAt: new Date('2024-05-06T08:00:00Z'),
        status: 'CONFIRMED',
        transparency: 'OPAQUE',
      }),
    ]);
    const changes = await adapter.fetchChanges(access, calendarId, nextCursor, WINDOW);
    expect(changes.events).toEqual([expect.objectContaining({ externalId: eventId, appointmentId })]);
  });

  it('creates once for the same exportId: the second call brings the one event up to date', async () => {
    const first = await adapter.createEvent(access, calendarId, appointment());
    const second = await adapter.createEvent(
      access,
      calendarId,
      appointment({ title: 'Haircut (long)', endsAt: new Date('2024-05-06T09:30:00Z'), status: 'TENTATIVE', sequence: 1 }),
    );

    expect(second).toEqual(first);
    expect(fake.storedEvents(calendarId)).toHaveLength(1);
    expect(fake.storedEvent(calendarId, eventId)).toMatchObject({
      summary: 'Haircut (long)',
      end: { dateTime: '2024-05-06T09:30:00.000Z' },
      status: 'tentative',
      sequence: 1,
    });
    // The second call finds the id with events.get (no 409 needed) and updates.
    expect(writes().map((request) => request.method)).toEqual(['POST', 'PUT']);
    expect(writes().map((request) => request.query.get('sendUpdates'))).toEqual(['none', 'none']);
  });

  it('refuses to create again after a delete with CONFLICT: Google keeps the deleted id, which no insert may reuse', async () => {
    await adapter.createEvent(access, calendarId, appointment());
    await adapter.deleteEvent(access, calendarId, { providerEventId: eventId, etag: null });
    expect(live()).toEqual([]);

    const error = await providerRejection(adapter.createEvent(access, calendarId, appointment({ title: 'Haircut, again' })));

    expect(error.code).toBe('CONFLICT');
    expect(fake.storedEvent(calendarId, eventId)?.status).toBe('cancelled');
    expect(writes().map((request) => request.method)).toEqual(['POST', 'DELETE']);
  });

  it('throws NOT_FOUND when updating an event the user deleted (Google answers 403)', async () => {
    const ref = await adapter.createEvent(access, calendarId, appointment());
    fake.deleteEvent(calendarId, eventId);
    expect((await providerRejection(adapter.updateEvent(access, calendarId, ref, appointment()))).code).toBe('NOT_FOUND');
  });

  it('updates the event in place, clearing what a private export leaves out', async () => {
    const ref = await adapter.createEvent(access, calendarId, appointment());

    const updated = await adapter.updateEvent(
      access,
      calendarId,
      ref,
      appointment({
        title: 'Busy',
        description: null,
        location: null,
        attendees: [],
        startsAt: new Date('2024-05-07T10:00:00Z'),
        endsAt: new Date('2024-05-07T11:00:00Z'),
        sequence: 1,
      }),
    );

    expect(updated).toEqual(ref);
    const stored = fake.storedEvent(calendarId, eventId);
    expect(stored).toMatchObject({ summary: 'Busy', start: { dateTime: '2024-05-07T10:00:00.000Z' }, attendees: [], sequence: 1 });
    expect(stored?.description).toBeUndefined();
    expect(stored?.location).toBeUndefined();
    expect(stored?.extendedProperties?.private).toEqual({ calsyncAppointmentId: appointmentId, calsyncExportId: exportId });
    expect(writes().at(-1)).toMatchObject({ method: 'PUT', path: `${EVENTS_PATH(calendarId)}/${eventId}` });
    expect(writes().at(-1)?.query.get('sendUpdates')).toBe('none');
  });

  it('throws NOT_FOUND when updating an event Google does not know', async () => {
    const error = await providerRejection(adapter.updateEvent(access, calendarId, { providerEventId: 'cs0000000000unknown', etag: null }, appointment()));
    expect(error.code).toBe('NOT_FOUND');
    expect(fake.storedEvents(calendarId)).toEqual([]);
  });

  it('deletes, and deleting again (410 deleted) or an unknown id (404) is no error', async () => {
    const ref = await adapter.createEvent(access, calendarId, appointment());
    const { nextCursor } = await adapter.fetchChanges(access, calendarId, null, WINDOW);

    await adapter.deleteEvent(access, calendarId, ref);
    await expect(adapter.deleteEvent(access, calendarId, ref)).resolves.toBeUndefined();
    await expect(adapter.deleteEvent(access, calendarId, { providerEventId: 'cs0000000000unknown', etag: null })).resolves.toBeUndefined();

    expect(fake.storedEvent(calendarId, eventId)?.status).toBe('cancelled');
    expect(
      writes()
        .filter((request) => request.method === 'DELETE')
        .map((request) => request.query.get('sendUpdates')),
    ).toEqual(['none', 'none', 'none']);
    expect((await adapter.fetchEvents(access, calendarId, WINDOW)).events).toEqual([]);
    const changes = await adapter.fetchChanges(access, calendarId, nextCursor, WINDOW);
    expect(changes).toMatchObject({ events: [], deletedIds: [eventId] });
  });

  it('lands on the same event when the answer to a stored insert is lost and the insert is retried', async () => {
    const held: Array<[string, string, string, string | null | undefined]> = [];
    fake.onWrite = (method, calendar, id) => {
      // The fake stored the event before calling the hook: it exists while the answer is held.
      held.push([method, calendar, id, fake.storedEvent(calendar, id)?.summary]);
      if (held.length === 1) throw new Error('drop the connection');
    };

    const ref = await adapter.createEvent(access, calendarId, appointment());

    expect(ref.providerEventId).toBe(eventId);
    expect(held).toEqual([
      ['POST', calendarId, eventId, 'Haircut with Ana'],
      ['PUT', calendarId, eventId, 'Haircut with Ana'],
    ]);
    expect(fake.storedEvents(calendarId)).toHaveLength(1);
    expect(writes().map((request) => request.method)).toEqual(['POST', 'POST', 'PUT']);
  });

  it('lets a test hold the answer of a stored write until it releases it', async () => {
    let release = () => {};
    let stored: string | null | undefined;
    fake.onWrite = async (_method, calendar, id) => {
      stored = fake.storedEvent(calendar, id)?.status;
      await new Promise<void>((resolve) => (release = resolve));
    };
    let answered = false;
    const creating = adapter.createEvent(access, calendarId, appointment()).then((ref) => ((answered = true), ref));

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect({ stored, answered }).toEqual({ stored: 'confirmed', answered: false });
    release();
    await expect(creating).resolves.toEqual({ providerEventId: eventId, etag: null });
  });

  it('has the fake refuse ids that are not base32hex and answer 409 duplicate for a taken one', async () => {
    const insert = (id: string) =>
      fetch(`${fake.url}${EVENTS_PATH(calendarId)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, start: { dateTime: '2024-05-06T08:00:00Z' }, end: { dateTime: '2024-05-06T09:00:00Z' } }),
      });
    expect((await insert('CS0123456789')).status).toBe(400);
    expect((await insert('cs01w')).status).toBe(400);
    expect((await insert('cs01')).status).toBe(400);
    expect((await insert('cs0123456789')).status).toBe(200);
    const duplicate = await insert('cs0123456789');
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toMatchObject({
      error: { code: 409, errors: [{ reason: 'duplicate', message: 'The requested identifier already exists.' }] },
    });
    expect(fake.storedEvents(calendarId)).toHaveLength(1);
  });

  it('maps 401 to AUTH_REVOKED, and a read-only calendar to NOT_FOUND, writing nothing', async () => {
    const unauthorized = await providerRejection(adapter.createEvent({ accessToken: 'ya29.not-a-valid-token' }, calendarId, appointment()));
    expect(unauthorized.code).toBe('AUTH_REVOKED');
    expect(unauthorized.message).not.toContain('ya29');
    expect((await providerRejection(adapter.deleteEvent({ accessToken: 'ya29.nope' }, calendarId, { providerEventId: eventId, etag: null }))).code).toBe(
      'AUTH_REVOKED',
    );

    fake.addCalendar({ id: 'holidays@group.v.calendar.google.com', summary: 'Holidays', accessRole: 'reader' });
    expect((await providerRejection(adapter.createEvent(access, 'holidays@group.v.calendar.google.com', appointment()))).code).toBe('NOT_FOUND');
    expect(fake.storedEvents(calendarId)).toEqual([]);
    expect(fake.storedEvents('holidays@group.v.calendar.google.com')).toEqual([]);
  });

  it('rides out 429 with Retry-After on a write and creates one event', async () => {
    fake.failNext(2, { status: 429, retryAfter: 1 });
    const started = Date.now();

    const ref = await adapter.createEvent(access, calendarId, appointment());

    expect(ref.providerEventId).toBe(eventId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    // The two 429s hit the events.get that comes first; the insert then goes through at once.
    expect(writes().map((request) => request.method)).toEqual(['POST']);
    expect(fake.storedEvents(calendarId)).toHaveLength(1);
  });
});

describe('GoogleOAuthClient against the Google fake', () => {
  const redirectUri = 'http://127.0.0.1:4000/oauth/callback';
  let fake: GoogleFake;
  let oauth: GoogleOAuthClient;

  beforeAll(async () => {
    fake = await startGoogleFake();
    oauth = new GoogleOAuthClient({ clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, accountsUrl: fake.url, oauthUrl: fake.url, apiUrl: fake.url });
  });
  afterAll(() => fake.close());
  afterEach(() => fake.failNext(0, { status: 503 }));

  function pkce() {
    const verifier = randomBytes(48).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  }

  /** Follows the consent page as a browser would, returning the redirect's query. */
  async function consent(challenge: string, state = 'st-123'): Promise<URLSearchParams> {
    const response = await fetch(oauth.authorizationUrl({ state, codeChallenge: challenge, redirectUri }), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    return location.searchParams;
  }

  it('builds the consent URL: code flow, PKCE S256, offline access, state, narrow scopes', () => {
    const url = new URL(oauth.authorizationUrl({ state: 'st-1', codeChallenge: 'challenge-abc', redirectUri }));
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/o/oauth2/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: FAKE_CLIENT_ID,
      redirect_uri: redirectUri,
      access_type: 'offline',
      include_granted_scopes: 'true',
      scope: 'https://www.googleapis.com/auth/calendar.calendarlist.readonly https://www.googleapis.com/auth/calendar.events openid email',
      state: 'st-1',
      code_challenge: 'challenge-abc',
      code_challenge_method: 'S256',
    });
    expect(oauth.scopes).toContain('https://www.googleapis.com/auth/calendar.events');
  });

  it('forces consent (prompt=consent) with a login_hint only when asked to: the way to a new refresh token', () => {
    const url = new URL(oauth.authorizationUrl({ state: 'st-1', codeChallenge: 'challenge-abc', redirectUri, consent: true, loginHint: 'owner@example.com' }));
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('login_hint')).toBe('owner@example.com');
  });

  it('exchanges a code with the right verifier, refreshes, reads the email and revokes', async () => {
    const { verifier, challenge } = pkce();
    const redirect = await consent(challenge);
    expect(redirect.get('state')).toBe('st-123');

    const tokens = await oauth.exchangeCode({ code: redirect.get('code') as string, codeVerifier: verifier, redirectUri });
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^ya29\./),
      refreshToken: expect.stringMatching(/^1\/\//),
      expiresAt: expect.any(Number),
      scope: expect.stringContaining('calendar.events'),
    });
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(await oauth.accountEmail({ accessToken: tokens.accessToken })).toBe(FAKE_ACCOUNT_EMAIL);

    const refreshed = await oauth.refresh(tokens);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(await oauth.accountEmail({ accessToken: refreshed.accessToken })).toBe(FAKE_ACCOUNT_EMAIL);

    const revokesBefore = fake.requestCount('/revoke');
    await oauth.revoke(refreshed);
    expect(fake.requestCount('/revoke')).toBe(revokesBefore + 1);
    expect((await providerRejection(oauth.accountEmail({ accessToken: refreshed.accessToken }))).code).toBe('AUTH_REVOKED');
    const afterRevoke = await providerRejection(oauth.refresh(refreshed));
    expect(afterRevoke).toMatchObject({
      code: 'AUTH_REVOKED',
      message: 'Google refused the grant: access was revoked or expired; reconnect the account (Google: Token has been expired or revoked.)',
    });
    await expect(oauth.revoke(refreshed)).resolves.toBeUndefined();
  });

  it('refuses a code with the wrong verifier as AUTH_REVOKED', async () => {
    const redirect = await consent(pkce().challenge);
    const error = await providerRejection(oauth.exchangeCode({ code: redirect.get('code') as string, codeVerifier: pkce().verifier, redirectUri }));
    expect(error.code).toBe('AUTH_REVOKED');
  });

  it('maps invalid_grant on refresh (grant revoked at Google) to AUTH_REVOKED', async () => {
    const { accessToken, refreshToken } = fake.issueTokens();
    fake.revokeGrant();
    const error = await providerRejection(oauth.refresh({ accessToken, refreshToken, expiresAt: null, scope: null }));
    expect(error.code).toBe('AUTH_REVOKED');
    expect(error.message).not.toContain(refreshToken);
  });

  it('retries a failing token endpoint with our policy only (no hidden library retries)', async () => {
    const { accessToken, refreshToken } = fake.issueTokens();
    fake.failNext(1, { status: 503, retryAfter: 0 });
    await expect(oauth.refresh({ accessToken, refreshToken, expiresAt: null, scope: null })).resolves.toMatchObject({ refreshToken });

    fake.failNext(6, { status: 503, retryAfter: 0 });
    const before = fake.requestCount('/token');
    const error = await providerRejection(oauth.refresh({ accessToken, refreshToken, expiresAt: null, scope: null }));
    expect(error.code).toBe('TEMPORARY');
    expect(fake.requestCount('/token') - before).toBe(5);
  });

  it('sends the owner back with error=access_denied when consent is denied', async () => {
    fake.denyConsent(true);
    const redirect = await consent(pkce().challenge, 'st-denied');
    fake.denyConsent(false);
    expect(Object.fromEntries(redirect)).toEqual({ state: 'st-denied', error: 'access_denied' });
  });
});
