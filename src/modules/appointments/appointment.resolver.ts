import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscriptionHandlerData,
} from 'type-graphql';
import { isId } from '../../common/validate';
import type { GraphQLContext } from '../shared/context';
import { reachesResource } from '../tenancy/key-scope';
import { ConnectionType } from '../shared/pagination';
import { ProviderCalendar } from '../connections/provider-calendar.entity';
import { Resource } from '../resources/resource.entity';
import { AppointmentTopic, type AppointmentExportChangedPayload } from './appointment.topics';
import { Appointment, AppointmentStatus, ExportStatus } from './appointment.entity';
import { AppointmentFilter, CreateAppointmentInput, RescheduleAppointmentInput } from './appointment.inputs';
import { AppointmentService } from './appointment.service';
import { PAGE_COST } from '../../common/query-cost';

export const AppointmentConnection = ConnectionType(Appointment, 'Appointment');

@ArgsType()
class AppointmentEventArgs {
  @Field(() => ID, { nullable: true, description: 'Only appointments of this resource.' })
  resourceId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this appointment.' })
  appointmentId?: string | null;
}

@ObjectType({ description: 'An appointment after a change of it or of its export.' })
class AppointmentExportEvent {
  @Field(() => ID, { description: '`appointment(id)` reads it whole.' })
  appointmentId!: string;

  @Field(() => ID)
  resourceId!: string;

  @Field(() => AppointmentStatus)
  status!: AppointmentStatus;

  @Field(() => ExportStatus)
  exportStatus!: ExportStatus;

  @Field(() => String, { nullable: true })
  exportError!: string | null;

  @Field(() => String, { nullable: true })
  providerEventId!: string | null;

  @Field(() => Int)
  version!: number;

  @Field(() => Date, { description: 'When the change was published (UTC).' })
  occurredAt!: Date;
}

function forSubscriber({ payload, args, context }: SubscriptionHandlerData<AppointmentExportChangedPayload, AppointmentEventArgs, GraphQLContext>): boolean {
  return (
    payload.tenantId === context.tenant.id &&
    reachesResource(context.key, payload.resourceId) &&
    (args.resourceId == null || payload.resourceId === args.resourceId) &&
    (args.appointmentId == null || payload.appointmentId === args.appointmentId)
  );
}

@Resolver(() => Appointment)
export class AppointmentResolver {
  @Query(() => Appointment, { nullable: true, description: "One appointment of the caller's tenant; null when there is none with this id." })
  async appointment(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Appointment | null> {
    return isId(id) ? ctx.em.findOne(Appointment, { id }) : null;
  }

  @Query(() => AppointmentConnection, {
    complexity: PAGE_COST,
    description: 'Appointments overlapping [from, to), by start (Relay connection, up to 100 a page).',
  })
  appointments(
    @Arg('filter', () => AppointmentFilter) filter: AppointmentFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1..100, default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return new AppointmentService(ctx.em, ctx.deps).list(filter, first, after);
  }

  @Mutation(() => Appointment, {
    description:
      'Books a resource and exports the appointment to its write calendar. CONFLICT when the time is not available (unless allowOverlap) or another appointment overlaps it; ' +
      'BAD_USER_INPUT naming the field; NOT_FOUND for the resource. With an idempotencyKey, a repeat returns the first result.',
  })
  createAppointment(@Arg('input', () => CreateAppointmentInput) input: CreateAppointmentInput, @Ctx() ctx: GraphQLContext): Promise<Appointment> {
    return new AppointmentService(ctx.em, ctx.deps).create(ctx.tenant, input);
  }

  @Mutation(() => Appointment, {
    description: 'Moves an appointment; its exported event follows. CONFLICT when the new time is not available (unless allowOverlap) or it is cancelled.',
  })
  rescheduleAppointment(@Arg('input', () => RescheduleAppointmentInput) input: RescheduleAppointmentInput, @Ctx() ctx: GraphQLContext): Promise<Appointment> {
    return new AppointmentService(ctx.em, ctx.deps).reschedule(ctx.tenant, input);
  }

  @Mutation(() => Appointment, { description: 'Cancels an appointment: it stops blocking time and its exported event is deleted. Idempotent.' })
  cancelAppointment(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true, description: 'Up to 500 characters.' }) reason: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Appointment> {
    return new AppointmentService(ctx.em, ctx.deps).cancel(id, reason);
  }

  @Subscription(() => AppointmentExportEvent, {
    topics: AppointmentTopic.APPOINTMENT_EXPORT_CHANGED,
    filter: forSubscriber,
    description:
      "Changes of the tenant's appointments and of their export status (PENDING, EXPORTED, FAILED, SKIPPED, REMOVED), optionally of one resource or one appointment.",
  })
  appointmentExportChanged(
    @Root() payload: AppointmentExportChangedPayload,
    @Args(() => AppointmentEventArgs) _filter: AppointmentEventArgs,
  ): AppointmentExportEvent {
    return { ...payload, occurredAt: new Date(payload.occurredAt) };
  }

  @FieldResolver(() => Resource)
  resource(@Root() appointment: Appointment, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return ctx.loaders.byId(Resource).load(appointment.resource.id) as Promise<Resource>;
  }

  @FieldResolver(() => ProviderCalendar, { nullable: true, description: 'The calendar that holds the exported event, when one does.' })
  exportCalendar(@Root() appointment: Appointment, @Ctx() ctx: GraphQLContext): Promise<ProviderCalendar | null> {
    return appointment.exportCalendar ? ctx.loaders.byId(ProviderCalendar).load(appointment.exportCalendar.id) : Promise.resolve(null);
  }
}
