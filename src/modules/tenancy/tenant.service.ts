import type { EntityManager } from '@mikro-orm/postgresql';
import { requireText } from '../../common/validate';
import { ApiKeyService } from './api-key.service';
import { Tenant } from './tenant.entity';

/** Tenants and their API keys. */
export class TenantService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Creates a tenant with one tenant-wide API key named `default` and returns the key in clear
   * text: the only time it is ever available, since only its hash is stored.
   */
  async create(name: string): Promise<{ tenant: Tenant; apiKey: string }> {
    return this.em.transactional(async (em) => {
      const tenant = em.create(Tenant, { name: requireText('name', name) });
      await em.flush();
      const { secret } = await new ApiKeyService(em).create(tenant.id, { name: 'default' });
      return { tenant, apiKey: secret };
    });
  }

  /** The tenant with this name, if any. */
  findByName(name: string): Promise<Tenant | null> {
    return this.em.findOne(Tenant, { name });
  }
}
