import type { FreeTime } from '../shared/module-deps';
import { isFree } from './availability.service';

/** The availability module's side of {@link FreeTime}, for bookings and reschedules. */
export const freeTime: FreeTime = { isFree };
