/**
 * Google's error bodies as the fake answers them, from the Calendar API error reference
 * (https://developers.google.com/calendar/api/guides/errors): each reason with the `domain` and
 * `message` Google documents for it.
 */

/** The usage-limit reasons and their documented messages (all of domain `usageLimits`). */
const USAGE_LIMITS: Record<string, string> = {
  /** 403 or 429: the per-calendar or per-user request rate (https://developers.google.com/calendar/api/guides/errors#403_rate_limit_exceeded). */
  rateLimitExceeded: 'Rate Limit Exceeded',
  /** 403: a per-user limit of the Cloud console (https://developers.google.com/calendar/api/guides/errors#403_user_rate_limit_exceeded). */
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  /** 403: the account's Calendar usage limits (https://developers.google.com/calendar/api/guides/errors#403_calendar_usage_limits_exceeded). */
  quotaExceeded: 'Calendar usage limits exceeded.',
  /** 403: the project's courtesy daily quota (https://developers.google.com/calendar/api/guides/errors). */
  dailyLimitExceeded: 'Daily Limit Exceeded',
};

/** Other reasons the fake's failures name, with Google's messages. */
const OTHER_MESSAGES: Record<string, string> = {
  backendError: 'Backend Error',
  pushNotSupportedForRequestedResource: 'Push notifications are not supported by this resource.',
};

/** The `errors[].domain` of a reason: `usageLimits` for the usage-limit reasons, else `global`. */
export function domainOf(reason: string): string {
  return reason in USAGE_LIMITS ? 'usageLimits' : 'global';
}

/** The message Google sends with a reason; the reason itself when the fake knows none. */
export function messageOf(reason: string): string {
  return USAGE_LIMITS[reason] ?? OTHER_MESSAGES[reason] ?? reason;
}
