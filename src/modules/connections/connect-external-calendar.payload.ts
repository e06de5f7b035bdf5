import { Field, ObjectType } from 'type-graphql';
import { ExternalCalendar } from './external-calendar.entity';

@ObjectType({ description: 'A PENDING connection and the consent page to send its owner to.' })
export class ConnectExternalCalendarPayload {
  @Field(() => ExternalCalendar)
  externalCalendar!: ExternalCalendar;

  @Field(() => String, {
    description: "The provider's consent page (authorization request with PKCE); its state expires after OAUTH_STATE_TTL_MINUTES and works once.",
  })
  authUrl!: string;
}
