import { Field, ID, InputType } from 'type-graphql';
import { AppointmentStatus, ExportStatus } from './appointment.entity';

/** A person to invite; providers are asked not to send invitations themselves. */
@InputType({ description: 'A person attending an appointment.' })
export class AttendeeInput {
  @Field(() => String, { description: 'E-mail address.' })
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

@InputType({ description: 'A new appointment of a resource.' })
export class CreateAppointmentInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => Date, { description: 'Start (UTC instant or ISO 8601 with offset).' })
  startsAt!: Date;

  @Field(() => Date, { description: 'End, exclusive; at most 7 days after the start.' })
  endsAt!: Date;

  @Field(() => String, { description: '1..200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Up to 8,000 characters.' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' })
  location?: string | null;

  @Field(() => [AttendeeInput], { nullable: true, description: 'Up to 100.' })
  attendees?: AttendeeInput[] | null;

  @Field(() => AppointmentStatus, { defaultValue: AppointmentStatus.CONFIRMED, description: 'CONFIRMED or TENTATIVE.' })
  status!: AppointmentStatus;

  @Field(() => Boolean, { defaultValue: false, description: 'Book even when the time is not available (outside working hours or over busy time).' })
  allowOverlap!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Up to 200 characters. Repeating a create with the same key returns the appointment it made; the same key with other values is a CONFLICT.',
  })
  idempotencyKey?: string | null;
}

@InputType({ description: 'New times for an appointment.' })
export class RescheduleAppointmentInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date)
  endsAt!: Date;

  @Field(() => Boolean, { defaultValue: false, description: 'Move even when the new time is not available.' })
  allowOverlap!: boolean;
}

@InputType({ description: 'Which appointments to list.' })
export class AppointmentFilter {
  @Field(() => Date, { description: 'Appointments ending after this instant.' })
  from!: Date;

  @Field(() => Date, { description: 'Appointments starting before this instant; at most 366 days after `from`.' })
  to!: Date;

  @Field(() => [ID], { nullable: true, description: 'Only these resources (up to 100).' })
  resourceIds?: string[] | null;

  @Field(() => [AppointmentStatus], { nullable: true })
  statuses?: AppointmentStatus[] | null;

  @Field(() => [ExportStatus], { nullable: true })
  exportStatuses?: ExportStatus[] | null;
}
