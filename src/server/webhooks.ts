import type { RequestHandler } from 'express';
import { ProviderKind } from '../providers/provider';
import { checkNotification } from '../modules/push/push-notification';
import type { AppDeps } from './context';

/**
 * `POST /webhooks/google`: a notification of a Google `events.watch` channel, an empty body
 * with `X-Goog-*` headers. `sync` (sent once when the channel opens) is acknowledged and
 * nothing more; any other state (`exists`) of a known channel whose `X-Goog-Channel-Token` and
 * `X-Goog-Resource-ID` match enqueues a debounced incremental sync of its connection and
 * answers 200. An unknown channel is 404, a wrong token 401, missing headers 400; none of them
 * enqueues anything. The sync itself never runs inside the request.
 * @see https://developers.google.com/calendar/api/guides/push#receiving-notifications
 */
export function googleWebhook(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const channelId = req.get('x-goog-channel-id');
    const state = req.get('x-goog-resource-state');
    if (!channelId || !state) {
      res.status(400).end();
      return;
    }
    // The handshake may arrive before the channel's row is stored, and asks for nothing.
    if (state === 'sync') {
      res.status(200).end();
      return;
    }
    const check = await checkNotification(deps.orm.em.fork(), {
      provider: ProviderKind.GOOGLE,
      channelId,
      token: req.get('x-goog-channel-token'),
      resourceId: req.get('x-goog-resource-id') ?? '',
    });
    if (check.kind !== 'accepted') {
      deps.logger.warn({ channelId, outcome: check.kind }, 'refused a Google push notification');
      res.status(check.kind === 'unknown' ? 404 : 401).end();
      return;
    }
    await deps.queue.enqueuePushSync({ externalCalendarId: check.externalCalendarId, tenantId: check.tenantId });
    res.status(200).end();
  };
}

/** One item of a Graph changeNotificationCollection, the fields Calsync reads. */
interface GraphNotification {
  subscriptionId?: unknown;
  clientState?: unknown;
}

/**
 * `POST /webhooks/microsoft`: Microsoft Graph change notifications.
 * - With `?validationToken=` (Graph checking the URL while creating a subscription): the token
 *   echoed as `text/plain` with 200, which Graph wants within 10 seconds.
 * - With a `{ value: [...] }` body: every item whose subscription is known and whose
 *   `clientState` matches enqueues a debounced incremental sync of its connection (once per
 *   connection); the others are ignored and logged, as Graph advises. The answer is 202 either
 *   way, so a forger learns nothing, and Graph does not retry; a body without `value` is 400.
 * @see https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 */
export function microsoftWebhook(deps: AppDeps): RequestHandler {
  return async (req, res) => {
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
    const em = deps.orm.em.fork();
    const accepted = new Map<string, string>();
    for (const item of items as GraphNotification[]) {
      const subscriptionId = typeof item?.subscriptionId === 'string' ? item.subscriptionId : null;
      const check = subscriptionId
        ? await checkNotification(em, { provider: ProviderKind.MICROSOFT, channelId: subscriptionId, token: typeof item.clientState === 'string' ? item.clientState : undefined })
        : ({ kind: 'unknown' } as const);
      if (check.kind === 'accepted') accepted.set(check.externalCalendarId, check.tenantId);
      else deps.logger.warn({ subscriptionId, outcome: check.kind }, 'ignored a Microsoft Graph notification');
    }
    for (const [externalCalendarId, tenantId] of accepted) await deps.queue.enqueuePushSync({ externalCalendarId, tenantId });
    res.status(202).end();
  };
}
