import { AppError, ErrorCode } from '../common/errors';
import { CalDavAdapter } from './caldav/caldav.adapter';
import { ProviderKind, type CalendarProvider } from './provider';

const caldav = new CalDavAdapter();

/**
 * The adapter that speaks a provider's protocol. Apple iCloud is CalDAV.
 * @throws AppError FAILED_PRECONDITION for a provider not supported yet.
 */
export function providerFor(kind: ProviderKind): CalendarProvider {
  switch (kind) {
    case ProviderKind.CALDAV:
    case ProviderKind.APPLE:
      return caldav;
    case ProviderKind.GOOGLE:
    case ProviderKind.MICROSOFT:
    case ProviderKind.ICS:
      throw new AppError(ErrorCode.FAILED_PRECONDITION, `Provider ${kind} is not supported yet`);
  }
}
