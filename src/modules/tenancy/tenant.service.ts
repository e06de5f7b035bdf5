/**
 * Module `tenancy`: who may call and what they may reach.
 * - State: Tenant (name, feature flags) and ApiKey (stored hashed; scope: one resource or the
 *   whole tenant, read-only or not; revocation; last use).
 * - Access rules declared on resolvers: `RequiresFeature` (the premium gate, features.ts) and
 *   `TenantKeyOnly` (key-scope.ts), run by the schema's authChecker (access.ts); every mutation is
 *   refused to read-only keys (guardMutations).
 * - Jobs, crons, topics: none.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../../common/errors';
import { requireText } from '../../common/validate';
import { ApiKeyService } from './api-key.service';
import { Tenant } from './tenant.entity';
import { findTenantByName } from './tenant-name';

/** Tenants and their API keys. */
export class TenantService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Creates a tenant named `name` (trimmed, 1 to 200 characters) with one tenant-wide API key
   * named `default` and returns the key in clear text: the only time it is ever available, since
   * only its hash is stored.
   * @throws AppError BAD_USER_INPUT for a blank or long name, CONFLICT (field `name`) when a tenant
   *   has this name already, ignoring case (also when another process created it a moment before:
   *   the unique index on `lower(name)` decides).
   */
  async create(name: string): Promise<{ tenant: Tenant; apiKey: string }> {
    const wanted = requireText('name', name);
    const taken = () => new AppError(ErrorCode.CONFLICT, `A tenant named '${wanted}' exists already (tenant names are unique, ignoring case)`, 'name');
    return this.em.transactional(async (em) => {
      if (await findTenantByName(em, wanted)) throw taken();
      const tenant = em.create(Tenant, { name: wanted });
      await em.flush().catch((error: unknown) => {
        throw error instanceof UniqueConstraintViolationException ? taken() : error;
      });
      const { secret } = await new ApiKeyService(em).create(tenant.id, { name: 'default' });
      return { tenant, apiKey: secret };
    });
  }

  /** The tenant with this name ignoring case (names are unique so), or null. */
  findByName(name: string): Promise<Tenant | null> {
    return findTenantByName(this.em, name);
  }
}
