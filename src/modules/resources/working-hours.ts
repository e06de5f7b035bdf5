import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { LocalTimeScalar } from '../shared/scalars';

/** ISO weekdays; the order is Luxon's `weekday` 1..7. */
export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

registerEnumType(Weekday, { name: 'Weekday', description: 'ISO weekday, MONDAY to SUNDAY.' });

/** Weekdays in ISO order: index + 1 is Luxon's `weekday`. */
export const WEEKDAYS: readonly Weekday[] = Object.values(Weekday);

/** One interval of weekly working hours, in the resource's local time (output and input shape). */
@ObjectType({ description: 'One interval of weekly working hours, in the local time of the resource.' })
@InputType('WorkingHoursInput', { description: 'One interval of weekly working hours, in the local time of the resource.' })
export class WorkingHours {
  @Field(() => Weekday)
  weekday!: Weekday;

  @Field(() => LocalTimeScalar, { description: 'Local start time, `HH:mm`.' })
  start!: string;

  @Field(() => LocalTimeScalar, { description: 'Local end time, `HH:mm`, after `start`; `24:00` is the end of the day.' })
  end!: string;
}

/** Minutes since local midnight of an `HH:mm` value (`24:00` is 1440). */
export function minutesOfDay(localTime: string): number {
  const [hours, minutes] = localTime.split(':').map(Number);
  return hours * 60 + minutes;
}
