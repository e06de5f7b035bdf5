import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Appointment } from '../appointments/appointment.entity';
import { ExternalEvent } from '../events/external-event.entity';
import { listCost } from '../../common/query-cost';

/** Why an instant is not free. */
export enum BlockKind {
  OUTSIDE_WORKING_HOURS = 'OUTSIDE_WORKING_HOURS',
  DATE_OVERRIDE = 'DATE_OVERRIDE',
  OUTSIDE_VALIDITY = 'OUTSIDE_VALIDITY',
  EXTERNAL_EVENT = 'EXTERNAL_EVENT',
  APPOINTMENT = 'APPOINTMENT',
  BUFFER_BEFORE = 'BUFFER_BEFORE',
  BUFFER_AFTER = 'BUFFER_AFTER',
}
registerEnumType(BlockKind, {
  name: 'BlockKind',
  description:
    'OUTSIDE_WORKING_HOURS (weekly hours), DATE_OVERRIDE (a day off or special hours that exclude the instant), OUTSIDE_VALIDITY (before validFrom or after validUntil), ' +
    'EXTERNAL_EVENT (a blocking event), APPOINTMENT (a CONFIRMED or TENTATIVE appointment), BUFFER_BEFORE / BUFFER_AFTER (the buffer before or after a blocking event or appointment).',
});

/** One thing that keeps an instant from being free. */
@ObjectType({ description: 'One thing that keeps an instant from being free.' })
export class AvailabilityBlock {
  @Field(() => BlockKind)
  kind!: BlockKind;

  @Field(() => Date, { nullable: true, description: 'Start of the blocking interval (UTC), when it is one.' })
  start!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the blocking interval (UTC, exclusive).' })
  end!: Date | null;

  @Field(() => ExternalEvent, {
    nullable: true,
    description: 'The event, for EXTERNAL_EVENT and the buffers: its calendar, its title unless imported privately, its series and occurrence.',
  })
  externalEvent!: ExternalEvent | null;

  @Field(() => Appointment, { nullable: true, description: 'The appointment, for APPOINTMENT and the buffers around one.' })
  appointment!: Appointment | null;
}

/** Whether one instant is free for a resource, and if not, everything that blocks it. */
@ObjectType({ description: 'Whether one instant is free for a resource, and if not, everything that blocks it.' })
export class AvailabilityExplanation {
  @Field(() => Date)
  at!: Date;

  @Field(() => Boolean)
  free!: boolean;

  @Field(() => [AvailabilityBlock], { complexity: listCost(5), description: 'Empty when free.' })
  blocks!: AvailabilityBlock[];
}
