import { Field, ID, InputType } from 'type-graphql';
import { ExternalEventStatus, Transparency } from './external-event.entity';

/** One busy item pushed by a partner (vcita `external_calendar_items`). */
@InputType({ description: 'One busy item pushed by a partner; it comes from no provider calendar.' })
export class PartnerEventItemInput {
  @Field(() => String, { description: "The partner's id of the item: 1..500 characters, unique within the resource; pushing it again updates it." })
  externalId!: string;

  @Field(() => String, { nullable: true, description: 'Title, up to 1,000 characters; null or blank stores none.' })
  title?: string | null;

  @Field(() => Date, { description: 'Start (ISO 8601 with offset). For an all-day item: any instant of its first local day.' })
  startsAt!: Date;

  @Field(() => Date, {
    description:
      "End, exclusive, after the start and at most 7 days after it. For an all-day item: the item covers the resource's local days up to this instant (a whole day when it is not a local midnight).",
  })
  endsAt!: Date;

  @Field(() => Boolean, { defaultValue: false, description: "All-day item: it blocks the resource's whole local days, in the resource's time zone." })
  allDay!: boolean;

  @Field(() => ExternalEventStatus, { defaultValue: ExternalEventStatus.CONFIRMED, description: 'CANCELLED items never block.' })
  status!: ExternalEventStatus;

  @Field(() => Transparency, { defaultValue: Transparency.OPAQUE, description: 'TRANSPARENT items never block.' })
  transparency!: Transparency;
}

@InputType({ description: 'Partner items to create or update for one resource (up to 1,000).' })
export class BulkUpsertExternalEventsInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => [PartnerEventItemInput], { description: 'Up to 1,000 items, each externalId once.' })
  items!: PartnerEventItemInput[];
}

@InputType({ description: 'Partner items of one resource to deactivate (up to 1,000 ids).' })
export class BulkDeactivateExternalEventsInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => [String], { description: 'externalIds of PARTNER_PUSH items, up to 1,000.' })
  externalIds!: string[];
}
