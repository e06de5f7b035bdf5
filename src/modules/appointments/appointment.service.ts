/**
 * Module `appointments`: bookings of a resource and their export to its write calendar.
 * - State: Appointment (times, status, version, export status, the provider event it became).
 * - Jobs: appointment_export (appointment.jobs.ts, queued in the booking's transaction); its
 *   reaper runs in the worker's sync_reaper. Topics: APPOINTMENT_EXPORT_CHANGED
 *   (appointment.topics.ts).
 * - Implements ModuleDeps.exports (appointment-targets.ts) for the connections module.
 */
import { createHash } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, badInput, ErrorCode, notFound } from '../../common/errors';
import { isId, requireText, requireWindow } from '../../common/validate';
import { decodeCursor, pageSize, toPage, type Page } from '../shared/pagination';
import type { FreeTime, ModuleDeps } from '../shared/module-deps';
import { Resource } from '../resources/resource.entity';
import type { Tenant } from '../tenancy/tenant.entity';
import { Appointment, AppointmentStatus, type Attendee, ExportStatus } from './appointment.entity';
import type { AppointmentFilter, AttendeeInput, CreateAppointmentInput, RescheduleAppointmentInput } from './appointment.inputs';
import { enqueueExport } from './appointment.jobs';
import { currentExportTarget, NO_TARGET } from './appointment-targets';

/** Longest appointment. */
const MAX_DURATION_MS = 7 * 86_400_000;
const MAX_ATTENDEES = 100;
/** PostgreSQL's exclusion_violation: `appointment_no_overlap` refused an overlapping appointment. */
const EXCLUSION_VIOLATION = '23P01';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Appointments of one tenant (its EntityManager is scoped to the tenant). Each change commits
 * in one transaction with its export job (the outbox, see {@link enqueueExport}) and then tells
 * subscribers. Bookings of one resource are serialised by locking the resource row, so that the
 * availability check and the insert see every committed appointment; the exclusion constraint
 * `appointment_no_overlap` is the database's own guarantee that two overlapping appointments
 * never both commit.
 */
