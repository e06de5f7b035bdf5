/**
 * Module `resources`: the bookable resources (staff, rooms, equipment) of a tenant.
 * - State: Resource (name, kind, IANA time zone, weekly working hours, date overrides, validity,
 *   buffers; busy_version is written by PostgreSQL triggers only).
 * - Owns the rule of the `resource` ORM filter (resource-scope.ts): which relation ties a row to a
 *   resource, for resource-scoped API keys.
 * - Jobs, crons, topics: none.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, notFound } from '../../common/errors';
import { isId, requireIntInRange, requireText, requireTimeZone } from '../../common/validate';
import { decodeCursor, pageSize, toPage, type Page } from '../shared/pagination';
import { readRowsByKey, selectReadRows, type ReadRow } from '../shared/read-rows';
import type { Tenant } from '../tenancy/tenant.entity';
import { Resource } from './resource.entity';
import type { CreateResourceInput, UpdateResourceInput } from './resource.inputs';
import { DateTime } from 'luxon';
import type { DateOverride } from './date-override';
import { minutesOfDay, WEEKDAYS, type WorkingHours } from './working-hours';

const MAX_BUFFER_MINUTES = 1440;

/** Resources of one tenant: the EntityManager it is given is scoped to that tenant. */
export class ResourceService {
  constructor(private readonly em: EntityManager) {}

  /** @throws AppError NOT_FOUND when the id names no resource of the tenant. */
  async get(id: string, field = 'id'): Promise<Resource> {
    const resource = isId(id) ? await this.em.findOne(Resource, { id }) : null;
    if (!resource) throw notFound('Resource', id, field);
    return resource;
  }

  /**
   * The resource as a read row (columns only, nothing tracked: src/modules/shared/read-rows.ts),
   * for questions that only read it, such as availability.
   * @throws AppError NOT_FOUND when the id names no resource of the tenant.
   */
  async read(id: string, field = 'id'): Promise<ReadRow<Resource>> {
    const [resource] = await readRowsByKey(this.em, Resource, 'id', [id]);
    if (!resource) throw notFound('Resource', id, field);
    return resource;
  }

  /** Resources in creation order, keyset-paginated. @throws AppError BAD_USER_INPUT for `first` or `after`. */
  async list(first: number | null | undefined, after: string | null | undefined): Promise<Page<ReadRow<Resource>>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after);
    const rows = await selectReadRows(
      this.em,
      Resource,
      cursor ? '(r.created_at, r.id) > (?, ?)' : 'true',
      cursor ? [cursor.at, cursor.id] : [],
      `order by r.created_at, r.id limit ${limit + 1}`,
    );
    return toPage(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  }

  /** @throws AppError BAD_USER_INPUT naming the first bad field. */
  async create(tenant: Tenant, input: CreateResourceInput): Promise<Resource> {
    const resource = this.em.create(Resource, {
      tenant,
      name: requireText('input.name', input.name),
      kind: input.kind,
      timeZone: requireTimeZone('input.timeZone', input.timeZone),
      workingHours: normalizeWorkingHours(input.workingHours ?? []),
      dateOverrides: normalizeDateOverrides(input.dateOverrides ?? []),
      ...validity(input.validFrom ?? null, input.validUntil ?? null),
      bufferBeforeMinutes: requireIntInRange('input.bufferBeforeMinutes', input.bufferBeforeMinutes, 0, MAX_BUFFER_MINUTES),
      bufferAfterMinutes: requireIntInRange('input.bufferAfterMinutes', input.bufferAfterMinutes, 0, MAX_BUFFER_MINUTES),
    });
    await this.em.flush();
    return resource;
  }

  /**
   * Applies the given fields. A new time zone moves the stored all-day events with it (their
   * instants are the local midnights of the resource), in the same transaction.
   * @throws AppError NOT_FOUND, BAD_USER_INPUT naming the first bad field.
   */
  async update(id: string, input: UpdateResourceInput): Promise<Resource> {
    return this.em.transactional(async (em) => {
      const resource = await new ResourceService(em).get(id);
      if (input.name != null) resource.name = requireText('input.name', input.name);
      if (input.kind != null) resource.kind = input.kind;
      if (input.workingHours != null) resource.workingHours = normalizeWorkingHours(input.workingHours);
      if (input.dateOverrides != null) resource.dateOverrides = normalizeDateOverrides(input.dateOverrides);
      if (input.validFrom != null || input.validUntil != null) {
        Object.assign(
          resource,
          validity(
            input.validFrom != null ? input.validFrom || null : resource.validFrom,
            input.validUntil != null ? input.validUntil || null : resource.validUntil,
          ),
        );
      }
      if (input.bufferBeforeMinutes != null)
        resource.bufferBeforeMinutes = requireIntInRange('input.bufferBeforeMinutes', input.bufferBeforeMinutes, 0, MAX_BUFFER_MINUTES);
      if (input.bufferAfterMinutes != null)
        resource.bufferAfterMinutes = requireIntInRange('input.bufferAfterMinutes', input.bufferAfterMinutes, 0, MAX_BUFFER_MINUTES);
      if (input.timeZone != null && input.timeZone !== resource.timeZone) {
        resource.timeZone = requireTimeZone('input.timeZone', input.timeZone);
        await em.execute(
          `update external_event
              set starts_at = (start_date::timestamp at time zone ?), ends_at = (end_date::timestamp at time zone ?)
            where resource_id = ? and all_day`,
          [resource.timeZone, resource.timeZone, resource.id],
        );
      }
      return resource;
    });
  }

  /** Deletes the resource with its connections and events. @throws AppError NOT_FOUND. */
  async delete(id: string): Promise<boolean> {
    const resource = await this.get(id);
    await this.em.remove(resource).flush();
    return true;
  }
}

