/**
 * The console's accessibility in Chromium: every page audited by axe-core (the WCAG 2.0/2.1 A and
 * AA rules, no violation of impact serious or critical) at 1280 and at 375 px wide, and the Week
 * page used with the keyboard alone (Tab, Shift+Tab, Enter, Space, and the data grid's arrows,
 * Home/End, Ctrl+Home/Ctrl+End, PageUp/PageDown in a week): sign in, reach the page through the
 * navigation, Tab through two weeks side by side (one tab stop each), hear why a slot is blocked,
 * book a free one and cancel it, the focus always visible and put somewhere sensible when the page
 * changes under it. Real gateway, worker, PostgreSQL and Radicale.
 */
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import {
  ConnectByCredentialsDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  IngestDocument,
  ListAppointmentsDocument,
  SelectCalendarsDocument,
} from '../graphql/generated';
import {
  auditPage,
  buildConsole,
  describeInBrowser,
  launchChromium,
  openConsole,
  radicaleAvailable,
  resourceSelect,
  signIn,
  WEEKDAYS_NINE_TO_FIVE,
  type ConsolePage,
} from '../helpers/browser';
import { until } from '../helpers/processes';
import { startRadicale, type RadicaleServer } from '../helpers/radicale';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Next week's Monday in Berlin (the console's "Next week" from this one): the week the tests look at. */
const MONDAY = DateTime.now().setZone('Europe/Berlin').startOf('week').plus({ weeks: 1 });
const at = (day: number, time: string) => MONDAY.plus({ days: day }).set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)) });
const ics = (time: DateTime) => time.toUTC().toFormat("yyyyLLdd'T'HHmmss'Z'");

/** Tuesday 10:00-11:00 Berlin of that week, in Radicale. */
const WORK_CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'X-WR-CALNAME:Work',
  'BEGIN:VEVENT',
  'UID:team-meeting@test',
  'DTSTAMP:20261101T000000Z',
  `DTSTART:${ics(at(1, '10:00'))}`,
  `DTEND:${ics(at(1, '11:00'))}`,
  'SUMMARY:Team meeting',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/**
 * What has the keyboard focus: its tag, name or text (or its label's), the start of its cell, and
 * its focus indicator: an outline's contrast with the background around the element (WCAG 1.4.11
 * asks 3:1), or 0 when it has none (the console's indicators are outlines). In a week grid: which
 * one (0 for the first table.week, -1 outside them), its cell's row (from 0, in the body) and
 * column (0 = Monday), the row's time, the number of rows and its tabIndex.
 */
interface Focused {
  tag: string;
  text: string;
  start: string | null;
  indicator: number;
  grid: number;
  row: number;
  column: number;
  time: string | null;
  rows: number;
  tabIndex: number;
}

const focused = (page: Page) =>
  page.evaluate<Focused>(`(() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    const rgb = (color) => color.match(/[\\d.]+/g).map(Number);
    const luminance = (color) => {
      const [r, g, b] = rgb(color).slice(0, 3).map((c) => c / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    // The outline is drawn outside the element: over the first opaque background of its ancestors.
    let around = e.parentElement;
    while (around && (rgb(getComputedStyle(around).backgroundColor)[3] ?? 1) === 0) around = around.parentElement;
    const background = around ? getComputedStyle(around).backgroundColor : 'rgb(255, 255, 255)';
    const [light, dark] = [luminance(style.outlineColor), luminance(background)].sort((a, b) => b - a);
    // Its text without what is hidden from assistive technologies (a closed slot's dot).
    const spoken = e.cloneNode(true);
    spoken.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {
      tag: e.tagName.toLowerCase(),
      text: (e.getAttribute('aria-label') || spoken.textContent.trim() || e.id || e.closest('label')?.innerText || '').trim(),
      start: e.closest('td')?.getAttribute('data-start') ?? null,
      indicator: outline ? Math.round(((light + 0.05) / (dark + 0.05)) * 10) / 10 : 0,
      grid: [...document.querySelectorAll('table.week')].indexOf(e.closest('table.week')),
      row: e.closest('td')?.parentElement.sectionRowIndex ?? -1,
      column: (e.closest('td')?.cellIndex ?? 0) - 1,
      time: e.closest('tr')?.querySelector('th')?.textContent.trim() ?? null,
      rows: e.closest('tbody')?.rows.length ?? 0,
      tabIndex: e.tabIndex,
    };
  })()`);

