import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

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

  @Field(() => Boolean, { defaultValue: false, description: "Ingest the resource's calendars over the window before answering." })
  syncExternal!: boolean;
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

@ObjectType({ description: 'Free slots of a resource, with the merged free and busy intervals they come from.' })
export class Availability {
  @Field(() => [TimeSlot], { description: 'Slots of slotMinutes inside free time, on a grid of stepMinutes from local midnight.' })
  slots!: TimeSlot[];

  @Field(() => [TimeInterval], { description: 'Working time not blocked by anything, merged.' })
  free!: TimeInterval[];

  @Field(() => [TimeInterval], { description: 'Time blocked by external events, with the resource\'s buffers, merged and clipped to the window.' })
  busy!: TimeInterval[];

  @Field(() => Boolean, { description: 'True when `syncExternal` refreshed the calendars and the sync finished, successfully, before the answer (it waits up to 5 s).' })
  fresh!: boolean;

  @Field(() => Date, {
    nullable: true,
    description: "How old the external data is: the oldest last sync (UTC) among the resource's read calendars; null when one was never synced or there are none.",
  })
  syncedAt!: Date | null;
}