/**
 * Validates date overrides: real `YYYY-MM-DD` dates, each once, with ranges as for working hours.
 * @throws AppError BAD_USER_INPUT naming `input.dateOverrides[i]`.
 */
export function normalizeDateOverrides(input: DateOverride[]): DateOverride[] {
  const seen = new Set<string>();
  return input
    .map((override, index) => {
      const field = `input.dateOverrides[${index}]`;
      const date = requireLocalDate(`${field}.date`, override.date);
      if (seen.has(date)) throw badInput(field, `${date} is overridden twice`);
      seen.add(date);
      const hours = [...override.hours].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
      hours.forEach((range, i) => {
        if (minutesOfDay(range.end) <= minutesOfDay(range.start))
          throw badInput(`${field}.hours`, `${date} ${range.start}-${range.end}: end must be after start`);
        if (i > 0 && minutesOfDay(range.start) < minutesOfDay(hours[i - 1].end))
          throw badInput(`${field}.hours`, `${date}: ${range.start}-${range.end} overlaps another range`);
      });
      return { date, hours: hours.map(({ start, end }) => ({ start, end })) };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** @throws AppError BAD_USER_INPUT naming the field unless the dates are real and in order. */
function validity(validFrom: string | null, validUntil: string | null): { validFrom: string | null; validUntil: string | null } {
  const from = validFrom === null ? null : requireLocalDate('input.validFrom', validFrom);
  const until = validUntil === null ? null : requireLocalDate('input.validUntil', validUntil);
  if (from && until && until < from) throw badInput('input.validUntil', 'validUntil must not be before validFrom');
  return { validFrom: from, validUntil: until };
}

function requireLocalDate(field: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) throw badInput(field, `${field} must be a date, YYYY-MM-DD`);
  return value;
}

/**
 * Validates weekly working hours and returns them sorted by weekday and start.
 * @throws AppError BAD_USER_INPUT naming `input.workingHours` when an interval ends before it
 *   starts or two intervals of a day overlap.
 */
export function normalizeWorkingHours(input: WorkingHours[]): WorkingHours[] {
  const sorted = input
    .map((hours) => ({ weekday: hours.weekday, start: hours.start, end: hours.end }))
    .sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || minutesOfDay(a.start) - minutesOfDay(b.start));
  sorted.forEach((hours, index) => {
    const field = `input.workingHours[${index}]`;
    if (minutesOfDay(hours.end) <= minutesOfDay(hours.start)) throw badInput(field, `${hours.weekday} ${hours.start}-${hours.end}: end must be after start`);
    const previous = sorted[index - 1];
    if (previous && previous.weekday === hours.weekday && minutesOfDay(hours.start) < minutesOfDay(previous.end)) {
      throw badInput(field, `${hours.weekday} ${hours.start}-${hours.end} overlaps ${previous.start}-${previous.end}`);
    }
  });
  return sorted;
}
