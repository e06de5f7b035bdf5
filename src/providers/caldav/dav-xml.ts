/**
 * WebDAV XML (RFC 4918 section 14): request bodies built from fixed templates, and multistatus
 * answers read with a namespace-aware DOM parser (@xmldom/xmldom), so that `D:href`, `d:href` and
 * a default-namespace `href` are one element, and a CalDAV element is told from a DAV one by its
 * namespace, never by its prefix. xmldom expands no DTD entities, internal or external, so an
 * answer cannot pull in files or grow exponentially.
 */
import { DOMParser, onErrorStopParsing, type Element } from '@xmldom/xmldom';

export const DAV = 'DAV:';
export const CALDAV = 'urn:ietf:params:xml:ns:caldav';
export const CALENDARSERVER = 'http://calendarserver.org/ns/';
export const APPLE_ICAL = 'http://apple.com/ns/ical/';

/** A property name in Clark notation, `{namespace}local-name`, e.g. `{DAV:}getetag`. */
export type PropName = `{${string}}${string}`;

const PREFIXES: Record<string, string> = { [DAV]: 'd', [CALDAV]: 'c', [CALENDARSERVER]: 'cs', [APPLE_ICAL]: 'ic' };
const NAMESPACES = Object.entries(PREFIXES)
  .map(([namespace, prefix]) => `xmlns:${prefix}="${namespace}"`)
  .join(' ');

/** One `DAV:response` of a multistatus (RFC 4918 section 14.24). */
export interface DavResponse {
  /** The href as the server wrote it (entities decoded, percent-encoding kept). */
  href: string;
  /** The response-level status (e.g. 404 for a deleted member in sync-collection), or null when it has propstats instead. */
  status: number | null;
  /** Properties found with a 2xx propstat, by Clark name. */
  props: Map<PropName, Element>;
  /** Names (Clark) of the precondition elements of its `DAV:error`, if any. */
  errors: PropName[];
}

/** A parsed multistatus: its responses and, for sync-collection, the new sync-token (RFC 6578 section 6.2). */
export interface Multistatus {
  responses: DavResponse[];
  syncToken: string | null;
}

/** Thrown when an answer that must be a multistatus is not one; the caller turns it into a ProviderError. */
export class NotMultistatusError extends Error {}

/**
 * Parses a 207 body. Anything that is not a well-formed `DAV:multistatus` document (an HTML
 * maintenance page, truncated XML, another root) is refused rather than read as "no members",
 * because an empty answer would delete every stored event of the calendar.
 * @throws NotMultistatusError
 */
export function parseMultistatus(text: string): Multistatus {
  let root: Element | null;
  try {
    root = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'application/xml').documentElement;
  } catch (error) {
    throw new NotMultistatusError(`malformed XML (${(error as Error).message.split('\n')[0].slice(0, 120)})`);
  }
  if (!root || root.namespaceURI !== DAV || root.localName !== 'multistatus') {
    throw new NotMultistatusError(root ? `a <${root.localName}> document instead of a DAV:multistatus` : 'an empty document');
  }
  const responses = children(root, DAV, 'response').map(readResponse);
  const token = child(root, DAV, 'sync-token');
  return { responses, syncToken: token ? textOf(token) : null };
}

function readResponse(element: Element): DavResponse {
  const props = new Map<PropName, Element>();
  for (const propstat of children(element, DAV, 'propstat')) {
    const status = statusOf(child(propstat, DAV, 'status'));
    if (status === null || status < 200 || status >= 300) continue;
    for (const prop of children(propstat, DAV, 'prop')) {
      for (const value of elements(prop)) props.set(clark(value), value);
    }
  }
  const error = child(element, DAV, 'error');
  return {
    href: textOf(child(element, DAV, 'href')),
    status: statusOf(child(element, DAV, 'status')),
    props,
    errors: error ? elements(error).map(clark) : [],
  };
}

