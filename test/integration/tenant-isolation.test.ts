import { randomBytes } from 'node:crypto';
import type { GraphQLInputType } from 'graphql';
import { getNamedType } from 'graphql';
import { Appointment } from '../../src/modules/appointments/appointment.entity';
import { ExternalCalendar } from '../../src/modules/connections/external-calendar.entity';
import { SyncRun } from '../../src/modules/sync/sync-run.entity';
import { WEBHOOK_DELIVER_TASK } from '../../src/modules/webhooks/webhook.jobs';
import { WebhookService } from '../../src/modules/webhooks/webhook.service';
import { RESOURCE_FILTER, TENANT_FILTER } from '../../src/db/orm';
import {
  BulkUpsertExternalEventsDocument,
  ConnectByCredentialsDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  CreateWebhookEndpointDocument,
  GetAppointmentDocument,
  IngestDocument,
  SelectCalendarsDocument,
} from '../graphql/generated';
import { LiveSubscription } from '../helpers/live';
import { describeWithRadicale, startRadicale, type RadicaleServer } from '../helpers/radicale';
import { committedSchema, operationFor, rootFields, type RootField } from '../helpers/schema-operations';
import { startTestServer, type TestServer } from '../helpers/test-server';

/** Root fields that take no id of anything, so there is nothing of A to name; their answers are still checked for A's data. */
const NO_IDS = new Set(['Query.providers', 'Query.viewer', 'Query.resources', 'Query.apiKeys', 'Query.webhookEndpoints', 'Mutation.createResource']);

/** Arguments that exclude each other: such a field is tried once per entry, leaving out the paths named. */
const LEAVE_OUT: Record<string, string[][]> = {
  'Mutation.ingestExternalEvents': [['ingestExternalEvents.input.externalCalendarId'], ['ingestExternalEvents.input.resourceId']],
};

/** The calls to try: every root field, once per LEAVE_OUT entry (or once). */
function cases(roots: RootField[], kind: 'operations' | 'subscriptions'): [string, RootField, string[]][] {
  return roots
    .filter((root) => (root.kind === 'Subscription') === (kind === 'subscriptions'))
    .flatMap((root) => {
      const name = `${root.kind}.${root.name}`;
      const variants = LEAVE_OUT[name] ?? [[]];
      return variants.map((leaveOut): [string, RootField, string[]] => [leaveOut.length ? `${name} (without ${leaveOut.join(', ')})` : name, root, leaveOut]);
    });
}

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Calsync tests//EN',
  'BEGIN:VEVENT',
  'UID:isolation-1@calsync.test',
  'DTSTAMP:20300101T000000Z',
  'DTSTART:20300107T100000Z',
  'DTEND:20300107T110000Z',
  'SUMMARY:Secret meeting of A',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** The partner's id of A's partner-pushed event (vcita bulk_create). */
const PARTNER_ID = 'partner-item-of-a';

/** What tenant A owns, by kind, as the id-typed arguments name it. */
interface OwnedByA {
  resource: string;
  connection: string;
  providerCalendar: string;
  appointment: string;
  syncRun: string;
  apiKey: string;
  webhookEndpoint: string;
  webhookDelivery: string;
}

/** Which of A's ids an ID-typed argument (or input field) at `path` names; throws for a name nobody mapped yet. */
function idFor(a: OwnedByA, path: string): string {
  const [field] = path.split('.');
  const last = path.split('.').pop()!.replace(/\[\]$/, '');
  switch (last) {
    case 'resourceId':
    case 'resourceIds':
      return a.resource;
    case 'externalCalendarId':
    case 'externalCalendarIds':
      return a.connection;
    case 'readCalendarIds':
    case 'writeCalendarId':
    case 'providerCalendarId':
    case 'calendarId':
      return a.providerCalendar;
    case 'appointmentId':
      return a.appointment;
    case 'syncRunId':
      return a.syncRun;
    case 'endpointId':
      return a.webhookEndpoint;
    case 'id':
      if (['resource', 'updateResource', 'deleteResource'].includes(field!)) return a.resource;
      if (['externalCalendar', 'disconnectExternalCalendar'].includes(field!)) return a.connection;
      if (['appointment', 'cancelAppointment', 'rescheduleAppointment'].includes(field!)) return a.appointment;
      if (field === 'syncRun') return a.syncRun;
      if (['rotateApiKey', 'revokeApiKey'].includes(field!)) return a.apiKey;
      if (['updateWebhookEndpoint', 'rotateWebhookSecret', 'disableWebhookEndpoint', 'deleteWebhookEndpoint'].includes(field!)) return a.webhookEndpoint;
      if (field === 'redeliverWebhook') return a.webhookDelivery;
  }
  throw new Error(`No id of tenant A for the argument ${path}: add it to idFor in test/integration/tenant-isolation.test.ts`);
}

