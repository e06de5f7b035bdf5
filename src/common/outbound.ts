/**
 * The one outbound address policy (DESIGN "Outbound requests"): every request to a URL a tenant
 * gave (a CalDAV server, an ICS feed, a webhook endpoint) or a server named (a calendar href, a
 * redirect hop) goes through {@link OutboundPolicy.fetch}, which
 * - takes http and https only;
 * - refuses loopback, private (RFC 1918, RFC 4193), carrier-grade NAT, link-local (169.254/16 and
 *   fe80::/10, where cloud metadata lives), multicast, broadcast, unspecified and reserved
 *   addresses, whatever their spelling (the WHATWG URL parser already turns `2130706433`,
 *   `0x7f000001` and `127.1` into `127.0.0.1`; IPv4-mapped IPv6 is unwrapped), and does so at
 *   connect time for names: the DNS answer is checked in the socket's own lookup, so a name
 *   cannot resolve to a public address for the check and a private one for the connection;
 * - lets an operator opt in: `allowPrivate` opens loopback, private and carrier-grade NAT (not
 *   link-local, multicast or reserved), `allowCidrs` opens exactly the ranges listed;
 * - bounds the connection attempt ({@link CONNECT_TIMEOUT_MS}).
 * Callers cap bodies and total time themselves (they know their formats); errors never carry a
 * remote body.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';

/** How long a TCP (and TLS) connection may take to open. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The ranges `allowPrivate` opens. Link-local stays shut: it is where cloud metadata services answer. */
const PRIVATE_RANGES: ReadonlySet<string> = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** What the operator allows beyond public unicast addresses (OUTBOUND_ALLOW_PRIVATE, OUTBOUND_ALLOW_CIDRS). */
export interface OutboundPolicyOptions {
  allowPrivate: boolean;
  /** CIDR ranges such as `10.20.0.0/16` or `fd00::/8`, allowed whatever their kind. */
  allowCidrs: string[];
}

/** A request the policy refused; the message says what and how an operator can allow it. */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

/** The fetch init the policy takes: the standard one (the body a string, as every caller sends). */
export type OutboundInit = Omit<RequestInit, 'body' | 'dispatcher'> & { body?: string };

export class OutboundPolicy {
  private readonly cidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  private readonly agent: Agent;

  /** @throws Error for a CIDR that does not parse (the configuration validates them first). */
  constructor(private readonly options: OutboundPolicyOptions) {
    this.cidrs = options.allowCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
    this.agent = new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS, lookup: this.lookup } });
  }

  /** Why the address may not be connected to, or null when it may. */
  refusal(address: string): string | null {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.parse(address);
    } catch {
      return `${address} is not an IP address`;
    }
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    if (this.cidrs.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) return null;
    const range = parsed.range();
    if (range === 'unicast' || (this.options.allowPrivate && PRIVATE_RANGES.has(range))) return null;
    const opener = PRIVATE_RANGES.has(range) ? 'OUTBOUND_ALLOW_PRIVATE=true or OUTBOUND_ALLOW_CIDRS' : 'OUTBOUND_ALLOW_CIDRS';
    return `${address} is a ${range} address, which this gateway does not connect to (an operator can allow it with ${opener})`;
  }

  /**
   * Checks a URL before any request: its scheme, and its host when that is an IP address
   * (names are checked when they resolve, at connect time).
   * @throws OutboundRefusedError
   */
  check(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OutboundRefusedError(`${url.protocol.replace(':', '')} URLs are not fetched; use http or https`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host)) {
      const refused = this.refusal(host);
      if (refused) throw new OutboundRefusedError(refused);
    }
  }

  /**
   * fetch under the policy. Redirects are never followed here (`redirect: 'manual'` is forced):
   * the caller follows them and so checks every hop again.
   * @throws OutboundRefusedError when the URL or the address its name resolves to is refused;
   *   otherwise what fetch throws (TypeError with a `cause`, AbortError, TimeoutError).
   */
  async fetch(url: string | URL, init: OutboundInit = {}): Promise<Response> {
    const target = new URL(url);
    this.check(target);
    try {
      return (await undiciFetch(target, { ...(init as UndiciRequestInit), redirect: 'manual', dispatcher: this.agent })) as unknown as Response;
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof OutboundRefusedError) throw cause;
      throw error;
    }
  }

  /** Closes the pooled connections (at shutdown). */
  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The sockets' DNS lookup: every address of the answer is checked; the refused ones are never connected to. */
  private readonly lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter((entry) => this.refusal(entry.address) === null);
      if (allowed.length === 0) {
        const refused = new OutboundRefusedError(
          `${hostname} resolves to ${addresses.map((entry) => entry.address).join(', ')}: ${this.refusal(addresses[0]?.address ?? '')}`,
        );
        return callback(refused as NodeJS.ErrnoException, []);
      }
      if (options.all) callback(null, allowed);
      else callback(null, allowed[0].address, allowed[0].family);
    });
  };
}
