import { decodeCalDavCursor, diffListing, encodeCalDavCursor } from '../../../src/providers/caldav/caldav-cursor';

describe('CalDAV cursor', () => {
  it('round-trips a sync-token, a ctag and every object with its ETag and UIDs', () => {
    const cursor = {
      token: '42',
      ctag: null,
      objects: new Map([
        ['/c/a.ics', { etag: '"1"', uids: ['a', 'b'] }],
        ['/c/empty', { etag: '"2"', uids: [] }],
      ]),
    };
    expect(decodeCalDavCursor(encodeCalDavCursor(cursor))).toEqual(cursor);
  });

  it('reads an older or foreign cursor as none, so that the next sync is a full one', () => {
    expect(decodeCalDavCursor('{"token":"x","objects":{"/c/a.ics":["a"]}}')).toBeNull();
    expect(decodeCalDavCursor('{"ctag":"1"}')).toBeNull();
    expect(decodeCalDavCursor('not json')).toBeNull();
    expect(decodeCalDavCursor(null)).toBeNull();
  });

  it('diffs a listing: new paths and changed or unknown ETags are read again, missing paths are gone', () => {
    const known = new Map([
      ['/c/same.ics', { etag: '"1"', uids: ['s'] }],
      ['/c/changed.ics', { etag: '"1"', uids: ['c'] }],
      ['/c/gone.ics', { etag: '"1"', uids: ['g'] }],
      ['/c/no-etag.ics', { etag: '', uids: ['n'] }],
    ]);
    const listing = new Map([
      ['/c/same.ics', { etag: '"1"' }],
      ['/c/changed.ics', { etag: '"2"' }],
      ['/c/new.ics', { etag: '"1"' }],
      ['/c/no-etag.ics', { etag: '' }],
    ]);
    expect(diffListing(known, listing)).toEqual({ changed: ['/c/changed.ics', '/c/new.ics', '/c/no-etag.ics'], removed: ['/c/gone.ics'] });
  });
});
