import { OutboundPolicy } from '../../../src/common/outbound';

describe('outbound address policy', () => {
  const strict = new OutboundPolicy({ allowPrivate: false, allowCidrs: [] });
  const privateOk = new OutboundPolicy({ allowPrivate: true, allowCidrs: [] });
  const listed = new OutboundPolicy({ allowPrivate: false, allowCidrs: ['10.20.0.0/16', 'fd00:1::/32', '169.254.169.254/32'] });
  afterAll(async () => Promise.all([strict, privateOk, listed].map((policy) => policy.close())));

  it.each([
    ['8.8.8.8', null],
    ['2001:4860:4860::8888', null],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
  ])('%s: %s', (address, range) => {
    const refusal = strict.refusal(address);
    if (range === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(`a ${range} address`);
  });

  it('OUTBOUND_ALLOW_PRIVATE opens loopback, private and CGNAT, never link-local, multicast or reserved', () => {
    for (const address of ['127.0.0.1', '::1', '10.1.2.3', 'fd12::1', '100.64.0.1']) expect(privateOk.refusal(address)).toBeNull();
    for (const address of ['169.254.169.254', 'fe80::1', '224.0.0.1', '192.0.2.1', '0.0.0.0']) expect(privateOk.refusal(address)).not.toBeNull();
  });

  it('OUTBOUND_ALLOW_CIDRS opens exactly its ranges, of either family', () => {
    expect(listed.refusal('10.20.3.4')).toBeNull();
    expect(listed.refusal('10.21.0.1')).not.toBeNull();
    expect(listed.refusal('fd00:1::5')).toBeNull();
    expect(listed.refusal('fd00:2::5')).not.toBeNull();
    expect(listed.refusal('169.254.169.254')).toBeNull();
    expect(listed.refusal('127.0.0.1')).not.toBeNull();
  });

  it.each(['http://2130706433/', 'http://0x7f000001/', 'http://127.1/', 'http://0177.0.0.1/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:0:0:1]/'])(
    'checks IP hosts however spelled: %s',
    (url) => {
      expect(() => strict.check(new URL(url))).toThrow(/loopback/);
    },
  );

  it.each(['file:///etc/passwd', 'gopher://example.com/', 'ftp://example.com/'])('takes http and https only: %s', (url) => {
    expect(() => strict.check(new URL(url))).toThrow(/use http or https/);
  });
});
