import { randomBytes } from 'node:crypto';
import {
  AvailabilityDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  GetResourceDocument,
  ListAppointmentsDocument,
  ListResourcesDocument,
  ProvidersWithReasonDocument,
  SyncStatusChangedDocument,
  GetResourceWithConnectionsDocument,
} from '../graphql/generated';
import { ExternalCalendar, ExternalCalendarStatus } from '../../src/modules/connections/external-calendar.entity';
import { Resource } from '../../src/modules/resources/resource.entity';
import { Feature, GATED_OPERATIONS } from '../../src/modules/tenancy/features';
import { ProviderKind } from '../../src/providers/provider';
import { UsageError } from '../../src/cli/args';
import { parseTenantFeaturesArgs, setTenantFeatures } from '../../src/tenant-features-cli';
import { LiveSubscription } from '../helpers/live';
import { buildGateway, runCli } from '../helpers/processes';
import { committedSchema, operationFor, rootFields, type RootField } from '../helpers/schema-operations';
import { startTestServer, type TestServer } from '../helpers/test-server';

const schema = committedSchema();
const roots = rootFields(schema);
const gatedInSchema = GATED_OPERATIONS.map((gate) => ({ gate, root: roots.find((r) => r.kind === gate.type && r.name === gate.field) })).filter(
  (entry): entry is { gate: (typeof GATED_OPERATIONS)[number]; root: RootField } => entry.root !== undefined,
);
/** Arguments that make a gated call count: `availability` is gated only with syncExternal. */
const gatedValues = (path: string) => (path === 'availability.input.syncExternal' ? true : undefined);

