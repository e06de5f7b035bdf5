import type { OutboundPolicy } from '../../../src/common/outbound';
import { feedHeader, looksLikeVcalendar } from '../../../src/providers/ics/feed-header';
import { IcsFeedAdapter } from '../../../src/providers/ics/ics-feed.adapter';
import { FeedUrlError, feedUrlOf, maskedFeedUrl } from '../../../src/providers/ics/feed-url';

describe('feed addresses', () => {
  it.each([
    ['webcal://p12-caldav.icloud.com/published/2/MTQ3', 'https://p12-caldav.icloud.com/published/2/MTQ3'],
    ['WEBCALS://example.com/a.ics', 'https://example.com/a.ics'],
    [
      '  https://calendar.google.com/calendar/ical/a%40b.com/private-x/basic.ics#frag ',
      'https://calendar.google.com/calendar/ical/a%40b.com/private-x/basic.ics',
    ],
    ['http://outlook.office365.com/owa/calendar/1/2/calendar.ics', 'http://outlook.office365.com/owa/calendar/1/2/calendar.ics'],
  ])('reads %s as %s', (input, expected) => {
    expect(feedUrlOf(input).toString()).toBe(expected);
  });

  it.each([
    ['', /1 to 2048 characters/],
    ['calendar.ics', /Not a URL/],
    ['ftp://example.com/a.ics', /ftp addresses are not fetched/],
    ['file:///etc/passwd', /file addresses are not fetched/],
    ['https://user:secret@example.com/a.ics', /user name or password/],
  ])('refuses %j', (input, reason) => {
    expect(() => feedUrlOf(input)).toThrow(FeedUrlError);
    expect(() => feedUrlOf(input)).toThrow(reason);
  });

  it('masks every path segment and the query, keeping the host and the extension', () => {
    expect(maskedFeedUrl(new URL('https://calendar.google.com/calendar/ical/a%40b.com/private-0f1e/basic.ics'))).toBe(
      'https://calendar.google.com/•••/•••/•••/•••/•••.ics',
    );
    expect(maskedFeedUrl(new URL('https://example.com:8443/feed?token=s3cret'))).toBe('https://example.com:8443/•••?•••');
    expect(maskedFeedUrl(new URL('https://example.com/'))).toBe('https://example.com/');
  });
});

describe('what a feed says of itself', () => {
  it('reads RFC 7986 NAME, COLOR and REFRESH-INTERVAL', () => {
    const header = feedHeader('BEGIN:VCALENDAR\r\nREFRESH-INTERVAL;VALUE=DURATION:PT3H\r\nNAME:RFC 7986 calendar\r\nCOLOR:black\r\nEND:VCALENDAR\r\n');
    expect(header).toEqual({ name: 'RFC 7986 calendar', color: 'black', timeZone: null, refreshSeconds: 3 * 3600 });
  });

  it('reads the X-WR and X-PUBLISHED-TTL properties of Google and Outlook, unfolded and unescaped, up to the first component', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'X-WR-CALNAME:Team\\, Berlin',
      ' office',
      'X-WR-TIMEZONE:Europe/Berlin',
      'X-PUBLISHED-TTL:P1D',
      'BEGIN:VEVENT',
      'X-WR-CALNAME:not this',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\n');
    expect(feedHeader(text)).toEqual({ name: 'Team, Berlinoffice', color: null, timeZone: 'Europe/Berlin', refreshSeconds: 86_400 });
  });

  it('ignores a refresh interval that is no positive duration', () => {
    expect(feedHeader('BEGIN:VCALENDAR\nX-PUBLISHED-TTL:soon\nEND:VCALENDAR').refreshSeconds).toBeNull();
    expect(feedHeader('BEGIN:VCALENDAR\nREFRESH-INTERVAL:PT0S\nEND:VCALENDAR').refreshSeconds).toBeNull();
  });

  it('tells an iCalendar file from anything else', () => {
    expect(looksLikeVcalendar('\uFEFFBEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(looksLikeVcalendar('begin:vcalendar\nEND:VCALENDAR')).toBe(true);
    expect(looksLikeVcalendar('<!doctype html>BEGIN:VCALENDAR\n')).toBe(false);
    expect(looksLikeVcalendar('')).toBe(false);
  });
});

describe('the feed adapter on redirects', () => {
  it('does not follow an https feed to plain http', async () => {
    const asked: string[] = [];
    const policy = {
      fetch: async (url: URL) => {
        asked.push(url.toString());
        return new Response(null, { status: 302, headers: { location: 'http://cdn.example.com/calendar.ics' } });
      },
    } as unknown as OutboundPolicy;
    const adapter = new IcsFeedAdapter({ policy, maxResponseBytes: 1024, requestTimeoutMs: 1_000 });
    await expect(adapter.listCalendars({ feedUrl: 'https://calendar.example.com/secret/basic.ics' })).rejects.toMatchObject({
      code: 'UNKNOWN',
      message: 'The feed at calendar.example.com redirected from https to http',
    });
    expect(asked).toEqual(['https://calendar.example.com/secret/basic.ics']);
  });
});
