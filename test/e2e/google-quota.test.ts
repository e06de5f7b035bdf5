import { CreateResourceDocument, GetExternalCalendarDocument, SyncCalendarDocument } from '../graphql/generated';
import { googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { ExternalCalendar } from '../../src/modules/connections/external-calendar.entity';
import { connectGoogle } from '../helpers/google-connection';
import { startTestServer, type TestServer } from '../helpers/test-server';

const HOUR = 3_600_000;

/**
 * Google's usage limits (https://developers.google.com/calendar/api/guides/errors): the quota
 * reasons hold the account back for hours and say so on the connection; the per-minute rate
 * limits are retried within the request, with exponential backoff.
 */
describe('Google quota reasons: long back-off for quotaExceeded / dailyLimitExceeded, short retries for rate limits', () => {
  let google: GoogleFake;
  let server: TestServer;
  let connectionId: string;

  beforeAll(async () => {
    google = await startGoogleFake();
    server = await startTestServer({ env: googleEnv(google) });
    google.addCalendar({ id: 'owner@example.com', summary: 'Owner', primary: true, accessRole: 'owner', timeZone: 'UTC' });
    const resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Quota room', timeZone: 'UTC' } })).createResource.id;
    connectionId = await connectGoogle(server, resourceId);
  });
  afterAll(async () => {
    await server?.close();
    await google?.close();
  });

  async function syncOnce(): Promise<{ status: string }> {
    const run = (await server.ok(SyncCalendarDocument, { externalCalendarId: connectionId, full: false })).syncExternalCalendar;
    return server.finished(run.id);
  }

  async function nextSyncAt(): Promise<Date> {
    const row = await server.orm.em.fork().findOneOrFail(ExternalCalendar, { id: connectionId }, { filters: false });
    return row.nextSyncAt!;
  }

  it.each(['quotaExceeded', 'dailyLimitExceeded'])(
    '403 %s: the run fails at once, the next sync waits 3 hours, and the connection says why',
    async (reason) => {
      const listings = () => google.requests.filter((request) => request.path.endsWith('/events')).length;
      const listingsBefore = listings();
      google.failNext(5, { status: 403, reason });
      const startedAt = Date.now();
      const run = await syncOnce();
      expect(run.status).toBe('FAILED');
      // One request: a limit that lasts hours is not retried within the run.
      expect(listings() - listingsBefore).toBe(1);
      google.failNext(0, { status: 503 });
      expect((await nextSyncAt()).getTime()).toBeGreaterThanOrEqual(startedAt + 3 * HOUR);
      const connection = (await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!;
      expect(connection.status).toBe('CONNECTED');
      expect(connection.lastError).toContain(reason);
      expect(connection.lastError).toContain('usage limit for this account was reached; Calsync waits 3 hours');
    },
  );

  it.each([
    [403, 'rateLimitExceeded'],
    [403, 'userRateLimitExceeded'],
    [429, 'rateLimitExceeded'],
  ])('%i %s: retried within the run with backoff, and the sync succeeds', async (status, reason) => {
    google.failNext(2, { status, reason });
    const run = await syncOnce();
    expect(run.status).toBe('SUCCEEDED');
    expect((await nextSyncAt()).getTime()).toBeLessThan(Date.now() + HOUR);
    expect((await server.ok(GetExternalCalendarDocument, { id: connectionId })).externalCalendar!.lastError).toBeNull();
  });
});
