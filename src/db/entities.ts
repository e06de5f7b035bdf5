import { ExternalCalendar } from '../modules/connections/external-calendar.entity';
import { OAuthState } from '../modules/connections/oauth-state.entity';
import { ProviderCalendar } from '../modules/connections/provider-calendar.entity';
import { SyncConfig } from '../modules/connections/sync-config.entity';
import { ExternalEvent } from '../modules/events/external-event.entity';
import { Appointment } from '../modules/appointments/appointment.entity';
import { PushChannel } from '../modules/push/push-channel.entity';
import { Resource } from '../modules/resources/resource.entity';
import { SyncRun } from '../modules/sync/sync-run.entity';
import { ApiKey } from '../modules/tenancy/api-key.entity';
import { Tenant } from '../modules/tenancy/tenant.entity';
import { WebhookDelivery } from '../modules/webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../modules/webhooks/webhook-endpoint.entity';

/** Every entity, listed explicitly so that no folder scan is needed at start-up. */
export const ENTITIES = [
  Tenant,
  ApiKey,
  Resource,
  ExternalCalendar,
  ProviderCalendar,
  SyncConfig,
  ExternalEvent,
  SyncRun,
  OAuthState,
  PushChannel,
  Appointment,
  WebhookEndpoint,
  WebhookDelivery,
];

/** Entities carrying a tenant, to which the default `tenant` filter applies. */
export const TENANT_OWNED_ENTITIES = [
  Resource,
  ExternalCalendar,
  ProviderCalendar,
  SyncConfig,
  ExternalEvent,
  SyncRun,
  PushChannel,
  Appointment,
  WebhookEndpoint,
  WebhookDelivery,
];
