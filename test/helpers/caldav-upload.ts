/**
 * Uploading a whole iCalendar file the way a calendar client imports one, without giving up on
 * the objects a server refuses: real servers reject some real-world data (malformed, or not to
 * their taste), and a test of what they store needs to know which objects they hold.
 */
import { mkcalendarBody, type CalDavTestServer } from './caldav-test-server';
import type { HttpAnswer } from './http-send';
import { splitIcs } from './ics-split';

/** An object the server would not store, with its answer. */
export interface RefusedObject {
  uid: string;
  /** `HTTP <status>` and the start of the answer's body. */
  why: string;
}

/** What {@link uploadAsClient} did. */
export interface Upload {
  /** The new collection's absolute URL, ending in '/'. */
  collectionUrl: string;
  /** How many objects were PUT (stored or refused). */
  objects: number;
  refused: RefusedObject[];
}

/**
 * The object name a client would choose for a UID: its safe characters only (a `/` or `%` in a
 * name trips servers that decode paths), at most 80 of them, made unique within the collection.
 */
function objectNames(uids: string[]): string[] {
  const taken = new Set<string>();
  return uids.map((uid) => {
    const base = uid.replace(/[^\w@.-]/g, '_').slice(0, 80) || 'object';
    let name = `${base}.ics`;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}.ics`;
    taken.add(name);
    return name;
  });
}

/** Whether a PUT stored the object: a 2xx other than 207 (Xandikos reports a failed precondition as a 207 holding a 412). */
function stored(answer: HttpAnswer): boolean {
  return answer.status >= 200 && answer.status < 300 && answer.status !== 207;
}

/**
 * Creates the collection `name` (MKCALENDAR; it must not exist yet) and PUTs the file
 * as one object per UID (see splitIcs), one after the other. A refused object is recorded, not
 * thrown; a failing MKCALENDAR or an unreachable server throws.
 */
export async function uploadAsClient(server: CalDavTestServer, name: string, ics: string): Promise<Upload> {
  const collectionUrl = `${server.calendarHomeUrl}${encodeURIComponent(name)}/`;
  const made = await server.request('MKCALENDAR', collectionUrl, { headers: { 'content-type': 'application/xml; charset=utf-8' }, body: mkcalendarBody(name) });
  if (made.status !== 201) throw new Error(`${server.label}: MKCALENDAR ${collectionUrl}: HTTP ${made.status} ${made.body.toString('utf8').slice(0, 500)}`);
  const objects = splitIcs(ics);
  const names = objectNames(objects.map((object) => object.uid));
  const refused: RefusedObject[] = [];
  for (const [index, object] of objects.entries()) {
    const answer = await server.request('PUT', `${collectionUrl}${encodeURIComponent(names[index]!)}`, {
      headers: { 'content-type': 'text/calendar; charset=utf-8' },
      body: object.text,
    });
    if (!stored(answer))
      refused.push({ uid: object.uid, why: `HTTP ${answer.status} ${answer.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 300)}` });
  }
  return { collectionUrl, objects: objects.length, refused };
}
