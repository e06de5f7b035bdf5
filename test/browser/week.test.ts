import type { Browser, Locator, Page } from 'playwright-core';
import {
  BulkUpsertExternalEventsDocument,
  ConnectByCredentialsDocument,
  CreateResourceDocument,
  IngestDocument,
  ListAppointmentsDocument,
  ListEventsDocument,
  SelectCalendarsDocument,
  UpdateSyncConfigDocument,
} from '../graphql/generated';
import {
  buildConsole,
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
import { until } from '../helpers/processes';
import { startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** One event with a title in Radicale, Tuesday 26 Oct 2027 11:00-12:00 Berlin (09:00-10:00 UTC), read with privateImport. */
const PRIVATE_CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'X-WR-CALNAME:Private',
  'BEGIN:VEVENT',
  'UID:surgery@test',
  'DTSTAMP:20261101T000000Z',
  'DTSTART:20271026T090000Z',
  'DTEND:20271026T100000Z',
  'SUMMARY:Secret surgery',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** A week grid as text: its accessible name (aria-labelledby), day headers, row headers in order, and each row's cells by its header. */
interface Grid {
  name: string;
  days: string[];
  order: string[];
  rows: Record<string, string[]>;
}

/** The page's week grids (table.week), in document order. */
const weekGrids = (page: Page) =>
  page.evaluate<Grid[]>(`[...document.querySelectorAll('table.week')].map((table) => {
    const days = [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent.trim());
    const order = [];
    const rows = {};
    for (const tr of table.querySelectorAll('tbody tr')) {
      const time = tr.querySelector('th').textContent.trim();
      order.push(time);
      rows[time] = [...tr.querySelectorAll('td')].map((td) => td.textContent);
    }
    return { name: document.getElementById(table.getAttribute('aria-labelledby')).textContent.trim(), days, order, rows };
  })`);

/** Chooses `primary` as "Resource" and ticks exactly the resources named in `besides` under "Side by side". */
async function showResources(page: Page, primary: string, besides: string[] = []): Promise<void> {
  await resourceSelect(page).selectOption({ label: primary });
  const labels = page.getByRole('group', { name: 'Side by side' }).locator('label');
  await labels.first().waitFor();
  for (const label of await labels.all()) {
    const text = (await label.textContent()) ?? '';
    await label.getByRole('checkbox').setChecked(besides.some((name) => text.startsWith(name)));
  }
  await until('the grids to be drawn', async () => (await page.locator('table.week').count()) === 1 + besides.length);
}

/** Types `date` (ISO) into "Week of" and waits for the week of its Monday (`mondayText`, e.g. "25 Oct 2027"). */
async function jumpTo(page: Page, date: string, mondayText: string): Promise<void> {
  await page.getByLabel('Week of').fill(date);
  await page.getByText(`Week of ${mondayText}`, { exact: false }).waitFor();
}

/** The td of `grid` (a table.week) in the row headed `time` and the column of the `day`-th day (0 = Monday). */
const cell = (grid: Locator, time: string, day: number) =>
  grid
    .locator('tbody tr', { has: grid.page().getByRole('rowheader', { name: time, exact: true }) })
    .locator('td')
    .nth(day);

describeInBrowser(
  'the console’s Week page in Chromium: a date to jump to, several resources side by side, clock changes, private events, busy weeks',
  () => {
    let browser: Browser;
    let radicale: RadicaleServer;
    let server: TestServer;
    let berlin: string;
    let newYork: string;
    /** The signed-in console the tests share; each test chooses the resources and the week it looks at. */
    let shared: ConsolePage;
    const opened: ConsolePage[] = [];

    const open = async (viewport?: { width: number; height: number }) => {
      const consolePage = await openConsole(browser, server.url, viewport);
      opened.push(consolePage);
      await signIn(consolePage.page, server.apiKey);
      await consolePage.page.getByRole('link', { name: 'Week', exact: true }).click();
      await consolePage.page.getByRole('heading', { name: 'Week' }).waitFor();
      return consolePage;
    };
    const push = (resourceId: string, items: { externalId: string; title: string; startsAt: string; endsAt: string }[]) =>
      server.ok(BulkUpsertExternalEventsDocument, { input: { resourceId, items } });

    beforeAll(async () => {
      buildConsole();
      [browser, radicale, server] = await Promise.all([launchChromium(), startRadicale(), startTestServer()]);
      const create = async (name: string, timeZone: string) =>
        (await server.ok(CreateResourceDocument, { input: { name, timeZone, workingHours: WEEKDAYS_NINE_TO_FIVE } })).createResource.id;
      berlin = await create('Clinic Berlin', 'Europe/Berlin');
      newYork = await create('Clinic New York', 'America/New_York');
      const desk = await create('Busy desk', 'UTC');

      // Wednesday 27 Oct 2027 14:00 UTC: 16:00 in Berlin (CEST), 10:00 in New York (EDT).
      const call = { externalId: 'call', title: 'Joint call', startsAt: '2027-10-27T14:00:00Z', endsAt: '2027-10-27T15:00:00Z' };
      await push(berlin, [
        call,
        // Sunday 31 Oct 2027, Berlin's clocks go back at 03:00 CEST (01:00 UTC): 02:30 happens twice.
        { externalId: 'before', title: 'Before the change', startsAt: '2027-10-31T00:30:00Z', endsAt: '2027-10-31T01:00:00Z' },
        { externalId: 'after', title: 'After the change', startsAt: '2027-10-31T01:30:00Z', endsAt: '2027-10-31T02:00:00Z' },
      ]);
      await push(newYork, [call]);
      // 150 half-hour tasks from Monday 1 Nov 2027 00:00 UTC: more than the API's largest page (100).
      await push(
        desk,
        Array.from({ length: 150 }, (_, i) => ({
          externalId: `task-${i + 1}`,
          title: `Task ${i + 1}`,
          startsAt: new Date(Date.parse('2027-11-01T00:00:00Z') + i * 30 * 60_000).toISOString(),
          endsAt: new Date(Date.parse('2027-11-01T00:30:00Z') + i * 30 * 60_000).toISOString(),
        })),
      );

      // A Radicale calendar read privately by Clinic Berlin: its event is stored without its title.
      await radicale.putCalendar('private', PRIVATE_CALENDAR);
      const { connectExternalCalendarByCredentials: connection } = await server.ok(ConnectByCredentialsDocument, {
        input: { resourceId: berlin, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: radicale.password },
      });
      const calendar = connection.providerCalendars.find((c) => c.providerCalendarId.endsWith('/private/'))!;
      await server.ok(UpdateSyncConfigDocument, { externalCalendarId: connection.id, input: { privateImport: true } });
      await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connection.id, readCalendarIds: [calendar.id] } });
      const { ingestExternalEvents } = await server.ok(IngestDocument, {
        input: { resourceId: berlin, from: '2027-10-18T00:00:00Z', to: '2027-11-08T00:00:00Z' },
      });
      expect((await server.finished(ingestExternalEvents.id)).status).toBe('SUCCEEDED');

      shared = await open();
    }, 180_000);

    afterAll(async () => {
      for (const consolePage of opened) await consolePage.close().catch(() => undefined);
      await browser?.close();
      await server?.close();
      await radicale?.stop();
    });

    it('shows the week of a date typed into "Week of", and moves on from there', async () => {
      const { page, problems } = shared;
      await showResources(page, 'Clinic Berlin');
      await jumpTo(page, '2027-10-27', '25 Oct 2027');
      // The input shows the week's Monday, whatever day of it was typed.
      await expect(page.getByLabel('Week of').inputValue()).resolves.toBe('2027-10-25');
      const [grid] = await weekGrids(page);
      expect(grid.days).toEqual(['Mon 25 Oct', 'Tue 26 Oct', 'Wed 27 Oct', 'Thu 28 Oct', 'Fri 29 Oct', 'Sat 30 Oct', 'Sun 31 Oct']);
      await page.getByText('Joint call').waitFor();

      await page.getByRole('button', { name: 'Next week', exact: true }).click();
      await page.getByText('Week of 1 Nov 2027', { exact: false }).waitFor();
      await expect(page.getByLabel('Week of').inputValue()).resolves.toBe('2027-11-01');
      expect((await weekGrids(page))[0].days[0]).toBe('Mon 1 Nov');
      expect(problems).toEqual([]);
    });

    it('draws the day Berlin’s clocks go back with 02:00-02:59 twice, an event of each in its own cell', async () => {
      const { page, problems } = shared;
      await showResources(page, 'Clinic Berlin');
      await jumpTo(page, '2027-10-31', '25 Oct 2027');
      await page.getByText('After the change').waitFor();
      const [grid] = await weekGrids(page);
      const at = grid.order.indexOf('02:00');
      // The repeated half hours follow the first ones, in the order the Sunday lives them.
      expect(grid.order.slice(at, at + 5)).toEqual(['02:00', '02:30', '02:00 (UTC+1)', '02:30 (UTC+1)', '03:00']);
      expect(grid.order).toHaveLength(50);
      const sunday = 6;
      expect(grid.rows['02:30'][sunday]).toContain('Before the change');
      expect(grid.rows['02:30'][sunday]).toContain('Sun 02:30 UTC+2');
      expect(grid.rows['02:30'][sunday]).not.toContain('After the change');
      expect(grid.rows['02:30 (UTC+1)'][sunday]).toContain('After the change');
      expect(grid.rows['02:30 (UTC+1)'][sunday]).toContain('Sun 02:30 UTC+1');
      // The other days have no second 02:30, the Sunday has every row.
      for (let day = 0; day < sunday; day++) expect(grid.rows['02:30 (UTC+1)'][day]).toContain('(no such time)');
      expect(Object.values(grid.rows).filter((cells) => cells[sunday].includes('(no such time)'))).toEqual([]);
      // The cells are the instants, in UTC.
      const table = page.locator('table.week');
      await expect(cell(table, '02:30', sunday).getAttribute('data-start')).resolves.toBe('2027-10-31T00:30:00.000Z');
      await expect(cell(table, '02:30 (UTC+1)', sunday).getAttribute('data-start')).resolves.toBe('2027-10-31T01:30:00.000Z');
      await expect(cell(table, '03:00', sunday).getAttribute('data-start')).resolves.toBe('2027-10-31T02:00:00.000Z');
      await page.getByText('Sun 31 Oct: at 03:00 UTC+2 clocks go back 60 minutes to 02:00 UTC+1.').waitFor();
      expect(problems).toEqual([]);
    });

    it('draws the day Berlin’s clocks go forward without 02:00-02:59', async () => {
      const { page, problems } = shared;
      await showResources(page, 'Clinic Berlin');
      await jumpTo(page, '2027-03-24', '22 Mar 2027');
      await page.getByText('Sun 28 Mar: at 02:00 UTC+1 clocks go forward 60 minutes to 03:00 UTC+2.').waitFor();
      const [grid] = await weekGrids(page);
      expect(grid.order).toHaveLength(48);
      expect(grid.order.filter((time) => time.includes('('))).toEqual([]);
      expect(grid.rows['02:00'][6]).toContain('(no such time)');
      expect(grid.rows['02:30'][6]).toContain('(no such time)');
      expect(grid.rows['03:00'][6]).not.toContain('(no such time)');
      expect(grid.rows['02:00'][5]).not.toContain('(no such time)');
      await expect(cell(page.locator('table.week'), '03:00', 6).getAttribute('data-start')).resolves.toBe('2027-03-28T01:00:00.000Z');
      expect(problems).toEqual([]);
    });

    it('shows a privately imported event as "Busy", without its title', async () => {
      const { events } = await server
        .ok(ListEventsDocument, { filter: { resourceIds: [berlin], from: '2027-10-26T00:00:00Z', to: '2027-10-27T00:00:00Z' } })
        .then((data) => ({
          events: data.externalEvents.edges.map((edge) => edge.node),
        }));
      // The API stored the event without the title Radicale has.
      expect(events.map((event) => ({ title: event.title, startsAt: event.startsAt }))).toEqual([{ title: null, startsAt: '2027-10-26T09:00:00.000Z' }]);

      const { page, problems } = shared;
      await showResources(page, 'Clinic Berlin');
      await jumpTo(page, '2027-10-26', '25 Oct 2027');
      const table = page.locator('table.week');
      const surgery = cell(table, '11:00', 1);
      await surgery.getByText('Busy', { exact: false }).waitFor();
      await expect(surgery.getAttribute('class')).resolves.toContain('busy');
      await expect(cell(table, '11:30', 1).getAttribute('class')).resolves.toContain('busy');
      await expect(page.getByText('Secret surgery').count()).resolves.toBe(0);
      // Its explanation names it "Busy" too.
      await surgery.locator('.blocked').focus();
      await page
        .locator('#explanation')
        .getByText(/^Tue 11:00: blocked by .*\(Busy/)
        .waitFor();
      expect(problems).toEqual([]);
    });

    it('draws every event of a week busier than the API’s largest page', async () => {
      const { page, problems } = shared;
      await showResources(page, 'Busy desk');
      await jumpTo(page, '2027-11-03', '1 Nov 2027');
      await page.getByText('Task 150', { exact: true }).waitFor();
      const titles = await page.locator('table.week .item').allTextContents();
      expect(titles.filter((title) => /^Task \d+$/.test(title))).toHaveLength(150);
      // Thursday 4 Nov 02:30 UTC, the last of them (74.5 hours after the first).
      expect((await weekGrids(page))[0].rows['02:30'][3]).toContain('Task 150');
      expect(problems).toEqual([]);
    });

    it('draws two resources side by side, each in its own zone, and books in the second one for its resource', async () => {
      const { page, problems } = shared;
      await showResources(page, 'Clinic Berlin', ['Clinic New York']);
      await jumpTo(page, '2027-10-27', '25 Oct 2027');
      await page.getByText(/each resource in its own time zone/).waitFor();
      const [berlinGrid, newYorkGrid] = await page.locator('table.week').all();
      await newYorkGrid.getByText('Joint call').waitFor();
      await berlinGrid.getByText('Joint call').waitFor();
      const [b, n] = await weekGrids(page);
      expect([b.name, n.name]).toEqual(['Clinic Berlin (Europe/Berlin)', 'Clinic New York (America/New_York)']);
      await expect(page.getByRole('grid', { name: 'Clinic New York (America/New_York)' }).count()).resolves.toBe(1);
      expect(n.days).toEqual(b.days);
      // The same instant at each one's local hours: 16:00 CEST and 10:00 EDT.
      const callAt = (grid: Grid) => Object.entries(grid.rows).flatMap(([time, cells]) => (cells[2].includes('Joint call') ? [time] : []));
      expect(callAt(b)).toEqual(['16:00']);
      expect(callAt(n)).toEqual(['10:00']);
      // New York's clocks go back a week later: its Sunday is an ordinary one.
      expect(n.order).toHaveLength(48);
      expect(b.order).toHaveLength(50);
      const [berlinBox, newYorkBox] = await Promise.all((await page.locator('.week-grid').all()).map((grid) => grid.boundingBox()));
      expect(newYorkBox!.y).toBeCloseTo(berlinBox!.y, 0);
      expect(newYorkBox!.x).toBeGreaterThanOrEqual(berlinBox!.x + berlinBox!.width);

      // A blocked cell of the second grid is explained for its resource.
      await newYorkGrid.locator('.blocked', { hasText: 'Why is Wed 10:00 blocked?' }).focus();
      await page
        .locator('#explanation')
        .getByText(/^Clinic New York, Wed 10:00: blocked by .*Joint call/)
        .waitFor();

      // Both grids scrolled to 08:00, the explanation shown, for the README's picture.
      await page.evaluate(
        "document.querySelectorAll('.week-wrap').forEach((wrap) => { const th = [...wrap.querySelectorAll('tbody th')].find((h) => h.textContent.trim() === '08:00'); wrap.scrollTop = th.offsetTop - wrap.querySelector('thead').offsetHeight; }); window.scrollTo(0, 0)",
      );
      await screenshot(page, 'week-side-by-side');

      await page.getByLabel('Title').fill('Side visit');
      await cell(newYorkGrid, '11:00', 2).getByRole('button', { name: 'Book', exact: true }).click();
      await cell(newYorkGrid, '11:00', 2).getByText('Side visit').waitFor();
      await expect(cell(berlinGrid, '11:00', 2).getByText('Side visit').count()).resolves.toBe(0);
      const booked = async (resourceId: string) =>
        (
          await server.ok(ListAppointmentsDocument, {
            filter: { resourceIds: [resourceId], from: '2027-10-25T00:00:00Z', to: '2027-11-01T00:00:00Z' },
            first: 10,
          })
        ).appointments.edges.map((edge) => ({ title: edge.node.title, startsAt: edge.node.startsAt, status: edge.node.status }));
      // 11:00 EDT is 15:00 UTC.
      await expect(booked(newYork)).resolves.toEqual([{ title: 'Side visit', startsAt: '2027-10-27T15:00:00.000Z', status: 'CONFIRMED' }]);
      await expect(booked(berlin)).resolves.toEqual([]);
      await cell(newYorkGrid, '11:00', 2).getByRole('button', { name: 'Cancel', exact: true }).click();
      await until('the appointment to leave the grid', async () => (await cell(newYorkGrid, '11:00', 2).getByText('Side visit').count()) === 0);
      expect(problems).toEqual([]);
    });

    it('stacks the grids on a 375 px wide screen, the page no wider than it', async () => {
      const { page, problems } = await open({ width: 375, height: 740 });
      await showResources(page, 'Clinic Berlin', ['Clinic New York']);
      await jumpTo(page, '2027-10-27', '25 Oct 2027');
      await page.locator('table.week').nth(1).getByText('Joint call').waitFor();
      const { scroll, viewport } = await widths(page);
      expect(viewport).toBe(375);
      expect(scroll).toBeLessThanOrEqual(375);
      const [berlinBox, newYorkBox] = await Promise.all((await page.locator('.week-grid').all()).map((grid) => grid.boundingBox()));
      expect(newYorkBox!.y).toBeGreaterThanOrEqual(berlinBox!.y + berlinBox!.height);
      expect(berlinBox!.x + berlinBox!.width).toBeLessThanOrEqual(375);
      expect(newYorkBox!.x + newYorkBox!.width).toBeLessThanOrEqual(375);
      expect(problems).toEqual([]);
    });
  },
  [radicaleAvailable],
);