export class AppointmentService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: ModuleDeps,
  ) {}

  /** @throws AppError NOT_FOUND naming `field`. */
  async get(id: string, field = 'id'): Promise<Appointment> {
    const appointment = isId(id) ? await this.em.findOne(Appointment, { id }) : null;
    if (!appointment) throw notFound('Appointment', id, field);
    return appointment;
  }

  /**
   * Appointments overlapping [from, to), by start then id, keyset-paginated.
   * @throws AppError BAD_USER_INPUT (window over 366 days, `first`, `after`, over 100 resources).
   */
  async list(filter: AppointmentFilter, first: number | null | undefined, after: string | null | undefined): Promise<Page<Appointment>> {
    const { from, to } = requireWindow(filter.from, filter.to, undefined, 'filter');
    const limit = pageSize(first);
    const cursor = decodeCursor(after);
    if (filter.resourceIds && filter.resourceIds.length > 100) throw badInput('filter.resourceIds', 'Give at most 100 resources');
    const where: FilterQuery<Appointment> = { startsAt: { $lt: to }, endsAt: { $gt: from } };
    if (filter.resourceIds) where.resource = { $in: filter.resourceIds.filter(isId) };
    if (filter.statuses) where.status = { $in: filter.statuses };
    if (filter.exportStatuses) where.exportStatus = { $in: filter.exportStatuses };
    if (cursor) where.$or = [{ startsAt: { $gt: cursor.at } }, { startsAt: cursor.at, id: { $gt: cursor.id } }];
    const rows = await this.em.find(Appointment, where, { orderBy: { startsAt: 'asc', id: 'asc' }, limit: limit + 1 });
    return toPage(rows, limit, (row) => ({ at: row.startsAt, id: row.id }));
  }

  /**
   * Books the resource. The time must be free (inside working time, outside busy time and its
   * buffers) unless `allowOverlap`. With an `idempotencyKey` already used, returns the
   * appointment that key made (or CONFLICT when the values differ).
   * @throws AppError BAD_USER_INPUT naming the field, NOT_FOUND (resource), CONFLICT (not
   *   available, or idempotency key reused with other values).
   */
  async create(tenant: Tenant, input: CreateAppointmentInput): Promise<Appointment> {
    const values = validateCreate(input);
    const requestHash = createHash('sha256').update(JSON.stringify(values)).digest('hex');
    const replay = await this.replay(values.idempotencyKey, requestHash);
    if (replay) return replay;
    let appointment: Appointment;
    try {
      appointment = await this.em.transactional(async (em) => {
        const { resourceId, ...fields } = values;
        const resource = await lockResource(em, resourceId, 'input.resourceId');
        if (!fields.allowOverlap) await requireFree(this.deps.freeTime, em, tenant, resource, fields.startsAt, fields.endsAt, null);
        const target = await currentExportTarget(em, resource.id);
        const created = em.create(Appointment, { ...fields, tenant, resource, requestHash, exportTarget: target });
        await em.flush();
        if (target) await enqueueExport(em, created);
        else Object.assign(created, { exportStatus: ExportStatus.SKIPPED, exportError: NO_TARGET });
        return created;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException && values.idempotencyKey) {
        // A concurrent request with the same key committed first.
        const replayed = await this.replay(values.idempotencyKey, requestHash);
        if (replayed) return replayed;
      }
      throw conflictOnOverlap(error);
    }
    await this.deps.publish.appointmentExportChanged(appointment);
    return appointment;
  }

  /**
   * Moves an appointment; its exported event follows.
   * @throws AppError NOT_FOUND, BAD_USER_INPUT (times), CONFLICT (not available, or cancelled).
   */
  async reschedule(tenant: Tenant, input: RescheduleAppointmentInput): Promise<Appointment> {
    const { startsAt, endsAt } = validateTimes(input.startsAt, input.endsAt);
    let appointment: Appointment;
    try {
      appointment = await this.em.transactional(async (em) => {
        const current = await new AppointmentService(em, this.deps).get(input.id, 'input.id');
        if (current.status === AppointmentStatus.CANCELLED) throw new AppError(ErrorCode.CONFLICT, 'A cancelled appointment cannot be rescheduled', 'input.id');
        const resource = await lockResource(em, current.resource.id, 'input.id');
        if (!input.allowOverlap) await requireFree(this.deps.freeTime, em, tenant, resource, startsAt, endsAt, current.id);
        Object.assign(current, { startsAt, endsAt, allowOverlap: input.allowOverlap, version: current.version + 1 });
        await this.exportChange(em, current);
        return current;
      });
    } catch (error) {
      throw conflictOnOverlap(error);
    }
    await this.deps.publish.appointmentExportChanged(appointment);
    return appointment;
  }

  /**
   * Cancels an appointment: it stops blocking time and its exported event is deleted.
   * Cancelling twice returns the appointment unchanged.
   * @throws AppError NOT_FOUND.
   */
  async cancel(id: string, reason: string | null | undefined): Promise<Appointment> {
    const appointment = await this.em.transactional(async (em) => {
      const current = await new AppointmentService(em, this.deps).get(id);
      if (current.status === AppointmentStatus.CANCELLED) return current;
      Object.assign(current, {
        status: AppointmentStatus.CANCELLED,
        cancelledAt: new Date(),
        cancellationReason: reason ? requireText('reason', reason, 500) : null,
        version: current.version + 1,
      });
      await this.exportChange(em, current);
      return current;
    });
    await this.deps.publish.appointmentExportChanged(appointment);
    return appointment;
  }

  /** After a change: a job when there is an event to update or delete, or a calendar to write to. */
  private async exportChange(em: EntityManager, appointment: Appointment): Promise<void> {
    if (!appointment.exportCalendar && !appointment.exportTarget && appointment.status !== AppointmentStatus.CANCELLED) {
      appointment.exportTarget = await currentExportTarget(em, appointment.resource.id);
    }
    if (appointment.exportCalendar || (appointment.exportTarget && appointment.status !== AppointmentStatus.CANCELLED)) await enqueueExport(em, appointment);
    else if (appointment.status !== AppointmentStatus.CANCELLED) Object.assign(appointment, { exportStatus: ExportStatus.SKIPPED, exportError: NO_TARGET });
  }

  private async replay(key: string | null, requestHash: string): Promise<Appointment | null> {
    if (!key) return null;
    const existing = await this.em.findOne(Appointment, { idempotencyKey: key });
    if (!existing) return null;
    if (existing.requestHash !== requestHash) {
      throw new AppError(ErrorCode.CONFLICT, 'This idempotencyKey was used for a different appointment', 'input.idempotencyKey');
    }
    return existing;
  }
}

