import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { ProviderKind } from '../../providers/provider';
import { ExternalCalendarStatus } from '../connections/external-calendar.entity';
import { SyncRunKind, SyncRunStatus } from './sync-run.entity';
import { SyncRunCalendar } from './sync-run-calendar';
import type { ExternalCalendarStatusChangedPayload } from '../connections/connection.topics';
import type { SyncRunChangedPayload } from './sync.topics';

const instant = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

/** Which events of the tenant a live subscription receives. */
@ArgsType()
export class StatusFilterArgs {
  @Field(() => ID, { nullable: true, description: 'Only events of this resource; ids naming nothing of the tenant match no event.' })
  resourceId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only events of this connection; a sync run over every connection of a resource (externalCalendarId null) does not match.',
  })
  externalCalendarId?: string | null;
}

@ObjectType({ description: 'A SyncRun as it is after a status transition, a calendar started or a committed page of events.' })
export class SyncStatusEvent {
  @Field(() => ID, { description: 'The run; `syncRun(id)` reads it whole.' })
  syncRunId!: string;

  @Field(() => ID, { description: 'The resource synced.' })
  resourceId!: string;

  @Field(() => ID, { nullable: true, description: 'The connection synced; null when the run covers every connection of the resource.' })
  externalCalendarId!: string | null;

  @Field(() => SyncRunKind, { description: 'What the run fetches.' })
  kind!: SyncRunKind;

  @Field(() => SyncRunStatus, { description: 'The status after this change.' })
  status!: SyncRunStatus;

  @Field(() => Int, { description: 'Calendars fetched and committed so far.' })
  pages!: number;

  @Field(() => Int, { description: 'Occurrences read from the providers so far.' })
  fetched!: number;

  @Field(() => Int, { description: 'Occurrences stored that were new or changed, so far.' })
  upserted!: number;

  @Field(() => Int, { description: 'Stored occurrences removed so far.' })
  deleted!: number;

  @Field(() => Int, { description: 'Events that could not be read, so far.' })
  skipped!: number;

  @Field(() => [SyncRunCalendar], { description: 'The calendars of the run, each with its status and counters (as SyncRun.calendars).' })
  calendars!: SyncRunCalendar[];

  @Field(() => String, { nullable: true, description: 'Why the run failed, for people.' })
  error!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the run failed, for programs (as SyncRun.errorCode).' })
  errorCode!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the run started (null while QUEUED).' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the run finished (null until SUCCEEDED, FAILED or CANCELLED).' })
  finishedAt!: Date | null;

  @Field(() => Date, { description: 'When the change was published.' })
  occurredAt!: Date;

  static fromPayload(payload: SyncRunChangedPayload): SyncStatusEvent {
    const { tenantId: _tenantId, startedAt, finishedAt, occurredAt, ...rest } = payload;
    return Object.assign(new SyncStatusEvent(), rest, { startedAt: instant(startedAt), finishedAt: instant(finishedAt), occurredAt: new Date(occurredAt) });
  }
}

@ObjectType({ description: 'A connection whose status changed: CONNECTED after consent, ERROR, REAUTH_REQUIRED (grant revoked), DISCONNECTED.' })
export class ExternalCalendarStatusEvent {
  @Field(() => ID, { description: 'The connection.' })
  externalCalendarId!: string;

  @Field(() => ID, { description: 'The resource the connection belongs to.' })
  resourceId!: string;

  @Field(() => ProviderKind, { description: 'The provider of the connection.' })
  provider!: ProviderKind;

  @Field(() => ExternalCalendarStatus, { description: 'The status after this change.' })
  status!: ExternalCalendarStatus;

  @Field(() => String, { nullable: true, description: 'Why the last sync or connection attempt failed, for people.' })
  lastError!: string | null;

  @Field(() => Date, { description: 'When the change was published.' })
  occurredAt!: Date;

  static fromPayload(payload: ExternalCalendarStatusChangedPayload): ExternalCalendarStatusEvent {
    const { tenantId: _tenantId, occurredAt, ...rest } = payload;
    return Object.assign(new ExternalCalendarStatusEvent(), rest, { occurredAt: new Date(occurredAt) });
  }
}
