import { Field, InputType, ObjectType } from 'type-graphql';
import { LocalTimeScalar } from '../shared/scalars';
import { storedListCost } from '../../common/query-cost';

/** A local time range of one day, `HH:mm` to `HH:mm` (`24:00` = end of day). */
@ObjectType({ description: 'A range of local time within one day.' })
@InputType('LocalTimeRangeInput', { description: 'A range of local time within one day.' })
export class LocalTimeRange {
  @Field(() => LocalTimeScalar)
  start!: string;

  @Field(() => LocalTimeScalar, { description: 'After `start`; `24:00` is the end of the day.' })
  end!: string;
}

/** The hours of one local date that replace the weekly hours: special hours, or none (a day off). */
@ObjectType({ description: 'Hours of one local date that replace the weekly working hours; no hours is a day off.' })
@InputType('DateOverrideInput', { description: 'Hours of one local date that replace the weekly working hours; no hours is a day off.' })
export class DateOverride {
  @Field(() => String, { description: 'Local date, `YYYY-MM-DD`, in the resource time zone.' })
  date!: string;

  @Field(() => [LocalTimeRange], { complexity: storedListCost(2), description: 'The working time of that date; empty for a day off.' })
  hours!: LocalTimeRange[];
}
