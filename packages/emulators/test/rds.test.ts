import {
  AddTagsToResourceCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ListTagsForResourceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { RdsEmulator } from '../src/rds';

// The real SDK against the emulator: if the XML or the form encoding were wrong, these calls would fail to parse.
describe('RdsEmulator driven by @aws-sdk/client-rds', () => {
  let rds: RdsEmulator;
  let client: RDSClient;
  beforeEach(async () => {
    rds = new RdsEmulator({ scale: 1000, snapshotDurationMs: 300_000 });
    await rds.listen();
    client = new RDSClient({
      region: 'us-east-1',
      endpoint: rds.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' },
    });
  });
  afterEach(async () => {
    client.destroy();
    await rds.close();
  });

  it('creates a tagged snapshot that goes from creating to available with progress', async () => {
    rds.addInstance('app-db');
    const created = await client.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'app-db',
        DBSnapshotIdentifier: 'Snap-One',
        Tags: [{ Key: 'managed-by', Value: 'deploy-actions' }],
      }),
    );
    expect(created.DBSnapshot).toMatchObject({
      DBSnapshotIdentifier: 'snap-one',
      Status: 'creating',
      SnapshotType: 'manual',
      DBSnapshotArn: 'arn:aws:rds:us-east-1:123456789012:snapshot:snap-one',
      TagList: [{ Key: 'managed-by', Value: 'deploy-actions' }],
    });
    expect(created.DBSnapshot?.SnapshotCreateTime).toBeUndefined();
    const busy = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'app-db' }));
    expect(busy.DBInstances?.[0].DBInstanceStatus).toBe('backing-up');
    await new Promise((r) => setTimeout(r, 50));
    const mid = await client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'SNAP-ONE' }));
    expect(mid.DBSnapshots?.[0].PercentProgress).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    const done = await client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'snap-one' }));
    expect(done.DBSnapshots?.[0]).toMatchObject({ Status: 'available', PercentProgress: 100 });
    expect(done.DBSnapshots?.[0].SnapshotCreateTime).toBeInstanceOf(Date);
  });

  it('answers with the real error codes, which the SDK maps to its Fault classes', async () => {
    rds.addInstance('app-db');
    rds.addCluster('aurora', { members: ['aurora-1'] });
    const create = (instance: string, id: string) =>
      client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: instance, DBSnapshotIdentifier: id }));
    await expect(create('missing', 's1')).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    await expect(create('aurora-1', 's1')).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('CreateDBClusterSnapshot'),
    });
    await create('app-db', 's1');
    rds.setBusy('app-db', 'modifying', 60_000);
    await expect(create('app-db', 's2')).rejects.toMatchObject({ name: 'InvalidDBInstanceStateFault' });
    await expect(create('app-db', 'bad--id')).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 's1' }))).rejects.toMatchObject({
      name: 'InvalidDBSnapshotStateFault',
    });
    await expect(client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'nope' }))).rejects.toMatchObject({
      name: 'DBSnapshotNotFoundFault',
    });
    await expect(client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nope' }))).rejects.toMatchObject({
      name: 'DBClusterNotFoundFault',
    });
  });

  it('enforces the manual snapshot quota and pages with Filters, MaxRecords and Marker', async () => {
    rds.quota = 45;
    rds.addInstance('app-db');
    for (let n = 0; n < 45; n++) rds.seedSnapshot({ id: `old-${n}`, source: 'app-db' });
    rds.seedSnapshot({ id: 'rds:auto-1', source: 'app-db', type: 'automated' });
    await expect(
      client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'app-db', DBSnapshotIdentifier: 'one-more' })),
    ).rejects.toMatchObject({
      name: 'SnapshotQuotaExceededFault',
      message: 'Cannot create more than 45 manual snapshots',
    });
    const ids: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new DescribeDBSnapshotsCommand({
          Filters: [
            { Name: 'db-instance-id', Values: ['APP-DB'] },
            { Name: 'snapshot-type', Values: ['manual'] },
          ],
          MaxRecords: 20,
          Marker,
        }),
      );
      ids.push(...(page.DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier!));
      Marker = page.Marker;
      pages++;
    } while (Marker);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(45);
    expect(ids).not.toContain('rds:auto-1');
  });

  it('snapshots clusters, tags resources and retries throttling', async () => {
    rds.addCluster('aurora', { members: ['aurora-1', 'aurora-2'] });
    const clusters = await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'aurora' }));
    expect(clusters.DBClusters?.[0].DBClusterMembers?.map((m) => m.DBInstanceIdentifier)).toEqual([
      'aurora-1',
      'aurora-2',
    ]);
    rds.throttle(2);
    const out = await client.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'aurora', DBClusterSnapshotIdentifier: 'c1' }),
    );
    expect(rds.server.requests.filter((r) => r.status === 400)).toHaveLength(2);
    const arn = out.DBClusterSnapshot!.DBClusterSnapshotArn!;
    await client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: 'db', Value: 'aurora' }] }));
    const tags = await client.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    expect(tags.TagList).toEqual([{ Key: 'db', Value: 'aurora' }]);
    expect(rds.calls('CreateDBClusterSnapshot')).toBe(1);
  });

  it('reports the manual snapshot quotas, used and max, in DescribeAccountAttributes', async () => {
    rds.quota = 7;
    rds.addInstance('app-db');
    rds.seedSnapshot({ id: 'one', source: 'app-db' });
    rds.seedSnapshot({ id: 'auto', source: 'app-db', type: 'automated' });
    const out = await client.send(new DescribeAccountAttributesCommand({}));
    const quotas = Object.fromEntries((out.AccountQuotas ?? []).map((q) => [q.AccountQuotaName, [q.Used, q.Max]]));
    expect(quotas.ManualSnapshots).toEqual([1, 7]);
    expect(quotas.ManualClusterSnapshots).toEqual([0, 7]);
  });

  it('loses the answer of a call that took effect: reset, or a 500 after committing', async () => {
    rds.addInstance('app-db');
    rds.addInstance('other-db');
    const once = new RDSClient({
      region: 'us-east-1',
      endpoint: rds.url,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' },
    });
    rds.loseAnswer('CreateDBSnapshot');
    await expect(
      once.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'app-db', DBSnapshotIdentifier: 's1' })),
    ).rejects.toThrow();
    expect(rds.snapshot('s1')).toBeDefined();
    rds.loseAnswer('CreateDBSnapshot', 'server-error');
    await expect(
      once.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'other-db', DBSnapshotIdentifier: 's2' })),
    ).rejects.toMatchObject({ name: 'InternalFailure' });
    expect(rds.snapshot('s2')).toBeDefined();
    once.destroy();
  });
});

