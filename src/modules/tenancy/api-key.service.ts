import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, notFound } from '../../common/errors';
import { generateApiKey, hashApiKey } from '../../common/crypto';
import { isId, requireText } from '../../common/validate';
import type { Resource } from '../resources/resource.entity';
import { ApiKey } from './api-key.entity';
import { Tenant } from './tenant.entity';
import { findTenantByName } from './tenant-name';

/** What a new key is: its name, the one resource it is limited to (none: the whole tenant), read-only or not. */
export interface NewApiKey {
  name: string;
  resourceId?: string | null;
  readOnly?: boolean | null;
}

/** A key with its secret, which exists only in this answer: only the hash is stored. */
export interface IssuedApiKey {
  apiKey: ApiKey;
  secret: string;
}

/** How many characters of a key are stored in clear for listing (`csk_` and four more). */
const PREFIX_LENGTH = 8;

/**
 * API keys of a tenant: issue, list, rotate, revoke. Secrets are returned once, by
 * {@link create} and {@link rotate}, and never stored or logged. Works with or without the
 * request filters (API and CLI): every query names the tenant itself and runs without filters.
 */
export class ApiKeyService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Issues a key of the tenant. With `resourceId` it reaches only that resource (a resource key),
   * otherwise the whole tenant; `readOnly` refuses it every mutation.
   * @throws AppError BAD_USER_INPUT for an empty or long name (`input.name`), NOT_FOUND for a
   *   resource the tenant does not have (`input.resourceId`).
   */
  async create(tenantId: string, input: NewApiKey): Promise<IssuedApiKey> {
    const name = requireText('input.name', input.name);
    let resource: Resource | null = null;
    if (input.resourceId != null) {
      resource = isId(input.resourceId) ? await this.em.findOne<Resource>('Resource', { id: input.resourceId, tenant: tenantId }, { filters: false }) : null;
      if (!resource) throw notFound('Resource', input.resourceId, 'input.resourceId');
    }
    const secret = generateApiKey();
    const apiKey = this.em.create(ApiKey, {
      tenant: this.em.getReference(Tenant, tenantId),
      hash: hashApiKey(secret),
      prefix: secret.slice(0, PREFIX_LENGTH),
      name,
      resource,
      readOnly: input.readOnly ?? false,
    });
    await this.em.flush();
    return { apiKey, secret };
  }

  /** The tenant's keys, revoked ones included, oldest first. */
  list(tenantId: string): Promise<ApiKey[]> {
    return this.em.find(ApiKey, { tenant: tenantId }, { orderBy: { createdAt: 'asc', id: 'asc' }, filters: false });
  }

  /**
   * Gives the key a new secret, returned once; the old secret stops working at once (open
   * subscriptions with it are closed by the websocket server's next check).
   * @throws AppError NOT_FOUND for a key the tenant does not have, FAILED_PRECONDITION for a revoked key.
   */
  async rotate(tenantId: string, id: string): Promise<IssuedApiKey> {
    const apiKey = await this.get(tenantId, id);
    if (apiKey.revokedAt) throw new AppError(ErrorCode.FAILED_PRECONDITION, `API key '${id}' is revoked and cannot be rotated`, 'id');
    const secret = generateApiKey();
    apiKey.hash = hashApiKey(secret);
    apiKey.prefix = secret.slice(0, PREFIX_LENGTH);
    await this.em.flush();
    return { apiKey, secret };
  }

  /**
   * Revokes the key (idempotent): it stops authenticating at once, and open subscriptions with
   * it are closed by the websocket server's next check. `tenantId` null: a key of any tenant (CLI).
   * @throws AppError NOT_FOUND for a key the tenant does not have.
   */
  async revoke(tenantId: string | null, id: string): Promise<ApiKey> {
    const apiKey = await this.get(tenantId, id);
    apiKey.revokedAt ??= new Date();
    await this.em.flush();
    return apiKey;
  }

  /**
   * A tenant by id or, failing that, by name ignoring case (CLI); names are unique so, so a name
   * names one tenant at most.
   * @throws AppError NOT_FOUND when there is none.
   */
  async tenant(idOrName: string): Promise<Tenant> {
    const tenant = (isId(idOrName) ? await this.em.findOne(Tenant, { id: idOrName }) : null) ?? (await findTenantByName(this.em, idOrName));
    if (!tenant) throw notFound('Tenant', idOrName);
    return tenant;
  }

  private async get(tenantId: string | null, id: string): Promise<ApiKey> {
    const apiKey = isId(id) ? await this.em.findOne(ApiKey, tenantId ? { id, tenant: tenantId } : { id }, { filters: false }) : null;
    if (!apiKey) throw notFound('API key', id, 'id');
    return apiKey;
  }
}
