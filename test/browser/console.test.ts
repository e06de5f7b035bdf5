import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import {
  CreateApiKeyDocument,
  CreateResourceDocument,
  GetExternalCalendarDocument,
  GetResourceDocument,
  GetSyncRunDocument,
  IngestDocument,
  ListAppointmentsDocument,
  LastSyncRunsDocument,
  ListResourcesDocument,
  ListExternalCalendarsDocument,
  ListSyncRunsDocument,
  ListProviderCalendarsDocument,
  RevokeApiKeyDocument,
  SyncCalendarDocument,
} from '../graphql/generated';
import {
  buildConsole,
  builtIndexHtml,
  describeInBrowser,
  launchChromium,
  openConsole,
  radicaleAvailable,
  resourceSelect,
  screenshot,
  signIn,
  WEEKDAYS_NINE_TO_FIVE,
  widths,
  type ConsolePage,
} from '../helpers/browser';
import { startFeedServer, type FeedServer } from '../helpers/feed-server';
import { runCli, until } from '../helpers/processes';
import { startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Ten events in one week of December 2026 (Berlin), one calendar named "Work" by X-WR-CALNAME. */
const WORK_CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'X-WR-CALNAME:Work',
  ...Array.from({ length: 10 }, (_, i) => [
    'BEGIN:VEVENT',
    `UID:work-${i}@test`,
    'DTSTAMP:20261101T000000Z',
    `DTSTART;TZID=Europe/Berlin:202612${String(7 + (i % 5)).padStart(2, '0')}T${String(9 + Math.floor(i / 5) * 3).padStart(2, '0')}0000`,
    `DTEND;TZID=Europe/Berlin:202612${String(7 + (i % 5)).padStart(2, '0')}T${String(10 + Math.floor(i / 5) * 3).padStart(2, '0')}0000`,
    `SUMMARY:Meeting ${i}`,
    'END:VEVENT',
  ]).flat(),
  'END:VCALENDAR',
  '',
].join('\r\n');

const PERSONAL_CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'X-WR-CALNAME:Personal',
  'BEGIN:VEVENT',
  'UID:dentist@test',
  'DTSTAMP:20261101T000000Z',
  'DTSTART:20261211T100000Z',
  'DTEND:20261211T110000Z',
  'SUMMARY:Dentist',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** An ICS feed of one calendar, "Holidays", with one all-day event. */
const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'X-WR-CALNAME:Holidays',
  'BEGIN:VEVENT',
  'UID:boxing-day@test',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;VALUE=DATE:20261226',
  'DTEND;VALUE=DATE:20261227',
  'SUMMARY:Boxing Day',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** An event whose DTEND is before its DTSTART: skipped by the sync with its reason. */
const BROKEN = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'BEGIN:VEVENT',
  'UID:broken@test',
  'DTSTAMP:20261101T000000Z',
  'DTSTART:20261209T150000Z',
  'DTEND:20261209T140000Z',
  'SUMMARY:Broken',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/**
 * A daily stand-up at 10:00 Berlin time for ten days across the start of summer time
 * (Sunday 28 March 2027, 02:00 -> 03:00): 09:00 UTC before, 08:00 UTC from the Sunday on.
 */
const STANDUP = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'BEGIN:VEVENT',
  'UID:standup-dst@test',
  'DTSTAMP:20261101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20270322T100000',
  'DTEND;TZID=Europe/Berlin:20270322T103000',
  'RRULE:FREQ=DAILY;COUNT=10',
  'SUMMARY:Daily stand-up',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** The week view's grid as text: the day headers, and each row's cells by its time header. */
const weekGrid = (page: Page) =>
  page.evaluate<{ days: string[]; rows: Record<string, string[]> }>(`(() => {
    const table = document.querySelector('table.week');
    const days = [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent.trim());
    const rows = {};
    for (const tr of table.querySelectorAll('tbody tr')) rows[tr.querySelector('th').textContent.trim()] = [...tr.querySelectorAll('td')].map((td) => td.textContent);
    return { days, rows };
  })()`);