/** Values that make the call otherwise valid, so that only the ids decide. */
function valueFor(a: OwnedByA, radicale: RadicaleServer, path: string, type: GraphQLInputType): unknown {
  if (getNamedType(type).name === 'ID') return idFor(a, path);
  const last = path.split('.').pop()!.replace(/\[\]$/, '');
  const values: Record<string, unknown> = {
    from: '2030-01-07T00:00:00Z',
    startsAt: '2030-01-07T14:00:00Z',
    at: '2030-01-07T10:30:00Z',
    to: '2030-01-08T00:00:00Z',
    endsAt: '2030-01-07T15:00:00Z',
    timeZone: 'Europe/Berlin',
    serverUrl: radicale.url,
    url: `${radicale.url}feed.ics`,
    username: radicale.username,
    password: radicale.password,
    redirectUrl: 'https://booking.example/done',
    name: 'B',
    externalId: PARTNER_ID,
    externalIds: PARTNER_ID,
    title: 'Written by B',
  };
  return values[last];
}

/** True when a result carries nothing: null, an empty list, a connection without edges, a payload of zeros. */
function carriesNothing(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.entries(value).every(([key, inner]) => key === '__typename' || key === 'pageInfo' || carriesNothing(inner));
  return false;
}

/** Every row of every table with a tenant_id that belongs to the tenant (but an API key's last use), and the tenant's own row. */
async function snapshot(server: TestServer, tenantId: string): Promise<Record<string, unknown[]>> {
  const connection = server.orm.em.getConnection();
  const tables: { table_name: string }[] = await connection.execute(
    `select table_name from information_schema.columns where column_name = 'tenant_id' and table_schema = current_schema() order by table_name`,
  );
  const result: Record<string, unknown[]> = { tenant: await connection.execute('select * from tenant where id = ?', [tenantId]) };
  for (const { table_name } of tables) {
    const rows: Record<string, unknown>[] = await connection.execute(`select * from "${table_name}" where tenant_id = ? order by 1`, [tenantId]);
    // A's own control calls (its subscriptions) may note when its key was last used; nothing else may change.
    result[table_name] = rows.map(({ last_used_at: _lastUsed, ...row }) => row);
  }
  return result;
}

