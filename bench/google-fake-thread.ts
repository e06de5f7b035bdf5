/**
 * The Google fake of the full-sync measure in a worker thread of its own, seeded there, as Google
 * is another machine: its listing work (it filters the whole calendar for every page) then does
 * not run on the event loop of the sync it serves, nor on the bare loop's.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startGoogleFake, type GoogleFake } from '../test/fakes/google/google-fake';
import { random } from './seed';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The calendar the fake holds. */
export const CALENDAR = 'owner@example.com';
/** The zone its events are written in, and the resource's. */
export const ZONE = 'Europe/Berlin';

/** Made once: `toLocaleString` builds a formatter per call, seconds for 50k events. */
const OFFSET_FORMAT = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' });

/** `2026-12-04T10:05:00+01:00`: how Google writes a date-time, with the offset of the zone it was written in (Berlin: +01:00 or +02:00). */
function berlin(instant: number): string {
  const offset = OFFSET_FORMAT.format(new Date(instant)).split('GMT')[1] || '+00:00';
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number);
  const local = new Date(instant + sign * (hours! * 60 + (minutes ?? 0)) * MINUTE);
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

/**
 * `count` events spread over the default sync window (30 days back, 365 ahead) on a 5-minute
 * grid, 5..30 minutes long, written in Europe/Berlin as Google sends them; 8 % transparent, 6 %
 * tentative, 1 % all-day.
 */
function seedEvents(google: GoogleFake, count: number): void {
  const next = random(17);
  const from = Date.now() - 29 * DAY;
  const slots = (393 * DAY) / (5 * MINUTE);
  for (let k = 0; k < count; k++) {
    const roll = next();
    const start = from + Math.floor(next() * slots) * 5 * MINUTE;
    const end = start + (1 + Math.floor(next() * 6)) * 5 * MINUTE;
    const day = new Date(start).toISOString().slice(0, 10);
    const allDay = roll >= 0.18 && roll < 0.19;
    google.addEvent(CALENDAR, {
      id: `ev${k}`,
      summary: `Booking ${k}`,
      start: allDay ? { date: day } : { dateTime: berlin(start), timeZone: ZONE },
      end: allDay ? { date: new Date(Date.parse(day) + DAY).toISOString().slice(0, 10) } : { dateTime: berlin(end), timeZone: ZONE },
      ...(roll < 0.06 ? { status: 'tentative' } : {}),
      ...(roll >= 0.1 && roll < 0.18 ? { transparency: 'transparent' } : {}),
    });
  }
}

/** A fake running in a worker thread: its base URL, OAuth tokens issued up front, and how to stop it. */
export interface FakeThread {
  url: string;
  tokens: { accessToken: string; refreshToken: string }[];
  close(): Promise<void>;
}

/** Starts the fake in a worker thread with `events` events in {@link CALENDAR} and `tokens` grants. */
export async function startFakeThread(events: number, tokens: number): Promise<FakeThread> {
  const worker = new Worker(__filename, { workerData: { events, tokens } });
  const ready = await new Promise<Omit<FakeThread, 'close'>>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { ...ready, close: async () => void (await worker.terminate()) };
}

async function serve({ events, tokens }: { events: number; tokens: number }): Promise<void> {
  const google = await startGoogleFake();
  google.addCalendar({ id: CALENDAR, summary: 'Owner', primary: true, accessRole: 'owner', timeZone: ZONE });
  seedEvents(google, events);
  parentPort!.postMessage({ url: google.url, tokens: Array.from({ length: tokens }, () => google.issueTokens()) });
}

if (!isMainThread) void serve(workerData as { events: number; tokens: number });
