import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'Which external events to list: a window (both ends required, at most 366 days) and optionally resources and connections.' })
export class ExternalEventFilter {
  @Field(() => Date, { description: 'Window start (inclusive).' })
  from!: Date;

  @Field(() => Date, { description: 'Window end (exclusive), after `from`.' })
  to!: Date;

  @Field(() => [ID], { nullable: true })
  resourceIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'ExternalCalendar (connection) ids.' })
  externalCalendarIds?: string[] | null;
}
