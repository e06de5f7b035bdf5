import { basicAuthorization, DigestSigner, parseChallenges, pickDigest } from '../../../src/providers/caldav/dav-auth';

const responseOf = (header: string) => /response="([0-9a-f]+)"/.exec(header)?.[1];

describe('WWW-Authenticate challenges (RFC 9110 section 11.6.1)', () => {
  it('reads several challenges in one header, quoted commas and escapes included', () => {
    const challenges = parseChallenges(
      'Digest realm="SabreDAV, home", nonce="abc\\"d", qop="auth,auth-int", algorithm=MD5, Basic realm="Radicale - Password Required"',
    );
    expect(challenges).toEqual([
      { scheme: 'digest', params: { realm: 'SabreDAV, home', nonce: 'abc"d', qop: 'auth,auth-int', algorithm: 'MD5' } },
      { scheme: 'basic', params: { realm: 'Radicale - Password Required' } },
    ]);
  });

  it('prefers SHA-256 over MD5, and leaves out what it cannot answer (auth-int only, unknown algorithms)', () => {
    const challenges = parseChallenges(
      'Digest realm="a", nonce="1", algorithm=MD5, Digest realm="a", nonce="2", algorithm=SHA-256, Digest realm="a", nonce="3", qop="auth-int", Digest realm="a", nonce="4", algorithm=SHA-1',
    );
    expect(pickDigest(challenges)?.params.nonce).toBe('2');
    expect(pickDigest(parseChallenges('Digest realm="a", nonce="3", qop="auth-int"'))).toBeNull();
    expect(pickDigest(parseChallenges('Basic realm="x"'))).toBeNull();
  });
});

describe('Digest responses (RFC 7616 section 3.4, with the published examples)', () => {
  it('RFC 2617 section 3.5: MD5 with qop=auth', () => {
    const [challenge] = parseChallenges(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    const header = new DigestSigner(challenge, 'Mufasa', 'Circle Of Life', () => '0a4f113b').authorization('GET', '/dir/index.html');
    expect(responseOf(header)).toBe('6629fae49393a05397450978507c4ef1');
    expect(header).toContain('nc=00000001');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('RFC 2069: MD5 without qop', () => {
    const [challenge] = parseChallenges(
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(responseOf(new DigestSigner(challenge, 'Mufasa', 'CircleOfLife').authorization('GET', '/dir/index.html'))).toBe('1949323746fe6a43ef61f9606e7febea');
  });

  it('SHA-256 (curl test 2061)', () => {
    const [challenge] = parseChallenges('Digest realm="testrealm", nonce="1053604145", algorithm="SHA-256"');
    expect(responseOf(new DigestSigner(challenge, 'testuser', 'testpass').authorization('GET', '/2061'))).toBe(
      '9dc55255f1a2537b838311674b621d45346b862a81631bb20e4ce356ef25062d',
    );
  });

  it('counts requests in nc, one nonce for many requests', () => {
    const [challenge] = parseChallenges('Digest realm="r", nonce="n", qop="auth"');
    const signer = new DigestSigner(challenge, 'u', 'p');
    signer.authorization('GET', '/');
    expect(signer.authorization('PROPFIND', '/a/')).toContain('nc=00000002');
  });
});

describe('Basic (RFC 7617)', () => {
  it('encodes the user and password as UTF-8', () => {
    expect(basicAuthorization('jörg', 'pässwört')).toBe(`Basic ${Buffer.from('jörg:pässwört', 'utf8').toString('base64')}`);
  });
});
