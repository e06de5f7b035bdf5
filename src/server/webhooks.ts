import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { ProviderKind } from '../providers/provider';
import { enqueuePushSync } from '../modules/push/push.jobs';
import { acceptGraphNotifications } from '../modules/push/graph-notifications';
import { checkNotification } from '../modules/push/push-notification';
import type { AppDeps } from '../runtime';

/** Google's notifications have empty bodies: anything longer is refused (413) unread past this. */
const GOOGLE_MAX_BODY = '16kb';

/** A Graph changeNotificationCollection without resource data is some hundred bytes an item. */
const MICROSOFT_MAX_BODY = '1mb';

/** Google's message numbers: decimal digits, within PostgreSQL's bigint. */
const MESSAGE_NUMBER = /^\d{1,18}$/;

/** Attacker-chosen header text is cut to this before it reaches a log line. */
const LOGGED_ID_LENGTH = 64;

/**
 * Answers a webhook body that is too large (413), not JSON (400) or in an unknown encoding (415)
 * with an empty body, never 500 (Express's body parsers hand those errors here).
 */
export const webhookBodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return next(error);
  res.status(status).end();
};

/**
 * `POST /webhooks/google`: a notification of a Google `events.watch` channel, an empty body
 * with `X-Goog-*` headers. Without `X-Goog-Channel-ID`, `X-Goog-Resource-State` or a numeric
 * `X-Goog-Message-Number` it is 400. `sync` (sent once when the channel opens) is acknowledged and
 * nothing more. Any other state (`exists`) of a known channel whose `X-Goog-Channel-Token` and
 * `X-Goog-Resource-ID` match, and whose message number is above the last one accepted on the
 * channel, enqueues a debounced incremental sync of its connection and answers 200; a number not
 * above it (a replay, or a retry of a message already taken) answers 200 and enqueues nothing.
 * An unknown channel and a wrong token are answered alike, 401, so that the answer does not tell
 * which channel ids exist. The sync itself never runs inside the request.
 * @see https://developers.google.com/calendar/api/guides/push#receiving-notifications
 */
export function googleWebhook(deps: AppDeps): (RequestHandler | ErrorRequestHandler)[] {
  const handle: RequestHandler = async (req, res) => {
    const channelId = req.get('x-goog-channel-id');
    const state = req.get('x-goog-resource-state');
    const messageNumber = req.get('x-goog-message-number');
    if (!channelId || !state || !messageNumber || !MESSAGE_NUMBER.test(messageNumber)) {
      res.status(400).end();
      return;
    }
    // The handshake may arrive before the channel's row is stored, and asks for nothing.
    if (state === 'sync') {
      res.status(200).end();
      return;
    }
    const check = await checkNotification(deps.orm.em.fork(), ProviderKind.GOOGLE, {
      channelId,
      token: req.get('x-goog-channel-token'),
      resourceId: req.get('x-goog-resource-id') ?? '',
      messageNumber,
    });
    if (check.kind === 'replayed') {
      deps.logger.debug({ channelId, messageNumber }, 'ignored a Google push notification already taken');
      res.status(200).end();
      return;
    }
    if (check.kind !== 'accepted') {
      deps.logger.warn({ channelId: channelId.slice(0, LOGGED_ID_LENGTH), outcome: check.kind }, 'refused a Google push notification');
      res.status(401).end();
      return;
    }
    await enqueuePushSync(deps.queue, { externalCalendarId: check.externalCalendarId, tenantId: check.tenantId });
    res.status(200).end();
  };
  // Read (and bounded) so that a long body is refused with 413 rather than drained unseen.
  return [express.raw({ type: () => true, limit: GOOGLE_MAX_BODY }), webhookBodyErrors, handle];
}

/**
 * `POST /webhooks/microsoft`: Microsoft Graph change and lifecycle notifications (Calsync gives
 * Graph this URL as both notificationUrl and lifecycleNotificationUrl).
 * - With `?validationToken=` (Graph checking either URL while creating a subscription): the token
 *   echoed as `text/plain` with 200, which Graph wants within 10 seconds.
 * - With a `{ value: [...] }` body (at most 1 MB, else 413; not JSON, 400): the items go to
 *   acceptGraphNotifications (push module), which checks each item's subscription and
 *   `clientState` and enqueues what it asks for (a debounced sync; for `reauthorizationRequired`
 *   and `subscriptionRemoved`, a push_lifecycle job); the items refused or unreadable are counted
 *   in one log line per request, as Graph advises. The answer is 202 either way, so a forger
 *   learns nothing, and Graph does not retry; a body without `value` is 400.
 * @see https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 */
export function microsoftWebhook(deps: AppDeps): (RequestHandler | ErrorRequestHandler)[] {
  const handle: RequestHandler = async (req, res) => {
    const validationToken = req.query.validationToken;
    if (typeof validationToken === 'string') {
      res.status(200).type('text/plain').set('x-content-type-options', 'nosniff').send(validationToken);
      return;
    }
    const items: unknown = (req.body as { value?: unknown } | undefined)?.value;
    if (!Array.isArray(items)) {
      res.status(400).end();
      return;
    }
    const outcome = await acceptGraphNotifications(deps.orm.em.fork(), deps.queue, items);
    if (outcome.refused > 0 || outcome.unreadable > 0 || outcome.skipped > 0) deps.logger.warn(outcome, 'ignored Microsoft Graph notifications');
    res.status(202).end();
  };
  return [express.json({ limit: MICROSOFT_MAX_BODY }), webhookBodyErrors, handle];
}
