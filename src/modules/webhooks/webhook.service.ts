import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { AppError, badInput, ErrorCode, notFound } from '../../common/errors';
import { OutboundRefusedError } from '../../common/outbound';
import { isId, requireIntInRange } from '../../common/validate';
import { Resource } from '../resources/resource.entity';
import type { ModuleDeps } from '../shared/module-deps';
import { decodeCursor, pageSize, toPage, type Page } from '../shared/pagination';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint, WebhookEndpointStatus } from './webhook-endpoint.entity';
import { WEBHOOK_TYPE_NAMES, WebhookEventType } from './webhook-event-type';
import {
  DEFAULT_GRACE_MINUTES,
  type CreateWebhookEndpointInput,
  type RotateWebhookSecretInput,
  type UpdateWebhookEndpointInput,
  type WebhookDeliveryFilter,
} from './webhook.inputs';
import { scheduleDelivery } from './webhook-deliverer';
import { newSigningSecret } from './webhook-signing';

/** Most endpoints of one tenant. */
export const MAX_ENDPOINTS = 20;
const MAX_URL_LENGTH = 2000;
const MAX_DESCRIPTION = 500;
const MAX_RESOURCES = 100;
const MAX_GRACE_MINUTES = 10_080;

/** An endpoint with the secret that was just made for it: the only time it is shown. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/**
 * The tenant's webhook endpoints and their deliveries. The EntityManager is scoped to the caller's
 * tenant (the `tenant` filter): another tenant's ids are NOT_FOUND. Each method is one
 * transaction; secrets are sealed before they are stored and returned only by create and rotate.
 */
