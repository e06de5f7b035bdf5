import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../common/errors';
import { ProviderError } from '../../providers/provider';
import { ConnectionCredentials } from '../connections/connection-credentials';
import { ExternalCalendar } from '../connections/external-calendar.entity';
import type { ModuleDeps } from '../shared/module-deps';
import type { PushLifecycleJob } from './push.jobs';
import { PushChannel } from './push-channel.entity';
import { PushService } from './push.service';

/** What answering one lifecycle notification did; `failures` are messages for the log. */
export interface LifecycleAnswer {
  /** The subscription was gone and has been forgotten, a new one asked of maintenance: changes may have been missed. */
  replaced: boolean;
  failures: string[];
}

/**
 * Answers one Graph lifecycle notification (a {@link PushLifecycleJob}) whose clientState the
 * webhook already checked:
 * - `reauthorizationRequired`: the adapter reauthorizes the subscription (`POST
 *   /subscriptions/{id}/reauthorize`) with fresh credentials; when Graph no longer has it (404),
 *   it is handled as removed;
 * - `subscriptionRemoved`: the channel is forgotten (Graph has deleted the subscription, so
 *   nothing is stopped there) and maintenance opens a new one, with both URLs.
 * A channel already gone (replaced, stopped, or a notification delivered twice) asks nothing.
 * @param em an EntityManager scoped to the job's tenant.
 * @throws ProviderError TEMPORARY, so that the job is tried again; other refusals are reported.
 * @see https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 */
export async function answerLifecycleNotification(em: EntityManager, deps: ModuleDeps, job: PushLifecycleJob): Promise<LifecycleAnswer> {
  const channel = await em.findOne(PushChannel, { channelId: job.channelId, externalCalendar: job.externalCalendarId });
  const connection = channel && (await em.findOne(ExternalCalendar, { id: job.externalCalendarId }));
  if (!channel || !connection) return { replaced: false, failures: [] };
  if (job.event === 'reauthorizationRequired') {
    const failure = await reauthorize(em, deps, connection, channel);
    if (failure !== 'gone') return { replaced: false, failures: failure ? [failure] : [] };
  }
  await em.nativeDelete(PushChannel, { id: channel.id });
  const report = await new PushService(em, deps).maintain(connection.id);
  return { replaced: true, failures: report.failures };
}

/** Reauthorizes one subscription: null when done, 'gone' when Graph no longer has it, else why it failed. */
async function reauthorize(em: EntityManager, deps: ModuleDeps, connection: ExternalCalendar, channel: PushChannel): Promise<string | 'gone' | null> {
  const provider = deps.providers.providerFor(connection.provider);
  if (!provider.reauthorize) return null;
  try {
    const credentials = await new ConnectionCredentials(em, deps.secrets, deps.providers).forProvider(connection);
    await provider.reauthorize(credentials, channel);
    return null;
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'NOT_FOUND') return 'gone';
    if (error instanceof ProviderError && error.code === 'TEMPORARY') throw error;
    if (!(error instanceof ProviderError || error instanceof AppError)) throw error;
    return `${connection.provider} subscription ${channel.channelId} could not be reauthorized: ${error.message}`;
  }
}
