import { Field, ID, InputType } from 'type-graphql';
import { SyncRunStatus } from './sync-run.entity';

@InputType({ description: 'Which sync runs to list; every field narrows the list, none lists all of the tenant.' })
export class SyncRunFilter {
  @Field(() => ID, { nullable: true, description: 'Only runs of this resource.' })
  resourceId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only runs of this connection (not the runs that covered every connection of its resource).' })
  externalCalendarId?: string | null;

  @Field(() => [SyncRunStatus], { nullable: true, description: 'Only runs in one of these statuses.' })
  statuses?: SyncRunStatus[] | null;

  @Field(() => Date, { nullable: true, description: 'Only runs requested at or after this instant (UTC).' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only runs requested before this instant (UTC).' })
  to?: Date | null;
}
