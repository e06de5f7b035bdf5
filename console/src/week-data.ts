import type { CombinedError, Client } from '@urql/core';
import { useClient, useSubscription } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import {
  AppointmentExportDocument,
  WeekAppointmentsDocument,
  WeekDocument,
  WeekEventsDocument,
  type ConsoleAppointmentFieldsFragment,
  type WeekAppointmentsQuery,
  type WeekEventsQuery,
  type WeekQuery,
} from './generated';

/** What a week grid draws of one resource in [from, to): every event and appointment, not just a first page. */
export interface WeekData {
  availability: WeekQuery['availability'];
  events: WeekEventsQuery['externalEvents']['edges'][number]['node'][];
  appointments: WeekAppointmentsQuery['appointments']['edges'][number]['node'][];
}

interface Connection<N> {
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Every node of a Relay connection, asking page after page (`after` the previous endCursor) until hasNextPage is false. */
async function allNodes<N>(page: (after: string | null) => Promise<{ error?: CombinedError; connection?: Connection<N> }>): Promise<N[]> {
  const nodes: N[] = [];
  let after: string | null = null;
  for (;;) {
    const { error, connection } = await page(after);
    if (error) throw error;
    if (!connection) return nodes;
    nodes.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return nodes;
    after = connection.pageInfo.endCursor;
  }
}

const NETWORK = { requestPolicy: 'network-only' } as const;

async function loadWeek(client: Client, variables: { resourceId: string; from: string; to: string }): Promise<WeekData> {
  const [week, events, appointments] = await Promise.all([
    client.query(WeekDocument, variables, NETWORK).toPromise(),
    allNodes(async (after) => {
      const result = await client.query(WeekEventsDocument, { ...variables, after }, NETWORK).toPromise();
      return { error: result.error, connection: result.data?.externalEvents };
    }),
    allNodes(async (after) => {
      const result = await client.query(WeekAppointmentsDocument, { ...variables, after }, NETWORK).toPromise();
      return { error: result.error, connection: result.data?.appointments };
    }),
  ]);
  if (week.error) throw week.error;
  return { availability: week.data!.availability, events, appointments };
}

/**
 * One resource's week [from, to) (UTC instants, ISO): loaded when they change and on `reload`
 * (after a booking). The previous week of the resource stays shown until the next has arrived;
 * `data` is null before the resource's first answer and after a failed one.
 */
export function useWeekData(resourceId: string, from: string, to: string): { data: WeekData | null; error: CombinedError | null; reload: () => void } {
  const client = useClient();
  const [state, setState] = useState<{ resourceId: string; data: WeekData | null; error: CombinedError | null }>({ resourceId, data: null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    loadWeek(client, { resourceId, from, to }).then(
      (data) => current && setState({ resourceId, data, error: null }),
      (error: CombinedError) => current && setState({ resourceId, data: null, error }),
    );
    return () => {
      current = false;
    };
  }, [client, resourceId, from, to, generation]);
  const data = state.resourceId === resourceId ? state.data : null;
  return { data, error: state.error, reload: () => setGeneration((n) => n + 1) };
}

type Appointment = ConsoleAppointmentFieldsFragment;

/** Live export changes of a resource's appointments (appointmentExportChanged), by appointment id; `apply` lays the newest over an appointment. */
export function useExportUpdates(resourceId: string) {
  const [live] = useSubscription(
    { query: AppointmentExportDocument, variables: { resourceId }, pause: !resourceId },
    (latest: Record<string, Partial<Appointment>> = {}, event) => {
      const e = event.appointmentExportChanged;
      return { ...latest, [e.appointmentId]: { status: e.status, exportStatus: e.exportStatus, exportError: e.exportError ?? null, version: e.version } };
    },
  );
  const apply = (a: Appointment): Appointment => {
    const update = live.data?.[a.id];
    return update && (update.version ?? 0) >= a.version ? { ...a, ...update } : a;
  };
  return { apply, error: live.error };
}
