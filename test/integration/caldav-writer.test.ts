import { CalDavAdapter } from '../../src/providers/caldav/caldav.adapter';
import ICAL from '../../src/providers/ical/ical-module';
import { type CalDavCredentials, type ExportEvent, type FetchOptions } from '../../src/providers/provider';
import { makeExportEvent, providerRejection } from '../helpers/builders';
import { startProxy } from '../helpers/caldav-proxy';
import { describeWithRadicale, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { loopbackTransport } from '../helpers/outbound';

const WINDOW: FetchOptions = {
  window: { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') },
  timeZone: 'Europe/Berlin',
};

const EMPTY_CALENDAR = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calsync tests//EN\r\nEND:VCALENDAR\r\n';

let appointments = 0;

/** A fresh appointment (its own id and exportId), starting on 7 December 2026 at 09:00 UTC. */
function appointment(overrides: Partial<ExportEvent> = {}): ExportEvent {
  return makeExportEvent(`00000000-0000-4000-8000-${String(++appointments).padStart(12, '0')}`, overrides);
}

/** Radicale's stored copy of an object, read over plain HTTP: status, ETag and parsed VEVENT. */
async function stored(radicale: RadicaleServer, url: string) {
  const response = await fetch(url, { headers: { authorization: basic(radicale.username, radicale.password) } });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, etag: null, text, vevent: null };
  const vevent = new ICAL.Component(ICAL.parse(text) as unknown[]).getFirstSubcomponent('vevent')!;
  return { status: response.status, etag: response.headers.get('etag'), text, vevent };
}

/** The object hrefs of a collection, from a depth-1 PROPFIND (RFC 4918 section 9.1). */
async function objectHrefs(radicale: RadicaleServer, collectionUrl: string): Promise<string[]> {
  const response = await fetch(collectionUrl, {
    method: 'PROPFIND',
    headers: { authorization: basic(radicale.username, radicale.password), depth: '1', 'content-type': 'application/xml' },
    body: '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
  });
  const body = await response.text();
  return [...body.matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/g)].map((match) => match[1]);
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

describeWithRadicale('CalDavAdapter as a CalendarWriter against Radicale', () => {
  const adapter = new CalDavAdapter(loopbackTransport());
  let radicale: RadicaleServer;
  let credentials: CalDavCredentials;
  let collection: string;

  beforeAll(async () => {
    radicale = await startRadicale();
    credentials = { serverUrl: radicale.url, username: radicale.username, password: radicale.password };
  });
  afterAll(() => radicale.stop());
  beforeEach(async () => {
    collection = await radicale.putCalendar('exports', EMPTY_CALENDAR);
  });

  it('creates one object named after the exportId, which reads back with its mark', async () => {
    const event = appointment({
      attendees: [
        { email: 'ada@example.com', name: 'Lovelace, Ada' },
        { email: 'bob@example.com', name: null },
      ],
    });
    const ref = await adapter.createEvent(credentials, collection, event);

    expect(ref.providerEventId).toBe(`${collection}${event.exportId}.ics`);
    const object = await stored(radicale, ref.providerEventId);
    expect(object.status).toBe(200);
    expect(ref.etag).toBe(object.etag);
    expect(object.vevent!.getFirstPropertyValue('uid')).toBe(`${event.exportId}@calsync`);
    expect(object.vevent!.getFirstPropertyValue('summary')).toBe('Consultation');
    expect(object.vevent!.getFirstPropertyValue('x-calsync-appointment')).toBe(event.appointmentId);
    expect(object.vevent!.getAllProperties('attendee').map((attendee) => [attendee.getFirstValue(), attendee.getParameter('cn') ?? null])).toEqual([
      ['mailto:ada@example.com', 'Lovelace, Ada'],
      ['mailto:bob@example.com', null],
    ]);
    expect(object.text).toMatch(/^PRODID:-\/\/Calsync\/\/Calsync\/\/EN\r$/m);
    expect(await objectHrefs(radicale, collection)).toHaveLength(1);

    const { events } = await adapter.fetchEvents(credentials, collection, WINDOW);
    expect(
      events.map((occurrence) => [
        occurrence.externalId,
        occurrence.title,
        occurrence.startsAt.toISOString(),
        occurrence.endsAt.toISOString(),
        occurrence.appointmentId,
      ]),
    ).toEqual([[`${event.exportId}@calsync`, 'Consultation', '2026-12-07T09:00:00.000Z', '2026-12-07T09:45:00.000Z', event.appointmentId]]);
  });

  it('hands the export to fetchChanges with its appointmentId, fully and incrementally', async () => {
    const first = appointment();
    await adapter.createEvent(credentials, collection, first);
    const full = await adapter.fetchChanges(credentials, collection, null, WINDOW);
    expect(full.full).toBe(true);
    expect(full.events.map((occurrence) => [occurrence.externalId, occurrence.appointmentId])).toEqual([[`${first.exportId}@calsync`, first.appointmentId]]);

    const second = appointment({ title: 'Follow-up', startsAt: new Date('2026-12-08T09:00:00Z'), endsAt: new Date('2026-12-08T10:00:00Z') });
    await adapter.createEvent(credentials, collection, second);
    const changes = await adapter.fetchChanges(credentials, collection, full.nextCursor, WINDOW);
    expect(changes.full).toBe(false);
    expect(changes.events.map((occurrence) => [occurrence.externalId, occurrence.title, occurrence.appointmentId])).toEqual([
      [`${second.exportId}@calsync`, 'Follow-up', second.appointmentId],
    ]);
  });

  it('keeps text with commas, semicolons, line breaks and non-ASCII intact through Radicale', async () => {
    const event = appointment({
      title: 'Kontrolle; Dr. Müller, Zimmer 3 — 東京 🦷',
      description: 'Bitte nüchtern kommen,\nund die Karte; mitbringen.\r\nDanke "sehr"',
      location: 'Straße 1, 10115 Berlin; 2. OG',
      attendees: [{ email: 'jj@example.com', name: 'Doe, John "JJ"; Ünal' }],
    });
    const ref = await adapter.createEvent(credentials, collection, event);

    const { vevent } = await stored(radicale, ref.providerEventId);
    expect(vevent!.getFirstPropertyValue('summary')).toBe(event.title);
    expect(vevent!.getFirstPropertyValue('description')).toBe('Bitte nüchtern kommen,\nund die Karte; mitbringen.\nDanke "sehr"');
    expect(vevent!.getFirstPropertyValue('location')).toBe(event.location);
    expect(vevent!.getFirstProperty('attendee')!.getParameter('cn')).toBe('Doe, John "JJ"; Ünal');
    const { events } = await adapter.fetchEvents(credentials, collection, WINDOW);
    expect(events.map((occurrence) => occurrence.title)).toEqual([event.title]);
  });

  it('creating twice with one exportId leaves one object, holding the second content', async () => {
    const event = appointment();
    const first = await adapter.createEvent(credentials, collection, event);
    const second = await adapter.createEvent(credentials, collection, { ...event, title: 'Moved consultation', sequence: 1 });

    expect(second.providerEventId).toBe(first.providerEventId);
    expect(second.etag).not.toBe(first.etag);
    expect(await objectHrefs(radicale, collection)).toEqual([new URL(first.providerEventId).pathname]);
    const object = await stored(radicale, first.providerEventId);
    expect(object.etag).toBe(second.etag);
    expect(object.vevent!.getFirstPropertyValue('summary')).toBe('Moved consultation');
    expect(object.vevent!.getFirstPropertyValue('sequence')).toBe(1);
  });

  it('updates over a stale etag, the appointment winning', async () => {
    const event = appointment();
    const created = await adapter.createEvent(credentials, collection, event);
    const updated = await adapter.updateEvent(credentials, collection, created, { ...event, title: 'Second', sequence: 1 });
    expect(updated.etag).not.toBe(created.etag);

    // `created.etag` is stale now: the server answers 412, and the write goes over the current one.
    const again = await adapter.updateEvent(credentials, collection, created, { ...event, title: 'Third', location: null, sequence: 2 });
    const object = await stored(radicale, created.providerEventId);
    expect(object.vevent!.getFirstPropertyValue('summary')).toBe('Third');
    expect(object.vevent!.hasProperty('location')).toBe(false);
    expect(again).toEqual({ providerEventId: created.providerEventId, etag: object.etag });
    expect(await objectHrefs(radicale, collection)).toHaveLength(1);
  });

  it('reports NOT_FOUND when updating an object that was deleted, without recreating it', async () => {
    const event = appointment();
    const ref = await adapter.createEvent(credentials, collection, event);
    await radicale.deleteEvent(collection, event.exportId);

    expect((await providerRejection(adapter.updateEvent(credentials, collection, ref, { ...event, sequence: 1 }))).code).toBe('NOT_FOUND');
    expect((await providerRejection(adapter.updateEvent(credentials, collection, { ...ref, etag: null }, event))).code).toBe('NOT_FOUND');
    expect((await stored(radicale, ref.providerEventId)).status).toBe(404);
  });

  it('deletes, also over a stale etag, and counts an object already gone as deleted', async () => {
    const event = appointment();
    const created = await adapter.createEvent(credentials, collection, event);
    await adapter.updateEvent(credentials, collection, created, { ...event, title: 'Changed', sequence: 1 });

    await adapter.deleteEvent(credentials, collection, created);
    expect((await stored(radicale, created.providerEventId)).status).toBe(404);
    await expect(adapter.deleteEvent(credentials, collection, created)).resolves.toBeUndefined();
    await expect(adapter.deleteEvent(credentials, collection, { ...created, etag: null })).resolves.toBeUndefined();
    expect(await objectHrefs(radicale, collection)).toEqual([]);
  });

  it('reports NOT_FOUND when creating in a calendar that is gone (Radicale answers 409)', async () => {
    await radicale.deleteCalendar(collection);
    expect((await providerRejection(adapter.createEvent(credentials, collection, appointment()))).code).toBe('NOT_FOUND');
  });

  it('reports FORBIDDEN, not a refused login, when the account may not write to the calendar (Radicale answers a bare 403)', async () => {
    const othersCalendar = `${radicale.url}bob/calendar/`;
    expect((await providerRejection(adapter.createEvent(credentials, othersCalendar, appointment()))).code).toBe('FORBIDDEN');
  });

  it('reports a UID conflict as UNKNOWN with its precondition, not as a missing calendar', async () => {
    // Someone stored a copy of the export under another name: RFC 4791 section 5.3.2.1 forbids
    // a second object with its UID, and Radicale says so with 409 and CALDAV:no-uid-conflict.
    const event = appointment();
    const copy = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calsync tests//EN\r\nBEGIN:VEVENT\r\nUID:${event.exportId}@calsync\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261207T090000Z\r\nDTEND:20261207T094500Z\r\nSUMMARY:Copy\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    await radicale.putEvent(collection, 'copy', copy);

    const error = await providerRejection(adapter.createEvent(credentials, collection, event));
    expect(error.code).toBe('UNKNOWN');
    expect(error.message).toContain('no-uid-conflict');
    expect(await objectHrefs(radicale, collection)).toEqual([new URL(`${collection}copy.ics`).pathname]);
  });

  it('reports AUTH_REVOKED for a wrong password, on every write', async () => {
    const event = appointment();
    const ref = await adapter.createEvent(credentials, collection, event);
    const wrong = { ...credentials, password: 'wrong' };

    expect((await providerRejection(adapter.createEvent(wrong, collection, appointment()))).code).toBe('AUTH_REVOKED');
    expect((await providerRejection(adapter.updateEvent(wrong, collection, ref, { ...event, title: 'Nope' }))).code).toBe('AUTH_REVOKED');
    expect((await providerRejection(adapter.deleteEvent(wrong, collection, ref))).code).toBe('AUTH_REVOKED');
    const object = await stored(radicale, ref.providerEventId);
    expect(object.vevent!.getFirstPropertyValue('summary')).toBe('Consultation');
    expect(await objectHrefs(radicale, collection)).toHaveLength(1);
  });

  describe('behind a proxy', () => {
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    let proxied: CalDavCredentials;
    let proxiedCollection: string;

    beforeEach(async () => {
      proxy = await startProxy(radicale.url);
      proxied = { ...credentials, serverUrl: proxy.url };
      proxiedCollection = new URL(new URL(collection).pathname, proxy.url).toString();
      // A first call teaches the session that this new origin takes Basic (see the test below).
      await adapter.deleteEvent(proxied, proxiedCollection, { providerEventId: `${proxiedCollection}warm-up.ics`, etag: null });
      proxy.behaviour.seen.length = 0;
      proxy.behaviour.authorizations.length = 0;
    });
    afterEach(() => proxy.close());

    it('sends no password to a plain-http origin before it asks for Basic, and Basic at once after that', async () => {
      const fresh = await startProxy(radicale.url);
      try {
        const target = new URL(new URL(collection).pathname, fresh.url).toString();
        await adapter.createEvent({ ...credentials, serverUrl: fresh.url }, target, appointment());
        await adapter.createEvent({ ...credentials, serverUrl: fresh.url }, target, appointment());
        expect(fresh.behaviour.authorizations).toEqual(['none', 'Basic', 'Basic']);
      } finally {
        await fresh.close();
      }
    });

    it('reads the ETag with a GET when the PUT answers without one', async () => {
      proxy.behaviour.stripEtag.add('PUT');
      const ref = await adapter.createEvent(proxied, proxiedCollection, appointment());
      expect(proxy.behaviour.seen).toEqual(['PUT If-None-Match: *', 'GET']);
      expect(ref.etag).toBe((await stored(radicale, ref.providerEventId.replace(proxy.url, radicale.url))).etag);
    });

    it('reads the ETag with a PROPFIND when neither PUT nor GET carries one', async () => {
      proxy.behaviour.stripEtag = new Set(['PUT', 'GET']);
      const ref = await adapter.createEvent(proxied, proxiedCollection, appointment());
      expect(proxy.behaviour.seen).toEqual(['PUT If-None-Match: *', 'GET', 'PROPFIND']);
      expect(ref.etag).toBe((await stored(radicale, ref.providerEventId.replace(proxy.url, radicale.url))).etag);
    });

    it('waits out a 503 with Retry-After and writes once', async () => {
      proxy.behaviour.unavailable = 1;
      proxy.behaviour.retryAfter = '1';
      const started = Date.now();
      await adapter.createEvent(proxied, proxiedCollection, appointment());
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(proxy.behaviour.seen).toEqual(['PUT If-None-Match: *', 'PUT If-None-Match: *']);
      expect(await objectHrefs(radicale, collection)).toHaveLength(1);
    });

    it('reports TEMPORARY with the Retry-After it will not wait for', async () => {
      proxy.behaviour.unavailable = 10;
      proxy.behaviour.retryAfter = '120';
      const error = await providerRejection(adapter.createEvent(proxied, proxiedCollection, appointment()));
      expect([error.code, error.retryAfterSeconds]).toEqual(['TEMPORARY', 120]);
      expect(proxy.behaviour.seen).toEqual(['PUT If-None-Match: *']);
      expect(await objectHrefs(radicale, collection)).toEqual([]);
    });

    it('sends the conditions of RFC 7232: a repeated create and a stale update meet 412 and write over the current ETag', async () => {
      const event = appointment();
      const created = await adapter.createEvent(proxied, proxiedCollection, event);
      await adapter.createEvent(proxied, proxiedCollection, { ...event, sequence: 1 });
      await adapter.updateEvent(proxied, proxiedCollection, created, { ...event, sequence: 2 });
      await adapter.deleteEvent(proxied, proxiedCollection, created);
      expect(proxy.behaviour.seen).toEqual([
        'PUT If-None-Match: *',
        ...['PUT If-None-Match: *', 'GET', 'PUT If-Match'],
        ...['PUT If-Match', 'GET', 'PUT If-Match'],
        ...['DELETE If-Match', 'DELETE'],
      ]);
      expect(await objectHrefs(radicale, collection)).toEqual([]);
    });
  });
});
