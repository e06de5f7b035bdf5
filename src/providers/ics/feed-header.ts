import ICAL from '../ical/ical-module';

/** What a feed says of itself in its VCALENDAR's own properties (before its first component). */
export interface FeedHeader {
  /** `NAME` (RFC 7986 section 5.1) or `X-WR-CALNAME` (Apple, Google, Outlook), else null. */
  name: string | null;
  /** `COLOR` (RFC 7986 section 5.9, a CSS colour) or `X-APPLE-CALENDAR-COLOR`, else null. */
  color: string | null;
  /** `X-WR-TIMEZONE` (Google, Apple: the calendar's zone), else null. */
  timeZone: string | null;
  /**
   * Seconds the publisher asks clients to wait between fetches: `REFRESH-INTERVAL` (RFC 7986
   * section 5.7) or `X-PUBLISHED-TTL` (Outlook, Google); null when it says nothing or nonsense.
   */
  refreshSeconds: number | null;
}

/** Properties are read from at most this many lines: they come before the first component. */
const MAX_HEADER_LINES = 200;

/** Whether the text is an iCalendar object at all (its first line BEGIN:VCALENDAR, RFC 5545 section 3.4). */
export function looksLikeVcalendar(text: string): boolean {
  return /^\uFEFF?\s*BEGIN:VCALENDAR\r?\n/i.test(text);
}

/**
 * Reads the feed's own properties from the lines before its first component (unfolded as RFC
 * 5545 section 3.1 says). Never throws.
 */
export function feedHeader(text: string): FeedHeader {
  const properties = new Map<string, string>();
  const lines = text.slice(0, 64 * 1024).split(/\r?\n/);
  let current = '';
  const take = () => {
    const match = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(current);
    if (match && !properties.has(match[1]!.toUpperCase())) properties.set(match[1]!.toUpperCase(), match[3]!.trim());
  };
  for (const line of lines.slice(1, MAX_HEADER_LINES)) {
    if (/^[ \t]/.test(line)) {
      current += line.slice(1);
      continue;
    }
    take();
    current = line;
    if (/^BEGIN:/i.test(line)) break;
  }
  const refresh = properties.get('REFRESH-INTERVAL') ?? properties.get('X-PUBLISHED-TTL');
  return {
    name: unescapeText(properties.get('NAME') ?? properties.get('X-WR-CALNAME')),
    color: properties.get('COLOR') ?? properties.get('X-APPLE-CALENDAR-COLOR') ?? null,
    timeZone: properties.get('X-WR-TIMEZONE') || null,
    refreshSeconds: refresh ? durationSeconds(refresh) : null,
  };
}

/** An RFC 5545 DURATION (section 3.3.6) in seconds, by ical.js; null unless positive. */
function durationSeconds(value: string): number | null {
  try {
    const seconds = ICAL.Duration.fromString(value.toUpperCase()).toSeconds();
    return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  } catch {
    return null;
  }
}

/** TEXT unescaped (RFC 5545 section 3.3.11); null for nothing. */
function unescapeText(value: string | undefined): string | null {
  if (!value) return null;
  return value.replace(/\\([\\;,nN])/g, (_, char: string) => (char === 'n' || char === 'N' ? '\n' : char)).trim() || null;
}
