import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../common/errors';
import { hashApiKey, looksLikeApiKey } from '../common/crypto';
import { ApiKey } from '../modules/tenancy/api-key.entity';
import type { KeyScope } from '../modules/tenancy/key-scope';
import { Tenant } from '../modules/tenancy/tenant.entity';

/** Who is calling: the tenant of the API key and what the key may reach. */
export interface Caller {
  tenant: Tenant;
  key: KeyScope;
  /** The stored hash of the key as it authenticated, to notice a later rotation (never sent to clients). */
  keyHash: string;
}

/** `lastUsedAt` is written at most this often per key, so that reads do not all become writes. */
const LAST_USED_PRECISION_MS = 60_000;

/**
 * Resolves `Authorization: Bearer csk_...` to its tenant and the key's scope (resource, read-only),
 * and notes when the key was last used (at most once a minute), in ONE statement (see {@link findKey}).
 * @throws AppError UNAUTHENTICATED when the header is missing, malformed, unknown or revoked.
 */
export async function authenticate(em: EntityManager, authorization: string | undefined): Promise<Caller> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Send an API key as "Authorization: Bearer csk_..."');
  const key = match[1];
  if (looksLikeApiKey(key)) {
    const caller = await findKey(em, 'hash = ?', [hashApiKey(key)]);
    if (caller) return caller;
  }
  throw new AppError(ErrorCode.UNAUTHENTICATED, 'Unknown or revoked API key');
}

/**
 * The caller of a connection that authenticated earlier with the key `apiKeyId` whose hash was
 * `hash`, if that key still works: not revoked and not rotated since (graphql-ws operations).
 * @throws AppError UNAUTHENTICATED when the key was revoked or rotated.
 */
export async function reauthenticate(em: EntityManager, apiKeyId: string, hash: string): Promise<Caller> {
  const caller = await findKey(em, 'id = ? and hash = ?', [apiKeyId, hash]);
  if (!caller) throw new AppError(ErrorCode.UNAUTHENTICATED, 'The API key was revoked or rotated');
  return caller;
}

/** The key lookups running now, per ORM (forks share its configuration), by condition and parameters. */
const lookups = new WeakMap<object, Map<string, Promise<Record<string, unknown>[]>>>();

/**
 * Runs `lookup` unless the same one (`key`: condition and parameters) is running already on this
 * ORM, in which case its answer is shared: a thousand websockets connecting with one key at once
 * then cost one statement, not a thousand. Only a statement in flight is shared, never a finished
 * answer: a caller who joins one sees a revocation at most that one statement late (milliseconds),
 * and every lookup started after the revocation committed sees it. The rows are shared too and
 * must not be modified.
 */
function coalesced(em: EntityManager, key: unknown[], lookup: () => Promise<Record<string, unknown>[]>): Promise<Record<string, unknown>[]> {
  let running = lookups.get(em.config);
  if (!running) lookups.set(em.config, (running = new Map()));
  const id = JSON.stringify(key);
  let rows = running.get(id);
  if (!rows) {
    const byId = running;
    rows = lookup().finally(() => byId.delete(id));
    running.set(id, rows);
  }
  return rows;
}

/**
 * The unrevoked key matching `where` (a condition on api_key columns) with its tenant, managed by
 * `em`, in one statement that also sets `last_used_at` when it is unset or older than a minute:
 * authentication costs a request one statement, as a plain lookup would. Runs without the ORM
 * filters (no tenant is known yet; ApiKey is not tenant-owned).
 */
async function findKey(em: EntityManager, where: string, params: unknown[]): Promise<Caller | null> {
  const tenantColumns = em
    .getMetadata()
    .get(Tenant.name)
    .props.filter((prop) => prop.persist !== false && prop.fieldNames?.length)
    .flatMap((prop) => prop.fieldNames);
  const rows = await coalesced(em, [where, ...params], () =>
    em.execute<Record<string, unknown>[]>(
      `with k as (select * from api_key where ${where} and revoked_at is null),
          touched as (update api_key set last_used_at = now()
                       where id = (select id from k) and (last_used_at is null or last_used_at < now() - make_interval(secs => ?))
                   returning last_used_at)
     select k.*, (select last_used_at from touched) as "touched__at", ${tenantColumns.map((column) => `t."${column}" as "tenant__${column}"`).join(', ')}
       from k join tenant t on t.id = k.tenant_id`,
      [...params, LAST_USED_PRECISION_MS / 1000],
    ),
  );
  if (rows.length === 0) return null;
  const keyRow: Record<string, unknown> = {};
  const tenantRow: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(rows[0])) {
    if (column.startsWith('tenant__')) tenantRow[column.slice('tenant__'.length)] = value;
    else if (column !== 'touched__at') keyRow[column] = value;
  }
  if (rows[0].touched__at) keyRow.last_used_at = rows[0].touched__at;
  const tenant = em.map(Tenant, tenantRow);
  const apiKey = em.map(ApiKey, keyRow);
  return { tenant, key: { apiKeyId: apiKey.id, resourceId: apiKey.resource?.id ?? null, readOnly: apiKey.readOnly }, keyHash: apiKey.hash };
}

/** Of these keys (id and hash at authentication), the ids that no longer work: revoked, rotated or deleted. */
export async function invalidKeys(em: EntityManager, keys: { apiKeyId: string; keyHash: string }[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const valid = await em.find(ApiKey, { id: { $in: [...new Set(keys.map((k) => k.apiKeyId))] }, revokedAt: null }, { fields: ['id', 'hash'], filters: false });
  const hashes = new Map(valid.map((key) => [key.id, key.hash]));
  return new Set(keys.filter((key) => hashes.get(key.apiKeyId) !== key.keyHash).map((key) => key.apiKeyId));
}
