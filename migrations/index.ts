import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122150317 } from './Migration20261122150317';
import { Migration20261122160221_oauth_and_jobs } from './Migration20261122160221_oauth_and_jobs';
import { Migration20261122161008_push_channels } from './Migration20261122161008_push_channels';
import { Migration20261122163028_schedule_exceptions } from './Migration20261122163028_schedule_exceptions';
import { Migration20261122180000_blocking_events } from './Migration20261122180000_blocking_events';
import { Migration20261122181000_appointments } from './Migration20261122181000_appointments';
import { Migration20261122190000_busy_version } from './Migration20261122190000_busy_version';
import { Migration20261122202000_tenant_features } from './Migration20261122202000_tenant_features';
import { Migration20261122200000_partner_events } from './Migration20261122200000_partner_events';
import { Migration20261122201000_api_key_scopes } from './Migration20261122201000_api_key_scopes';
import { Migration20261202050000_calendar_failures } from './Migration20261202050000_calendar_failures';
import { Migration20261202070000_sync_run_progress } from './Migration20261202070000_sync_run_progress';
import { Migration20261202090000_push_message_number } from './Migration20261202090000_push_message_number';
import { Migration20261202120000_sync_run_lists } from './Migration20261202120000_sync_run_lists';
import { Migration20261203090000_tenant_unique_names } from './Migration20261203090000_tenant_unique_names';
import { Migration20261203120000_invite_attendees } from './Migration20261203120000_invite_attendees';
import { Migration20261203130000_push_unsupported } from './Migration20261203130000_push_unsupported';
import { Migration20261203140000_push_lifecycle_url } from './Migration20261203140000_push_lifecycle_url';
import { Migration20261203163000_cheap_blocking_trigger } from './Migration20261203163000_cheap_blocking_trigger';
import { Migration20261204010000_webhooks } from './Migration20261204010000_webhooks';
import { Migration20261206210000_sync_run_calendars } from './Migration20261206210000_sync_run_calendars';

/** Every migration in order. Append new ones; never edit one that has landed. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122150317', class: Migration20261122150317 },
  { name: 'Migration20261122160221_oauth_and_jobs', class: Migration20261122160221_oauth_and_jobs },
  { name: 'Migration20261122161008_push_channels', class: Migration20261122161008_push_channels },
  { name: 'Migration20261122163028_schedule_exceptions', class: Migration20261122163028_schedule_exceptions },
  { name: 'Migration20261122180000_blocking_events', class: Migration20261122180000_blocking_events },
  { name: 'Migration20261122181000_appointments', class: Migration20261122181000_appointments },
  { name: 'Migration20261122190000_busy_version', class: Migration20261122190000_busy_version },
  { name: 'Migration20261122202000_tenant_features', class: Migration20261122202000_tenant_features },
  { name: 'Migration20261122200000_partner_events', class: Migration20261122200000_partner_events },
  { name: 'Migration20261122201000_api_key_scopes', class: Migration20261122201000_api_key_scopes },
  { name: 'Migration20261202050000_calendar_failures', class: Migration20261202050000_calendar_failures },
  { name: 'Migration20261202070000_sync_run_progress', class: Migration20261202070000_sync_run_progress },
  { name: 'Migration20261202090000_push_message_number', class: Migration20261202090000_push_message_number },
  { name: 'Migration20261202120000_sync_run_lists', class: Migration20261202120000_sync_run_lists },
  { name: 'Migration20261203090000_tenant_unique_names', class: Migration20261203090000_tenant_unique_names },
  { name: 'Migration20261203120000_invite_attendees', class: Migration20261203120000_invite_attendees },
  { name: 'Migration20261203130000_push_unsupported', class: Migration20261203130000_push_unsupported },
  { name: 'Migration20261203140000_push_lifecycle_url', class: Migration20261203140000_push_lifecycle_url },
  { name: 'Migration20261203163000_cheap_blocking_trigger', class: Migration20261203163000_cheap_blocking_trigger },
  { name: 'Migration20261204010000_webhooks', class: Migration20261204010000_webhooks },
  { name: 'Migration20261206210000_sync_run_calendars', class: Migration20261206210000_sync_run_calendars },
];
