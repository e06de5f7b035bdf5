import { CALDAV, DAV, multigetBody, NotMultistatusError, parseMultistatus, propHrefs, propPrivileges, propText } from '../../../src/providers/caldav/dav-xml';

describe('WebDAV multistatus (RFC 4918 section 14.16)', () => {
  it('reads elements by namespace, whatever the prefixes, also when a prefix is rebound inside (SabreDAV 1.8 privileges)', () => {
    const { responses } = parseMultistatus(`<?xml version="1.0"?>
      <x:multistatus xmlns:x="DAV:" xmlns:d="urn:ietf:params:xml:ns:caldav">
        <x:response><x:href>/cal/</x:href>
          <x:propstat><x:prop>
            <x:current-user-privilege-set><x:privilege><x:read/></x:privilege><x:privilege><d:read-free-busy/></x:privilege></x:current-user-privilege-set>
            <d:calendar-home-set><x:href>https://p07-caldav.icloud.com/1234/calendars/</x:href></d:calendar-home-set>
          </x:prop><x:status>HTTP/1.1 200 OK</x:status></x:propstat>
          <x:propstat><x:prop><x:displayname/></x:prop><x:status>HTTP/1.1 404 Not Found</x:status></x:propstat>
        </x:response>
      </x:multistatus>`);
    expect(responses).toHaveLength(1);
    expect(propPrivileges(responses[0])).toEqual([`{${DAV}}read`, `{${CALDAV}}read-free-busy`]);
    expect(propHrefs(responses[0], `{${CALDAV}}calendar-home-set`)).toEqual(['https://p07-caldav.icloud.com/1234/calendars/']);
    // A property in a 404 propstat is absent.
    expect(propText(responses[0], `{${DAV}}displayname`)).toBeNull();
  });

  it('keeps a numeric sync-token as the string the server sent', () => {
    const { syncToken, responses } = parseMultistatus(
      '<multistatus xmlns="DAV:"><response><href>/c/a%20b.ics</href><status>HTTP/1.1 404 Not Found</status></response><sync-token>000123456789012345678901</sync-token></multistatus>',
    );
    expect(syncToken).toBe('000123456789012345678901');
    expect(responses[0]).toMatchObject({ href: '/c/a%20b.ics', status: 404 });
  });

  it.each([
    ['an HTML maintenance page', '<html><body>Down for maintenance</body></html>'],
    ['truncated XML', '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/c/a.ics</d:href>'],
    ['an empty body', ''],
    ['a document in another namespace', '<multistatus xmlns="urn:example"/>'],
  ])('refuses %s instead of reading it as "no members"', (_what, text) => {
    expect(() => parseMultistatus(text)).toThrow(NotMultistatusError);
  });

  it('expands no entities, internal or external', () => {
    const doctype = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "yyyy">]>';
    expect(() => parseMultistatus(`${doctype}<multistatus xmlns="DAV:"><response><href>&x;</href></response></multistatus>`)).toThrow(NotMultistatusError);
    expect(() => parseMultistatus(`${doctype}<multistatus xmlns="DAV:"><response><href>&y;</href></response></multistatus>`)).toThrow(NotMultistatusError);
  });
});

describe('request bodies', () => {
  it('escapes hrefs of a calendar-multiget as XML and keeps their percent-encoding', () => {
    const body = multigetBody([`{${DAV}}getetag`], ['/cal/Feiertage%20&%20Urlaub.ics', "/cal/it's<here>.ics"]);
    expect(body).toContain('<d:href>/cal/Feiertage%20&amp;%20Urlaub.ics</d:href>');
    expect(body).toContain('<d:href>/cal/it&apos;s&lt;here&gt;.ics</d:href>');
    const parsed = parseMultistatus(`<multistatus xmlns="DAV:"><response><href>${body.match(/<d:href>([^<]*)<\/d:href>/)![1]}</href></response></multistatus>`);
    expect(parsed.responses[0].href).toBe('/cal/Feiertage%20&%20Urlaub.ics');
  });
});