// The emulator's law is the SDK's own model: raw Query requests that the model does not allow are refused.
describe('RdsEmulator checks requests against the RDS model', () => {
  let rds: RdsEmulator;
  beforeAll(async () => {
    rds = new RdsEmulator();
    await rds.listen();
    rds.addInstance('app-db');
  });
  afterAll(() => rds.close());

  const send = async (params: Record<string, string>) => {
    const res = await fetch(rds.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Version: '2014-10-31', ...params }).toString(),
    });
    return { status: res.status, body: await res.text() };
  };

  it.each([
    [
      'an unknown parameter',
      { Action: 'CreateDBSnapshot', DBInstanceIdentifier: 'app-db', DBSnapshotIdentifier: 'x1', Encrypted: 'true' },
      /<Code>UnknownParameter<\/Code><Message>The parameter Encrypted is not recognized/,
    ],
    [
      'a tag spelt without the list member',
      { Action: 'CreateDBSnapshot', DBInstanceIdentifier: 'app-db', DBSnapshotIdentifier: 'x2', 'Tags.1.Key': 'a' },
      /UnknownParameter.*Tags\.1\.Key/,
    ],
    [
      'a number that is not one',
      { Action: 'DescribeDBSnapshots', MaxRecords: 'many' },
      /<Code>ValidationError<\/Code>.*MaxRecords/,
    ],
    ['an unknown SnapshotType', { Action: 'DescribeDBSnapshots', SnapshotType: 'manualish' }, /InvalidParameterValue/],
    ['a missing required member', { Action: 'CreateDBSnapshot', DBInstanceIdentifier: 'app-db' }, /MissingParameter/],
    ['an unknown action', { Action: 'CreateDBSnapshots' }, /InvalidAction/],
  ])('refuses %s', async (_, params, answer) => {
    const { status, body } = await send(params);
    expect(status).toBe(400);
    expect(body).toMatch(answer);
    expect(rds.snapshots.size).toBe(0);
  });

  it('accepts what the model allows, in its Query spelling', async () => {
    const { status } = await send({
      Action: 'DescribeDBSnapshots',
      'Filters.Filter.1.Name': 'snapshot-type',
      'Filters.Filter.1.Values.Value.1': 'manual',
      MaxRecords: '20',
      IncludeShared: 'false',
    });
    expect(status).toBe(200);
  });
});
