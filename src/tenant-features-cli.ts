import type { EntityManager } from '@mikro-orm/postgresql';
import { parseCommand, UsageError } from './cli/args';
import type { Config } from './config';
import type { Logger } from './common/logger';
import { isId } from './common/validate';
import { ALL_FEATURES, type Feature } from './modules/tenancy/features';
import { Tenant } from './modules/tenancy/tenant.entity';
import { findTenantByName } from './modules/tenancy/tenant-name';
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
 * `tenant features`) with `node:util` parseArgs.
 * @throws UsageError naming the bad argument: an unknown option, a missing tenant, a feature that
 *   does not exist (listing those that do).
 */
export function parseTenantFeaturesArgs(args: string[]): TenantFeaturesArgs {
  const { positionals, values } = parseCommand(args, {
    positionals: ['tenantId'],
    options: { enable: { type: 'string', multiple: true, default: [] }, disable: { type: 'string', multiple: true, default: [] } },
    usage: TENANT_FEATURES_USAGE,
  });
  const features = (flag: 'enable' | 'disable'): Feature[] =>
    values[flag].map((value) => {
      if (!(ALL_FEATURES as readonly string[]).includes(value))
        throw new UsageError(`--${flag} needs a feature: one of ${ALL_FEATURES.join(', ')} (got '${value}')`, TENANT_FEATURES_USAGE);
      return value as Feature;
    });
  return { tenantId: positionals.tenantId, enable: features('enable'), disable: features('disable') };
}

/**
 * Applies `--enable`/`--disable` to the tenant (by id, or by name ignoring case when no tenant
 * has that id) and returns its features afterwards, sorted. Without options it only reads them.
 * @throws Error when there is no such tenant.
 */
export async function setTenantFeatures(em: EntityManager, args: TenantFeaturesArgs): Promise<string[]> {
  return em.transactional(async (tx) => {
    const tenant = (isId(args.tenantId) ? await tx.findOne(Tenant, { id: args.tenantId }) : null) ?? (await findTenantByName(tx, args.tenantId));
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