/** Shows the week of `monday` (ISO date) through the Week page's "Week of" date. */
async function showWeek(page: Page, monday: string): Promise<void> {
  await page.getByLabel('Week of').fill(monday);
  await page.getByText(`Week of ${DateTime.fromISO(monday).toFormat('d LLL yyyy')}`, { exact: false }).waitFor();
}

/**
 * The outermost elements that reach past the right edge of the viewport, as `tag.class: right edge`,
 * to say what makes a page too wide.
 */
const tooWide = (page: Page) =>
  page.evaluate<string[]>(`(() => {
    const past = (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5;
    const clipped = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    return [...document.body.querySelectorAll('*')]
      // An absolutely positioned element escapes a scrolling ancestor that is not its containing block.
      .filter((e) => past(e) && (!clipped(e) || ['absolute', 'fixed'].includes(getComputedStyle(e).position)))
      .filter((e) => !(e.parentElement && past(e.parentElement) && !clipped(e.parentElement)))
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '') + ': ' + Math.round(e.getBoundingClientRect().right))
      .filter((line, i, lines) => lines.indexOf(line) === i)
      .slice(0, 5);
  })()`);

/** The form of the Resources page that creates a resource. */
const createForm = (page: Page) => page.locator('form', { has: page.getByRole('button', { name: 'Create resource' }) });

/** Everything in the page's sessionStorage and localStorage, as JSON. */
const storage = (page: Page) =>
  page.evaluate<{ session: string; local: string }>('({ session: JSON.stringify({ ...sessionStorage }), local: JSON.stringify({ ...localStorage }) })');

