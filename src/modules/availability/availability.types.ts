import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { listCost } from '../../common/query-cost';

@InputType({ description: 'An availability question: one resource, a window of at most 92 days, slot length and step.' })
export class AvailabilityInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => Date, { description: 'Window start (inclusive).' })
  from!: Date;

  @Field(() => Date, { description: 'Window end (exclusive), after `from`.' })
  to!: Date;

  @Field(() => Int, { defaultValue: 30, description: 'Slot length in minutes, 5..1440.' })
  slotMinutes!: number;

  @Field(() => Int, { nullable: true, description: 'Minutes between slot starts, 5..1440; defaults to slotMinutes.' })
  stepMinutes?: number | null;

  @Field(() => Int, { defaultValue: 0, description: 'Slots must start at least this many minutes from now (0..525600).' })
  minimumNoticeMinutes!: number;

  @Field(() => String, { nullable: true, description: "IANA time zone whose local midnight anchors the step grid; defaults to the resource's." })
  timeZone?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: "Ingest the resource's calendars over the window before answering." })
  syncExternal!: boolean;
}

@InputType({ description: 'Slots where all (or at least `minimumResources`) of several resources are free.' })
export class CommonAvailabilityInput {
  @Field(() => [ID], { description: '1..100 resources.' })
  resourceIds!: string[];

  @Field(() => Date)
  from!: Date;

  @Field(() => Date, { description: 'After `from`, at most 92 days later.' })
  to!: Date;

  @Field(() => Int, { defaultValue: 30, description: 'Slot length in minutes, a positive multiple of stepMinutes.' })
  slotMinutes!: number;

  @Field(() => Int, { nullable: true, description: 'Minutes between slot starts; defaults to slotMinutes.' })
  stepMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'How many of the resources must be free; defaults to all of them.' })
  minimumResources?: number | null;

  @Field(() => Int, { defaultValue: 0, description: 'Slots must start at least this many minutes from now.' })
  minimumNoticeMinutes!: number;

  @Field(() => String, { nullable: true, description: "IANA time zone of the step grid; defaults to the first resource's." })
  timeZone?: string | null;
}

@ObjectType({ description: 'A half-open interval [start, end) of UTC instants.' })
export class TimeInterval {
  @Field(() => Date)
  start!: Date;

  @Field(() => Date, { description: 'Exclusive.' })
  end!: Date;
}

@ObjectType({ description: 'A bookable slot [start, end).' })
export class TimeSlot extends TimeInterval {}

@ObjectType({ description: 'Busy and free time of one resource (free = working time not busy).' })
export class ResourceFreeBusy {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => [TimeInterval], { complexity: listCost(10), description: 'Blocked time, buffers included, merged.' })
  busy!: TimeInterval[];

  @Field(() => [TimeInterval], { complexity: listCost(10), description: 'Working time not blocked, merged.' })
  free!: TimeInterval[];
}

@ObjectType({ description: 'Slots where enough of the resources are free together.' })
export class CommonAvailability {
  @Field(() => [TimeSlot], { complexity: listCost(50) })
  slots!: TimeSlot[];

  @Field(() => [TimeInterval], { complexity: listCost(10), description: 'Time when at least minimumResources are free, merged.' })
  free!: TimeInterval[];
}

@ObjectType({ description: 'Free slots of a resource, with the merged free and busy intervals they come from.' })
export class Availability {
  @Field(() => [TimeSlot], { complexity: listCost(50), description: 'Slots of slotMinutes inside free time, on a grid of stepMinutes from local midnight.' })
  slots!: TimeSlot[];

  @Field(() => [TimeInterval], { complexity: listCost(10), description: 'Working time not blocked by anything, merged.' })
  free!: TimeInterval[];

  @Field(() => [TimeInterval], {
    complexity: listCost(10),
    description: "Time blocked by external events, with the resource's buffers, merged and clipped to the window.",
  })
  busy!: TimeInterval[];

  @Field(() => Boolean, {
    description: 'True when `syncExternal` refreshed the calendars and the sync finished, successfully, before the answer (it waits up to 5 s).',
  })
  fresh!: boolean;

  @Field(() => Date, {
    nullable: true,
    description:
      "How old the external data is: the oldest last sync (UTC) among the resource's read calendars; null when one was never synced or there are none.",
  })
  syncedAt!: Date | null;
}
