/**
 * The console's OAuth connections in Chromium: the tab itself goes to the fakes' consent pages
 * (Google's, Microsoft's), which grant or deny at once with a 302 to the gateway's
 * `GET /oauth/callback`, and comes back to the console's Connections page, the redirectUrl the
 * console passes. Real gateway, worker, PostgreSQL and fakes over HTTP.
 */
import type { Browser, Page, Request } from 'playwright-core';
import {
  CreateResourceDocument,
  GetExternalCalendarDocument,
  ListExternalCalendarsDocument,
  LastSyncRunsDocument,
  ProvidersWithReasonDocument,
  SyncCalendarDocument,
} from '../graphql/generated';
import { FAKE_ACCOUNT_EMAIL, googleEnv, startGoogleFake, type GoogleFake } from '../fakes/google/google-fake';
import { microsoftEnv, startGraphFake, type GraphFake } from '../fakes/microsoft/graph-fake';
import { buildConsole, describeInBrowser, launchChromium, openConsole, resourceSelect, signIn, type ConsolePage } from '../helpers/browser';
import { until } from '../helpers/processes';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { setTenantFeatures } from '../../src/tenant-features-cli';
import { Feature } from '../../src/modules/tenancy/features';

const OWNER = FAKE_ACCOUNT_EMAIL;
const TEAM = 'team@example.com';

/**
 * The control of the Connections page that connects each provider: the OAuth providers' buttons
 * and the headings of the credential and URL forms.
 */
const CONTROLS: Record<string, { role: 'button' | 'heading'; name: string }> = {
  GOOGLE: { role: 'button', name: 'Connect Google' },
  MICROSOFT: { role: 'button', name: 'Connect Microsoft' },
  APPLE: { role: 'heading', name: 'Connect Apple iCloud' },
  CALDAV: { role: 'heading', name: 'Connect CalDAV' },
  ICS: { role: 'heading', name: 'Subscribe to an ICS feed' },
};

/** The card of a connection, named by its provider and account. */
const card = (page: Page, label: string) => page.getByRole('article', { name: label, exact: true });

