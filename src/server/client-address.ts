import type http from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/** Express's `trust proxy` setting (TRUST_PROXY): false (the socket's peer), true, a hop count, or addresses, subnets and names. */
export type TrustProxy = boolean | number | string[];

/**
 * The client's address of a request as Express's `req.ip` tells it with the same `trust proxy`
 * setting (proxy-addr, which Express uses), for requests Express does not see: websocket upgrades.
 * @see https://expressjs.com/en/guide/behind-proxies.html
 */
export function clientAddress(req: http.IncomingMessage, trust: TrustProxy): string {
  if (trust === false) return req.socket.remoteAddress ?? '';
  const fn = trust === true ? () => true : typeof trust === 'number' ? (_: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return proxyAddr(req, fn);
}

/**
 * The key under which a client's failed authentications are counted: an IPv4 address as it is,
 * an IPv6 address by its /64 (one subscriber's network hands out a /64 or more, so counting
 * single addresses would give an attacker 2^64 buckets). IPv4-mapped IPv6 counts as IPv4.
 */
export function addressBucket(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
