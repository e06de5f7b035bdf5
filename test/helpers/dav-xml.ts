/** The DAV: and CalDAV namespaces. */
export const DAV = 'DAV:';
export const CALDAV = 'urn:ietf:params:xml:ns:caldav';

/** An XML element with its namespace resolved; `text` is its own character data, entities decoded. */
export interface XmlElement {
  ns: string;
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Decodes the five XML entities and character references. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    if (entity[0] === '#') return String.fromCodePoint(entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity.toLowerCase()]!;
  });
}

/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A minimal namespace-aware XML parser, enough for the multistatus answers of the test servers. It
 * resolves prefixes per element scope rather than by name, because SabreDAV 1.8 rebinds `d:` to the
 * CalDAV namespace inside current-user-privilege-set (`<d:schedule-post-vevent xmlns:d="urn:...caldav"/>`).
 */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { ns: '', name: '#document', attributes: {}, children: [], text: '' };
  const stack: { element: XmlElement; namespaces: Record<string, string> }[] = [{ element: root, namespaces: { xml: 'http://www.w3.org/XML/1998/namespace' } }];
  for (const match of xml.matchAll(TOKEN)) {
    const [, cdata, closing, qname, attributeText, selfClosing, text] = match;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) top.element.text += decodeXmlText(text);
    else if (cdata !== undefined) top.element.text += cdata;
    else if (qname === undefined) continue;
    else if (closing) {
      if (stack.length > 1) stack.pop();
    } else {
      const namespaces = { ...top.namespaces };
      const attributes: Record<string, string> = {};
      for (const [, name, double, single] of attributeText!.matchAll(ATTRIBUTE)) {
        const value = decodeXmlText(double ?? single ?? '');
        if (name === 'xmlns') namespaces[''] = value;
        else if (name!.startsWith('xmlns:')) namespaces[name!.slice(6)] = value;
        else attributes[name!] = value;
      }
      const colon = qname.indexOf(':');
      const element: XmlElement = {
        ns: namespaces[colon < 0 ? '' : qname.slice(0, colon)] ?? '',
        name: colon < 0 ? qname : qname.slice(colon + 1),
        attributes,
        children: [],
        text: '',
      };
      top.element.children.push(element);
      if (!selfClosing) stack.push({ element, namespaces });
    }
  }
  return root;
}

/** The direct children of `element` named `{ns}name`. */
export function childrenNamed(element: XmlElement, ns: string, name: string): XmlElement[] {
  return element.children.filter((child) => child.ns === ns && child.name === name);
}

/** Every descendant of `element` named `{ns}name`, in document order. */
export function descendantsNamed(element: XmlElement, ns: string, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement) => {
    for (const child of node.children) {
      if (child.ns === ns && child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

/** One `DAV:response` of a multistatus: its href and the properties of its 2xx propstats. */
export interface DavResponse {
  href: string;
  /** Properties with a 2xx status, by `{ns}name`. */
  props: Map<string, XmlElement>;
}

/** The responses of a 207 multistatus body. */
export function parseMultistatus(xml: string): DavResponse[] {
  const document = parseXml(xml);
  return descendantsNamed(document, DAV, 'response').map((response) => {
    const props = new Map<string, XmlElement>();
    for (const propstat of childrenNamed(response, DAV, 'propstat')) {
      const status = childrenNamed(propstat, DAV, 'status')[0]?.text ?? '';
      if (!/\s2\d\d\s/.test(` ${status} `)) continue;
      for (const prop of childrenNamed(propstat, DAV, 'prop')) for (const property of prop.children) props.set(`{${property.ns}}${property.name}`, property);
    }
    return { href: (childrenNamed(response, DAV, 'href')[0]?.text ?? '').trim(), props };
  });
}
