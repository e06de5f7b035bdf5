/**
 * The console's accessibility in Chromium: every page audited by axe-core (the WCAG 2.0/2.1 A and
 * AA rules, no violation of impact serious or critical) at 1280 and at 375 px wide, and the Week
 * page used with the keyboard alone (Tab, Shift+Tab, Enter, Space): sign in, reach the page
 * through the navigation, hear why a slot is blocked, book a free one and cancel it, the focus
 * always visible and put somewhere sensible when the page changes under it. Real gateway, worker,
 * PostgreSQL and Radicale.
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
 * What has the keyboard focus: its tag, name or text, the start of its cell, and its focus
 * indicator: an outline's contrast with the background around the element (WCAG 1.4.11 asks 3:1),
 * or 0 when it has none (the console's indicators are outlines).
 */
interface Focused {
  tag: string;
  text: string;
  start: string | null;
  indicator: number;
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
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return {
      tag: e.tagName.toLowerCase(),
      text: (e.getAttribute('aria-label') || e.innerText || e.id || '').trim(),
      start: e.closest('td')?.getAttribute('data-start') ?? null,
      indicator: outline ? Math.round(((light + 0.05) / (dark + 0.05)) * 10) / 10 : 0,
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

      // Tuesday 10:00 is blocked by the meeting: focusing it announces why in the live region.
      note(await pressUntil(page, 'Tab', (f) => f.text === 'Why is Tue 10:00 blocked?'));
      const explanation = page.locator('#explanation');
      await expect(explanation.getAttribute('aria-live')).resolves.toBe('polite');
      await explanation.getByText(/^Tue 10:00: blocked by .*Team meeting/).waitFor();

      // Tuesday 11:00, right after it, is free.
      const slot = at(1, '11:00').toUTC().toJSDate().toISOString();
      note(await pressUntil(page, 'Tab', (f) => f.tag === 'button' && f.text === 'Book' && f.start === slot));
      await page.keyboard.press('Enter');
      const status = page.getByRole('status').filter({ hasText: /^Booked/ });
      await status.waitFor();
      await expect(status.textContent()).resolves.toBe('Booked “Appointment” on Tue 11:00.');
      // The Book button is gone: the focus is on the appointment that replaced it.
      await until('the focus to be on the new appointment', async () => {
        const now = await focused(page);
        return now.start === slot && now.text === 'Reschedule' ? now : null;
      });
      const appointments = async () =>
        (
          await server.ok(ListAppointmentsDocument, {
            filter: { resourceIds: [adaId], from: at(1, '00:00').toUTC().toISO()!, to: at(2, '00:00').toUTC().toISO()! },
            first: 10,
          })
        ).appointments.edges.map((edge) => ({ title: edge.node.title, startsAt: edge.node.startsAt, status: edge.node.status }));
      await expect(appointments()).resolves.toEqual([{ title: 'Appointment', startsAt: slot, status: 'CONFIRMED' }]);

      note(await pressUntil(page, 'Tab', (f) => f.tag === 'button' && f.text === 'Cancel' && f.start === slot, 3));
      await page.keyboard.press('Space');
      await page
        .getByRole('status')
        .filter({ hasText: /^Cancelled “Appointment” on Tue 11:00\.$/ })
        .waitFor();
      // The appointment is gone: the focus is on the free slot's Book button again.
      await until('the focus to be on the slot again', async () => {
        const now = await focused(page);
        return now.start === slot && now.text === 'Book' ? now : null;
      });
      await expect(appointments()).resolves.toEqual([{ title: 'Appointment', startsAt: slot, status: 'CANCELLED' }]);

      // Every control reached above drew a focus indicator of at least 3:1 against what is around it.
      expect(Object.keys(indicators)).toHaveLength(6);
      expect(Object.entries(indicators).filter(([, contrast]) => contrast < 3)).toEqual([]);
      expect(problems).toEqual([]);
    }, 120_000);
  },
  [radicaleAvailable],
);
