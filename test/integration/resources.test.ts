import {
  CreateResourceDocument,
  DeleteResourceDocument,
  GetResourceDocument,
  ListResourcesDocument,
  UpdateResourceDocument,
  type CreateResourceInput,
  type ListResourcesQuery,
} from '../graphql/generated';
import { startTestServer, type GraphQLResult, type TestServer } from '../helpers/test-server';

const berlin: CreateResourceInput = {
  name: 'Dr. Ada',
  timeZone: 'Europe/Berlin',
  workingHours: [
    { weekday: 'TUESDAY', start: '13:00', end: '17:00' },
    { weekday: 'MONDAY', start: '09:00', end: '12:00' },
    { weekday: 'TUESDAY', start: '09:00', end: '12:00' },
  ],
  bufferAfterMinutes: 15,
};

describe('resources', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('creates, reads, updates and deletes a resource', async () => {
    const { createResource } = await server.ok(CreateResourceDocument, { input: berlin });
    expect(createResource).toMatchObject({ name: 'Dr. Ada', kind: 'STAFF', timeZone: 'Europe/Berlin', bufferBeforeMinutes: 0, bufferAfterMinutes: 15 });
    // Sorted by weekday, then start.
    expect(createResource.workingHours).toEqual([
      { weekday: 'MONDAY', start: '09:00', end: '12:00' },
      { weekday: 'TUESDAY', start: '09:00', end: '12:00' },
      { weekday: 'TUESDAY', start: '13:00', end: '17:00' },
    ]);

    const { updateResource } = await server.ok(UpdateResourceDocument, {
      id: createResource.id,
      input: { name: 'Dr. Ada L.', kind: 'ROOM', workingHours: [] },
    });
    expect(updateResource).toMatchObject({ name: 'Dr. Ada L.', kind: 'ROOM', workingHours: [], timeZone: 'Europe/Berlin', bufferAfterMinutes: 15 });

    const { resource } = await server.ok(GetResourceDocument, { id: createResource.id });
    expect(resource).toMatchObject({ name: 'Dr. Ada L.', externalCalendars: [] });

    expect(await server.ok(DeleteResourceDocument, { id: createResource.id })).toEqual({ deleteResource: true });
    expect((await server.ok(GetResourceDocument, { id: createResource.id })).resource).toBeNull();
  });

  it.each([
    ['input.timeZone', { ...berlin, timeZone: 'Mars/Olympus' }],
    ['input.name', { ...berlin, name: '   ' }],
    ['input.workingHours[0]', { ...berlin, workingHours: [{ weekday: 'MONDAY' as const, start: '12:00', end: '09:00' }] }],
    [
      'input.workingHours[1]',
      {
        ...berlin,
        workingHours: [
          { weekday: 'MONDAY' as const, start: '09:00', end: '12:00' },
          { weekday: 'MONDAY' as const, start: '11:00', end: '13:00' },
        ],
      },
    ],
    ['input.bufferBeforeMinutes', { ...berlin, bufferBeforeMinutes: -5 }],
  ])('rejects a bad %s with BAD_USER_INPUT and stores nothing', async (field, input) => {
    const before = await server.ok(ListResourcesDocument, { first: 100 });
    const result = await server.gql(CreateResourceDocument, { input });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0]?.message).toBeTruthy();
    expect((await server.ok(ListResourcesDocument, { first: 100 })).resources.edges).toHaveLength(before.resources.edges.length);
  });

  it('rejects a malformed LocalTime before any resolver runs', async () => {
    const result = await server.gql(CreateResourceDocument, { input: { ...berlin, workingHours: [{ weekday: 'MONDAY', start: '9am', end: '12:00' }] } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/LocalTime/);
  });

  it('pages through resources with Relay cursors', async () => {
    const tenant = (await server.createTenant('paging')).apiKey;
    const names = Array.from({ length: 25 }, (_, i) => `room ${String(i).padStart(2, '0')}`);
    for (const name of names) {
      const result = await server.gql(CreateResourceDocument, { input: { name, timeZone: 'UTC' } }, tenant);
      expect(result.errors).toBeUndefined();
    }
    const seen: string[] = [];
    let after: string | null | undefined = null;
    for (let page = 0; page < 3; page++) {
      const result: GraphQLResult<ListResourcesQuery> = await server.gql(ListResourcesDocument, { first: 10, after }, tenant);
      const connection = result.data!.resources;
      seen.push(...connection.edges.map((edge) => edge.node.name));
      expect(connection.pageInfo.hasNextPage).toBe(page < 2);
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);

    const tooMany = await server.gql(ListResourcesDocument, { first: 101 }, tenant);
    expect(tooMany.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await server.gql(ListResourcesDocument, { first: 10, after: 'garbage' }, tenant);
    expect(badCursor.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it("never shows or changes another tenant's resource", async () => {
    const { createResource } = await server.ok(CreateResourceDocument, { input: berlin });
    const other = (await server.createTenant('intruder')).apiKey;
    expect((await server.gql(GetResourceDocument, { id: createResource.id }, other)).data?.resource).toBeNull();
    const update = await server.gql(UpdateResourceDocument, { id: createResource.id, input: { name: 'pwned' } }, other);
    expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const remove = await server.gql(DeleteResourceDocument, { id: createResource.id }, other);
    expect(remove.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await server.gql(ListResourcesDocument, { first: 100 }, other)).data?.resources.edges).toEqual([]);
    expect((await server.ok(GetResourceDocument, { id: createResource.id })).resource?.name).toBe('Dr. Ada');
  });

  it('answers NOT_FOUND for unknown and malformed ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const result = await server.gql(UpdateResourceDocument, { id, input: { name: 'x' } });
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
    }
  });
});
