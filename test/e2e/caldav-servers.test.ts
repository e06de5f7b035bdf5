import { redirectingWellKnown, twoHosts, type CalDavLayout, type TwoHostsLayout } from '../helpers/caldav-layouts';
import { describeEachCalDavServer, installedCalDavServers, startCalDavServer, type CalDavTestServer } from '../helpers/caldav-servers';
import { basicAuthorization } from '../helpers/dav-client';
import { CALDAV, DAV, descendantsNamed, parseMultistatus } from '../helpers/dav-xml';
import { send } from '../helpers/http-send';
import { describeWithRadicale, startRadicale } from '../helpers/radicale';

const TIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

/** A weekly meeting in Berlin time with one moved occurrence, and a one-off event in UTC. */
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync//caldav-servers test//EN',
  'METHOD:PUBLISH',
  'X-WR-CALNAME:Work',
  ...TIMEZONE,
  'BEGIN:VEVENT',
  'UID:weekly@calsync.test',
  'DTSTAMP:20300101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20300107T100000',
  'DTEND;TZID=Europe/Berlin:20300107T110000',
  'RRULE:FREQ=WEEKLY;COUNT=4',
  'SUMMARY:Weekly',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:one-off@calsync.test',
  'DTSTAMP:20300101T000000Z',
  'DTSTART:20300109T120000Z',
  'DTEND:20300109T130000Z',
  'SUMMARY:One-off, with a long summary that a client folds into a second content line because it',
  ' is longer than seventy-five octets',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:weekly@calsync.test',
  'RECURRENCE-ID;TZID=Europe/Berlin:20300114T100000',
  'DTSTAMP:20300101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20300114T150000',
  'DTEND;TZID=Europe/Berlin:20300114T160000',
  'SUMMARY:Weekly (moved)',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const single = (uid: string, summary: string) =>
  [
    ...['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Calsync//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20300101T000000Z'],
    ...['DTSTART:20300201T090000Z', 'DTEND:20300201T100000Z', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''],
  ].join('\r\n');

const PROPFIND = (props: string) =>
  `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop>${props}</D:prop></D:propfind>`;

/** The last path segment of an href, decoded (servers differ in percent-encoding case). */
const objectName = (href: string) => decodeURIComponent(href.split('/').filter(Boolean).pop()!);

/** The single href inside property `name` of a depth-0 PROPFIND on `url`. */
async function hrefProperty(server: CalDavTestServer, url: string, ns: string, name: string): Promise<string> {
  const body = PROPFIND(`<${ns === DAV ? 'D' : 'C'}:${name}/>`);
  const answer = await server.request('PROPFIND', url, { headers: { depth: '0', 'content-type': 'application/xml; charset=utf-8' }, body });
  expect(answer.status).toBe(207);
  const property = parseMultistatus(answer.body.toString('utf8'))[0]?.props.get(`{${ns}}${name}`);
  const href = property && descendantsNamed(property, DAV, 'href')[0]?.text.trim();
  if (!href) throw new Error(`No ${name} at ${url}: ${answer.body.toString('utf8')}`);
  return new URL(href, url).toString();
}

/** Whether a PROPFIND finds `url`: Xandikos answers a missing one with a 207 holding a 404, the others with a 404. */
async function exists(server: CalDavTestServer, url: string): Promise<boolean> {
  const answer = await server.request('PROPFIND', url, { headers: { depth: '0' } });
  if (answer.status === 404) return false;
  expect(answer.status).toBe(207);
  return !/HTTP\/1\.1 404/.test(answer.body.toString('utf8'));
}

