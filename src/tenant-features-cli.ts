import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from './config';
import type { Logger } from './common/logger';
import { ALL_FEATURES, type Feature } from './modules/tenancy/features';
import { Tenant } from './modules/tenancy/tenant.entity';
import { openRuntime } from './runtime';

/** Usage of `calsync tenant features`. */
export const TENANT_FEATURES_USAGE = `  tenant features <tenantId> [--enable <feature>]... [--disable <feature>]...
                        show or switch a tenant's features (${ALL_FEATURES.join(', ')})`;

/** The parsed arguments of `tenant features`. */
export interface TenantFeaturesArgs {
  tenantId: string;
  enable: Feature[];
  disable: Feature[];
}

/**
 * Parses `<tenantId> [--enable <feature>]... [--disable <feature>]...` (the words after
 * `tenant features`). Throws with a message naming the bad argument.
 */
export function parseTenantFeaturesArgs(args: string[]): TenantFeaturesArgs {
  const [tenantId, ...rest] = args;
  if (!tenantId || tenantId.startsWith('--')) throw new Error(`Usage:\n${TENANT_FEATURES_USAGE}`);
  const parsed: TenantFeaturesArgs = { tenantId, enable: [], disable: [] };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (flag !== '--enable' && flag !== '--disable') throw new Error(`Unknown option '${flag}'.\nUsage:\n${TENANT_FEATURES_USAGE}`);
    if (!value || !(ALL_FEATURES as readonly string[]).includes(value)) {
      throw new Error(`${flag} needs a feature: one of ${ALL_FEATURES.join(', ')} (got '${value ?? ''}')`);
    }
    (flag === '--enable' ? parsed.enable : parsed.disable).push(value as Feature);
  }
  return parsed;
}

/**
 * Applies `--enable`/`--disable` to the tenant (by id, or by name when no tenant has that id) and
 * returns its features afterwards. Without options it only reads them.
 * @throws Error when there is no such tenant.
 */
export async function setTenantFeatures(em: EntityManager, args: TenantFeaturesArgs): Promise<string[]> {
  return em.transactional(async (tx) => {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(args.tenantId);
    const tenant = await tx.findOne(Tenant, isUuid ? { id: args.tenantId } : { name: args.tenantId });
    if (!tenant) throw new Error(`No tenant '${args.tenantId}'`);
    const features = new Set(tenant.features);
    for (const feature of args.enable) features.add(feature);
    for (const feature of args.disable) features.delete(feature);
    tenant.features = [...features].sort();
    return tenant.features;
  });
}

/**
 * `calsync tenant features <tenantId> [--enable|--disable <feature>]...` (wired in src/main.ts):
 * applies the change on the configured database and prints the tenant's features, one JSON line.
 */
export async function runTenantFeatures(config: Config, logger: Logger, args: string[]): Promise<void> {
  const parsed = parseTenantFeaturesArgs(args);
  const runtime = await openRuntime(config, logger);
  try {
    const features = await setTenantFeatures(runtime.orm.em.fork(), parsed);
    process.stdout.write(`${JSON.stringify(features)}\n`);
  } finally {
    await runtime.close();
  }
}
