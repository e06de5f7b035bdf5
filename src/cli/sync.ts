import { notFound } from '../common/errors';
import { isId } from '../common/validate';
import { ExternalCalendar } from '../modules/connections/external-calendar.entity';
import { SyncService } from '../modules/sync/sync.service';
import { parseCommand } from './args';
import type { Command } from './command';
import { followRun, scopeToTenant } from './follow-run';

const USAGE = `  sync <externalCalendarId> [--full]
                        sync a connection now (--full: its whole window) and show the progress`;

/**
 * `sync <externalCalendarId> [--full]`: requests the run as the `syncExternalCalendar` mutation
 * does, for the connection's tenant, and follows it to its end ({@link followRun}: exit code 0
 * when it SUCCEEDED, 1 otherwise).
 * @throws AppError NOT_FOUND for an id no connection has, FAILED_PRECONDITION as the mutation.
 */
export const syncCommand: Command = {
  usage: USAGE,
  quietLogs: true,
  async run(config, logger, args) {
    const { positionals, values } = parseCommand(args, {
      positionals: ['externalCalendarId'],
      options: { full: { type: 'boolean', default: false } },
      usage: USAGE,
    });
    const id = positionals.externalCalendarId;
    return followRun(config, logger, async (em, deps) => {
      const connection = isId(id) ? await em.findOne(ExternalCalendar, { id }, { filters: false, populate: ['tenant'] }) : null;
      if (!connection) throw notFound('ExternalCalendar', id);
      scopeToTenant(em, connection.tenant, 'syncExternalCalendar');
      return new SyncService(em, deps).sync(connection.tenant, id, values.full);
    });
  },
};
