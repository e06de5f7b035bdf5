import { Field, ID, InputType } from 'type-graphql';

@InputType({
  description:
    'Ingest the events of one connection, or of every connection of a resource, over a window (at most 366 days). Give exactly one of resourceId and externalCalendarId.',
})
export class IngestExternalEventsInput {
  @Field(() => ID, { nullable: true })
  resourceId?: string | null;

  @Field(() => ID, { nullable: true })
  externalCalendarId?: string | null;

  @Field(() => Date, { description: 'Window start (inclusive).' })
  from!: Date;

  @Field(() => Date, { description: 'Window end (exclusive), after `from`.' })
  to!: Date;
}