describe('premium gate (Wix Bookings External Calendar v2): the externalCalendars feature', () => {
  let server: TestServer;
  let premiumless: { apiKey: string; tenantId: string };
  let resourceId: string;

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
    premiumless = await server.createTenant('premium-gate-off');
    await setTenantFeatures(server.orm.em.fork(), { tenantId: premiumless.tenantId, enable: [], disable: [Feature.EXTERNAL_CALENDARS] });
    const created = await server.gql(CreateResourceDocument, { input: { name: 'Gate', timeZone: 'Europe/Berlin' } }, premiumless.apiKey);
    resourceId = created.data!.createResource.id;
  });
  afterAll(() => server.close());

  it('is on for a new tenant and in the database default, so existing tenants keep it', async () => {
    const rows: { features: string[] }[] = await server.orm.em.getConnection().execute('select features from tenant where id = ?', [server.tenantId]);
    expect(rows[0]!.features).toContain('externalCalendars');
    const [column]: { column_default: string }[] = await server.orm.em
      .getConnection()
      .execute(`select column_default from information_schema.columns where table_name = 'tenant' and column_name = 'features'`);
    expect(column!.column_default).toContain('externalCalendars');
  });

  it('names only operations that exist in the schema, except the partner-push ones another change adds', () => {
    const missing = GATED_OPERATIONS.filter((gate) => !roots.some((r) => r.kind === gate.type && r.name === gate.field)).map((gate) => gate.field);
    expect(missing.filter((name) => !['bulkUpsertExternalEvents', 'bulkDeactivateExternalEvents', 'connectIcsFeed'].includes(name))).toEqual([]);
    expect(gatedInSchema.length).toBeGreaterThanOrEqual(16);
  });

  it.each(gatedInSchema.filter(({ root }) => root.kind !== 'Subscription').map(({ root }) => [`${root.kind}.${root.name}`, root] as const))(
    '%s is PREMIUM_FEATURE_NOT_ENABLED without the feature, and passes the gate with it',
    async (_name, root) => {
      const { document, variables } = operationFor(
        root,
        (path) => gatedValues(path) ?? (path.endsWith('resourceId') || path.endsWith('resourceIds[]') ? resourceId : undefined),
      );
      const refused = await server.gql(document, variables, premiumless.apiKey);
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['PREMIUM_FEATURE_NOT_ENABLED']);
      expect(refused.errors![0]!.message).toContain('externalCalendars');
      // The tenant with the feature gets past the gate: whatever the answer, it is not the gate's.
      const { document: own, variables: ownVariables } = operationFor(root, gatedValues);
      const allowed = await server.gql(own, ownVariables);
      expect((allowed.errors ?? []).map((e) => e.extensions?.code)).not.toContain('PREMIUM_FEATURE_NOT_ENABLED');
    },
  );

  it.each(gatedInSchema.filter(({ root }) => root.kind === 'Subscription').map(({ root }) => [root.name, root] as const))(
    'subscription %s is refused with PREMIUM_FEATURE_NOT_ENABLED when it starts',
    async (_name, root) => {
      const { document, variables } = operationFor(root);
      const live = new LiveSubscription(server.wsUrl, premiumless.apiKey, document, variables);
      const ended = (await live.ended) as { extensions?: { code?: string } }[];
      expect(ended.map((e) => e.extensions?.code)).toEqual(['PREMIUM_FEATURE_NOT_ENABLED']);
      await live.close();
    },
  );

  it('lets the tenant with the feature subscribe', async () => {
    const live = new LiveSubscription(server.wsUrl, server.apiKey, SyncStatusChangedDocument, {});
    const outcome = await Promise.race([live.ended, new Promise((resolve) => setTimeout(() => resolve('still open'), 500))]);
    expect(outcome).toBe('still open');
    await live.close();
  });

  it('providers says that no provider is available, and why', async () => {
    const { data } = await server.gql(ProvidersWithReasonDocument, undefined, premiumless.apiKey);
    expect(data!.providers.length).toBeGreaterThan(0);
    for (const provider of data!.providers) expect(provider).toMatchObject({ available: false, unavailableReason: 'PREMIUM_FEATURE_NOT_ENABLED' });
    const own = await server.ok(ProvidersWithReasonDocument);
    expect(own.providers.find((p) => p.id === 'CALDAV')).toMatchObject({ available: true, unavailableReason: null });
    expect(own.providers.find((p) => p.id === 'GOOGLE')).toMatchObject({ available: false, unavailableReason: 'NOT_CONFIGURED' });
  });

  it('leaves resources, availability without syncExternal and appointments working', async () => {
    const key = premiumless.apiKey;
    expect((await server.gql(GetResourceDocument, { id: resourceId }, key)).data?.resource?.id).toBe(resourceId);
    expect((await server.gql(ListResourcesDocument, { first: 10 }, key)).data?.resources.edges.map((e) => e.node.id)).toEqual([resourceId]);
    const window = { from: '2030-01-07T00:00:00Z', to: '2030-01-08T00:00:00Z' };
    const availability = await server.gql(AvailabilityDocument, { input: { resourceId, ...window, slotMinutes: 60 } }, key);
    expect(availability.errors).toBeUndefined();
    expect(availability.data!.availability.slots).toHaveLength(24);
    const booked = await server.gql(
      CreateAppointmentDocument,
      { input: { resourceId, startsAt: '2030-01-07T10:00:00Z', endsAt: '2030-01-07T11:00:00Z', title: 'Free tier' } },
      key,
    );
    expect(booked.errors).toBeUndefined();
    const listed = await server.gql(ListAppointmentsDocument, { filter: { ...window, resourceIds: [resourceId] } }, key);
    expect(listed.data!.appointments.edges.map((e) => e.node.id)).toEqual([booked.data!.createAppointment.id]);
    const synced = await server.gql(AvailabilityDocument, { input: { resourceId, ...window, syncExternal: true } }, key);
    expect(synced.errors?.[0]?.extensions?.code).toBe('PREMIUM_FEATURE_NOT_ENABLED');
  });

  it("hides a resource's connections (an empty list) while the feature is off", async () => {
    const em = server.orm.em.fork();
    const resource = await em.findOneOrFail(Resource, { id: resourceId }, { filters: false });
    em.create(ExternalCalendar, { tenant: resource.tenant, resource, provider: ProviderKind.CALDAV, status: ExternalCalendarStatus.CONNECTED });
    await em.flush();
    const connections = async () =>
      (await server.gql(GetResourceWithConnectionsDocument, { id: resourceId }, premiumless.apiKey)).data!.resource!.externalCalendars;
    expect(await connections()).toEqual([]);
    await setTenantFeatures(server.orm.em.fork(), { tenantId: premiumless.tenantId, enable: [Feature.EXTERNAL_CALENDARS], disable: [] });
    expect(await connections()).toHaveLength(1);
    await setTenantFeatures(server.orm.em.fork(), { tenantId: premiumless.tenantId, enable: [], disable: [Feature.EXTERNAL_CALENDARS] });
    expect(await connections()).toEqual([]);
  });

  it('is switched by `tenant features <id> --enable/--disable` and takes effect on the next request', async () => {
    expect(() => parseTenantFeaturesArgs([premiumless.tenantId, '--disable', 'nope'])).toThrow(/externalCalendars/);
    // Printed with the command's usage (error.usage) by src/main.ts.
    expect(() => parseTenantFeaturesArgs(['--disable'])).toThrow(UsageError);
    expect(() => parseTenantFeaturesArgs(['--disable'])).toThrow("Option '--disable <value>' argument missing");
    const args = parseTenantFeaturesArgs([premiumless.tenantId, '--enable', 'externalCalendars']);
    expect(await setTenantFeatures(server.orm.em.fork(), args)).toEqual(['externalCalendars']);
    const { data } = await server.gql(ProvidersWithReasonDocument, undefined, premiumless.apiKey);
    expect(data!.providers.find((p) => p.id === 'CALDAV')).toMatchObject({ available: true });
    expect(await setTenantFeatures(server.orm.em.fork(), parseTenantFeaturesArgs([premiumless.tenantId, '--disable', 'externalCalendars']))).toEqual([]);
    const again = await server.gql(ProvidersWithReasonDocument, undefined, premiumless.apiKey);
    expect(again.data!.providers.every((p) => !p.available)).toBe(true);
  });

  describe('the CLI', () => {
    const cli = runCli;
    beforeAll(() => buildGateway(), 120_000);

    it('switches the gate: tenant features <tenantId> --enable | --disable externalCalendars, printing the features', async () => {
      const { tenantId, apiKey } = await server.createTenant(`premium-cli-${randomBytes(3).toString('hex')}`);
      expect(JSON.parse(await cli('tenant', 'features', tenantId))).toEqual(['externalCalendars']);
      expect(JSON.parse(await cli('tenant', 'features', tenantId, '--disable', 'externalCalendars'))).toEqual([]);
      const refused = await server.gql(ProvidersWithReasonDocument, undefined, apiKey);
      expect(refused.data!.providers.every((p) => p.unavailableReason === 'PREMIUM_FEATURE_NOT_ENABLED')).toBe(true);
      expect(JSON.parse(await cli('tenant', 'features', tenantId, '--enable', 'externalCalendars'))).toEqual(['externalCalendars']);
      const allowed = await server.gql(ProvidersWithReasonDocument, undefined, apiKey);
      expect(allowed.data!.providers.find((p) => p.id === 'CALDAV')).toMatchObject({ available: true });
    }, 60_000);

    it('refuses an unknown feature or tenant with a message and a failing exit code', async () => {
      await expect(cli('tenant', 'features', premiumless.tenantId, '--disable', 'everything')).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('externalCalendars'),
      });
      await expect(cli('tenant', 'features', `nobody-${randomBytes(3).toString('hex')}`)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('No tenant'),
      });
    }, 60_000);
  });
});
