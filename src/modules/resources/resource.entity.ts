import { Entity, Enum, Index, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity';
import { DateOverride } from './date-override';
import { WorkingHours } from './working-hours';
import { storedListCost } from '../../common/query-cost';

/** What kind of bookable thing a resource is. */
export enum ResourceKind {
  STAFF = 'STAFF',
  ROOM = 'ROOM',
  EQUIPMENT = 'EQUIPMENT',
  OTHER = 'OTHER',
}
registerEnumType(ResourceKind, { name: 'ResourceKind', description: 'What kind of bookable thing a resource is.' });

/** A bookable resource (staff member, room, equipment) whose time external calendars block. */
@ObjectType({ description: 'A bookable resource (staff member, room, equipment) whose time external calendars block.' })
@Entity()
@Index({ properties: ['tenant', 'createdAt', 'id'] })
export class Resource extends TenantOwnedEntity {
  @Field(() => ID)
  declare id: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ResourceKind)
  @Enum({ items: () => ResourceKind, nativeEnumName: 'resource_kind' })
  kind: Opt<ResourceKind> = ResourceKind.STAFF;

  @Field(() => String, { description: 'IANA time zone of the resource, e.g. `Europe/Berlin`; working hours and all-day events are local to it.' })
  @Property({ type: 'text' })
  timeZone!: string;

  @Field(() => [WorkingHours], {
    complexity: storedListCost(7),
    description: 'Weekly working hours in the local time of `timeZone`. Empty means available around the clock.',
  })
  @Property({ type: 'jsonb' })
  workingHours: Opt<WorkingHours[]> = [];

  @Field(() => [DateOverride], {
    complexity: storedListCost(10),
    description: 'Dates whose hours replace the weekly working hours (special hours, days off), sorted by date.',
  })
  @Property({ type: 'jsonb', defaultRaw: `'[]'` })
  dateOverrides: Opt<DateOverride[]> = [];

  @Field(() => String, { nullable: true, description: 'First local date (`YYYY-MM-DD`) the resource can be booked; null: no start.' })
  @Property({ type: 'date', nullable: true })
  validFrom: string | null = null;

  @Field(() => String, { nullable: true, description: 'Last local date (`YYYY-MM-DD`, inclusive) the resource can be booked; null: no end.' })
  @Property({ type: 'date', nullable: true })
  validUntil: string | null = null;

  @Field(() => Int, { description: 'Minutes kept free before each busy interval.' })
  @Property({ type: 'integer' })
  bufferBeforeMinutes: Opt<number> = 0;

  @Field(() => Int, { description: 'Minutes kept free after each busy interval.' })
  @Property({ type: 'integer' })
  bufferAfterMinutes: Opt<number> = 0;

  /**
   * Grows in the same transaction as every write of the resource's external events or
   * appointments (statement triggers, migration ..._busy_version), so a cached busy time
   * (BusyTimeCache) is known stale as soon as such a change is committed. Written by PostgreSQL
   * only; a bigint, read as a string.
   */
  @Property({ type: 'bigint', default: 0, hidden: true })
  busyVersion: Opt<string> = '0';

  @Field(() => Date)
  declare createdAt: Opt<Date>;

  @Field(() => Date)
  declare updatedAt: Opt<Date>;
}
