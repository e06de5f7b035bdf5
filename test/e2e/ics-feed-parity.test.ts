/**
 * A published feed blocks time exactly as a CalDAV calendar holding the same data: real files of
 * the corpus (Google and Outlook publications, an Exchange one with Windows zone names) are
 * served as feeds and uploaded to Radicale, each connected to its own resource, ingested over the
 * file's year, and the stored occurrences compared.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConnectByCredentialsDocument, ConnectIcsFeedDocument, CreateResourceDocument, IngestDocument, SelectCalendarsDocument } from '../graphql/generated';
import { startFeedServer, type FeedServer } from '../helpers/feed-server';
import { describeWithFixtures, FIXTURES, fixtureFolder, type Requirement } from '../helpers/fixtures';
import { radicaleInstalled, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { mainWindows } from '../oracle/windows';

const FILES = [
  'recurring-ical-events/issue_62_moved_event.ics', // Google, a moved occurrence
  'recurring-ical-events/daylight_saving_time.ics', // Google, across a DST change
  'recurring-ical-events/Germany.ics', // Outlook, all-day holidays
  'recurring-ical-events/issue_27_t1.ics', // Exchange 2010, TZID "W. Europe Standard Time"
];

const radicale: Requirement = { missing: () => (radicaleInstalled() ? null : 'Radicale is not installed (apt-get install radicale)') };

describeWithFixtures(
  'a feed blocks time exactly like a CalDAV calendar with the same data',
  () => {
    let feeds: FeedServer;
    let dav: RadicaleServer;
    let server: TestServer;

    beforeAll(async () => {
      [feeds, dav, server] = await Promise.all([startFeedServer(), startRadicale(), startTestServer()]);
    });
    afterAll(async () => {
      await server?.close();
      await dav?.stop();
      await feeds?.close();
    });

    /** The occurrences stored for a connection: start, end, all-day and title, sorted. */
    const stored = async (connectionId: string) =>
      (
        (await server.orm.em
          .getConnection()
          .execute('select starts_at, ends_at, all_day, title from external_event where external_calendar_id = ? order by starts_at, ends_at, title', [
            connectionId,
          ])) as { starts_at: Date; ends_at: Date; all_day: boolean; title: string }[]
      ).map((row) => `${new Date(row.starts_at).toISOString()} ${new Date(row.ends_at).toISOString()} ${row.all_day} ${row.title}`);

    it.each(FILES)('%s', async (file) => {
      const ics = readFileSync(path.join(FIXTURES, file), 'utf8');
      const [year] = mainWindows(ics);
      // An ingest spans at most 366 days; the year window has a margin on either side.
      const window = { ...year!, to: new Date(Math.min(Date.parse(year!.to), Date.parse(year!.from) + 366 * 86_400_000)).toISOString() };
      const resource = async (name: string) => (await server.ok(CreateResourceDocument, { input: { name, timeZone: window.timeZone } })).createResource.id;
      const name = path.basename(file, '.ics');

      feeds.publish(`/${name}.ics`, { body: ics });
      const feed = (await server.ok(ConnectIcsFeedDocument, { input: { resourceId: await resource(`${name} (feed)`), url: `${feeds.url}/${name}.ics` } }))
        .connectIcsFeed;

      await dav.putCalendar(name, ics);
      const caldav = (
        await server.ok(ConnectByCredentialsDocument, {
          input: { resourceId: await resource(`${name} (CalDAV)`), provider: 'CALDAV', serverUrl: dav.url, username: dav.username, password: dav.password },
        })
      ).connectExternalCalendarByCredentials;
      const calendar = caldav.providerCalendars.find((candidate) => candidate.providerCalendarId.endsWith(`/${encodeURIComponent(name)}/`))!;
      await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: caldav.id, readCalendarIds: [calendar.id], writeCalendarId: null } });

      for (const connectionId of [feed.id, caldav.id]) {
        const run = (await server.ok(IngestDocument, { input: { externalCalendarId: connectionId, from: window.from, to: window.to } })).ingestExternalEvents;
        expect(await server.finished(run.id)).toMatchObject({ status: 'SUCCEEDED' });
      }
      const fromFeed = await stored(feed.id);
      expect(fromFeed.length).toBeGreaterThan(0);
      expect(fromFeed).toEqual(await stored(caldav.id));
    });
  },
  [fixtureFolder, radicale],
);