export class WebhookService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<ModuleDeps, 'secrets' | 'webhooks'>,
  ) {}

  /**
   * Registers an endpoint, ENABLED, with a new `whsec_` secret.
   * @throws AppError BAD_USER_INPUT naming `input.url`, `input.eventTypes`, `input.resourceIds` or `input.description`;
   *   NOT_FOUND `input.resourceIds` for a resource not of the tenant; FAILED_PRECONDITION past {@link MAX_ENDPOINTS}.
   */
  async create(tenantId: string, input: CreateWebhookEndpointInput): Promise<EndpointWithSecret> {
    return this.em.transactional(async (em) => {
      if ((await em.count(WebhookEndpoint, {})) >= MAX_ENDPOINTS) {
        throw new AppError(ErrorCode.FAILED_PRECONDITION, `A tenant has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first`);
      }
      const secret = newSigningSecret();
      const endpoint = em.create(WebhookEndpoint, {
        tenant: tenantId,
        url: this.checkUrl(input.url, 'input.url'),
        eventTypeNames: checkEventTypes(input.eventTypes, 'input.eventTypes'),
        resourceIds: await checkResources(em, input.resourceIds ?? null, 'input.resourceIds'),
        description: checkDescription(input.description ?? null, 'input.description'),
        secret: this.deps.secrets.seal(secret),
      });
      await em.flush();
      return { endpoint, secret };
    });
  }

  /** The tenant's endpoints, oldest first, keyset-paginated. @throws AppError BAD_USER_INPUT `first` or `after`. */
  async list(first: number | null | undefined, after: string | null | undefined): Promise<Page<WebhookEndpoint>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after);
    const where: FilterQuery<WebhookEndpoint> = cursor ? { $or: [{ createdAt: { $gt: cursor.at } }, { createdAt: cursor.at, id: { $gt: cursor.id } }] } : {};
    const rows = await this.em.find(WebhookEndpoint, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
    return toPage(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  }

  /** @throws AppError NOT_FOUND (naming `field`) for an id that is not one of the tenant's endpoints. */
  async get(id: string, field = 'id'): Promise<WebhookEndpoint> {
    const endpoint = isId(id) ? await this.em.findOne(WebhookEndpoint, { id }) : null;
    if (!endpoint) throw notFound('WebhookEndpoint', id, field);
    return endpoint;
  }

  /**
   * Changes an endpoint; `enabled: true` enables a DISABLED one again with its failure clock reset.
   * @throws AppError NOT_FOUND `input.id`; BAD_USER_INPUT as {@link create}.
   */
  async update(input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    return this.em.transactional(async (em) => {
      const endpoint = await new WebhookService(em, this.deps).get(input.id, 'input.id');
      if (input.url != null) endpoint.url = this.checkUrl(input.url, 'input.url');
      if (input.eventTypes != null) endpoint.eventTypeNames = checkEventTypes(input.eventTypes, 'input.eventTypes');
      if (input.resourceIds != null) endpoint.resourceIds = await checkResources(em, input.resourceIds.length ? input.resourceIds : null, 'input.resourceIds');
      if (input.description !== undefined) endpoint.description = checkDescription(input.description, 'input.description');
      if (input.enabled === true) Object.assign(endpoint, { status: WebhookEndpointStatus.ENABLED, disabledReason: null, failingSince: null });
      if (input.enabled === false) disable(endpoint, 'disabled by a client');
      await em.flush();
      return endpoint;
    });
  }

  /**
   * Gives the endpoint a new secret, returned here only; the previous one keeps signing next to it
   * for `graceMinutes` (each attempt then carries both signatures), so that receivers can switch.
   * @throws AppError NOT_FOUND `input.id`; BAD_USER_INPUT `input.graceMinutes`.
   */
  async rotateSecret(input: RotateWebhookSecretInput): Promise<EndpointWithSecret> {
    const grace = requireIntInRange('input.graceMinutes', input.graceMinutes ?? DEFAULT_GRACE_MINUTES, 0, MAX_GRACE_MINUTES);
    return this.em.transactional(async (em) => {
      const endpoint = await em.findOne(WebhookEndpoint, { id: isId(input.id) ? input.id : '00000000-0000-0000-0000-000000000000' }, { populate: ['secret'] });
      if (!endpoint) throw notFound('WebhookEndpoint', input.id, 'input.id');
      const secret = newSigningSecret();
      endpoint.previousSecret = grace > 0 ? endpoint.secret : null;
      endpoint.previousSecretExpiresAt = grace > 0 ? new Date(Date.now() + grace * 60_000) : null;
      endpoint.secret = this.deps.secrets.seal(secret);
      await em.flush();
      return { endpoint, secret };
    });
  }

  /** Disables an endpoint (idempotent): it receives nothing until enabled again; waiting deliveries fail. @throws AppError NOT_FOUND `id`. */
  async disable(id: string): Promise<WebhookEndpoint> {
    return this.em.transactional(async (em) => {
      const endpoint = await new WebhookService(em, this.deps).get(id);
      if (endpoint.status !== WebhookEndpointStatus.DISABLED) disable(endpoint, 'disabled by a client');
      await em.flush();
      return endpoint;
    });
  }

  /** Deletes an endpoint with its deliveries. @throws AppError NOT_FOUND `id`. */
  async delete(id: string): Promise<string> {
    return this.em.transactional(async (em) => {
      const endpoint = await new WebhookService(em, this.deps).get(id);
      await em.nativeDelete(WebhookDelivery, { endpoint });
      em.remove(endpoint);
      await em.flush();
      return id;
    });
  }

  /**
   * The endpoint's deliveries matching `filter`, newest first, keyset-paginated.
   * @throws AppError NOT_FOUND `endpointId`; BAD_USER_INPUT `first` or `after`.
   */
  async deliveries(
    endpointId: string,
    filter: WebhookDeliveryFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Page<WebhookDelivery>> {
    const endpoint = await this.get(endpointId, 'endpointId');
    const limit = pageSize(first);
    const cursor = decodeCursor(after);
    const where: FilterQuery<WebhookDelivery> = { endpoint };
    if (filter.statuses) where.status = { $in: filter.statuses };
    if (filter.eventTypes) where.eventTypeName = { $in: filter.eventTypes.map((type) => WEBHOOK_TYPE_NAMES[type]) };
    if (cursor) where.$or = [{ createdAt: { $lt: cursor.at } }, { createdAt: cursor.at, id: { $lt: cursor.id } }];
    const rows = await this.em.find(WebhookDelivery, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
    return toPage(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  }

  /**
   * Sends a delivery again, with the same `webhook-id` and body, as a new series of attempts
   * (PENDING now, its retry window from now), whatever its status.
   * @throws AppError NOT_FOUND `id`; FAILED_PRECONDITION when its endpoint is DISABLED.
   */
  async redeliver(id: string): Promise<WebhookDelivery> {
    return this.em.transactional(async (em) => {
      const delivery = isId(id) ? await em.findOne(WebhookDelivery, { id }, { populate: ['endpoint'] }) : null;
      if (!delivery) throw notFound('WebhookDelivery', id, 'id');
      assertEnabled(delivery.endpoint);
      return scheduleDelivery(em, delivery);
    });
  }

  /**
   * Records a `webhook.test` delivery to the endpoint (`data: { endpointId }`) and queues it, as
   * any event is delivered; whatever the endpoint's event types.
   * @throws AppError NOT_FOUND `endpointId`; FAILED_PRECONDITION when the endpoint is DISABLED.
   */
  async sendTest(tenantId: string, endpointId: string): Promise<WebhookDelivery> {
    return this.em.transactional(async (em) => {
      const endpoint = await new WebhookService(em, this.deps).get(endpointId, 'endpointId');
      assertEnabled(endpoint);
      const type = WEBHOOK_TYPE_NAMES[WebhookEventType.WEBHOOK_TEST];
      const delivery = em.create(WebhookDelivery, {
        tenant: tenantId,
        endpoint,
        eventTypeName: type,
        payload: { type, version: 1, timestamp: new Date().toISOString(), data: { endpointId: endpoint.id } },
      });
      await scheduleDelivery(em, delivery);
      // The payload as stored (jsonb orders its keys): the body the deliverer sends.
      await em.refresh(delivery);
      return delivery;
    });
  }

  /** A URL the policy may reach, as written. */
  private checkUrl(value: string, field: string): string {
    const text = value.trim();
    if (text.length === 0 || text.length > MAX_URL_LENGTH) throw badInput(field, `url must be 1 to ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw badInput(field, 'url is not an absolute URL');
    }
    if (url.username || url.password) throw badInput(field, 'url must not carry a user or password (authenticate deliveries by their signature)');
    try {
      this.deps.webhooks.policy.check(url);
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw badInput(field, error.message);
      throw error;
    }
    return text;
  }
}

/** Disables in memory, with the reason shown to clients. */
export function disable(endpoint: WebhookEndpoint, reason: string): void {
  Object.assign(endpoint, { status: WebhookEndpointStatus.DISABLED, disabledReason: reason });
}

function assertEnabled(endpoint: WebhookEndpoint): void {
  if (endpoint.status !== WebhookEndpointStatus.ENABLED) {
    throw new AppError(ErrorCode.FAILED_PRECONDITION, `The webhook endpoint ${endpoint.id} is DISABLED; enable it with updateWebhookEndpoint first`);
  }
}

function checkEventTypes(types: WebhookEventType[], field: string): string[] {
  const unique = [...new Set(types)];
  if (unique.length === 0) throw badInput(field, 'eventTypes must name at least one event type');
  if (unique.includes(WebhookEventType.WEBHOOK_TEST)) throw badInput(field, 'WEBHOOK_TEST is sent by sendTestWebhook and cannot be subscribed to');
  return unique.map((type) => WEBHOOK_TYPE_NAMES[type]);
}

async function checkResources(em: EntityManager, ids: string[] | null, field: string): Promise<string[] | null> {
  if (ids === null) return null;
  const unique = [...new Set(ids)];
  if (unique.length > MAX_RESOURCES) throw badInput(field, `resourceIds may name at most ${MAX_RESOURCES} resources`);
  const valid = unique.filter(isId);
  const found = new Set((await em.find(Resource, { id: { $in: valid } }, { fields: ['id'] })).map((resource) => resource.id));
  const missing = unique.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound('Resource', missing, field);
  return unique;
}

function checkDescription(value: string | null, field: string): string | null {
  const text = value?.trim() || null;
  if (text && text.length > MAX_DESCRIPTION) throw badInput(field, `description must be at most ${MAX_DESCRIPTION} characters`);
  return text;
}
