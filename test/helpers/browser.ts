/**
 * The browser tests' Chromium: Debian's `chromium` package driven by playwright-core, headless,
 * against the console (/console) of a real gateway. playwright-core downloads no browser: the
 * machine's is used, and a suite that cannot find it is skipped loudly (a failing test under CI).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { describeWithFixtures, type Requirement } from './fixtures';
import { buildGateway } from './processes';
import { radicaleInstalled } from './radicale';

const ROOT = path.resolve(__dirname, '../..');

/** Where Debian's chromium package puts the browser (CALSYNC_CHROMIUM names another, e.g. to try the guard). */
export const CHROMIUM = process.env.CALSYNC_CHROMIUM ?? '/usr/bin/chromium';

/** The built console the gateway serves at /console (the root `prepare` script builds it). */
export const CONSOLE_DIST = path.join(ROOT, 'dist/console');

/** Where the tests write the screenshots that the README shows. */
export const SCREENSHOTS = path.join(ROOT, 'docs/console');

/** Debian's Chromium as a requirement of a suite. */
export const chromiumInstalled: Requirement = {
  missing: () => (existsSync(CHROMIUM) ? null : `Chromium is not installed at ${CHROMIUM}; install it with: sudo apt-get install -y chromium`),
};

/** Radicale as a requirement of a suite. */
export const radicaleAvailable: Requirement = {
  missing: () => (radicaleInstalled() ? null : 'Radicale is not installed; install it with: sudo apt-get install -y radicale'),
};

/**
 * `describe` when Chromium (and `requirements`) are there; otherwise skipped with a loud warning,
 * or a failing test when process.env.CI is set (see describeWithFixtures).
 */
export function describeInBrowser(name: string, body: () => void, requirements: Requirement[] = []): void {
  describeWithFixtures(name, body, [chromiumInstalled, ...requirements]);
}

/**
 * Brings dist/ up to date (the gateway and the console, as `npm install` does through the
 * `prepare` script) and checks that the console was built.
 */
export function buildConsole(): void {
  buildGateway();
  const index = path.join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing after \`node scripts/calsync.js --build\`: the console was not built`);
}

/** The built index.html, as the gateway serves it. */
export function builtIndexHtml(): string {
  return readFileSync(path.join(CONSOLE_DIST, 'index.html'), 'utf8');
}

/** Launches headless Chromium with the flags a container without a GPU, sandbox or network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A page of the console in its own browser context (its own sessionStorage), and what went wrong in it. */
export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /**
   * Uncaught exceptions, console errors, Content-Security-Policy violations and answers of 400
   * and more seen so far (a test that provokes a 401 does not look).
   */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Opens `${baseUrl}/console` in a fresh context of `width` x `height` CSS pixels; `options` adds to
 * the context's (the accessibility audit's `bypassCSP`).
 */
export async function openConsole(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 900 },
  options: BrowserContextOptions = {},
): Promise<ConsolePage> {
  // One locale and zone whatever the machine's, so that screenshots show the same dates.
  const context = await browser.newContext({ ...options, viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // Chromium's own line for a failed load names no URL; the response listener below does.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console.error: ${message.text()}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    // Chromium asks for /favicon.ico by itself when the page names no icon.
    if (response.status() >= 400 && url.pathname !== '/favicon.ico') problems.push(`HTTP ${response.status()}: ${response.request().method()} ${url.pathname}`);
  });
  // Runs in the page (a string: the tests are compiled without the DOM's types).
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline code')))",
  );
  await page.goto(`${baseUrl}/console`);
  return { context, page, problems, close: () => context.close() };
}

/** Pastes `apiKey` into the sign-in form and waits for the signed-in navigation. */
export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Writes a full-page screenshot to docs/console/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/** Monday to Friday, 09:00 to 17:00: the working hours of the browser tests' resources (WorkingHoursInput). */
export const WEEKDAYS_NINE_TO_FIVE = (['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] as const).map((weekday) => ({
  weekday,
  start: '09:00',
  end: '17:00',
}));

/**
 * The "Resource" select of the Connections, Sync and Week pages. A select's accessible name
 * includes its selected option ("Resource Dr. Ada"), so the label is matched by its start.
 */
export const resourceSelect = (page: Page) => page.getByRole('combobox', { name: /^Resource\b/ });

/** The width of the page's content and of its viewport, CSS pixels. */
export const widths = (page: Page) =>
  page.evaluate<{ scroll: number; viewport: number }>('({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth })');

/** The WCAG 2.0 and 2.1 level A and AA rules of axe-core: what the accessibility audit holds the console to. */
export const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's browser build, injected into the page by {@link auditPage}. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in `page` over the WCAG 2 A/AA rules and returns its violations of impact
 * "serious" or "critical", each as `rule (impact): help — target, target, ...`. axe is injected as
 * an inline script, which the console's Content-Security-Policy refuses: the page must be in a
 * context opened with `bypassCSP: true` (openConsole's `options`).
 */
export async function auditPage(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate<string[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_A_AA)} }, resultTypes: ['violations'] })
    .then((results) => results.passes.length === 0
      ? ['axe-core checked nothing: no rule passed']
      : results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}
