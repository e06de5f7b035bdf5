import type { EntityManager } from '@mikro-orm/postgresql';
import { ProviderError } from '../../providers/provider';
import { ProviderCalendar } from '../connections/provider-calendar.entity';

/**
 * Whether a watch failure means the provider never takes a channel on the calendar: a
 * FORBIDDEN from `watch` (Google's 400 `pushNotSupportedForRequestedResource`). Retrying it
 * every maintenance pass would only spend quota.
 * @see https://developers.google.com/calendar/api/guides/push
 */
export function isUnwatchable(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.code === 'FORBIDDEN';
}

/** Remembers on the calendar that it cannot be watched (ProviderCalendar.pushUnsupportedAt); it is polled from now on. */
export async function markUnwatchable(em: EntityManager, calendar: ProviderCalendar): Promise<void> {
  calendar.pushUnsupportedAt = new Date();
  await em.nativeUpdate(ProviderCalendar, { id: calendar.id }, { pushUnsupportedAt: calendar.pushUnsupportedAt });
}
