import { createHash } from 'node:crypto';
import { OutboundRefusedError } from '../../common/outbound';
import { readBodyText, type OutboundTransport } from '../http-body';
import { expandCalendar } from '../ical/expand-calendar';
import {
  ProviderError,
  type CalendarProvider,
  type ChangeSet,
  type DiscoveredCalendar,
  type FetchOptions,
  type FetchResult,
  type IcsFeedCredentials,
  type ProviderCredentials,
} from '../provider';
import type { ReadBudget } from '../read-budget';
import { DEFAULT_RETRY_POLICY, retryAfterSeconds, withRetry } from '../retry';
import { feedHeader, looksLikeVcalendar } from './feed-header';

/** The one calendar of a feed: a feed is one VCALENDAR (or several concatenated, read as one). */
export const FEED_CALENDAR_ID = 'feed';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const TEMPORARY_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * What a feed's last answer was, kept as the calendar's sync cursor: its validators for the next
 * conditional GET, a digest of its body (servers without validators that send the same body
 * again cost no parse), and the refresh interval it asked for. Never the URL, which is a secret.
 */
interface FeedCursor {
  etag: string | null;
  lastModified: string | null;
  sha256: string;
  refreshSeconds: number | null;
}

type FeedAnswer = { notModified: true } | { notModified: false; text: string; etag: string | null; lastModified: string | null };

/**
 * ICS feeds over HTTP (a published calendar's address: Google's secret iCal address, Outlook's
 * published calendar, iCloud public calendars, booking platforms' exports). Read-only: a feed is
 * one calendar that cannot be written. Each fetch
 * - goes through the outbound address policy, redirects followed by hand (at most
 *   {@link MAX_REDIRECTS}, never from https to http) so that every hop is checked again;
 * - is conditional once a body was read (`If-None-Match` with its ETag, `If-Modified-Since` with
 *   its Last-Modified, RFC 9110 section 13.1): a 304 costs no parse and no write;
 * - reads at most `maxResponseBytes` (streamed; gzip and deflate decoded by fetch), counted
 *   against the run's read budget, within `requestTimeoutMs` in all;
 * - is expanded by the same expander as CalDAV objects (RRULE, EXDATE, RECURRENCE-ID,
 *   VTIMEZONE, Windows zone names; occurrences bounded per series), with the same skip reasons.
 * Messages name the feed's host only: the rest of its address is a secret.
 * @see https://datatracker.ietf.org/doc/html/rfc5545
 * @see https://datatracker.ietf.org/doc/html/rfc7986#section-5.7 (REFRESH-INTERVAL)
 */
export class IcsFeedAdapter implements CalendarProvider {
  readonly fixedCalendars = true;

  constructor(private readonly transport: OutboundTransport) {}

  /**
   * Fetches the feed and describes its one calendar: named by its NAME / X-WR-CALNAME (else its
   * host), never writable.
   * @throws ProviderError UNKNOWN (not an iCalendar file, too large, too slow, a status other than
   *   200), NOT_FOUND (404, 410: the address was withdrawn or rotated), FORBIDDEN (401, 403),
   *   ADDRESS_REFUSED, TEMPORARY (unreachable, 429, 5xx after retries).
   */
  async listCalendars(credentials: ProviderCredentials): Promise<DiscoveredCalendar[]> {
    const url = feedOf(credentials);
    const answer = await this.fetchFeed(url, null, {});
    if (answer.notModified) throw new ProviderError('UNKNOWN', `The feed at ${url.host} answered 304 to an unconditional request`);
    const header = feedHeader(answer.text);
    return [
      {
        providerCalendarId: FEED_CALENDAR_ID,
        name: header.name ?? url.host,
        color: header.color,
        timeZone: header.timeZone,
        primary: true,
        canWrite: false,
        ctag: answer.etag,
      },
    ];
  }

  /**
   * Every occurrence of the feed overlapping the window.
   * @throws ProviderError as {@link listCalendars}.
   */
  async fetchEvents(credentials: ProviderCredentials, _calendarId: string, options: FetchOptions): Promise<FetchResult> {
    const changes = await this.fetchChanges(credentials, FEED_CALENDAR_ID, null, options);
    return { events: changes.events, skipped: changes.skipped };
  }

  /**
   * The feed since `cursor`: nothing when it answers 304 or sends the body it sent last time
   * (`full` false), else the whole window (`full` true: what the store has and the feed no longer
   * holds is removed, what did not change is not written). `minIntervalSeconds` carries the
   * feed's REFRESH-INTERVAL / X-PUBLISHED-TTL.
   * @param cursor an earlier answer's cursor, or null for an unconditional fetch.
   * @throws ProviderError as {@link listCalendars}.
   */
  async fetchChanges(credentials: ProviderCredentials, _calendarId: string, cursor: string | null, options: FetchOptions): Promise<ChangeSet> {
    const url = feedOf(credentials);
    const previous = parseCursor(cursor);
    const answer = await this.fetchFeed(url, previous, options);
    if (answer.notModified) return unchanged(cursor, previous);
    const sha256 = createHash('sha256').update(answer.text).digest('hex');
    const header = feedHeader(answer.text);
    const next: FeedCursor = { etag: answer.etag, lastModified: answer.lastModified, sha256, refreshSeconds: header.refreshSeconds };
    if (previous?.sha256 === sha256) return unchanged(JSON.stringify(next), next);
    const { events, skipped } = expandCalendar(answer.text, options);
    return { events, skipped, deletedIds: [], nextCursor: JSON.stringify(next), full: true, minIntervalSeconds: header.refreshSeconds };
  }

