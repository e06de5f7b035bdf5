import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../common/errors';
import { hashApiKey, looksLikeApiKey } from '../common/crypto';
import { ApiKey } from '../modules/tenancy/api-key.entity';
import type { Tenant } from '../modules/tenancy/tenant.entity';

/**
 * Resolves `Authorization: Bearer csk_...` to its tenant.
 * @throws AppError UNAUTHENTICATED when the header is missing, malformed, unknown or revoked.
 */
export async function authenticate(em: EntityManager, authorization: string | undefined): Promise<Tenant> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Send an API key as "Authorization: Bearer csk_..."');
  const key = match[1];
  if (looksLikeApiKey(key)) {
    const apiKey = await em.findOne(ApiKey, { hash: hashApiKey(key), revokedAt: null }, { populate: ['tenant'] });
    if (apiKey) return apiKey.tenant;
  }
  throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown or revoked API key');
}
