import type { EntityManager } from '@mikro-orm/postgresql';
import { generateApiKey, hashApiKey } from '../../common/crypto';
import { requireText } from '../../common/validate';
import { ApiKey } from './api-key.entity';
import { Tenant } from './tenant.entity';

/** Tenants and their API keys. */
export class TenantService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Creates a tenant with one API key and returns the key in clear text: the only time it is
   * ever available, since only its hash is stored.
   */
  async create(name: string): Promise<{ tenant: Tenant; apiKey: string }> {
    return this.em.transactional(async (em) => {
      const tenant = em.create(Tenant, { name: requireText('name', name) });
      const apiKey = generateApiKey();
      em.create(ApiKey, { tenant, hash: hashApiKey(apiKey), prefix: apiKey.slice(0, 8), name: 'default' });
      return { tenant, apiKey };
    });
  }

  /** The tenant with this name, if any. */
  findByName(name: string): Promise<Tenant | null> {
    return this.em.findOne(Tenant, { name });
  }
}
