/**
 * The change-notification part of the Graph fake (graph-fake.ts): subscriptions, their webhook
 * deliveries and lifecycle notifications. The rules it follows, with their sources, are in
 * graph-fake.ts's header comment.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ChangeNotification, ChangeNotificationCollection, LifecycleEventType, Subscription } from '@microsoft/microsoft-graph-types';

/** A change-notification subscription on one calendar's events. */
export interface FakeSubscription {
  id: string;
  calendarId: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  /** Null when the subscription was created without one: it then gets no lifecycle notifications. */
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  deleted: boolean;
  /** How many times `POST /subscriptions/{id}/reauthorize` succeeded on it. */
  reauthorizations: number;
}

/** One POST the fake made to a receiver (validations excluded), with the status it got (0: no answer). */
export interface FakeDelivery {
  url: string;
  body: ChangeNotificationCollection;
  status: number;
}

/** What the subscriptions part needs of the rest of the fake. */
export interface SubscriptionsContext {
  /** The fake's origin, for `@odata.context`. */
  url: string;
  clientId: string;
  hasCalendar(calendarId: string): boolean;
  /** A Graph error answer (`{ error: { code, message } }`) to throw. */
  fail(status: number, code: string, message: string): Error;
}

/** Longest subscription to Outlook events, minutes ("10,080 minutes (under seven days)"). */
const MAX_SUBSCRIPTION_MINUTES = 10_080;
const FAKE_TENANT_ID = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
const FAKE_USER_ID = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
/** Hosts a plain-http notification URL may name here: the tests' gateways listen on loopback. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const token = (bytes = 24) => randomBytes(bytes).toString('base64url');
const graphId = () => `AAMkAD${randomBytes(18).toString('base64')}=`;

/** The subscriptions of one fake: its HTTP endpoints and the control API tests drive deliveries with. */
export function fakeSubscriptions(context: SubscriptionsContext) {
  const subscriptions: FakeSubscription[] = [];
  const deliveries: FakeDelivery[] = [];
  const live = (calendarId: string) =>
    subscriptions.filter(
      (subscription) => subscription.calendarId === calendarId && !subscription.deleted && Date.parse(subscription.expirationDateTime) > Date.now(),
    );

  function find(id: string): FakeSubscription {
    const subscription = subscriptions.find((candidate) => candidate.id === id && !candidate.deleted);
    if (!subscription) throw context.fail(404, 'ResourceNotFound', 'The object was not found.');
    return subscription;
  }

  function requireExpiration(value: unknown): string {
    const expiration = Date.parse(String(value ?? ''));
    if (Number.isNaN(expiration) || expiration <= Date.now()) throw context.fail(400, 'InvalidRequest', 'expirationDateTime must be a time in the future.');
    if (expiration > Date.now() + MAX_SUBSCRIPTION_MINUTES * 60_000) {
      throw context.fail(400, 'InvalidRequest', `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.`);
    }
    return new Date(expiration).toISOString();
  }

  /** An absolute https URL; plain http only on loopback (Graph wants https, the tests serve http). */
  function requireReceiverUrl(value: unknown, property: string): string {
    const text = String(value ?? '');
    const parsed = URL.canParse(text) ? new URL(text) : null;
    if (parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) return text;
    throw context.fail(400, 'InvalidRequest', `The ${property} must be an absolute URL that uses the HTTPS protocol.`);
  }

  /** Graph's reachability check: the token must come back, as text, with 200, within 10 s. */
  async function validate(receiverUrl: string): Promise<void> {
    const validationToken = `Validation: Testing client application reachability for subscription Request-Id: ${randomBytes(16).toString('hex')}`;
    const echoed = await fetch(`${receiverUrl}${receiverUrl.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(validationToken)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(10_000),
    }).then(
      async (response) => (response.status === 200 && /^text\/plain/.test(response.headers.get('content-type') ?? '') ? response.text() : null),
      () => null,
    );
    if (echoed !== validationToken) {
      throw context.fail(
        400,
        'InvalidRequest',
        'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
      );
    }
  }

  function resourceOf(subscription: FakeSubscription): Subscription & { '@odata.context': string } {
    const { id, resource, changeType, notificationUrl, lifecycleNotificationUrl, clientState, expirationDateTime } = subscription;
    return {
      '@odata.context': `${context.url}/v1.0/$metadata#subscriptions/$entity`,
      id,
      resource,
      applicationId: context.clientId,
      changeType,
      clientState,
      notificationUrl,
      lifecycleNotificationUrl,
      expirationDateTime,
      creatorId: FAKE_USER_ID,
      latestSupportedTlsVersion: 'v1_2',
      includeResourceData: false,
    };
  }

  async function post(url: string, body: ChangeNotificationCollection): Promise<number> {
    const status = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) }).then(
      (response) => response.status,
      () => 0,
    );
    deliveries.push({ url, body, status });
    return status;
  }

  function changeItem(subscription: FakeSubscription, changeType: 'created' | 'updated' | 'deleted'): ChangeNotification {
    const eventId = graphId();
    return {
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expirationDateTime,
      changeType,
      resource: `Users/${FAKE_USER_ID}/Events/${eventId}`,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Event',
        '@odata.id': `Users/${FAKE_USER_ID}/Events/${eventId}`,
        '@odata.etag': `W/"${token(12)}"`,
        id: eventId,
      } as ChangeNotification['resourceData'],
      clientState: subscription.clientState,
      tenantId: FAKE_TENANT_ID,
    };
  }

  /** POSTs the items grouped by receiver URL, one collection each; the statuses in URL order. */
  function deliverGrouped(items: Array<{ url: string; item: ChangeNotification }>): Promise<number[]> {
    const byUrl = new Map<string, ChangeNotification[]>();
    for (const { url, item } of items) byUrl.set(url, [...(byUrl.get(url) ?? []), item]);
    return Promise.all([...byUrl].map(([url, value]) => post(url, { value })));
  }

  return {
    subscriptions,
    deliveries,

    /** `POST /v1.0/subscriptions`. */
    async create(body: Record<string, unknown>): Promise<[number, unknown]> {
      const changeType = String(body.changeType ?? '');
      if (!changeType || changeType.split(',').some((type) => !['created', 'updated', 'deleted'].includes(type))) {
        throw context.fail(400, 'InvalidRequest', `Invalid changeType '${changeType}'.`);
      }
      const notificationUrl = requireReceiverUrl(body.notificationUrl, 'notificationUrl');
      const lifecycleNotificationUrl =
        body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null
          ? null
          : requireReceiverUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
      const resource = String(body.resource ?? '');
      const calendarId = /^\/?me\/calendars\/([^/]+)\/events$/.exec(resource)?.[1];
      if (!calendarId || !context.hasCalendar(decodeURIComponent(calendarId))) throw context.fail(404, 'ExtensionError', `Resource '${resource}' not found.`);
      const clientState = body.clientState === undefined || body.clientState === null ? null : String(body.clientState);
      if (clientState !== null && clientState.length > 128) throw context.fail(400, 'InvalidRequest', 'clientState is longer than 128 characters.');
      const expirationDateTime = requireExpiration(body.expirationDateTime);
      // Graph checks the URLs before it creates anything, the lifecycle URL as the notification URL.
      await validate(notificationUrl);
      if (lifecycleNotificationUrl !== null) await validate(lifecycleNotificationUrl);
      const subscription: FakeSubscription = {
        id: randomUUID(),
        calendarId: decodeURIComponent(calendarId),
        resource,
        changeType,
        notificationUrl,
        lifecycleNotificationUrl,
        clientState,
        expirationDateTime,
        deleted: false,
        reauthorizations: 0,
      };
      subscriptions.push(subscription);
      return [201, resourceOf(subscription)];
    },

    /** `PATCH` (a new expirationDateTime; the lifecycle URL cannot be added or changed) and `DELETE /v1.0/subscriptions/{id}`. */
    change(method: 'PATCH' | 'DELETE', id: string, body: Record<string, unknown>): [number, unknown] {
      const subscription = find(id);
      if (method === 'DELETE') {
        subscription.deleted = true;
        return [204, null];
      }
      if ('lifecycleNotificationUrl' in body) {
        throw context.fail(400, 'InvalidRequest', 'lifecycleNotificationUrl can only be set when the subscription is created.');
      }
      subscription.expirationDateTime = requireExpiration(body.expirationDateTime);
      return [200, resourceOf(subscription)];
    },

    /** `POST /v1.0/subscriptions/{id}/reauthorize`: 204, the expiry unchanged. */
    reauthorize(id: string): [number, unknown] {
      find(id).reauthorizations += 1;
      return [204, null];
    },

    /** One collection per live subscription of the calendar, as Graph notifies after a change. */
    notify(calendarId: string, changeType: 'created' | 'updated' | 'deleted' = 'updated'): Promise<number[]> {
      return Promise.all(live(calendarId).map((subscription) => post(subscription.notificationUrl, { value: [changeItem(subscription, changeType)] })));
    },

    /** ONE collection per notification URL, with an item for every live subscription on each calendar. */
    notifyBatch(calendarIds: string[], changeType: 'created' | 'updated' | 'deleted' = 'updated'): Promise<number[]> {
      const items = calendarIds.flatMap(live).map((subscription) => ({ url: subscription.notificationUrl, item: changeItem(subscription, changeType) }));
      return deliverGrouped(items);
    },

    /** POSTs the last delivery again, body and URL unchanged, as Graph's retry of an unacknowledged one does. */
    redeliverLast(): Promise<number> {
      const last = deliveries.at(-1);
      if (!last) throw new Error('Nothing was delivered yet');
      return post(last.url, last.body);
    },

    /**
     * POSTs a lifecycle notification of the subscription to its lifecycleNotificationUrl; for
     * `subscriptionRemoved`, the subscription is removed first (a renewal then gets 404).
     */
    sendLifecycle(id: string, lifecycleEvent: LifecycleEventType): Promise<number> {
      const subscription = find(id);
      if (subscription.lifecycleNotificationUrl === null)
        throw new Error(`Subscription ${id} has no lifecycleNotificationUrl: Graph sends it no lifecycle notification`);
      if (lifecycleEvent === 'subscriptionRemoved') subscription.deleted = true;
      const item: ChangeNotification = {
        subscriptionId: subscription.id,
        subscriptionExpirationDateTime: subscription.expirationDateTime,
        tenantId: FAKE_TENANT_ID,
        clientState: subscription.clientState,
        lifecycleEvent,
      };
      return post(subscription.lifecycleNotificationUrl, { value: [item] });
    },
  };
}