  /** One fetch of the feed, retried while TEMPORARY (see the class). */
  private fetchFeed(url: URL, previous: FeedCursor | null, run: { signal?: AbortSignal; readBudget?: ReadBudget }): Promise<FeedAnswer> {
    return withRetry(() => this.fetchOnce(url, previous, run), DEFAULT_RETRY_POLICY, run.signal);
  }

  private async fetchOnce(url: URL, previous: FeedCursor | null, run: { signal?: AbortSignal; readBudget?: ReadBudget }): Promise<FeedAnswer> {
    const deadline = AbortSignal.timeout(this.transport.requestTimeoutMs);
    const signal = run.signal ? AbortSignal.any([run.signal, deadline]) : deadline;
    const headers: Record<string, string> = { 'user-agent': 'Calsync (ICS feed)', accept: 'text/calendar, */*;q=0.5', 'accept-language': 'en' };
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
    let current = url;
    try {
      for (let hop = 0; ; hop++) {
        const response = await this.transport.policy.fetch(current, { headers, signal });
        const location = response.headers.get('location');
        if (REDIRECTS.has(response.status) && location) {
          await response.body?.cancel();
          if (hop >= MAX_REDIRECTS) throw new ProviderError('UNKNOWN', `The feed at ${url.host} redirected more than ${MAX_REDIRECTS} times`);
          const next = new URL(location, current);
          // What a feed shows is private: once read over https, it is not read in the clear.
          if (current.protocol === 'https:' && next.protocol !== 'https:') {
            throw new ProviderError('UNKNOWN', `The feed at ${current.host} redirected from https to ${next.protocol.replace(':', '')}`);
          }
          current = next;
          continue;
        }
        if (response.status === 304 && previous) {
          await response.body?.cancel();
          return { notModified: true };
        }
        if (response.status !== 200) {
          await response.body?.cancel();
          throw statusError(response, current);
        }
        const text = await readBodyText(response, this.transport.maxResponseBytes, run.readBudget, `The feed at ${current.host}`);
        if (!looksLikeVcalendar(text)) {
          const type = response.headers.get('content-type')?.split(';')[0] ?? 'no Content-Type';
          throw new ProviderError('UNKNOWN', `The feed at ${current.host} did not answer with an iCalendar file (BEGIN:VCALENDAR); it sent ${type}`);
        }
        return { notModified: false, text, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
      }
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      run.signal?.throwIfAborted();
      if (error instanceof OutboundRefusedError) throw new ProviderError('ADDRESS_REFUSED', `Refused to connect to ${current.host}: ${error.message}`);
      if (deadline.aborted) {
        throw new ProviderError('UNKNOWN', `The feed at ${current.host} was not read within ${this.transport.requestTimeoutMs / 1000} s`);
      }
      // The cause (refused, reset, unreachable) stays out: it would tell open ports from closed ones.
      throw new ProviderError('TEMPORARY', `The feed at ${current.host} could not be reached`);
    }
  }
}

/** What a status other than 200 and 304 means for a feed. */
function statusError(response: Response, url: URL): ProviderError {
  const { status } = response;
  const what = `The feed at ${url.host} answered HTTP ${status}`;
  if (TEMPORARY_STATUSES.has(status)) return new ProviderError('TEMPORARY', what, retryAfterSeconds(response.headers.get('retry-after')));
  if (status === 404 || status === 410)
    return new ProviderError('NOT_FOUND', `${what}: the address was withdrawn or replaced; give the new one with updateIcsFeed`);
  if (status === 401 || status === 403) return new ProviderError('FORBIDDEN', `${what}: the feed is not public at this address`);
  return new ProviderError('UNKNOWN', what);
}

function unchanged(cursor: string | null, state: FeedCursor | null): ChangeSet {
  return { events: [], skipped: [], deletedIds: [], nextCursor: cursor, full: false, minIntervalSeconds: state?.refreshSeconds ?? null };
}

/** A cursor of {@link IcsFeedAdapter.fetchChanges}; anything unreadable (an older form) counts as none. */
function parseCursor(cursor: string | null): FeedCursor | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(cursor) as Partial<FeedCursor>;
    return typeof parsed.sha256 === 'string'
      ? { etag: parsed.etag ?? null, lastModified: parsed.lastModified ?? null, sha256: parsed.sha256, refreshSeconds: parsed.refreshSeconds ?? null }
      : null;
  } catch {
    return null;
  }
}

function feedOf(credentials: ProviderCredentials): URL {
  if (!('feedUrl' in credentials)) throw new ProviderError('UNKNOWN', 'An ICS feed connection needs its feed address');
  return new URL((credentials as IcsFeedCredentials).feedUrl);
}
