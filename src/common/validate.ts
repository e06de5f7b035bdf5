import { IANAZone } from 'luxon';
import { badInput } from './errors';

/** @throws AppError BAD_USER_INPUT naming `field` unless `value` is an IANA time zone name. */
export function requireTimeZone(field: string, value: string): string {
  if (!IANAZone.isValidZone(value)) throw badInput(field, `${field} must be an IANA time zone such as "Europe/Berlin", got "${value}"`);
  return value;
}

/** @throws AppError BAD_USER_INPUT naming `field` unless `value` is non-blank and at most `max` characters. */
export function requireText(field: string, value: string, max = 200): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > max) throw badInput(field, `${field} must be 1 to ${max} characters`);
  return trimmed;
}

/** @throws AppError BAD_USER_INPUT naming `field` unless `value` is an integer in [min, max]. */
export function requireIntInRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(field, `${field} must be an integer from ${min} to ${max}`);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-given id can name a row at all (ids are UUIDs); others are simply not found. */
export function isId(value: string): boolean {
  return UUID.test(value);
}

/** Largest window one ingest or query may cover. */
export const MAX_WINDOW_DAYS = 366;

/**
 * Validates a half-open UTC window [from, to).
 * @throws AppError BAD_USER_INPUT naming `to` when it is not after `from` or the window exceeds `maxDays`.
 */
export function requireWindow(from: Date, to: Date, maxDays = MAX_WINDOW_DAYS, prefix = 'input'): { from: Date; to: Date } {
  if (to.getTime() <= from.getTime()) throw badInput(`${prefix}.to`, 'to must be after from');
  if (to.getTime() - from.getTime() > maxDays * 86_400_000) throw badInput(`${prefix}.to`, `The window from "from" to "to" may span at most ${maxDays} days`);
  return { from, to };
}
