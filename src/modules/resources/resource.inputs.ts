import { Field, InputType, Int } from 'type-graphql';
import { ResourceKind } from './resource.entity';
import { DateOverride } from './date-override';
import { WorkingHours } from './working-hours';

@InputType({ description: 'A new bookable resource.' })
export class CreateResourceInput {
  @Field(() => String)
  name!: string;

  @Field(() => ResourceKind, { defaultValue: ResourceKind.STAFF })
  kind!: ResourceKind;

  @Field(() => String, { description: 'IANA time zone, e.g. `Europe/Berlin`.' })
  timeZone!: string;

  @Field(() => [WorkingHours], { nullable: true, description: 'Weekly working hours; omitted or empty means around the clock.' })
  workingHours?: WorkingHours[] | null;

  @Field(() => [DateOverride], { nullable: true, description: 'Special hours or days off on given dates.' })
  dateOverrides?: DateOverride[] | null;

  @Field(() => String, { nullable: true, description: 'First bookable local date, `YYYY-MM-DD`.' })
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Last bookable local date, `YYYY-MM-DD`, inclusive.' })
  validUntil?: string | null;

  @Field(() => Int, { defaultValue: 0, description: 'Minutes kept free before each busy interval (0..1440).' })
  bufferBeforeMinutes!: number;

  @Field(() => Int, { defaultValue: 0, description: 'Minutes kept free after each busy interval (0..1440).' })
  bufferAfterMinutes!: number;
}

@InputType({ description: 'Changes to a resource; omitted fields stay as they are.' })
export class UpdateResourceInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ResourceKind, { nullable: true })
  kind?: ResourceKind | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone. All-day events move with it.' })
  timeZone?: string | null;

  @Field(() => [WorkingHours], { nullable: true, description: 'Replaces all working hours; an empty list means around the clock.' })
  workingHours?: WorkingHours[] | null;

  @Field(() => [DateOverride], { nullable: true, description: 'Replaces all date overrides; an empty list removes them.' })
  dateOverrides?: DateOverride[] | null;

  @Field(() => String, { nullable: true, description: 'First bookable local date; an empty string removes it.' })
  validFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Last bookable local date (inclusive); an empty string removes it.' })
  validUntil?: string | null;

  @Field(() => Int, { nullable: true })
  bufferBeforeMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  bufferAfterMinutes?: number | null;
}
