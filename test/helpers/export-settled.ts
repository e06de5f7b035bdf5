import { GetAppointmentDocument, type AppointmentFieldsFragment } from '../graphql/generated';
import { until } from './processes';
import type { TestServer } from './test-server';

/**
 * The appointment once its export has settled on `status` at `version` (exports run in a worker,
 * so the test polls). Fails after `timeoutMs`.
 */
export function exportSettled(server: TestServer, id: string, status: string, version = 0, timeoutMs = 60_000): Promise<AppointmentFieldsFragment> {
  return until(
    `appointment ${id} to be ${status} at version ${version}`,
    async () => {
      const { appointment } = await server.ok(GetAppointmentDocument, { id });
      return appointment?.exportStatus === status && appointment.version === version ? appointment : null;
    },
    timeoutMs,
  );
}