/** Locks the resource row until the transaction ends: bookings of one resource run one at a time. */
async function lockResource(em: EntityManager, id: string, field: string): Promise<Resource> {
  const resource = isId(id) ? await em.findOne(Resource, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!resource) throw notFound('Resource', id, field);
  return resource;
}

async function requireFree(
  freeTime: FreeTime,
  em: EntityManager,
  tenant: Tenant,
  resource: Resource,
  startsAt: Date,
  endsAt: Date,
  exceptAppointmentId: string | null,
): Promise<void> {
  const free = await freeTime.isFree(em, tenant.id, resource, { start: startsAt.getTime(), end: endsAt.getTime() }, exceptAppointmentId);
  if (!free)
    throw new AppError(
      ErrorCode.CONFLICT,
      'The resource is not available at this time (outside working time, or busy); set allowOverlap to book anyway',
      'input.startsAt',
    );
}

function conflictOnOverlap(error: unknown): unknown {
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return code === EXCLUSION_VIOLATION ? new AppError(ErrorCode.CONFLICT, 'Another appointment of the resource overlaps this time', 'input.startsAt') : error;
}

/** @throws AppError BAD_USER_INPUT: `endsAt` not after `startsAt`, or longer than 7 days. */
function validateTimes(startsAt: Date, endsAt: Date): { startsAt: Date; endsAt: Date } {
  if (Number.isNaN(startsAt.getTime())) throw badInput('input.startsAt', 'Not a valid instant');
  if (!(endsAt.getTime() > startsAt.getTime())) throw badInput('input.endsAt', 'endsAt must be after startsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) throw badInput('input.endsAt', 'An appointment lasts at most 7 days');
  return { startsAt, endsAt };
}

function validateCreate(input: CreateAppointmentInput) {
  if (input.status === AppointmentStatus.CANCELLED) throw badInput('input.status', 'A new appointment is CONFIRMED or TENTATIVE');
  return {
    resourceId: input.resourceId,
    ...validateTimes(input.startsAt, input.endsAt),
    title: requireText('input.title', input.title),
    description: input.description ? requireText('input.description', input.description, 8000) : null,
    location: input.location ? requireText('input.location', input.location, 500) : null,
    attendees: validateAttendees(input.attendees ?? []),
    status: input.status,
    allowOverlap: input.allowOverlap,
    idempotencyKey: input.idempotencyKey ? requireText('input.idempotencyKey', input.idempotencyKey) : null,
  };
}

function validateAttendees(attendees: AttendeeInput[]): Attendee[] {
  if (attendees.length > MAX_ATTENDEES) throw badInput('input.attendees', `At most ${MAX_ATTENDEES} attendees`);
  return attendees.map((attendee, index) => {
    const email = attendee.email.trim();
    if (!EMAIL.test(email) || email.length > 254) throw badInput(`input.attendees[${index}].email`, 'Not an e-mail address');
    return { email, name: attendee.name ? requireText(`input.attendees[${index}].name`, attendee.name) : null };
  });
}
