import { randomBytes, randomUUID } from 'node:crypto';
import type { CloseEvent } from 'ws';
import { RESOURCE_FILTER, TENANT_FILTER } from '../../src/db/orm';
import { SyncConfig } from '../../src/modules/connections/sync-config.entity';
import { ExternalEvent } from '../../src/modules/events/external-event.entity';
import { SyncRun, SyncRunKind } from '../../src/modules/sync/sync-run.entity';
import {
  AvailabilityDocument,
  CreateApiKeyDocument,
  CreateAppointmentDocument,
  CreateResourceDocument,
  FreeBusyDocument,
  GetAppointmentDocument,
  GetExternalCalendarDocument,
  DeleteResourceDocument,
  GetResourceDocument,
  ListApiKeysDocument,
  ListAppointmentsDocument,
  ListEventsDocument,
  ListProviderCalendarsDocument,
  ListResourcesDocument,
  RevokeApiKeyDocument,
  RotateApiKeyDocument,
  SyncStatusChangedDocument,
  UpdateResourceDocument,
  UpdateSyncConfigDocument,
  ViewerDocument,
  type SyncStatusChangedSubscription,
} from '../graphql/generated';
import { makeEvent } from '../helpers/builders';
import { LiveSubscription } from '../helpers/live';
import { buildGateway, runCli } from '../helpers/processes';
import { storeEvents } from '../helpers/store-events';
import { startTestServer, type GraphQLResult, type TestServer } from '../helpers/test-server';

const WINDOW = { from: '2030-03-04T00:00:00Z', to: '2030-03-05T00:00:00Z' };
const code = (result: GraphQLResult<unknown>) => result.errors?.[0]?.extensions?.code;

type RunEvent = SyncStatusChangedSubscription['syncStatusChanged'];

