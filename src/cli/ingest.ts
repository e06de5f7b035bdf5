import { notFound } from '../common/errors';
import { isId } from '../common/validate';
import { Resource } from '../modules/resources/resource.entity';
import { SyncService } from '../modules/sync/sync.service';
import { parseCommand, UsageError } from './args';
import type { Command } from './command';
import { followRun, scopeToTenant } from './follow-run';

const USAGE = `  ingest <resourceId> --from <instant> --to <instant>
                        ingest a resource's connections over a window (ISO 8601 with offset), showing progress`;

/** An ISO 8601 date-time with `Z` or an offset, as the API's DateTime. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** @throws UsageError naming `--<flag>` unless `value` is an ISO 8601 instant with an offset. */
function instant(flag: string, value: string | undefined): Date {
  if (value === undefined) throw new UsageError(`Missing --${flag} <instant>`, USAGE);
  const parsed = new Date(value);
  if (!INSTANT.test(value) || Number.isNaN(parsed.getTime()))
    throw new UsageError(`--${flag} must be an ISO 8601 instant with an offset, e.g. 2026-12-01T00:00:00Z (got '${value}')`, USAGE);
  return parsed;
}

/**
 * `ingest <resourceId> --from <instant> --to <instant>`: requests a RANGE run of every importing
 * connection of the resource, as the `ingestExternalEvents` mutation does, for the resource's
 * tenant, and follows it to its end ({@link followRun}: exit code 0 when it SUCCEEDED, 1 otherwise).
 * @throws UsageError for a missing or malformed instant; AppError NOT_FOUND for an id no resource
 *   has, BAD_USER_INPUT (`to` not after `from`, more than 366 days), FAILED_PRECONDITION (nothing imports).
 */
export const ingestCommand: Command = {
  usage: USAGE,
  quietLogs: true,
  async run(config, logger, args) {
    const { positionals, values } = parseCommand(args, {
      positionals: ['resourceId'],
      options: { from: { type: 'string' }, to: { type: 'string' } },
      usage: USAGE,
    });
    const [from, to] = [instant('from', values.from), instant('to', values.to)];
    const id = positionals.resourceId;
    return followRun(config, logger, async (em, deps) => {
      const resource = isId(id) ? await em.findOne(Resource, { id }, { filters: false, populate: ['tenant'] }) : null;
      if (!resource) throw notFound('Resource', id);
      scopeToTenant(em, resource.tenant, 'ingestExternalEvents');
      return new SyncService(em, deps).ingest(resource.tenant, { resourceId: id, from, to });
    });
  },
};