describeInBrowser(
  'the console in Chromium against a real gateway, worker, PostgreSQL and Radicale',
  () => {
    let browser: Browser;
    let radicale: RadicaleServer;
    let feeds: FeedServer;
    let server: TestServer;
    let resourceId: string;
    let workCalendarUrl: string;
    /** The signed-in console of server.apiKey that the tests from "creates a resource" on share. */
    let admin: ConsolePage;
    const opened: ConsolePage[] = [];

    const open = async (viewport?: { width: number; height: number }) => {
      const consolePage = await openConsole(browser, server.url, viewport);
      opened.push(consolePage);
      return consolePage;
    };

    beforeAll(async () => {
      buildConsole();
      [browser, radicale, feeds, server] = await Promise.all([launchChromium(), startRadicale(), startFeedServer(), startTestServer()]);
      workCalendarUrl = await radicale.putCalendar('work', WORK_CALENDAR);
      await radicale.putCalendar('personal', PERSONAL_CALENDAR);
      const { createResource } = await server.ok(CreateResourceDocument, {
        input: { name: 'Dr. Ada', timeZone: 'Europe/Berlin', workingHours: WEEKDAYS_NINE_TO_FIVE },
      });
      resourceId = createResource.id;
    }, 180_000);

    afterAll(async () => {
      for (const consolePage of opened) await consolePage.close().catch(() => undefined);
      await browser?.close();
      await server?.close();
      await radicale?.stop();
      await feeds?.close();
    });

    it('is served at /console with a Content-Security-Policy and without inline scripts', async () => {
      const response = await fetch(`${server.url}/console`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const policy = response.headers.get('content-security-policy');
      expect(policy).toBeTruthy();
      const scriptSources = (policy!.match(/(?:^|;)\s*script-src ([^;]*)/) ?? policy!.match(/(?:^|;)\s*default-src ([^;]*)/))?.[1];
      expect(scriptSources).toBeDefined();
      expect(scriptSources).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);

      const html = await response.text();
      expect(html).toBe(builtIndexHtml());
      const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !/\bsrc\s*=/i.test(tag))).toEqual([]);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      // Everything the page loads comes from the gateway itself: no CDN.
      const external = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?(https?:)?\/\//gi)].map((match) => match[0]);
      expect(external).toEqual([]);
    });

    it('signs in with a key printed by `npm run cli -- tenant create`, keeps it in sessionStorage only, and signs out', async () => {
      const printed = await runCli('tenant', 'create', `console-${Date.now().toString(36)}`);
      const key = printed.match(/^csk_[0-9A-Za-z]{32,}$/m)?.[0];
      expect(key).toBeDefined();

      const { page, problems } = await open();
      await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
      await signIn(page, key!);
      for (const name of ['Resources', 'Connections', 'Sync', 'Week', 'Appointments'])
        await expect(page.getByRole('link', { name, exact: true }).isVisible()).resolves.toBe(true);
      expect(page.url()).not.toContain(key);
      const stored = await storage(page);
      expect(stored.session).toContain(key);
      expect(stored.local).not.toContain(key);
      await expect(page.context().cookies()).resolves.toEqual([]);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API key').waitFor();
      expect((await storage(page)).session).not.toContain(key);
      expect(problems).toEqual([]);
    });

    it('refuses a wrong key with the API error in an alert', async () => {
      const { page } = await open();
      await page.getByLabel('API key').fill(`csk_${'x'.repeat(40)}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toMatch(/UNAUTHENTICATED/);
      await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
    });

    it('creates a resource from the Resources page and lists it', async () => {
      admin = await open();
      const { page } = admin;
      await signIn(page, server.apiKey);
      await page.getByRole('link', { name: 'Resources', exact: true }).click();
      await page.getByRole('heading', { name: 'Resources' }).waitFor();
      await page.getByText('Dr. Ada', { exact: true }).waitFor();

      await createForm(page).getByLabel('Name', { exact: true }).fill('Room 101');
      await createForm(page).getByLabel('Time zone', { exact: true }).fill('America/New_York');
      await page.getByRole('button', { name: 'Create resource' }).click();
      await page.getByText('Room 101', { exact: true }).first().waitFor();

      const { resources } = await server.ok(ListResourcesDocument, { first: 100 });
      const created = resources.edges.find((edge) => edge.node.name === 'Room 101');
      expect(created).toBeDefined();
      const { resource } = await server.ok(GetResourceDocument, { id: created!.node.id });
      expect(resource?.timeZone).toBe('America/New_York');
      expect(admin.problems).toEqual([]);
    });

    it('shows an API error with its code and field: a resource in the time zone Mars/Olympus', async () => {
      const { page } = admin;
      await createForm(page).getByLabel('Name', { exact: true }).fill('Olympus Mons');
      await createForm(page).getByLabel('Time zone', { exact: true }).fill('Mars/Olympus');
      await page.getByRole('button', { name: 'Create resource' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'BAD_USER_INPUT' });
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toMatch(/BAD_USER_INPUT: .+\(input\.timeZone\)/);
      await expect(page.getByText('Olympus Mons', { exact: true }).count()).resolves.toBe(0);
    });

    it("edits a resource's time zone, buffers, working hours and date overrides", async () => {
      const { page } = admin;
      await page
        .getByRole('button', { name: 'Dr. Ada', exact: true })
        .or(page.getByRole('link', { name: 'Dr. Ada', exact: true }))
        .click();
      const form = page.locator('form', { has: page.getByRole('button', { name: 'Save resource' }) });
      await form.getByLabel('Buffer before (minutes)').fill('15');
      await form.getByLabel('Buffer after (minutes)').fill('5');
      await form.getByLabel('Time zone', { exact: true }).fill('Europe/Paris');
      await form.getByLabel('Monday start').fill('08:00');
      await form.getByLabel('Monday end').fill('12:30');
      // Christmas Eve open in the morning only; Christmas Day closed (no hours).
      await form.getByRole('button', { name: 'Add date override' }).click();
      await form.getByLabel('Override 1 date').fill('2026-12-24');
      await form.getByLabel('Override 1 hours').fill('09:00-12:00');
      await form.getByRole('button', { name: 'Add date override' }).click();
      await form.getByLabel('Override 2 date').fill('2026-12-25');
      await page.getByRole('button', { name: 'Save resource' }).click();
      const saved = await until('the resource to be saved', async () => {
        const { resource } = await server.ok(GetResourceDocument, { id: resourceId });
        return resource?.bufferBeforeMinutes === 15 ? resource : null;
      });
      expect(saved).toMatchObject({ timeZone: 'Europe/Paris', bufferBeforeMinutes: 15, bufferAfterMinutes: 5 });
      expect(saved.workingHours.filter((hours) => hours.weekday === 'MONDAY')).toEqual([{ weekday: 'MONDAY', start: '08:00', end: '12:30' }]);
      expect(saved.workingHours.filter((hours) => hours.weekday === 'TUESDAY')).toEqual([{ weekday: 'TUESDAY', start: '09:00', end: '17:00' }]);
      expect(saved.dateOverrides).toEqual([
        { date: '2026-12-24', hours: [{ start: '09:00', end: '12:00' }] },
        { date: '2026-12-25', hours: [] },
      ]);
      expect(admin.problems).toEqual([]);
    });

    it('connects Radicale by credentials and selects its Work calendar for reading and writing', async () => {
      const { page } = admin;
      await page.getByRole('link', { name: 'Connections', exact: true }).click();
      await page.getByRole('heading', { name: 'Connections' }).waitFor();
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      // The form of the CalDAV offer (Apple's, when offered, has the same fields).
      const form = page.locator('form', { has: page.getByRole('button', { name: 'Connect', exact: true }) });
      await form.getByLabel('Server URL').fill(radicale.url);
      await form.getByLabel('Username').fill(radicale.username);
      await form.getByLabel('Password').fill(radicale.password);
      await form.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByText('CONNECTED', { exact: true }).first().waitFor();

      await page.getByRole('checkbox', { name: 'Work', exact: true }).check();
      await expect(page.getByRole('checkbox', { name: 'Personal', exact: true }).isChecked()).resolves.toBe(false);
      await page.getByLabel('Write calendar').selectOption({ label: 'Work' });
      await page.getByRole('button', { name: 'Save calendars' }).click();

      const { externalCalendars } = await server.ok(ListExternalCalendarsDocument, { resourceId });
      expect(externalCalendars).toHaveLength(1);
      const calendars = await until('the selection to be saved', async () => {
        const { providerCalendars } = await server.ok(ListProviderCalendarsDocument, { externalCalendarId: externalCalendars[0].id });
        return providerCalendars.some((calendar) => calendar.read) ? providerCalendars : null;
      });
      const byName = Object.fromEntries(calendars.map((calendar) => [calendar.name, { read: calendar.read, write: calendar.write }]));
      expect(byName).toEqual({ Work: { read: true, write: true }, Personal: { read: false, write: false } });
      expect(admin.problems).toEqual([]);
    });

    it("runs a sync and shows each calendar's progress live, then SUCCEEDED with the skipped item and its reason", async () => {
      const { page } = admin;
      await radicale.putEvent(workCalendarUrl, 'broken@test', BROKEN);
      await page.getByRole('link', { name: 'Sync', exact: true }).click();
      await page.getByRole('heading', { name: 'Sync' }).waitFor();
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      // A reload would lose this: what the page shows next it learnt without one.
      await page.evaluate('window.notReloaded = true');

      const bar = page.getByRole('progressbar', { name: 'Work', exact: true });
      const row = page.locator('li.progress', { has: bar });
      const overall = page.getByRole('progressbar', { name: 'Calendars done' });
      // The run's first chunk waits behind the resource's row (its busy_version), so that the
      // calendar is seen RUNNING before it is stored. FOR NO KEY UPDATE, as the chunk's update
      // takes: the new sync_run row's foreign key check (KEY SHARE) is not held up.
      const knex = server.orm.em.getConnection().getKnex();
      const lock = await knex.client.acquireConnection();
      try {
        await lock.query('begin');
        await lock.query('select id from resource where id = $1 for no key update', [resourceId]);
        await page.getByRole('button', { name: 'Sync now' }).click();
        await until('the Work calendar to be RUNNING', async () => ((await row.getAttribute('data-status')) === 'RUNNING' ? true : null), 30_000);
        // Indeterminate: no provider says how many events a calendar holds.
        await expect(bar.getAttribute('value')).resolves.toBeNull();
        await expect(overall.getAttribute('aria-valuetext')).resolves.toBe('0 of 1');
        await expect(row.textContent()).resolves.toMatch(/RUNNING/);
      } finally {
        await lock.query('rollback');
        await knex.client.releaseConnection(lock);
      }

      // The card of this run, which holds the bars and the run's status.
      const run = page.getByRole('article').filter({ has: bar });
      await run.getByText('SUCCEEDED', { exact: true }).first().waitFor({ timeout: 30_000 });
      await until('the Work bar to be full', async () => ((await row.getAttribute('data-status')) === 'SUCCEEDED' ? true : null));
      expect([await bar.getAttribute('value'), await bar.getAttribute('max')]).toEqual(['1', '1']);
      await expect(overall.getAttribute('aria-valuetext')).resolves.toBe('1 of 1');
      await expect(row.textContent()).resolves.toMatch(/fetched 10 · stored 10 · deleted 0 · skipped 1/);
      const skipped = run.getByRole('list', { name: 'Skipped items' });
      await expect(skipped.textContent()).resolves.toMatch(/^Work broken@test: .*DTEND before DTSTART/);
      await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);

      const { resource } = await server.ok(LastSyncRunsDocument, { id: resourceId });
      expect(resource?.externalCalendars.map((calendar) => calendar.lastSyncRun?.status)).toEqual(['SUCCEEDED']);
      await screenshot(page, 'sync');
      expect(admin.problems).toEqual([]);
    });

    it('ingests a range of dates from the Sync page: one RANGE run over every connection, an inverted range refused with its code and field', async () => {
      const { page } = admin;
      const form = page.getByRole('form', { name: 'Ingest a range' });
      await form.getByLabel('From').fill('2026-12-14');
      await form.getByLabel('To (included)').fill('2026-12-07');
      await form.getByRole('button', { name: 'Ingest range' }).click();
      await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/BAD_USER_INPUT.*input\.to/);

      await form.getByLabel('From').fill('2026-12-07');
      await form.getByLabel('To (included)').fill('2026-12-13');
      await form.getByRole('button', { name: 'Ingest range' }).click();
      const card = page.getByRole('article', { name: 'Sync of Every connection of the resource' });
      await card.getByText('SUCCEEDED', { exact: true }).first().waitFor({ timeout: 30_000 });
      await expect(card.getByRole('heading', { level: 3 }).textContent()).resolves.toMatch(/RANGE/);
      // Midnights of the 7th and the 14th in the resource's zone (Europe/Paris since the test that edits it).
      const { syncRuns } = await server.ok(ListSyncRunsDocument, { filter: { resourceId }, first: 1 });
      const { syncRun } = await server.ok(GetSyncRunDocument, { id: syncRuns.edges[0].node.id });
      expect(syncRun).toMatchObject({
        kind: 'RANGE',
        status: 'SUCCEEDED',
        windowFrom: '2026-12-06T23:00:00.000Z',
        windowTo: '2026-12-13T23:00:00.000Z',
      });
      expect(admin.problems).toEqual([]);
    });

    it('draws an ingested recurring event on the right local hours across the change to summer time', async () => {
      await radicale.putEvent(workCalendarUrl, 'standup-dst@test', STANDUP);
      const { ingestExternalEvents } = await server.ok(IngestDocument, {
        input: { resourceId, from: '2027-03-15T00:00:00Z', to: '2027-04-05T00:00:00Z' },
      });
      expect((await server.finished(ingestExternalEvents.id)).status).toBe('SUCCEEDED');

      const { page } = admin;
      await page.getByRole('link', { name: 'Week', exact: true }).click();
      await page.getByRole('heading', { name: 'Week' }).waitFor();
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      // Dr. Ada's zone is Europe/Paris since the edit above: the same summer time as Berlin.
      await page.getByText(/times in Europe\/Paris/).waitFor();
      await showWeek(page, '2027-03-22');
      await page.getByText('Daily stand-up').first().waitFor();

      const { days, rows } = await weekGrid(page);
      expect(days).toEqual(['Mon 22 Mar', 'Tue 23 Mar', 'Wed 24 Mar', 'Thu 25 Mar', 'Fri 26 Mar', 'Sat 27 Mar', 'Sun 28 Mar']);
      const standUpAt = Object.fromEntries(
        Object.entries(rows)
          .map(([time, cells]) => [time, cells.map((cell, day) => (cell.includes('Daily stand-up') ? days[day] : null)).filter(Boolean)])
          .filter(([, found]) => found!.length > 0),
      );
      // Every day at 10:00 local, before the change (Saturday, 09:00 UTC) and after it (Sunday, 08:00 UTC).
      expect(standUpAt).toEqual({ '10:00': days });
      // 02:00 to 03:00 does not exist on the Sunday, and does on the Saturday.
      expect(rows['02:00'][6]).toContain('(no such time)');
      expect(rows['02:30'][6]).toContain('(no such time)');
      expect(rows['02:00'][5]).not.toContain('(no such time)');
      expect(rows['03:00'][6]).not.toContain('(no such time)');
      expect(admin.problems).toEqual([]);
    });

    it('explains a blocked slot when it gets the focus', async () => {
      const { page } = admin;
      // Monday 22 March 10:00, blocked by the stand-up (working hours 08:00-12:30 since the edit).
      const blocked = page.locator('.blocked', { hasText: 'Why is Mon 10:00 blocked?' });
      await blocked.focus();
      const explanation = page.locator('#explanation');
      await explanation.getByText(/blocked by/).waitFor();
      await expect(explanation.textContent()).resolves.toMatch(/^Mon 10:00: blocked by .*Daily stand-up/);
      expect(admin.problems).toEqual([]);
    });

    it('books a free slot, reschedules and cancels it, the export status changing live', async () => {
      const { page } = admin;
      const cell = (time: string) =>
        page
          .locator('tbody tr', { has: page.getByRole('rowheader', { name: time, exact: true }) })
          .locator('td')
          .first();
      const appointments = async () =>
        (
          await server.ok(ListAppointmentsDocument, {
            filter: { resourceIds: [resourceId], from: '2027-03-22T00:00:00Z', to: '2027-03-23T00:00:00Z' },
            first: 10,
          })
        ).appointments.edges.map((edge) => edge.node);

      await page.getByLabel('Title').fill('Check-up');
      await cell('08:00').getByRole('button', { name: 'Book', exact: true }).click();
      await cell('08:00').getByText('Check-up').waitFor();
      // The write calendar is Radicale's Work: the export is done by the worker and heard over the websocket.
      await cell('08:00').getByText('EXPORTED', { exact: true }).waitFor({ timeout: 30_000 });
      const [booked] = await appointments();
      expect(booked).toMatchObject({ title: 'Check-up', startsAt: '2027-03-22T07:00:00.000Z', exportStatus: 'EXPORTED' });
      // The grid scrolled from 01:00: the Sunday's missing hour, the appointment and the stand-ups in one picture.
      await page.evaluate(
        "[...document.querySelectorAll('table.week tbody th')].find((th) => th.textContent.trim() === '01:00').scrollIntoView({ block: 'start' }); window.scrollTo(0, 0)",
      );
      // The pointer off the grid and the explanation of the stand-up's slot shown in the picture.
      await page.mouse.move(0, 0);
      await page.locator('.blocked', { hasText: 'Why is Mon 10:00 blocked?' }).focus();
      await page
        .locator('#explanation')
        .getByText(/^Mon 10:00: blocked by/)
        .waitFor();
      await screenshot(page, 'week');

      await cell('08:00').getByRole('button', { name: 'Reschedule', exact: true }).click();
      await cell('11:00').getByRole('button', { name: 'Move here', exact: true }).click();
      await cell('11:00').getByText('Check-up').waitFor();
      await expect(cell('08:00').getByText('Check-up').count()).resolves.toBe(0);
      await until('the moved appointment to be exported', async () => {
        const [moved] = await appointments();
        return moved?.startsAt === '2027-03-22T10:00:00.000Z' && moved.exportStatus === 'EXPORTED' && moved.version > booked.version;
      });
      await cell('11:00').getByText('EXPORTED', { exact: true }).waitFor();

      await cell('11:00').getByRole('button', { name: 'Cancel', exact: true }).click();
      await until('the appointment to leave the grid', async () => (await cell('11:00').getByText('Check-up').count()) === 0);
      const [cancelled] = await appointments();
      expect(cancelled.status).toBe('CANCELLED');
      expect(admin.problems).toEqual([]);
    });

    it('gives a read-only key every page but disables what would change something', async () => {
      const { createApiKey } = await server.ok(CreateApiKeyDocument, { input: { name: 'console read-only', readOnly: true } });
      const { page, problems } = await open();
      await signIn(page, createApiKey.secret);
      await page.getByRole('link', { name: 'Resources', exact: true }).click();
      await page.getByText('Dr. Ada', { exact: true }).waitFor();
      await page.getByText('Room 101', { exact: true }).waitFor();
      await expect(page.getByRole('button', { name: 'Create resource' }).isDisabled()).resolves.toBe(true);

      await page.getByRole('link', { name: 'Connections', exact: true }).click();
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      await page.getByText('CONNECTED', { exact: true }).first().waitFor();
      await expect(page.getByRole('button', { name: 'Connect', exact: true }).isDisabled()).resolves.toBe(true);

      await page.getByRole('link', { name: 'Sync', exact: true }).click();
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      // Once the connection is listed, only the key can be why "Sync now" is disabled.
      await page.getByText('CONNECTED', { exact: true }).first().waitFor();
      await expect(page.getByRole('button', { name: 'Sync now' }).isDisabled()).resolves.toBe(true);

      await page.getByRole('link', { name: 'Week', exact: true }).click();
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      await page.getByText(/times in Europe\/Paris/).waitFor();
      await showWeek(page, '2027-03-22');
      const book = page.getByRole('button', { name: 'Book', exact: true });
      await book.first().waitFor();
      const states = await Promise.all((await book.all()).map((button) => button.isDisabled()));
      expect(states.length).toBeGreaterThan(10);
      expect(states.filter((disabled) => !disabled)).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('signs a page out when its key is revoked', async () => {
      const { createApiKey } = await server.ok(CreateApiKeyDocument, { input: { name: 'console revoked' } });
      const { page } = await open();
      await signIn(page, createApiKey.secret);
      await page.getByRole('link', { name: 'Resources', exact: true }).click();
      await page.getByText('Dr. Ada', { exact: true }).waitFor();

      await server.ok(RevokeApiKeyDocument, { id: createApiKey.apiKey.id });
      // The next request the page makes is refused; moving to another page makes one.
      await page.getByRole('link', { name: 'Connections', exact: true }).click();
      await page.getByLabel('API key').waitFor({ timeout: 15_000 });
      await expect(page.getByText(/signed out/i).count()).resolves.toBeGreaterThan(0);
      expect((await storage(page)).session).not.toContain(createApiKey.secret);
    });

    it('lists resources a Relay page at a time, the next one on "More"', async () => {
      // A tenant of its own, so that the count is this test's.
      const other = await server.createTenant('console-pages');
      const names = Array.from({ length: 25 }, (_, i) => `Desk ${String(i + 1).padStart(2, '0')}`);
      for (const name of names) {
        const created = await server.gql(CreateResourceDocument, { input: { name, timeZone: 'UTC' } }, other.apiKey);
        expect(created.errors).toBeUndefined();
      }
      const { page, problems } = await open();
      await signIn(page, other.apiKey);
      await page.getByRole('link', { name: 'Resources', exact: true }).click();
      const listed = () => page.getByRole('button', { name: /^Desk \d\d$/ }).allTextContents();
      await page.getByRole('button', { name: 'Desk 01', exact: true }).waitFor();
      const first = await listed();
      expect(first.length).toBeGreaterThan(0);
      expect(first.length).toBeLessThan(names.length);
      await page.getByRole('button', { name: 'More', exact: true }).click();
      await until('the next page', async () => (await listed()).length > first.length);
      while (await page.getByRole('button', { name: 'More', exact: true }).count()) {
        const before = (await listed()).length;
        await page.getByRole('button', { name: 'More', exact: true }).click();
        await until('the next page', async () => (await listed()).length > before);
      }
      expect((await listed()).sort()).toEqual(names);
      expect(problems).toEqual([]);
    });

    it('shows a CalDAV password changed on the server live as REAUTH_REQUIRED with its reason; "Update password" connects it again', async () => {
      const { page } = admin;
      await page.getByRole('link', { name: 'Connections', exact: true }).click();
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      const card = page.getByRole('article', { name: 'CALDAV alice', exact: true });
      await card.getByText('CONNECTED', { exact: true }).waitFor();
      await page.evaluate('window.notReloaded = true');

      await radicale.setPassword('a new password nobody told Calsync');
      const [connection] = (await server.ok(ListExternalCalendarsDocument, { resourceId })).externalCalendars;
      await server.finished((await server.ok(SyncCalendarDocument, { externalCalendarId: connection.id })).syncExternalCalendar.id);
      await card.getByText('REAUTH_REQUIRED', { exact: true }).waitFor({ timeout: 15_000 });
      // The reason the gateway recorded, as it recorded it.
      const refused = (await server.ok(GetExternalCalendarDocument, { id: connection.id })).externalCalendar!;
      expect(refused).toMatchObject({ status: 'REAUTH_REQUIRED', lastError: expect.stringMatching(/\S/) });
      await expect(card.locator('.reason').first().textContent()).resolves.toBe(refused.lastError);
      await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);

      await card.getByLabel('New password').fill('a new password nobody told Calsync');
      await card.getByRole('button', { name: 'Update password' }).click();
      await card.getByText('CONNECTED', { exact: true }).waitFor({ timeout: 15_000 });
      const { externalCalendar } = await server.ok(GetExternalCalendarDocument, { id: connection.id });
      expect(externalCalendar?.status).toBe('CONNECTED');
      expect(admin.problems).toEqual([]);
    });

    it('subscribes to an ICS feed by its URL, which is never shown back', async () => {
      const { page } = admin;
      const token = 'Zq7fW0secretFeedToken';
      feeds.publish(`/calendars/${token}/basic.ics`, { body: FEED });
      const form = page.getByRole('form', { name: 'Subscribe to an ICS feed' });
      await form.getByLabel('ICS feed URL').fill(`${feeds.url}/calendars/${token}/basic.ics`);
      await form.getByRole('button', { name: 'Add feed' }).click();
      const card = page.getByRole('article', { name: /^ICS/ });
      await card.getByText('CONNECTED', { exact: true }).waitFor({ timeout: 15_000 });
      await card.getByRole('checkbox', { name: 'Holidays', exact: true }).waitFor();
      await form.getByLabel('ICS feed URL').fill('');
      // The feed's URL is a secret: the page holds it nowhere once the form is cleared.
      await expect(page.content()).resolves.not.toContain(token);
      expect(feeds.requests.some((request) => request.path.includes(token))).toBe(true);
      expect(admin.problems).toEqual([]);
    });

    it('fits a 375 px wide screen on every page', async () => {
      const { page, problems } = await open({ width: 375, height: 740 });
      const overflowing: Record<string, { width: number; culprits: string[] }> = {};
      const measure = async (name: string) => {
        const { scroll, viewport } = await widths(page);
        expect(viewport).toBe(375);
        if (scroll > 375) overflowing[name] = { width: scroll, culprits: await tooWide(page) };
      };
      await measure('sign-in');
      await signIn(page, server.apiKey);
      for (const name of ['Resources', 'Connections', 'Sync', 'Week', 'Appointments']) {
        await page.getByRole('link', { name, exact: true }).click();
        await page.getByRole('heading', { name }).first().waitFor();
        if (name === 'Resources') await page.getByText('Dr. Ada', { exact: true }).first().waitFor();
        if (name === 'Connections' || name === 'Sync') await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
        await measure(name);
      }
      // The pages whose content is wider than the screen, with their width and what reaches past it.
      expect(overflowing).toEqual({});
      expect(problems).toEqual([]);
    });
  },
  [radicaleAvailable],
);