/** `HTTP/1.1 404 Not Found` → 404 (RFC 4918 section 14.28). */
function statusOf(element: Element | null): number | null {
  const match = element ? /^\S+\s+(\d{3})/.exec(textOf(element).trim()) : null;
  return match ? Number(match[1]) : null;
}

/** Trimmed text of a property, or null when the property is absent or empty. */
export function propText(response: DavResponse, name: PropName): string | null {
  const element = response.props.get(name);
  const value = element ? textOf(element).trim() : '';
  return value === '' ? null : value;
}

/** The `DAV:href` children of a property (current-user-principal, calendar-home-set, ...). */
export function propHrefs(response: DavResponse, name: PropName): string[] {
  const element = response.props.get(name);
  return element
    ? children(element, DAV, 'href')
        .map((href) => textOf(href).trim())
        .filter((href) => href !== '')
    : [];
}

/** The Clark names of the child elements of a property (resourcetype, privileges, ...). */
export function propChildren(response: DavResponse, name: PropName): PropName[] {
  const element = response.props.get(name);
  return element ? elements(element).map(clark) : [];
}

/**
 * The privileges of a `DAV:current-user-privilege-set` (RFC 3744 section 5.4): the Clark names
 * inside its `DAV:privilege` elements; null when the server did not report the property.
 */
export function propPrivileges(response: DavResponse): PropName[] | null {
  const element = response.props.get(`{${DAV}}current-user-privilege-set`);
  return element ? children(element, DAV, 'privilege').flatMap((privilege) => elements(privilege).map(clark)) : null;
}

/** The property element itself, for properties with structure (supported-calendar-component-set). */
export function propElement(response: DavResponse, name: PropName): Element | null {
  return response.props.get(name) ?? null;
}

/** Child elements of `parent` with this namespace and local name. */
export function children(parent: Element, namespace: string, localName: string): Element[] {
  return elements(parent).filter((element) => element.namespaceURI === namespace && element.localName === localName);
}

function child(parent: Element, namespace: string, localName: string): Element | null {
  return children(parent, namespace, localName)[0] ?? null;
}

function elements(parent: Element): Element[] {
  const result: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === node.ELEMENT_NODE) result.push(node as Element);
  return result;
}

function textOf(element: Element | null): string {
  return element?.textContent ?? '';
}

function clark(element: Element): PropName {
  return `{${element.namespaceURI ?? ''}}${element.localName ?? element.nodeName}`;
}

/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function propXml(props: PropName[]): string {
  return props
    .map((name) => {
      const [, namespace, local] = /^\{(.*)\}(.+)$/.exec(name)!;
      return `<${PREFIXES[namespace]}:${local}/>`;
    })
    .join('');
}

/** A PROPFIND body asking for these properties (RFC 4918 section 9.1); their namespaces must be known here. */
export function propfindBody(props: PropName[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><d:propfind ${NAMESPACES}><d:prop>${propXml(props)}</d:prop></d:propfind>`;
}

/** A calendar-multiget REPORT body (RFC 4791 section 7.9) for hrefs as the server wrote them. */
export function multigetBody(props: PropName[], hrefs: string[]): string {
  const list = hrefs.map((href) => `<d:href>${escapeXml(href)}</d:href>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget ${NAMESPACES}><d:prop>${propXml(props)}</d:prop>${list}</c:calendar-multiget>`;
}

/** A calendar-query REPORT body (RFC 4791 section 7.8) matching every calendar object: no component filter, no time-range. */
export function calendarQueryBody(props: PropName[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><c:calendar-query ${NAMESPACES}><d:prop>${propXml(props)}</d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>`;
}

/** A sync-collection REPORT body (RFC 6578 section 6.1); an empty token asks for the initial state. */
export function syncCollectionBody(token: string, props: PropName[]): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><d:sync-collection ${NAMESPACES}><d:sync-token>${escapeXml(token)}</d:sync-token>` +
    `<d:sync-level>1</d:sync-level><d:prop>${propXml(props)}</d:prop></d:sync-collection>`
  );
}