/** RFC 6764 discovery from the URL a user types: /.well-known/caldav (following redirects), principal, home. */
async function discover(server: CalDavTestServer, from = server.url): Promise<{ context: string; principal: string; home: string }> {
  let context = new URL('/.well-known/caldav', from).toString();
  // PROPFIND, not GET: Radicale answers GET / with a redirect to its web interface (/.web).
  for (let hops = 0; hops < 5; hops++) {
    const answer = await server.request('PROPFIND', context, { headers: { depth: '0' } });
    if (answer.status < 300 || answer.status >= 400) break;
    context = new URL(String(answer.headers.location), context).toString();
  }
  const principal = await hrefProperty(server, context, DAV, 'current-user-principal');
  const home = await hrefProperty(server, principal, CALDAV, 'calendar-home-set');
  return { context, principal, home };
}

describeEachCalDavServer('CalDAV test server', (kind) => {
  let server: CalDavTestServer;

  beforeAll(async () => {
    server = await startCalDavServer(kind);
  });
  afterAll(() => server?.stop());

  it('leads from its host URL to the principal and the calendar home', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const found = await discover(server);
    expect(found.principal).toBe(server.principalUrl);
    expect(found.home).toBe(server.calendarHomeUrl);
  });

  it('stores a calendar one object per UID under the names asked for, and lists them as stored', async () => {
    const collection = await server.putCalendar('work', ICS, { objectName: (uid) => (uid === 'one-off@calsync.test' ? 'one-off ünïcode' : `${uid}.ics`) });
    expect(collection).toBe(`${server.calendarHomeUrl}work/`);
    const objects = await server.listObjects(collection);
    expect(objects.map((object) => objectName(object.href)).sort()).toEqual(['one-off ünïcode', 'weekly@calsync.test.ics']);
    for (const object of objects) expect(object.etag).toMatch(/^(W\/)?".+"$/);
    const weekly = objects.find((object) => object.href.includes('weekly'))!.data;
    expect(weekly.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(weekly).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20300114T100000');
    expect(weekly).toContain('TZID:Europe/Berlin');
    const oneOff = objects.find((object) => !object.href.includes('weekly'))!.data;
    expect(oneOff.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(oneOff).not.toContain('VTIMEZONE');
    expect(oneOff).not.toContain('METHOD');

    await server.putObject(collection, 'third', single('third@calsync.test', 'Third'));
    await server.putEvent(collection, 'fourth@calsync.test', single('fourth@calsync.test', 'Fourth'));
    expect((await server.listObjects(collection)).map((object) => objectName(object.href)).sort()).toEqual([
      'fourth@calsync.test.ics',
      'one-off ünïcode',
      'third',
      'weekly@calsync.test.ics',
    ]);
    await server.deleteObject(collection, 'third');
    await server.deleteEvent(collection, 'fourth@calsync.test');
    expect(await server.listObjects(collection)).toHaveLength(2);
  });

  it('names objects <uid>.ics by default and replaces a calendar put again', async () => {
    const collection = await server.putCalendar('replaced', single('gone@calsync.test', 'Gone'));
    const again = await server.putCalendar('replaced', ICS);
    expect(again).toBe(collection);
    expect((await server.listObjects(collection)).map((object) => objectName(object.href)).sort()).toEqual([
      'one-off@calsync.test.ics',
      'weekly@calsync.test.ics',
    ]);
    await server.deleteCalendar(collection);
    expect(await exists(server, collection)).toBe(false);
  });

  it('refuses the old password with 401 after setPassword', async () => {
    const probe = (password: string) =>
      send(server.principalUrl, { method: 'PROPFIND', headers: { depth: '0', authorization: basicAuthorization(server.username, password) } });
    expect((await probe(server.password)).status).toBe(207);
    await server.setPassword('a new password');
    try {
      expect((await probe(server.password)).status).toBe(401);
      expect((await probe('a new password')).status).toBe(207);
      expect((await server.request('PROPFIND', server.principalUrl, { headers: { depth: '0' } })).status).toBe(207);
    } finally {
      await server.setPassword(server.password);
    }
    expect((await probe(server.password)).status).toBe(207);
  });
});

(installedCalDavServers().includes('sabredav') ? describe : describe.skip)('SabreDAV with Digest authentication', () => {
  let server: CalDavTestServer;

  beforeAll(async () => {
    server = await startCalDavServer('sabredav', { auth: 'digest' });
  });
  afterAll(() => server?.stop());

  it('challenges with Digest, refuses Basic, and serves the helpers', async () => {
    const anonymous = await send(server.principalUrl, { method: 'PROPFIND', headers: { depth: '0' } });
    expect(anonymous.status).toBe(401);
    expect(String(anonymous.headers['www-authenticate'])).toMatch(/^Digest realm="SabreDAV"/);
    const basic = await send(server.principalUrl, {
      method: 'PROPFIND',
      headers: { depth: '0', authorization: basicAuthorization(server.username, server.password) },
    });
    expect(basic.status).toBe(401);
    expect((await discover(server)).home).toBe(server.calendarHomeUrl);
    const collection = await server.putCalendar('work', ICS);
    expect(await server.listObjects(collection)).toHaveLength(2);
    await server.setPassword('digest too');
    expect((await server.request('PROPFIND', collection, { headers: { depth: '0' } })).status).toBe(207);
  });
});

describeWithRadicale('CalDAV layouts over Radicale', () => {
  let layout: TwoHostsLayout;
  let redirecting: CalDavLayout;

  beforeAll(async () => {
    layout = await twoHosts(await startRadicale());
    redirecting = await redirectingWellKnown(layout, { hops: 2, otherHost: true });
  });
  afterAll(async () => {
    await redirecting?.close();
    await layout?.stop();
  });

  it('twoHosts: discovery on host A leads to the calendars on host B, and each host refuses the other one’s paths', async () => {
    const collection = await layout.putCalendar('work', ICS);
    expect(layout.hostB).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(collection).toBe(`${layout.hostB}alice/work/`);

    const found = await discover(layout);
    expect(found.principal).toBe(`${layout.url}alice/`);
    expect(found.home).toBe(`${layout.hostB}alice/`);
    const listing = await layout.request('PROPFIND', found.home, { headers: { depth: '1' } });
    expect(listing.status).toBe(207);
    expect(parseMultistatus(listing.body.toString('utf8')).map((response) => response.href)).toContain('/alice/work/');
    // Asked on host A, the principal's members are named by absolute host B URLs.
    const onA = await layout.request('PROPFIND', found.principal, { headers: { depth: '1' } });
    expect(parseMultistatus(onA.body.toString('utf8')).map((response) => response.href)).toEqual(
      expect.arrayContaining(['/alice/', `${layout.hostB}alice/work/`]),
    );

    expect((await layout.request('PROPFIND', `${layout.url}alice/work/`, { headers: { depth: '0' } })).status).toBe(404);
    expect((await layout.request('PROPFIND', layout.hostB, { headers: { depth: '0' } })).status).toBe(404);
    const anonymous = await send(collection, { method: 'PROPFIND', headers: { depth: '0' } });
    expect(anonymous.status).toBe(401);
    expect(String(anonymous.headers['www-authenticate'])).toMatch(/^Basic realm=/);
    expect(layout.seen).toEqual(
      expect.arrayContaining([`PROPFIND ${new URL(layout.hostB).host} /alice/`, `PROPFIND ${new URL(layout.url).host} /alice/work/`]),
    );
    expect(await layout.listObjects(collection)).toHaveLength(2);
  });

  it('redirectingWellKnown: /.well-known/caldav goes through each hop to another host', async () => {
    const first = await send(new URL('/.well-known/caldav', redirecting.url));
    expect(first.status).toBe(301);
    expect(first.headers.location).toBe('/hop/1');
    const second = await send(new URL('/hop/1', redirecting.url));
    expect(second.headers.location).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect((await discover(redirecting)).principal).toBe(`${second.headers.location}alice/`);
  });
});