/** Presses `key` until the focused element satisfies `wanted` (at most `max` times); the elements passed on the way, for the failure message. */
async function pressUntil(page: Page, key: 'Tab' | 'Shift+Tab', wanted: (f: Focused) => boolean, max = 600): Promise<Focused> {
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (wanted(now)) return now;
    passed.push(`${now.tag} ${now.text}`);
  }
  throw new Error(`${key} ${max} times did not reach the element; passed ${passed.slice(-10).join(' | ')}`);
}

/** Presses `key` and returns what has the focus then. */
async function press(page: Page, key: string): Promise<Focused> {
  await page.keyboard.press(key);
  return focused(page);
}

/** Where a focused element is in the week grids: grid, row, column. */
const cellOf = (f: Focused) => ({ grid: f.grid, row: f.row, column: f.column });

describeInBrowser(
  'the console’s accessibility in Chromium: axe-core on every page at 1280 and 375 px, and the Week page by keyboard alone',
  () => {
    let browser: Browser;
    let radicale: RadicaleServer;
    let server: TestServer;
    let adaId: string;
    const opened: ConsolePage[] = [];

    beforeAll(async () => {
      buildConsole();
      [browser, radicale, server] = await Promise.all([launchChromium(), startRadicale(), startTestServer()]);
      const create = async (name: string, timeZone: string) =>
        (await server.ok(CreateResourceDocument, { input: { name, timeZone, workingHours: WEEKDAYS_NINE_TO_FIVE } })).createResource.id;
      adaId = await create('Dr. Ada', 'Europe/Berlin');
      // A second resource, to draw two week grids side by side.
      await create('Room 2', 'America/New_York');

      await radicale.putCalendar('work', WORK_CALENDAR);
      const { connectExternalCalendarByCredentials: connection } = await server.ok(ConnectByCredentialsDocument, {
        input: { resourceId: adaId, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: radicale.password },
      });
      const work = connection.providerCalendars.find((c) => c.providerCalendarId.endsWith('/work/'))!;
      await server.ok(SelectCalendarsDocument, { input: { externalCalendarId: connection.id, readCalendarIds: [work.id], writeCalendarId: work.id } });
      const { ingestExternalEvents } = await server.ok(IngestDocument, {
        input: { resourceId: adaId, from: MONDAY.minus({ weeks: 1 }).toUTC().toISO()!, to: MONDAY.plus({ weeks: 2 }).toUTC().toISO()! },
      });
      expect((await server.finished(ingestExternalEvents.id)).status).toBe('SUCCEEDED');
      await server.ok(CreateAppointmentDocument, {
        input: { resourceId: adaId, title: 'Check-up', startsAt: at(2, '11:00').toUTC().toISO()!, endsAt: at(2, '11:30').toUTC().toISO()! },
      });
    }, 180_000);

    afterAll(async () => {
      for (const consolePage of opened) await consolePage.close().catch(() => undefined);
      await browser?.close();
      await server?.close();
      await radicale?.stop();
    });

    /** Each page in the state the audit looks at, and axe's findings on it, by page. */
    const auditEveryPage = async (viewport: { width: number; height: number }) => {
      // axe-core is injected as an inline script, which the console's CSP forbids: this context
      // alone, the audit's, bypasses the policy. The gateway serves it unchanged (console.test.ts).
      const consolePage = await openConsole(browser, server.url, viewport, { bypassCSP: true });
      opened.push(consolePage);
      const { page, problems } = consolePage;
      const found: Record<string, string[]> = {};
      const audit = async (name: string) => {
        const violations = await auditPage(page);
        if (violations.length > 0) found[name] = violations;
      };
      const go = async (name: string) => {
        await page.getByRole('link', { name, exact: true }).click();
        await page.getByRole('heading', { name, level: 1 }).waitFor();
      };

      await page.getByLabel('API key').waitFor();
      await audit('sign-in');
      await signIn(page, server.apiKey);

      await page.getByRole('button', { name: 'Dr. Ada', exact: true }).click();
      await page.getByRole('button', { name: 'Save resource' }).waitFor();
      await audit('Resources with the edit form');

      await go('Connections');
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      const card = page.getByRole('article', { name: 'CALDAV alice', exact: true });
      await card.getByRole('button', { name: 'Save calendars' }).waitFor();
      await card.getByText('Sync settings', { exact: true }).click();
      await card.getByRole('button', { name: 'Save sync settings' }).waitFor();
      await audit('Connections with a CalDAV connection, its calendars and settings');

      await go('Sync');
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      await page.getByText('CONNECTED', { exact: true }).first().waitFor();
      await page.getByRole('button', { name: 'Sync now' }).click();
      const run = page.getByRole('article', { name: 'Sync of CALDAV alice' });
      await run.locator('strong', { hasText: /^SUCCEEDED$/ }).waitFor({ timeout: 30_000 });
      await page.locator('table tbody tr').first().waitFor();
      await audit('Sync after a finished run');

      await go('Week');
      await resourceSelect(page).selectOption({ label: 'Dr. Ada' });
      await page.getByRole('group', { name: 'Side by side' }).getByRole('checkbox').check();
      await page.getByLabel('Week of').fill(MONDAY.toISODate()!);
      await page.locator('table.week').nth(1).waitFor();
      await page.getByText('Team meeting').waitFor();
      await page.getByText('Check-up').waitFor();
      await page.locator('.blocked', { hasText: 'Why is Tue 10:00 blocked?' }).first().focus();
      await page
        .locator('#explanation')
        .getByText(/blocked by/)
        .waitFor();
      await audit('Week, two resources side by side, an explanation shown');

      await go('Appointments');
      await page.getByText('Check-up').first().waitFor();
      await audit('Appointments');
      expect(problems).toEqual([]);
      return found;
    };

    it('has no serious or critical WCAG 2.1 A/AA violation on any page at 1280 px', async () => {
      // By page: `rule (impact): help — the elements' selectors`.
      expect(await auditEveryPage({ width: 1280, height: 900 })).toEqual({});
    }, 120_000);

    it('has no serious or critical WCAG 2.1 A/AA violation on any page at 375 px', async () => {
      expect(await auditEveryPage({ width: 375, height: 740 })).toEqual({});
    }, 120_000);

    it('signs in, reaches the Week page, explains a blocked slot, books and cancels by keyboard alone, the focus always visible', async () => {
      const consolePage = await openConsole(browser, server.url);
      opened.push(consolePage);
      const { page, problems } = consolePage;
      /** The contrast of the focus indicators of the controls passed through, by control. */
      const indicators: Record<string, number> = {};
      const note = (f: Focused) => (indicators[`${f.tag} ${f.text}`] = f.indicator);

      note(await pressUntil(page, 'Tab', (f) => f.tag === 'input' && f.text === 'api-key', 5));
      await page.keyboard.type(server.apiKey);
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      // Signed in, the first page's heading has the focus: the sign-in form it was in is gone.
      await until('the heading to take the focus', async () => ((await focused(page)).text === 'Resources' ? true : null));

      // The navigation is above the page: back to it, then into the Week page.
      note(await pressUntil(page, 'Shift+Tab', (f) => f.tag === 'a' && f.text === 'Week', 10));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Week', level: 1 }).waitFor();
      await expect(page.title()).resolves.toBe('Week · Calsync console');
      await until('the Week heading to take the focus', async () => {
        const now = await focused(page);
        return now.tag === 'h1' && now.text === 'Week' ? true : null;
      });

      note(await pressUntil(page, 'Tab', (f) => f.tag === 'button' && f.text === 'Next week', 20));
      await page.keyboard.press('Enter');
      await page.getByText(`Week of ${MONDAY.toFormat('d LLL yyyy')}`, { exact: false }).waitFor();
      await page.getByText('Team meeting').waitFor();

      // Room 2's week beside Dr. Ada's, ticked with Space under "Side by side" (above the toolbar).
      note(await pressUntil(page, 'Shift+Tab', (f) => f.tag === 'input' && f.text.startsWith('Room 2'), 10));
      await page.keyboard.press('Space');
      await page.locator('table.week').nth(1).waitFor();

      // Each week is one tab stop, at first its first cell (Monday 00:00, closed): Tab enters the first grid, then the second, then leaves the page.
      const first = await pressUntil(page, 'Tab', (f) => f.grid >= 0, 10);
      expect(first).toMatchObject({ grid: 0, row: 0, column: 0, time: '00:00', text: 'Why is Mon 00:00 blocked?', tabIndex: 0 });
      note(first);
      await expect(press(page, 'Tab')).resolves.toMatchObject({ grid: 1, row: 0, column: 0, text: 'Why is Mon 00:00 blocked?' });
      await expect(press(page, 'Tab')).resolves.toMatchObject({ grid: -1, tag: 'body' });
      await expect(press(page, 'Shift+Tab')).resolves.toMatchObject({ grid: 1, row: 0, column: 0 });
      await expect(press(page, 'Shift+Tab')).resolves.toMatchObject({ grid: 0, row: 0, column: 0 });
      const explanation = page.locator('#explanation');
      await expect(explanation.getAttribute('aria-live')).resolves.toBe('polite');

      // The arrows move to the cell next to it that way, and not past the grid's edges.
      const rows = first.rows;
      await expect(press(page, 'ArrowUp')).resolves.toMatchObject({ grid: 0, row: 0, column: 0 });
      await expect(press(page, 'ArrowLeft')).resolves.toMatchObject({ grid: 0, row: 0, column: 0 });
      await expect(press(page, 'ArrowDown')).resolves.toMatchObject({ grid: 0, row: 1, column: 0, text: 'Why is Mon 00:30 blocked?' });
      await expect(press(page, 'ArrowRight')).resolves.toMatchObject({ grid: 0, row: 1, column: 1, text: 'Why is Tue 00:30 blocked?' });
      await expect(press(page, 'ArrowUp')).resolves.toMatchObject({ grid: 0, row: 0, column: 1 });
      await expect(press(page, 'ArrowLeft')).resolves.toMatchObject({ grid: 0, row: 0, column: 0 });
      // Home and End: the row's first and last day; with Ctrl, the grid's first and last cell; PageUp and PageDown: four hours.
      await expect(press(page, 'End')).resolves.toMatchObject({ grid: 0, row: 0, column: 6, text: 'Why is Sun 00:00 blocked?' });
      await expect(press(page, 'Home')).resolves.toMatchObject({ grid: 0, row: 0, column: 0 });
      await expect(press(page, 'Control+End')).resolves.toMatchObject({ grid: 0, row: rows - 1, column: 6, text: 'Why is Sun 23:30 blocked?' });
      await expect(press(page, 'ArrowRight')).resolves.toMatchObject({ grid: 0, row: rows - 1, column: 6 });
      await expect(press(page, 'ArrowDown')).resolves.toMatchObject({ grid: 0, row: rows - 1, column: 6 });
      await expect(press(page, 'Control+Home')).resolves.toMatchObject({ grid: 0, row: 0, column: 0 });
      await expect(press(page, 'PageDown')).resolves.toMatchObject({ grid: 0, row: 8, column: 0 });
      await expect(press(page, 'PageUp')).resolves.toMatchObject({ grid: 0, row: 0, column: 0 });

      // Tuesday 10:00 is blocked by the meeting: arrowing onto it announces why in the live region.
      await press(page, 'ArrowRight');
      let now = await press(page, 'PageDown');
      while (now.time !== '10:00') {
        const below = await press(page, 'ArrowDown');
        expect(cellOf(below)).toEqual({ ...cellOf(now), row: now.row + 1 });
        now = below;
      }
      expect(now).toMatchObject({ grid: 0, column: 1, text: 'Why is Tue 10:00 blocked?', tabIndex: 0 });
      note(now);
      await explanation.getByText(/^Dr\. Ada, Tue 10:00: blocked by .*Team meeting/).waitFor();

      // The tab stop stays where the focus was: out of the grid and back.
      await expect(press(page, 'Tab')).resolves.toMatchObject({ grid: 1, row: 0, column: 0 });
      await expect(press(page, 'Shift+Tab')).resolves.toMatchObject({ ...cellOf(now), text: 'Why is Tue 10:00 blocked?' });

      // Tuesday 11:00, right after the meeting, is free: Enter books it.
      const slot = at(1, '11:00').toUTC().toJSDate().toISOString();
      await expect(press(page, 'ArrowDown')).resolves.toMatchObject({ text: 'Why is Tue 10:30 blocked?' });
      const book = await press(page, 'ArrowDown');
      expect(book).toMatchObject({ grid: 0, column: 1, row: now.row + 2, tag: 'button', text: 'Book', start: slot });
      note(book);
      await page.keyboard.press('Enter');
      const status = page.getByRole('status').filter({ hasText: /^Booked/ });
      await status.waitFor();
      await expect(status.textContent()).resolves.toBe('Booked “Appointment” on Tue 11:00.');
      // The Book button is gone: the focus is on the appointment that replaced it, the grid's tab stop.
      note(
        await until('the focus to be on the new appointment', async () => {
          const focus = await focused(page);
          return focus.start === slot && focus.text === 'Reschedule' && focus.tabIndex === 0 ? focus : null;
        }),
      );
      const appointments = async () =>
        (
          await server.ok(ListAppointmentsDocument, {
            filter: { resourceIds: [adaId], from: at(1, '00:00').toUTC().toISO()!, to: at(2, '00:00').toUTC().toISO()! },
            first: 10,
          })
        ).appointments.edges.map((edge) => ({ title: edge.node.title, startsAt: edge.node.startsAt, status: edge.node.status }));
      await expect(appointments()).resolves.toEqual([{ title: 'Appointment', startsAt: slot, status: 'CONFIRMED' }]);

      // Left and Right walk the appointment's two buttons before the cells beside it; Space on Cancel cancels.
      await expect(press(page, 'ArrowRight')).resolves.toMatchObject({ start: slot, text: 'Cancel', tabIndex: 0 });
      await expect(press(page, 'ArrowLeft')).resolves.toMatchObject({ start: slot, text: 'Reschedule' });
      await expect(press(page, 'ArrowLeft')).resolves.toMatchObject({ grid: 0, column: 0, row: book.row });
      // Into the cell from its left, its first button; from its right, its last.
      await expect(press(page, 'ArrowRight')).resolves.toMatchObject({ start: slot, text: 'Reschedule' });
      await expect(press(page, 'ArrowRight')).resolves.toMatchObject({ start: slot, text: 'Cancel' });
      await expect(press(page, 'ArrowRight')).resolves.toMatchObject({ grid: 0, column: 2, row: book.row });
      await expect(press(page, 'ArrowLeft')).resolves.toMatchObject({ start: slot, text: 'Cancel' });
      note(await focused(page));
      await page.keyboard.press('Space');
      await page
        .getByRole('status')
        .filter({ hasText: /^Cancelled “Appointment” on Tue 11:00\.$/ })
        .waitFor();
      // The appointment is gone: the focus is on the free slot's Book button again.
      await until('the focus to be on the slot again', async () => {
        const focus = await focused(page);
        return focus.start === slot && focus.text === 'Book' && focus.tabIndex === 0 ? focus : null;
      });
      await expect(appointments()).resolves.toEqual([{ title: 'Appointment', startsAt: slot, status: 'CANCELLED' }]);
      // Still one tab stop, the slot's Book.
      await expect(page.locator('table.week').first().locator('[tabindex="0"]').count()).resolves.toBe(1);
      await expect(press(page, 'Tab')).resolves.toMatchObject({ grid: 1 });
      await expect(press(page, 'Shift+Tab')).resolves.toMatchObject({ start: slot, text: 'Book' });

      // Every control reached above drew a focus indicator of at least 3:1 against what is around it.
      expect(Object.keys(indicators)).toHaveLength(9);
      expect(Object.entries(indicators).filter(([, contrast]) => contrast < 3)).toEqual([]);
      expect(problems).toEqual([]);
    }, 120_000);
  },
  [radicaleAvailable],
);
