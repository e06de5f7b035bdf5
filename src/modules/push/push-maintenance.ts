import type { MikroORM } from '@mikro-orm/postgresql';
import { TENANT_FILTER } from '../../db/orm';
import { OAUTH_PROVIDERS } from '../../providers/provider';
import { ExternalCalendar, ExternalCalendarStatus } from '../connections/external-calendar.entity';
import type { ModuleDeps } from '../shared/module-deps';
import type { PushMaintainJob } from './push.jobs';
import { PushChannel } from './push-channel.entity';
import { PushService } from './push.service';

/**
 * One maintenance pass (the `push_maintain` task) over the push channels of one connection
 * (`job`) or of every connection that has channels or could have them (the 5-minute cron).
 * Failures are logged, never thrown: the next pass retries them anyway.
 */
export async function maintainPushChannels(orm: MikroORM, deps: ModuleDeps, logger: { warn(message: string): void }, job?: PushMaintainJob): Promise<void> {
  const targets = job ? new Map([[job.externalCalendarId, job.tenantId]]) : await allTargets(orm);
  for (const [externalCalendarId, tenantId] of targets) {
    const em = orm.em.fork();
    em.setFilterParams(TENANT_FILTER, { tenantId });
    const report = await new PushService(em, deps).maintain(externalCalendarId);
    for (const failure of report.failures) logger.warn(`push channels of connection ${externalCalendarId}: ${failure}`);
  }
}

/** Connections that could have channels, and those that have some (to stop them): id -> tenant id. */
async function allTargets(orm: MikroORM): Promise<Map<string, string>> {
  const em = orm.em.fork();
  const pushable = await em.find(
    ExternalCalendar,
    { status: ExternalCalendarStatus.CONNECTED, provider: { $in: [...OAUTH_PROVIDERS] } },
    { filters: false, fields: ['id', 'tenant'] },
  );
  const withChannels = await em.find(PushChannel, {}, { filters: false, fields: ['externalCalendar', 'tenant'] });
  const targets = new Map(pushable.map((connection) => [connection.id, connection.tenant.id]));
  for (const channel of withChannels) targets.set(channel.externalCalendar.id, channel.tenant.id);
  return targets;
}
