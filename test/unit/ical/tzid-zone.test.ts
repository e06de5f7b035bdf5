import { ianaNameOfTzid } from '../../../src/providers/ical/tzid-zone';

describe('ianaNameOfTzid', () => {
  it('keeps IANA names', () => {
    expect(ianaNameOfTzid('Europe/Berlin')).toBe('Europe/Berlin');
    expect(ianaNameOfTzid('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(ianaNameOfTzid('UTC')).toBe('UTC');
  });

  it('maps Windows zone ids through the CLDR table to the default zone of each', () => {
    expect(ianaNameOfTzid('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaNameOfTzid('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(ianaNameOfTzid('Eastern Standard Time')).toBe('America/New_York');
    expect(ianaNameOfTzid('GMT Standard Time')).toBe('Europe/London');
    expect(ianaNameOfTzid('India Standard Time')).toMatch(/^Asia\/(Calcutta|Kolkata)$/);
    expect(ianaNameOfTzid('UTC+12')).toBe('Etc/GMT-12');
  });

  it("maps Outlook's display names by their Windows id or a city, checking the stated offset", () => {
    expect(ianaNameOfTzid('(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna')).toBe('Europe/Amsterdam');
    expect(ianaNameOfTzid('(UTC-05:00) Eastern Time (US & Canada)')).toBe('America/New_York');
    expect(ianaNameOfTzid('(UTC-08:00) Pacific Time (US & Canada)')).toBe('America/Los_Angeles');
    expect(ianaNameOfTzid('(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi')).toBe('Asia/Kolkata');
    expect(ianaNameOfTzid('(UTC+05:45) Kathmandu')).toBe('Asia/Kathmandu');
    expect(ianaNameOfTzid('(UTC+10:00) Canberra, Melbourne, Sydney')).toBe('Australia/Canberra');
    expect(ianaNameOfTzid('(UTC-03:30) Newfoundland')).toBe('America/St_Johns');
    expect(ianaNameOfTzid('(UTC) Coordinated Universal Time')).toBe('UTC');
    expect(ianaNameOfTzid('(GMT+01:00) Brussels, Copenhagen, Madrid, Paris')).toBe('Europe/Brussels');
    // A city whose zone does not have the stated offset is not taken.
    expect(ianaNameOfTzid('(UTC+03:00) Berlin')).toBeNull();
  });

  it('reads the tz database name at the end of a globally unique TZID (RFC 5545 section 3.8.3.1)', () => {
    expect(ianaNameOfTzid('/freeassociation.sourceforge.net/Europe/Berlin')).toBe('Europe/Berlin');
    expect(ianaNameOfTzid('/freeassociation.sourceforge.net/Tzfile/America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(ianaNameOfTzid('/mozilla.org/20070129_1/America/New_York')).toBe('America/New_York');
    expect(ianaNameOfTzid('/Europe/Stockholm')).toBe('Europe/Stockholm');
    expect(ianaNameOfTzid('posix/Europe/Vaduz')).toBe('Europe/Vaduz');
  });

  it('knows nothing of other names', () => {
    for (const tzid of [
      'Mars/Olympus_Mons',
      'CUSTOM_tzid',
      'Western/Central Europe',
      'Customized Time Zone',
      '',
      'GMT +0100 (Standard) / GMT +0200 (Daylight)',
    ]) {
      expect(ianaNameOfTzid(tzid)).toBeNull();
    }
  });
});
