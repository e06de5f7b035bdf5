import { OutboundPolicy } from '../../src/common/outbound';
import type { DavTransport } from '../../src/providers/caldav/dav-session';

/**
 * What the CalDAV adapter needs to reach the tests' own servers, which listen on loopback: the
 * outbound policy with private addresses allowed (as OUTBOUND_ALLOW_PRIVATE=true does), the
 * default answer cap and the default request timeout.
 */
export function loopbackTransport(maxResponseBytes = 20 * 1024 * 1024, requestTimeoutMs = 30_000): DavTransport {
  return { policy: new OutboundPolicy({ allowPrivate: true, allowCidrs: [] }), maxResponseBytes, requestTimeoutMs };
}
