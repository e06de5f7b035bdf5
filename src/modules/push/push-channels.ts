import type { ModuleDeps, PushChannels } from '../shared/module-deps';
import { enqueuePushMaintain } from './push.jobs';
import { PushService, pushSupported } from './push.service';

/** {@link PushChannels} over PushService and the push_maintain job; `deps` is read when called (it holds this object). */
export function pushChannels(deps: () => ModuleDeps): PushChannels {
  return {
    async maintainLater(connection) {
      if (pushSupported(deps(), connection.provider)) {
        await enqueuePushMaintain(deps().queue, { externalCalendarId: connection.id, tenantId: connection.tenant.id });
      }
    },
    stopAll: (em, connection) => new PushService(em, deps()).stopAll(connection),
  };
}