describe('API keys with scopes', () => {
  let server: TestServer;
  let resourceA: string;
  let resourceB: string;
  let connectionA: string;
  let connectionB: string;
  let appointmentA: string;
  let appointmentB: string;
  /** A read-write key limited to resource A. */
  let staffKey: string;
  /** A read-only key of the whole tenant. */
  let readOnlyKey: string;

  const newKey = async (input: { name: string; resourceId?: string; readOnly?: boolean }) => (await server.ok(CreateApiKeyDocument, { input })).createApiKey;

  beforeAll(async () => {
    server = await startTestServer({ worker: false });
    const create = async (name: string) => (await server.ok(CreateResourceDocument, { input: { name, timeZone: 'UTC' } })).createResource.id;
    resourceA = await create('Dr. A');
    resourceB = await create('Dr. B');
    await storeEvents(server, resourceA, [makeEvent('a-1', '2030-03-04T09:00:00Z', '2030-03-04T10:00:00Z')]);
    await storeEvents(server, resourceB, [makeEvent('b-1', '2030-03-04T11:00:00Z', '2030-03-04T12:00:00Z')]);
    const connectionOf = async (id: string) => (await server.ok(GetResourceDocument, { id })).resource!.externalCalendars[0].id;
    connectionA = await connectionOf(resourceA);
    connectionB = await connectionOf(resourceB);
    const book = async (resourceId: string, at: string) =>
      (
        await server.ok(CreateAppointmentDocument, {
          input: { resourceId, startsAt: `2030-03-04T${at}:00Z`, endsAt: `2030-03-04T${at.slice(0, 2)}:30:00Z`, title: 'Visit' },
        })
      ).createAppointment.id;
    appointmentA = await book(resourceA, '14:00');
    appointmentB = await book(resourceB, '15:00');
    staffKey = (await newKey({ name: 'staff A', resourceId: resourceA })).secret;
    readOnlyKey = (await newKey({ name: 'dashboard', readOnly: true })).secret;
  });
  afterAll(() => server.close());

  it('tells each key what it reaches (viewer): scope, resource, read-only, its own id and tenant', async () => {
    const keys = (await server.ok(ListApiKeysDocument)).apiKeys;
    const idOf = (name: string) => keys.find((key) => key.name === name)!.id;
    const asKey = async (key?: string) => (await server.gql(ViewerDocument, undefined, key)).data?.viewer;
    const admin = await asKey();
    expect(admin).toMatchObject({ tenantId: server.tenantId, scope: 'TENANT', resourceId: null, readOnly: false });
    expect(admin?.apiKeyId).toBeTruthy();
    expect(await asKey(staffKey)).toEqual({ ...admin, apiKeyId: idOf('staff A'), scope: 'RESOURCE', resourceId: resourceA });
    expect(await asKey(readOnlyKey)).toEqual({ ...admin, apiKeyId: idOf('dashboard'), readOnly: true });
  });

  describe('a resource key', () => {
    it('reads its own resource, and no other: another resource looks like another tenant’s', async () => {
      expect((await server.gql(GetResourceDocument, { id: resourceA }, staffKey)).data?.resource?.id).toBe(resourceA);
      const other = await server.gql(GetResourceDocument, { id: resourceB }, staffKey);
      expect(other.errors).toBeUndefined();
      expect(other.data?.resource).toBeNull();
      const list = await server.gql(ListResourcesDocument, { first: 100 }, staffKey);
      expect(list.data?.resources.edges.map((edge) => edge.node.id)).toEqual([resourceA]);
      expect((await server.gql(ListResourcesDocument, { first: 100 })).data?.resources.edges.map((edge) => edge.node.id).sort()).toEqual(
        [resourceA, resourceB].sort(),
      );
    });

    it('sees only its resource’s connections, calendars and events', async () => {
      const events = await server.gql(ListEventsDocument, { filter: WINDOW, first: 100 }, staffKey);
      expect(events.data?.externalEvents.edges.map((edge) => edge.node.externalId)).toEqual(['a-1']);
      const named = await server.gql(ListEventsDocument, { filter: { ...WINDOW, resourceIds: [resourceB] }, first: 100 }, staffKey);
      expect(named.data?.externalEvents.edges).toEqual([]);
      const byConnection = await server.gql(ListEventsDocument, { filter: { ...WINDOW, externalCalendarIds: [connectionB] }, first: 100 }, staffKey);
      expect(byConnection.data?.externalEvents.edges).toEqual([]);
      // The tenant key sees both.
      expect((await server.ok(ListEventsDocument, { filter: WINDOW, first: 100 })).externalEvents.edges.map((edge) => edge.node.externalId)).toEqual([
        'a-1',
        'b-1',
      ]);

      const own = await server.gql(GetExternalCalendarDocument, { id: connectionA }, staffKey);
      expect(own.data?.externalCalendar?.syncConfig).toMatchObject({ importEnabled: true });
      expect(own.data?.externalCalendar?.providerCalendars).toHaveLength(1);
      expect((await server.gql(GetExternalCalendarDocument, { id: connectionB }, staffKey)).data?.externalCalendar).toBeNull();
      expect((await server.gql(ListProviderCalendarsDocument, { externalCalendarId: connectionB }, staffKey)).data?.providerCalendars ?? []).toEqual([]);
      expect(code(await server.gql(UpdateSyncConfigDocument, { externalCalendarId: connectionB, input: { tentativeIsBusy: false } }, staffKey))).toBe(
        'NOT_FOUND',
      );
      expect(
        (await server.gql(UpdateSyncConfigDocument, { externalCalendarId: connectionA, input: { tentativeIsBusy: false } }, staffKey)).errors,
      ).toBeUndefined();
    });

    it('asks availability and free/busy of its resource only (NOT_FOUND for another)', async () => {
      const own = await server.gql(AvailabilityDocument, { input: { resourceId: resourceA, ...WINDOW } }, staffKey);
      expect(own.data?.availability.busy).toEqual([
        { start: '2030-03-04T09:00:00.000Z', end: '2030-03-04T10:00:00.000Z' },
        { start: '2030-03-04T14:00:00.000Z', end: '2030-03-04T14:30:00.000Z' },
      ]);
      expect(code(await server.gql(AvailabilityDocument, { input: { resourceId: resourceB, ...WINDOW } }, staffKey))).toBe('NOT_FOUND');
      const mixed = await server.gql(FreeBusyDocument, { resourceIds: [resourceA, resourceB], ...WINDOW }, staffKey);
      expect(code(mixed)).toBe('NOT_FOUND');
      expect(mixed.errors?.[0]?.message).toContain(resourceB);
      const freeBusy = await server.gql(FreeBusyDocument, { resourceIds: [resourceA], ...WINDOW }, staffKey);
      expect(freeBusy.data?.freeBusy.map((row) => row.resourceId)).toEqual([resourceA]);
    });

    it('lists and books appointments of its resource only', async () => {
      const list = await server.gql(ListAppointmentsDocument, { filter: { ...WINDOW }, first: 100 }, staffKey);
      expect(list.data?.appointments.edges.map((edge) => edge.node.id)).toEqual([appointmentA]);
      const named = await server.gql(ListAppointmentsDocument, { filter: { ...WINDOW, resourceIds: [resourceB] }, first: 100 }, staffKey);
      expect(named.errors ? code(named) : named.data?.appointments.edges).toEqual(named.errors ? 'NOT_FOUND' : []);
      expect((await server.gql(GetAppointmentDocument, { id: appointmentB }, staffKey)).data?.appointment).toBeNull();
      expect((await server.gql(GetAppointmentDocument, { id: appointmentA }, staffKey)).data?.appointment?.id).toBe(appointmentA);

      const elsewhere = await server.gql(
        CreateAppointmentDocument,
        { input: { resourceId: resourceB, startsAt: '2030-03-04T16:00:00Z', endsAt: '2030-03-04T16:30:00Z', title: 'Sneaky' } },
        staffKey,
      );
      expect(code(elsewhere)).toBe('NOT_FOUND');
      const own = await server.gql(
        CreateAppointmentDocument,
        { input: { resourceId: resourceA, startsAt: '2030-03-04T16:00:00Z', endsAt: '2030-03-04T16:30:00Z', title: 'Own' } },
        staffKey,
      );
      expect(own.errors).toBeUndefined();
      expect(own.data?.createAppointment.resource.id).toBe(resourceA);
      expect(code(await server.gql(UpdateResourceDocument, { id: resourceB, input: { name: 'Renamed' } }, staffKey))).toBe('NOT_FOUND');
    });

    it('may not create or delete resources, nor manage keys (FORBIDDEN)', async () => {
      expect(code(await server.gql(DeleteResourceDocument, { id: resourceA }, staffKey))).toBe('FORBIDDEN');
      expect((await server.ok(GetResourceDocument, { id: resourceA })).resource?.id).toBe(resourceA);
      const created = await server.gql(CreateResourceDocument, { input: { name: 'Mine now', timeZone: 'UTC' } }, staffKey);
      expect(code(created)).toBe('FORBIDDEN');
      expect(created.data ?? null).toBeNull();
      expect(code(await server.gql(ListApiKeysDocument, {}, staffKey))).toBe('FORBIDDEN');
      expect(code(await server.gql(CreateApiKeyDocument, { input: { name: 'escalate' } }, staffKey))).toBe('FORBIDDEN');
      const names = (await server.ok(ListResourcesDocument, { first: 100 })).resources.edges.map((edge) => edge.node.name);
      expect(names).not.toContain('Mine now');
    });
  });

  describe('the resource filter', () => {
    it('narrows updates and deletes too, through a relation where the entity has no resource of its own', async () => {
      const em = server.orm.em.fork();
      em.setFilterParams(TENANT_FILTER, { tenantId: server.tenantId });
      em.setFilterParams(RESOURCE_FILTER, { resourceId: resourceA });
      expect(await em.nativeUpdate(SyncConfig, { externalCalendar: connectionB }, { syncWindowDaysBack: 3 })).toBe(0);
      expect(await em.nativeDelete(SyncConfig, { externalCalendar: connectionB })).toBe(0);
      expect(await em.nativeDelete(ExternalEvent, { externalCalendar: connectionB })).toBe(0);
      expect(await em.count(SyncConfig, {})).toBe(1);
      expect(await em.nativeUpdate(SyncConfig, { externalCalendar: connectionA }, { syncWindowDaysBack: 30 })).toBe(1);

      const system = server.orm.em.fork();
      system.setFilterParams(TENANT_FILTER, { tenantId: server.tenantId });
      expect(await system.count(SyncConfig, { externalCalendar: { $in: [connectionA, connectionB] } })).toBe(2);
      expect(await system.count(ExternalEvent, { externalCalendar: connectionB })).toBe(1);
    });
  });

  describe('a read-only key', () => {
    it('runs queries across the tenant', async () => {
      const list = await server.gql(ListResourcesDocument, { first: 100 }, readOnlyKey);
      expect(list.data?.resources.edges).toHaveLength(2);
      expect((await server.gql(AvailabilityDocument, { input: { resourceId: resourceB, ...WINDOW } }, readOnlyKey)).errors).toBeUndefined();
    });

    it('is refused every mutation with FORBIDDEN, before anything changes', async () => {
      const attempts = [
        await server.gql(CreateResourceDocument, { input: { name: 'Nope', timeZone: 'UTC' } }, readOnlyKey),
        await server.gql(UpdateResourceDocument, { id: resourceA, input: { name: 'Nope' } }, readOnlyKey),
        await server.gql(
          CreateAppointmentDocument,
          { input: { resourceId: resourceA, startsAt: '2030-03-04T18:00:00Z', endsAt: '2030-03-04T18:30:00Z', title: 'Nope' } },
          readOnlyKey,
        ),
        await server.gql(CreateApiKeyDocument, { input: { name: 'Nope' } }, readOnlyKey),
      ];
      for (const attempt of attempts) {
        expect(code(attempt)).toBe('FORBIDDEN');
        expect(attempt.errors?.[0]?.message).toMatch(/read-only/);
      }
      expect((await server.ok(GetResourceDocument, { id: resourceA })).resource?.name).toBe('Dr. A');
      expect(code(await server.gql(ListApiKeysDocument, {}, readOnlyKey))).toBe('FORBIDDEN');
    });
  });

  describe('key management', () => {
    it('creates, lists, rotates and revokes keys; secrets are shown once and never stored', async () => {
      const created = await newKey({ name: 'front desk', resourceId: resourceB, readOnly: true });
      expect(created.secret).toMatch(/^csk_[0-9A-Za-z]{40}$/);
      expect(created.apiKey).toMatchObject({
        name: 'front desk',
        prefix: created.secret.slice(0, 8),
        scope: 'RESOURCE',
        resourceId: resourceB,
        readOnly: true,
        lastUsedAt: null,
        revokedAt: null,
      });

      // It works, and its use is noted.
      expect((await server.gql(ListResourcesDocument, { first: 100 }, created.secret)).data?.resources.edges.map((edge) => edge.node.id)).toEqual([resourceB]);
      const listed = (await server.ok(ListApiKeysDocument)).apiKeys;
      const entry = listed.find((key) => key.id === created.apiKey.id)!;
      expect(entry.lastUsedAt).not.toBeNull();
      expect(listed.find((key) => key.name === 'default')).toMatchObject({ scope: 'TENANT', resourceId: null, readOnly: false });
      expect(JSON.stringify(listed)).not.toContain(created.secret);
      const rows: { hash: string }[] = await server.orm.em.getConnection().execute('select hash from api_key where id = ?', [created.apiKey.id]);
      expect(rows[0].hash).not.toContain(created.secret.slice(8));

      // Rotation: a new secret, the old one stops at once.
      const rotated = (await server.ok(RotateApiKeyDocument, { id: created.apiKey.id })).rotateApiKey;
      expect(rotated.secret).not.toBe(created.secret);
      expect(rotated.apiKey).toMatchObject({ id: created.apiKey.id, prefix: rotated.secret.slice(0, 8), scope: 'RESOURCE', readOnly: true });
      expect((await server.gql(ListResourcesDocument, { first: 100 }, created.secret)).status).toBe(401);
      expect((await server.gql(ListResourcesDocument, { first: 100 }, rotated.secret)).errors).toBeUndefined();

      // Revocation: at once; idempotent; a revoked key is not rotated.
      const revoked = (await server.ok(RevokeApiKeyDocument, { id: created.apiKey.id })).revokeApiKey;
      expect(revoked.revokedAt).not.toBeNull();
      const refused = await server.gql(ListResourcesDocument, { first: 100 }, rotated.secret);
      expect(refused.status).toBe(401);
      expect(code(refused)).toBe('UNAUTHENTICATED');
      expect((await server.ok(RevokeApiKeyDocument, { id: created.apiKey.id })).revokeApiKey.revokedAt).toBe(revoked.revokedAt);
      expect(code(await server.gql(RotateApiKeyDocument, { id: created.apiKey.id }))).toBe('FAILED_PRECONDITION');
      expect((await server.ok(ListApiKeysDocument)).apiKeys.find((key) => key.id === created.apiKey.id)?.revokedAt).toBe(revoked.revokedAt);
    });

    it('keeps tenants apart: another tenant’s keys and resources are NOT_FOUND', async () => {
      const other = await server.createTenant(`other-${randomBytes(3).toString('hex')}`);
      const theirResource = (await server.gql(CreateResourceDocument, { input: { name: 'Theirs', timeZone: 'UTC' } }, other.apiKey)).data!.createResource.id;
      const theirKey = (await server.gql(CreateApiKeyDocument, { input: { name: 'theirs' } }, other.apiKey)).data!.createApiKey;
      expect(code(await server.gql(CreateApiKeyDocument, { input: { name: 'x', resourceId: theirResource } }))).toBe('NOT_FOUND');
      expect(code(await server.gql(RevokeApiKeyDocument, { id: theirKey.apiKey.id }))).toBe('NOT_FOUND');
      expect(code(await server.gql(RotateApiKeyDocument, { id: theirKey.apiKey.id }))).toBe('NOT_FOUND');
      expect(code(await server.gql(RevokeApiKeyDocument, { id: randomUUID() }))).toBe('NOT_FOUND');
      expect((await server.ok(ListApiKeysDocument)).apiKeys.map((key) => key.id)).not.toContain(theirKey.apiKey.id);
      expect((await server.gql(ListResourcesDocument, { first: 100 }, theirKey.secret)).errors).toBeUndefined();
      expect(code(await server.gql(CreateApiKeyDocument, { input: { name: '  ' } }))).toBe('BAD_USER_INPUT');
    });
  });

  describe('subscriptions', () => {
    const runOf = (resourceId: string) =>
      server.orm.em.fork().create(
        SyncRun,
        {
          id: randomUUID(),
          tenant: server.tenantId,
          resource: resourceId,
          kind: SyncRunKind.INCREMENTAL,
          windowFrom: new Date(WINDOW.from),
          windowTo: new Date(WINDOW.to),
        },
        { persist: false },
      );

    it('of a resource key see only its resource’s events, and end within seconds of a revocation (4401)', async () => {
      const key = await newKey({ name: 'live staff', resourceId: resourceA, readOnly: true });
      const live = new LiveSubscription<{ syncStatusChanged: RunEvent }>(server.wsUrl, key.secret, SyncStatusChangedDocument);
      try {
        const markers = new Set<string>();
        const marker = () => {
          const run = runOf(resourceA);
          markers.add(run.id);
          return run;
        };
        await live.sync(
          () => server.deps.publish.syncRunChanged(marker()),
          (data) => markers.has(data.syncStatusChanged.syncRunId),
        );
        const runB = runOf(resourceB);
        const runA = runOf(resourceA);
        await server.deps.publish.syncRunChanged(runB);
        await server.deps.publish.syncRunChanged(runA);
        await live.waitFor((data) => data.syncStatusChanged.syncRunId === runA.id);
        const last = marker();
        await server.deps.publish.syncRunChanged(last);
        await live.waitFor((data) => data.syncStatusChanged.syncRunId === last.id);
        expect(live.received.map((data) => data.syncStatusChanged.syncRunId).filter((id) => !markers.has(id))).toEqual([runA.id]);

        const revokedAt = Date.now();
        await server.ok(RevokeApiKeyDocument, { id: key.apiKey.id });
        const ended = (await Promise.race([live.ended, new Promise((resolve) => setTimeout(() => resolve('still open'), 8_000))])) as CloseEvent | string;
        expect(typeof ended === 'string' ? ended : ended.code).toBe(4401);
        expect(Date.now() - revokedAt).toBeLessThan(8_000);
      } finally {
        await live.close();
      }
    });

    it('with a rotated key are closed too, while the tenant’s other connections stay open', async () => {
      const key = await newKey({ name: 'rotating' });
      const rotating = new LiveSubscription<{ syncStatusChanged: RunEvent }>(server.wsUrl, key.secret, SyncStatusChangedDocument);
      const staying = new LiveSubscription<{ syncStatusChanged: RunEvent }>(server.wsUrl, server.apiKey, SyncStatusChangedDocument);
      try {
        for (const live of [rotating, staying]) {
          const ids = new Set<string>();
          await live.sync(
            async () => {
              const run = runOf(resourceB);
              ids.add(run.id);
              await server.deps.publish.syncRunChanged(run);
            },
            (data) => ids.has(data.syncStatusChanged.syncRunId),
          );
        }
        await server.ok(RotateApiKeyDocument, { id: key.apiKey.id });
        const ended = (await Promise.race([rotating.ended, new Promise((resolve) => setTimeout(() => resolve('still open'), 8_000))])) as CloseEvent | string;
        expect(typeof ended === 'string' ? ended : ended.code).toBe(4401);
        const after = runOf(resourceB);
        await server.deps.publish.syncRunChanged(after);
        await staying.waitFor((data) => data.syncStatusChanged.syncRunId === after.id);
      } finally {
        await rotating.close();
        await staying.close();
      }
    });
  });

  describe('the CLI', () => {
    const cli = runCli;
    beforeAll(() => buildGateway(), 120_000);

    it('creates, lists and revokes keys: key create|list|revoke', async () => {
      const secret = (await cli('key', 'create', server.tenantId, '--resource', resourceA, '--read-only')).trim();
      expect(secret).toMatch(/^csk_[0-9A-Za-z]{40}$/);
      const list = await server.gql(ListResourcesDocument, { first: 100 }, secret);
      expect(list.data?.resources.edges.map((edge) => edge.node.id)).toEqual([resourceA]);
      expect(code(await server.gql(UpdateResourceDocument, { id: resourceA, input: { name: 'x' } }, secret))).toBe('FORBIDDEN');

      const lines = (await cli('key', 'list', server.tenantId))
        .trim()
        .split('\n')
        .map((line) => line.split('\t'));
      const row = lines.find((columns) => columns[1] === secret.slice(0, 8))!;
      expect(row).toEqual([expect.any(String), secret.slice(0, 8), 'RESOURCE', resourceA, 'read-only', 'cli', expect.any(String), 'active']);
      expect(lines.join('\n')).not.toContain(secret);

      expect((await cli('key', 'revoke', row[0])).trim()).toBe(row[0]);
      expect((await server.gql(ListResourcesDocument, { first: 100 }, secret)).status).toBe(401);
      const after = (await cli('key', 'list', server.tenantId))
        .trim()
        .split('\n')
        .map((line) => line.split('\t'));
      expect(after.find((columns) => columns[0] === row[0])?.[7]).toMatch(/^revoked /);
    }, 60_000);

    it('refuses an unknown tenant or resource with a message and a failing exit code', async () => {
      await expect(cli('key', 'create', `nobody-${randomBytes(3).toString('hex')}`)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('not found'),
      });
      await expect(cli('key', 'create', server.tenantId, '--resource', randomUUID())).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('not found'),
      });
    }, 60_000);
  });
});
