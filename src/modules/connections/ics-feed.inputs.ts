import { Field, ID, InputType } from 'type-graphql';

const URL_DESCRIPTION =
  'The published calendar address: https://, http:// or webcal:// (read as https). A secret (whoever has it reads the calendar): stored encrypted (AES-256-GCM), never returned; shown as its host with the path masked.';

@InputType({ description: 'Subscribes a resource to a published calendar (an ICS feed), read-only.' })
export class ConnectIcsFeedInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => String, { description: URL_DESCRIPTION })
  url!: string;

  @Field(() => String, {
    nullable: true,
    description: "The calendar's name; the feed's own NAME / X-WR-CALNAME (else its host) when absent. 1 to 200 characters.",
  })
  name?: string | null;
}

@InputType({ description: 'Replaces the address of an ICS feed connection in place (a rotated secret address).' })
export class UpdateIcsFeedInput {
  @Field(() => ID)
  externalCalendarId!: string;

  @Field(() => String, { description: URL_DESCRIPTION })
  url!: string;
}