describeInBrowser('connecting Google and Microsoft from the console, in Chromium against a real gateway, worker, PostgreSQL and the fakes', () => {
  let browser: Browser;
  let google: GoogleFake;
  let graph: GraphFake;
  let server: TestServer;
  let resourceId: string;
  /** A resource of its own for the declined consent. */
  let declinedId: string;
  /** The signed-in console the tests share, as one tab would be. */
  let admin: ConsolePage;
  /** The URL of every page the tab loaded, in order (top-level navigations, redirects included). */
  const navigations: string[] = [];
  const opened: ConsolePage[] = [];

  const open = async () => {
    const consolePage = await openConsole(browser, server.url);
    opened.push(consolePage);
    return consolePage;
  };
  /**
   * Empties {@link navigations}, runs `act`, waits until the tab is back on the console's
   * Connections page with an OAuth outcome and shows it, and returns the pages it loaded.
   */
  const navigated = async (act: () => Promise<void>) => {
    navigations.length = 0;
    await act();
    await until('the way back to the console', async () => navigations.some((url) => url.startsWith(`${server.url}/console/connections?`)));
    await admin.page.getByRole('status').filter({ hasText: 'CONNECTED' }).waitFor();
    return [...navigations];
  };
  const connectionsOf = async (id: string) => (await server.ok(ListExternalCalendarsDocument, { resourceId: id })).externalCalendars;
  const onConnections = async (page: Page, resourceName: string) => {
    await page.getByRole('link', { name: 'Connections', exact: true }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    await resourceSelect(page).selectOption({ label: resourceName });
  };

  beforeAll(async () => {
    buildConsole();
    [browser, google, graph] = await Promise.all([launchChromium(), startGoogleFake(), startGraphFake()]);
    server = await startTestServer({ env: { ...googleEnv(google), ...microsoftEnv(graph) } });
    google.addCalendar({ id: OWNER, summary: 'Owner', primary: true, accessRole: 'owner' });
    google.addCalendar({ id: TEAM, summary: 'Team', accessRole: 'owner' });
    const tomorrow = Date.now() + 86_400_000;
    for (let i = 0; i < 3; i++) {
      const start = new Date(tomorrow + i * 3_600_000);
      google.addEvent(TEAM, {
        id: `team${i}`,
        summary: `Team meeting ${i}`,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      });
    }
    resourceId = (await server.ok(CreateResourceDocument, { input: { name: 'Dr. Grace', timeZone: 'Europe/Berlin' } })).createResource.id;
    // Before the console loads: it reads the resources once.
    declinedId = (await server.ok(CreateResourceDocument, { input: { name: 'Room Decline', timeZone: 'UTC' } })).createResource.id;
    admin = await open();
    admin.page.on('request', (request: Request) => {
      if (request.isNavigationRequest() && request.frame() === admin.page.mainFrame()) navigations.push(request.url());
    });
    await signIn(admin.page, server.apiKey);
  }, 180_000);

  afterAll(async () => {
    for (const consolePage of opened) await consolePage.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await google?.close();
    await graph?.close();
  });

  it('offers the providers the `providers` query names, each enabled only when available, with the reason when not', async () => {
    const premiumless = await server.createTenant('console-premiumless');
    await setTenantFeatures(server.orm.em.fork(), { tenantId: premiumless.tenantId, enable: [], disable: [Feature.EXTERNAL_CALENDARS] });
    await server.gql(CreateResourceDocument, { input: { name: 'Basic room', timeZone: 'UTC' } }, premiumless.apiKey);
    const basic = await open();
    await signIn(basic.page, premiumless.apiKey);

    for (const [{ page }, apiKey, resourceName] of [
      [admin, server.apiKey, 'Dr. Grace'],
      [basic, premiumless.apiKey, 'Basic room'],
    ] as const) {
      const { data } = await server.gql(ProvidersWithReasonDocument, {}, apiKey);
      await onConnections(page, resourceName);
      const offers = page.locator('.offers > .card');
      await until('the offers', async () => (await offers.count()) === data!.providers.length);
      const shown = await Promise.all(
        data!.providers.map(async (provider) => {
          const { role, name } = CONTROLS[provider.id];
          const offer = offers.filter({ has: page.getByRole(role, { name, exact: true }) });
          const control = role === 'button' ? offer.getByRole('button', { name, exact: true }) : offer.getByRole('button').last();
          return {
            id: provider.id,
            enabled: await control.isEnabled(),
            reason: (await offer.getByText(/is not available: /).count()) > 0 ? await offer.getByText(/is not available: /).textContent() : null,
          };
        }),
      );
      expect(shown).toEqual(
        data!.providers.map((provider) => ({
          id: provider.id,
          enabled: provider.available,
          reason: provider.available ? null : `${provider.name} is not available: ${provider.unavailableReason}`,
        })),
      );
    }
    // This gateway has Google's and Microsoft's OAuth apps; the other tenant lacks the premium feature.
    const everywhere = await server.ok(ProvidersWithReasonDocument, {});
    expect(everywhere.providers.every((provider) => provider.available)).toBe(true);
    expect(basic.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
  });

  it('connects Google: the consent page, then /oauth/callback, then back to the console, which shows the connection CONNECTED', async () => {
    const { page } = admin;
    await onConnections(page, 'Dr. Grace');
    const pages = await navigated(() => page.getByRole('button', { name: 'Connect Google', exact: true }).click());
    const [consent, callback, back, ...rest] = pages.map((url) => new URL(url));
    expect(`${consent.origin}${consent.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${server.url}/oauth/callback`);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${server.url}/oauth/callback`);
    expect(callback.searchParams.get('code')).toBeTruthy();
    // The redirectUrl the console passed is its own Connections page, with the outcome.
    expect(`${back.origin}${back.pathname}`).toBe(`${server.url}/console/connections`);
    expect(back.searchParams.get('status')).toBe('CONNECTED');
    expect(back.searchParams.get('error')).toBeNull();
    expect(rest).toEqual([]);

    const [connection] = await connectionsOf(resourceId);
    expect(back.searchParams.get('externalCalendarId')).toBe(connection.id);
    expect(connection.status).toBe('CONNECTED');
    const googleCard = card(page, `GOOGLE ${OWNER}`);
    await googleCard.getByText('CONNECTED', { exact: true }).waitFor();
    // The outcome's parameters are taken off the address, so that a reload does not announce it again.
    expect(new URL(page.url()).search).toBe('');
    expect(admin.problems).toEqual([]);
  });

  it('picks the read and write calendars and the sync settings, then a sync from the Sync page succeeds', async () => {
    const { page } = admin;
    const googleCard = card(page, `GOOGLE ${OWNER}`);
    await googleCard.getByRole('checkbox', { name: 'Team', exact: true }).check();
    await expect(googleCard.getByRole('checkbox', { name: 'Owner', exact: true }).isChecked()).resolves.toBe(false);
    await googleCard.getByLabel('Write calendar').selectOption({ label: 'Owner' });
    await googleCard.getByRole('button', { name: 'Save calendars' }).click();
    await googleCard.getByText('Calendars saved.').waitFor();

    await googleCard.getByText('Sync settings', { exact: true }).click();
    await googleCard.getByRole('checkbox', { name: 'Export as Busy' }).check();
    await googleCard.getByLabel('Days ahead').fill('60');
    await googleCard.getByRole('button', { name: 'Save sync settings' }).click();
    await googleCard.getByText('Sync settings saved.').waitFor();

    const [{ id }] = await connectionsOf(resourceId);
    const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id });
    const byName = Object.fromEntries(externalCalendar!.providerCalendars.map((calendar) => [calendar.name, { read: calendar.read, write: calendar.write }]));
    expect(byName).toEqual({ Owner: { read: false, write: true }, Team: { read: true, write: false } });
    expect(externalCalendar!.syncConfig).toMatchObject({ privateExport: true, syncWindowDaysAhead: 60 });

    await page.getByRole('link', { name: 'Sync', exact: true }).click();
    await page.getByRole('heading', { name: 'Sync' }).waitFor();
    await resourceSelect(page).selectOption({ label: 'Dr. Grace' });
    await page.getByRole('button', { name: 'Sync now' }).click();
    const run = page.getByRole('article', { name: `Sync of GOOGLE ${OWNER}` });
    await run.locator('strong', { hasText: /^SUCCEEDED$/ }).waitFor({ timeout: 30_000 });
    const { resource } = await server.ok(LastSyncRunsDocument, { id: resourceId });
    expect(resource?.externalCalendars.map((calendar) => calendar.lastSyncRun?.status)).toEqual(['SUCCEEDED']);
    expect(admin.problems).toEqual([]);
  });

  it('turns the badge REAUTH_REQUIRED live, with the reason, when the grant is revoked; "Regenerate consent link" consents again and comes back CONNECTED', async () => {
    const { page } = admin;
    await onConnections(page, 'Dr. Grace');
    const googleCard = card(page, `GOOGLE ${OWNER}`);
    await googleCard.getByText('CONNECTED', { exact: true }).waitFor();
    // A reload would lose this: what the page shows next it learnt without one.
    await page.evaluate('window.notReloaded = true');

    google.revokeGrant();
    const [{ id }] = await connectionsOf(resourceId);
    const { syncExternalCalendar } = await server.ok(SyncCalendarDocument, { externalCalendarId: id, full: false });
    expect((await server.finished(syncExternalCalendar.id)).status).toBe('FAILED');
    const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id });
    expect(externalCalendar).toMatchObject({ status: 'REAUTH_REQUIRED', lastError: expect.stringMatching(/\S/) });

    await googleCard.getByText('REAUTH_REQUIRED', { exact: true }).waitFor();
    await googleCard.getByText(externalCalendar!.lastError!, { exact: true }).waitFor();
    await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);

    const pages = await navigated(() => googleCard.getByRole('button', { name: 'Regenerate consent link' }).click());
    const [consent, callback, back] = pages.map((url) => new URL(url));
    expect(`${consent.origin}${consent.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
    // A revoked grant needs a new refresh token: Google sends one only when consent is forced.
    expect(consent.searchParams.get('prompt')).toBe('consent');
    expect(`${callback.origin}${callback.pathname}`).toBe(`${server.url}/oauth/callback`);
    expect(`${back.origin}${back.pathname}?${back.searchParams.get('status')}`).toBe(`${server.url}/console/connections?CONNECTED`);
    await googleCard.getByText('CONNECTED', { exact: true }).waitFor();
    await expect(googleCard.getByRole('button', { name: 'Regenerate consent link' }).count()).resolves.toBe(0);

    const again = await server.ok(SyncCalendarDocument, { externalCalendarId: id, full: false });
    expect((await server.finished(again.syncExternalCalendar.id)).status).toBe('SUCCEEDED');
    expect(admin.problems).toEqual([]);
  });

  it('shows a declined consent with its code once the owner goes back, and a second consent connects', async () => {
    const { page } = admin;
    await onConnections(page, 'Room Decline');
    google.denyConsent(true);
    try {
      await page.getByRole('button', { name: 'Connect Google', exact: true }).click();
      // The callback cannot tell a declined consent from a forged request: it answers a page with a link back.
      const back = page.getByRole('link', { name: 'Back to the application' });
      await back.waitFor();
      expect(new URL(page.url()).pathname).toBe('/oauth/callback');
      await expect(page.getByText(/could not be connected \(access_denied\)/).count()).resolves.toBe(1);
      await back.click();
    } finally {
      google.denyConsent(false);
    }
    const alert = page.getByRole('alert').filter({ hasText: 'access_denied' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/^access_denied: .*declined/);
    const [pending] = await connectionsOf(declinedId);
    expect(pending.status).toBe('PENDING');
    const pendingCard = card(page, 'GOOGLE');
    await pendingCard.getByText('PENDING', { exact: true }).waitFor();
    expect(admin.problems).toEqual(['HTTP 400: GET /oauth/callback']);
    admin.problems.length = 0;

    await navigated(() => pendingCard.getByRole('button', { name: 'Regenerate consent link' }).click());
    await card(page, `GOOGLE ${OWNER}`).getByText('CONNECTED', { exact: true }).waitFor();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect((await connectionsOf(declinedId)).map((connection) => connection.status)).toEqual(['CONNECTED']);
    expect(admin.problems).toEqual([]);
  });

  it('shows a code exchange the provider refused with its code, from the redirect back to the console', async () => {
    const { page } = admin;
    await onConnections(page, 'Room Decline');
    // The consent page answers a code that Google's token endpoint does not know, as an expired or reused one.
    const consentPage = (url: URL) => url.origin === google.url && url.pathname === '/o/oauth2/v2/auth';
    await page.route(consentPage, (route) => {
      const back = new URL(new URL(route.request().url()).searchParams.get('redirect_uri')!);
      back.searchParams.set('state', new URL(route.request().url()).searchParams.get('state')!);
      back.searchParams.set('code', '4/unknown');
      return route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    try {
      navigations.length = 0;
      await page.getByRole('button', { name: 'Connect Google', exact: true }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'exchange_failed' });
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toMatch(/^exchange_failed: the provider refused the authorization code; the connection is PENDING\./);
    } finally {
      await page.unroute(consentPage);
    }
    const back = new URL(navigations.at(-1)!);
    expect(`${back.origin}${back.pathname}`).toBe(`${server.url}/console/connections`);
    expect(back.searchParams.get('error')).toBe('exchange_failed');
    const refused = (await connectionsOf(declinedId)).find((connection) => connection.id === back.searchParams.get('externalCalendarId'));
    expect(refused?.status).toBe('PENDING');
    await card(page, 'GOOGLE').getByText('PENDING', { exact: true }).waitFor();
    expect(admin.problems).toEqual([]);
  });

  it('connects Microsoft the same way: consent page, callback, back to the console CONNECTED; then disconnects it', async () => {
    const { page } = admin;
    await onConnections(page, 'Dr. Grace');
    const pages = await navigated(() => page.getByRole('button', { name: 'Connect Microsoft', exact: true }).click());
    const [consent, callback, back] = pages.map((url) => new URL(url));
    expect(consent.origin).toBe(graph.url);
    expect(consent.pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${server.url}/oauth/callback`);
    expect(`${back.origin}${back.pathname}`).toBe(`${server.url}/console/connections`);
    const microsoft = (await connectionsOf(resourceId)).find((connection) => connection.id === back.searchParams.get('externalCalendarId'));
    expect(microsoft?.status).toBe('CONNECTED');
    const microsoftCard = card(page, `MICROSOFT ${graph.user.mail}`);
    await microsoftCard.getByText('CONNECTED', { exact: true }).waitFor();

    await microsoftCard.getByRole('button', { name: 'Disconnect' }).click();
    await microsoftCard.getByText('DISCONNECTED', { exact: true }).waitFor();
    expect((await connectionsOf(resourceId)).find((connection) => connection.id === microsoft!.id)?.status).toBe('DISCONNECTED');
    await expect(microsoftCard.getByRole('button').count()).resolves.toBe(0);
    expect(admin.problems).toEqual([]);
  });
  it('consents twice when Google sends no refresh token: an account another tenant holds a live grant of goes through a forced consent', async () => {
    // The fake's account has live grants (this tenant's connections), so a plain consent brings no
    // refresh token, and a tenant of its own has no connection of the account to share one from.
    const other = await server.createTenant('console-second');
    await server.gql(CreateResourceDocument, { input: { name: 'Second desk', timeZone: 'UTC' } }, other.apiKey);
    const { page } = admin;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, other.apiKey);
    await onConnections(page, 'Second desk');
    const pages = await navigated(() => page.getByRole('button', { name: 'Connect Google', exact: true }).click());
    const hops = pages.map((url) => new URL(url)).map((url) => [`${url.origin}${url.pathname}`, url.searchParams.get('prompt')]);
    expect(hops).toEqual([
      [`${google.url}/o/oauth2/v2/auth`, null],
      [`${server.url}/oauth/callback`, null],
      [`${google.url}/o/oauth2/v2/auth`, 'consent'],
      [`${server.url}/oauth/callback`, null],
      [`${server.url}/console/connections`, null],
    ]);
    await card(page, `GOOGLE ${OWNER}`).getByText('CONNECTED', { exact: true }).waitFor();
    expect(admin.problems).toEqual([]);
  });
});