describeWithRadicale('tenant isolation: tenant B names every object of tenant A in every operation of the schema', () => {
  const env = { CALSYNC_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  let radicale: RadicaleServer;
  let server: TestServer;
  let b: { apiKey: string; tenantId: string };
  let a: OwnedByA;
  let aKey: string;
  let aTenant: string;
  let before: Record<string, unknown[]>;
  /** The same queries asked by A itself: what B would see if isolation failed. */
  const seenByA = new Map<string, { codes: unknown[]; empty: boolean }>();
  const roots = rootFields(committedSchema());

  beforeAll(async () => {
    radicale = await startRadicale();
    const collection = await radicale.putCalendar('work', ICS);
    // A's data is made with a worker (the ingest and the export run), then that server stops, so that
    // nothing but B's calls can touch A's rows while B tries.
    const setup = await startTestServer({ env });
    aKey = setup.apiKey;
    aTenant = setup.tenantId;
    const resource = (await setup.ok(CreateResourceDocument, { input: { name: 'A', timeZone: 'Europe/Berlin' } })).createResource.id;
    const connected = (
      await setup.ok(ConnectByCredentialsDocument, {
        input: { resourceId: resource, provider: 'CALDAV', serverUrl: radicale.url, username: radicale.username, password: radicale.password },
      })
    ).connectExternalCalendarByCredentials;
    const calendar = connected.providerCalendars.find(
      (c) => c.providerCalendarId === collection || collection.endsWith(c.providerCalendarId) || c.providerCalendarId.endsWith('/work/'),
    )!;
    await setup.ok(SelectCalendarsDocument, { input: { externalCalendarId: connected.id, readCalendarIds: [calendar.id], writeCalendarId: calendar.id } });
    const run = (await setup.ok(IngestDocument, { input: { externalCalendarId: connected.id, from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' } }))
      .ingestExternalEvents;
    expect((await setup.finished(run.id)).upserted).toBe(1);
    const appointment = (
      await setup.ok(CreateAppointmentDocument, {
        input: { resourceId: resource, startsAt: '2030-01-07T14:00:00Z', endsAt: '2030-01-07T15:00:00Z', title: 'A only' },
      })
    ).createAppointment.id;
    const pushed = await setup.ok(BulkUpsertExternalEventsDocument, {
      input: {
        resourceId: resource,
        items: [{ externalId: PARTNER_ID, title: 'Partner item of A', startsAt: '2030-01-07T12:00:00Z', endsAt: '2030-01-07T13:00:00Z' }],
      },
    });
    expect(pushed.bulkUpsertExternalEvents.results.map((r) => r.result)).toEqual(['CREATED']);
    const deadline = Date.now() + 30_000;
    while ((await setup.ok(GetAppointmentDocument, { id: appointment })).appointment?.exportStatus !== 'EXPORTED') {
      if (Date.now() > deadline) throw new Error('the appointment of A was not exported within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [key]: { id: string }[] = await setup.orm.em.getConnection().execute('select id from api_key where tenant_id = ?', [aTenant]);
    const owned = { resource, connection: connected.id, providerCalendar: calendar.id, appointment, syncRun: run.id, apiKey: key!.id };
    // Workers of other suites on the same database must not sync A while B tries.
    await setup.orm.em.getConnection().execute(`update external_calendar set next_sync_at = now() + interval '1 day' where tenant_id = ?`, [aTenant]);
    await setup.close();

    server = await startTestServer({ env, worker: false });
    // A's webhook endpoint and a delivery to it, made once nothing else of A changes (no event reaches it). The
    // delivery's job is removed in the transaction that queued it, so that no worker of another suite attempts it.
    const endpoint = await server.gql(
      CreateWebhookEndpointDocument,
      { input: { url: 'http://127.0.0.1:9/a-only', eventTypes: ['EXTERNAL_EVENTS_PUSHED'], resourceIds: [resource], description: 'A only' } },
      aKey,
    );
    expect(endpoint.errors).toBeUndefined();
    const webhookEndpoint = endpoint.data!.createWebhookEndpoint.endpoint.id;
    const em = server.orm.em.fork();
    em.setFilterParams(TENANT_FILTER, { tenantId: aTenant });
    em.setFilterParams(RESOURCE_FILTER, { resourceId: null });
    const webhookDelivery = await em.transactional(async (tx) => {
      const delivery = await new WebhookService(tx, server.deps).sendTest(aTenant, webhookEndpoint);
      await tx.execute('select graphile_worker.remove_job(?)', [`webhook-endpoint:${webhookEndpoint}`]);
      return delivery.id;
    });
    const jobs: unknown[] = await server.orm.em
      .getConnection()
      .execute(
        `select 1 from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = ? and j.payload->>'endpointId' = ?`,
        [WEBHOOK_DELIVER_TASK, webhookEndpoint],
      );
    expect(jobs).toEqual([]);
    a = { ...owned, webhookEndpoint, webhookDelivery };
    b = await server.createTenant(`isolation-b-${randomBytes(3).toString('hex')}`);
    for (const [label, root, leaveOut] of cases(roots, 'operations').filter(([, root]) => root.kind === 'Query' && !NO_IDS.has(`Query.${root.name}`))) {
      const { document, variables } = operationFor(root, (path, type) => (leaveOut.includes(path) ? undefined : valueFor(a, radicale, path, type)));
      const result = await server.gql(document, variables, aKey);
      seenByA.set(label, { codes: (result.errors ?? []).map((e) => e.extensions?.code), empty: carriesNothing(result.data?.[root.name]) });
    }
    before = await snapshot(server, aTenant);
  });
  afterAll(async () => {
    await server?.close();
    await radicale?.stop();
  });

  it('drives every root field with arguments by its ids (idFor throws for an unmapped one); the others are listed in NO_IDS on purpose', () => {
    const uncovered = roots
      .filter((root) => !NO_IDS.has(`${root.kind}.${root.name}`) && root.field.args.length === 0)
      .map((root) => `${root.kind}.${root.name}`);
    // A field without arguments must be listed in NO_IDS on purpose; every other one is driven by its id arguments below.
    expect(uncovered).toEqual([]);
  });

  it("asks questions whose answers, for A itself, carry A's data", () => {
    expect(seenByA.size).toBeGreaterThanOrEqual(10);
    for (const [label, seen] of seenByA) expect({ label, ...seen }).toEqual({ label, codes: [], empty: false });
  });

  it.each(cases(roots, 'operations'))("%s with A's ids is NOT_FOUND or empty for B", async (label, root: RootField, leaveOut: string[]) => {
    const name = `${root.kind}.${root.name}`;
    const { document, variables } = operationFor(root, (path, type) => (leaveOut.includes(path) ? undefined : valueFor(a, radicale, path, type)));
    const result = await server.gql(document, variables, b.apiKey);
    const codes = (result.errors ?? []).map((e) => e.extensions?.code);
    if (codes.length > 0) {
      expect({ label, codes }).toEqual({ label, codes: codes.map(() => 'NOT_FOUND') });
    } else {
      const answer = result.data?.[root.name];
      if (NO_IDS.has(name)) expect(JSON.stringify(answer)).not.toMatch(new RegExp(Object.values(a).join('|')));
      else expect({ label, answer, empty: carriesNothing(answer) }).toEqual({ label, answer, empty: true });
    }
  });

  it.each(cases(roots, 'subscriptions'))(
    "subscription %s with A's ids gets none of A's events, which A itself receives",
    async (_label, root: RootField, leaveOut: string[]) => {
      const { document, variables } = operationFor(root, (path, type) => (leaveOut.includes(path) ? undefined : valueFor(a, radicale, path, type)));
      const theirs = new LiveSubscription<Record<string, unknown>>(server.wsUrl, b.apiKey, document, variables);
      const ours = new LiveSubscription<Record<string, unknown>>(server.wsUrl, aKey, document, variables);
      try {
        const em = server.orm.em.fork();
        const publish = async () => {
          await server.deps.publish.syncRunChanged(await em.findOneOrFail(SyncRun, { id: a.syncRun }, { filters: false }));
          await server.deps.publish.externalCalendarStatusChanged(await em.findOneOrFail(ExternalCalendar, { id: a.connection }, { filters: false }));
          await server.deps.publish.appointmentExportChanged(await em.findOneOrFail(Appointment, { id: a.appointment }, { filters: false }));
        };
        await ours.sync(publish, () => true);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(theirs.received).toEqual([]);
        const ended = await Promise.race([theirs.ended, new Promise((resolve) => setTimeout(() => resolve('open'), 50))]);
        if (ended !== 'open') expect((ended as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
      } finally {
        await theirs.close();
        await ours.close();
      }
    },
  );

  it('leaves every row of A as it was', async () => {
    const after = await snapshot(server, aTenant);
    expect(after).toEqual(before);
    expect(before.resource).toHaveLength(1);
    expect(before.external_event).toHaveLength(2);
    expect(before.appointment).toHaveLength(1);
    expect(before.webhook_endpoint).toHaveLength(1);
    expect(before.webhook_delivery).toHaveLength(1);
  });
});
