import { RdsEmulator } from '@deploy-actions/emulators';
import { AWS_SECRET, DAY, ourTags, snapshotRds } from './helpers';

// snapshot-db against the RDS emulator, driven by the real @aws-sdk/client-rds inside the built bundle.
// Emulated time runs 600x (a 10-minute snapshot takes a second).

describe('snapshot-db: RDS and Aurora', () => {
  let rds: RdsEmulator;
  beforeEach(async () => {
    rds = new RdsEmulator({ scale: 600, snapshotDurationMs: 10 * 60_000 });
    await rds.listen();
    rds.addInstance('app-db', { allocatedStorage: 50 });
  });
  afterEach(() => rds.close());

  it('snapshots an instance, tagged, waits with progress and notices completion within a second', async () => {
    const result = await snapshotRds(rds, { tags: 'team=payments\ncost-center=42' });
    expect(result.exitCode).toBe(0);
    const { outputs } = result;
    expect(outputs['snapshot-id']).toMatch(/^app-db-main-a1b2c3d-\d{8}-\d{6}$/);
    expect(outputs['snapshot-arn']).toBe(`arn:aws:rds:us-east-1:123456789012:snapshot:${outputs['snapshot-id']}`);
    expect(outputs.status).toBe('available');
    expect(Date.parse(outputs['created-at'])).not.toBeNaN();
    expect(Number(outputs['duration-seconds'])).toBeGreaterThan(0.9);
    expect(outputs.deleted).toBe('');

    const snapshot = rds.snapshot(outputs['snapshot-id'])!;
    expect(Object.fromEntries(snapshot.tags.map((t) => [t.Key, t.Value]))).toEqual({
      'managed-by': 'deploy-actions',
      db: 'app-db',
      repository: 'acme/backend',
      sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      'workflow-run': 'https://github.com/acme/backend/actions/runs/4242',
      team: 'payments',
      'cost-center': '42',
    });
    // Progress in the log, and completion noticed soon after the emulated 10 minutes (1 s real) end.
    expect(result.log).toMatch(/snapshot app-db-main-\S+: creating \(\d+%\)/);
    const finishedAt = snapshot.startedAt + snapshot.durationMs;
    const lastCheck = rds.server.requests.filter((r) => r.path === '/').at(-1)!.at;
    expect(rds.clock.now() - finishedAt).toBeGreaterThanOrEqual(0);
    expect((lastCheck - (Date.now() - (rds.clock.now() - finishedAt) / 600)) / 1).toBeLessThan(1000);
    expect(rds.calls('DescribeDBSnapshots')).toBeLessThanOrEqual(16);
    expect(rds.calls('CreateDBSnapshot')).toBe(1);

    expect(result.summary).toContain('aws rds restore-db-instance-from-db-snapshot --region us-east-1');
    expect(result.summary).toContain(`--db-snapshot-identifier ${outputs['snapshot-id']}`);
    // The same command as an output, for the next step (issue 13).
    expect(outputs['restore-command']).toBe(
      `aws rds restore-db-instance-from-db-snapshot --region us-east-1 \\\n  --db-instance-identifier app-db-restored \\\n  --db-snapshot-identifier ${outputs['snapshot-id']}`,
    );
    expect(result.summary).toContain('50 GiB');
    expect(result.log).not.toContain(AWS_SECRET);
  });

  it('adds a suffix when the name is taken', async () => {
    rds.seedSnapshot({ id: 'app-db-a1b2c3d', source: 'app-db' });
    rds.seedSnapshot({ id: 'app-db-a1b2c3d-2', source: 'app-db' });
    const result = await snapshotRds(rds, { identifier: 'App_DB--{sha7}', wait: false });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['snapshot-id']).toBe('app-db-a1b2c3d-3');
    expect(result.outputs.status).toBe('creating');
    expect(result.outputs['created-at']).toBe('');
  });

  it('takes a cluster snapshot for provider aurora, with the cluster restore command', async () => {
    rds.addCluster('orders', { members: ['orders-1', 'orders-2'] });
    const result = await snapshotRds(rds, { provider: 'aurora', database: 'orders' });
    expect(result.exitCode).toBe(0);
    const id = result.outputs['snapshot-id'];
    expect(id.length).toBeLessThanOrEqual(63);
    expect(rds.snapshot(id, 'cluster')?.source).toBe('orders');
    expect(result.outputs['snapshot-arn']).toContain(':cluster-snapshot:');
    expect(result.summary).toContain('aws rds restore-db-cluster-from-snapshot');
    expect(result.summary).toContain(`--snapshot-identifier ${id}`);
    expect(rds.calls('CreateDBSnapshot')).toBe(0);
  });

  it('snapshots the cluster, with a notice, when given an Aurora cluster member as provider rds', async () => {
    rds.addCluster('orders', { members: ['orders-1'] });
    const result = await snapshotRds(rds, { database: 'orders-1' });
    expect(result.exitCode).toBe(0);
    expect(result.annotations.find((a) => a.level === 'notice')?.message).toMatch(
      /"orders-1" is a member of Aurora cluster "orders".*snapshots the whole cluster/,
    );
    expect(rds.snapshot(result.outputs['snapshot-id'], 'cluster')).toBeDefined();
    expect(rds.calls('CreateDBSnapshot')).toBe(0);
  });

  it('explains an instance given as provider aurora, and a database that does not exist', async () => {
    const aurora = await snapshotRds(rds, { provider: 'aurora' });
    expect(aurora.exitCode).toBe(1);
    expect(aurora.errors).toEqual([
      expect.stringMatching(/"app-db" is an RDS DB instance, not an Aurora DB cluster: set provider: rds/),
    ]);
    const missing = await snapshotRds(rds, { database: 'nope' });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toEqual([expect.stringContaining('RDS DB instance "nope" not found in us-east-1')]);
    expect(rds.calls('CreateDBSnapshot') + rds.calls('CreateDBClusterSnapshot')).toBe(0);
  });

  it('warns as the manual snapshot quota nears, and says which setting frees room when it is used up', async () => {
    for (let n = 0; n < 92; n++) rds.seedSnapshot({ id: `other-${n}`, source: 'app-db' });
    const near = await snapshotRds(rds, { wait: false });
    expect(near.exitCode).toBe(0);
    expect(near.warnings).toEqual([
      expect.stringMatching(/^92 of the 100 manual DB snapshots allowed in us-east-1 exist.*set "keep-last"/),
    ]);

    // 92 + the one just made (ours) + 7 more of ours = 100, 8 of them ours.
    for (let n = 0; n < 7; n++) rds.seedSnapshot({ id: `ours-${n}`, source: 'app-db', tags: ourTags('app-db') });
    const full = await snapshotRds(rds, { wait: false });
    expect(full.exitCode).toBe(1);
    expect(full.errors).toEqual([
      expect.stringMatching(
        /quota of 100 manual snapshots is used up\. 8 of the 100 are this action's snapshots of app-db; set "keep-last" \(e\.g\. 10\) or "max-age"/,
      ),
    ]);
    expect(full.log).not.toMatch(/\s+at .*\.js:\d+/);
  });

  it('reads the quota from DescribeAccountAttributes: a raised quota is no reason to warn', async () => {
    rds.quota = 500;
    for (let n = 0; n < 120; n++) rds.seedSnapshot({ id: `other-${n}`, source: 'other-db' });
    const result = await snapshotRds(rds, { wait: false });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([]);
    expect(result.summary).toContain('121 of 500 used after this run');
    expect(rds.calls('DescribeAccountAttributes')).toBe(1);

    rds.quota = 125;
    const near = await snapshotRds(rds, { wait: false, identifier: '{db}-second' });
    expect(near.warnings).toEqual([
      expect.stringMatching(/^121 of the 125 manual DB snapshots allowed in us-east-1 exist/),
    ]);
  });

  it.each([
    ['the connection drops after RDS made it', 'reset'],
    ['RDS answers 500 after making it', 'server-error'],
  ] as const)('never makes a second snapshot (nor a -2) when %s', async (_, how) => {
    rds.loseAnswer('CreateDBSnapshot', how);
    const result = await snapshotRds(rds, { wait: false });
    expect(result.exitCode).toBe(0);
    const id = result.outputs['snapshot-id'];
    expect(id).toMatch(/^app-db-main-a1b2c3d-\d{8}-\d{6}$/);
    expect([...rds.snapshots.values()].map((s) => s.id)).toEqual([id]);
    expect(rds.calls('CreateDBSnapshot')).toBe(1);
    expect(result.warnings).toEqual([
      expect.stringMatching(new RegExp(`^No answer to CreateDBSnapshot ${id} .*reading the state before deciding$`)),
    ]);
    expect(result.log).toContain(`Snapshot ${id} was created by the call whose answer was lost; using it`);
  });

  it('adopts its own cluster snapshot after a lost answer', async () => {
    rds.addCluster('orders', { members: ['orders-1'] });
    rds.loseAnswer('CreateDBClusterSnapshot', 'reset');
    const result = await snapshotRds(rds, { provider: 'aurora', database: 'orders', wait: false });
    expect(result.exitCode).toBe(0);
    expect([...rds.snapshots.values()].filter((s) => s.kind === 'cluster')).toHaveLength(1);
    expect(rds.calls('CreateDBClusterSnapshot')).toBe(1);
  });

  it('sends the create again when the lost call never reached RDS, under the same name', async () => {
    rds.server.inject({
      method: 'POST',
      reset: 'before-response',
      match: (req) => req.form().get('Action') === 'CreateDBSnapshot',
    });
    const result = await snapshotRds(rds, { wait: false });
    expect(result.exitCode).toBe(0);
    expect(rds.snapshots.size).toBe(1);
    expect(rds.calls('CreateDBSnapshot')).toBe(1); // the dropped one never reached the handler
    expect(result.outputs['snapshot-id']).not.toMatch(/-2$/);
  });

  it('fails clearly when the snapshot ends in failed', async () => {
    rds.plan({ fails: true });
    const result = await snapshotRds(rds, {});
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^Snapshot app-db-\S+ ended in status "failed" instead of available/),
    ]);
    // The failed step still reports: its outputs, and a summary naming the snapshot it had asked for.
    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toMatch(/^## ❌ Snapshot database: RDS snapshot failed/m);
    expect(result.summary).toMatch(/app-db-main-a1b2c3d-\d{8}-\d{6} \(arn:aws:rds:us-east-1:123456789012:snapshot:/);
  });

  it('rides out throttling (retried by the SDK)', async () => {
    rds.throttle(3);
    const result = await snapshotRds(rds, { wait: false });
    expect(result.exitCode).toBe(0);
    expect(rds.server.requests.filter((r) => r.status === 400)).toHaveLength(3);
    expect(rds.calls('CreateDBSnapshot')).toBe(1);
  });

  it('rides out a status check that fails even after the SDK retries, during the wait', async () => {
    rds.plan({ durationMs: 60 * 60_000 });
    let throttled = false;
    const onLine = (line: string) => {
      if (!throttled && /: creating \(\d+%\)/.test(line)) {
        throttled = true;
        rds.throttle(5); // the SDK tries 5 times, so one status check fails
      }
    };
    const result = await snapshotRds(rds, {}, { onLine });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Checking snapshot app-db-\S+ failed \(Rate exceeded\); trying again$/),
    ]);
    expect(rds.server.requests.filter((r) => r.status === 400)).toHaveLength(5);
    expect(result.outputs.status).toBe('available');
  });

  it('says which setting frees room when the cluster snapshot quota is used up', async () => {
    rds.addCluster('orders', { members: ['orders-1'] });
    for (let n = 0; n < 100; n++) rds.seedSnapshot({ id: `c-${n}`, source: 'orders', kind: 'cluster' });
    const result = await snapshotRds(rds, { provider: 'aurora', database: 'orders', 'max-age': '30d' });
    expect(result.exitCode).toBe(1);
    expect(result.warnings[0]).toMatch(/^100 of the 100 manual DB cluster snapshots allowed in us-east-1 exist/);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /quota of 100 manual cluster snapshots is used up\. 0 of the 100 are this action's snapshots of orders; lower "keep-last" or "max-age"/,
      ),
    ]);
  });

  it('times out with a hint when the snapshot outlasts the timeout', async () => {
    rds.plan({ durationMs: 10 * 3_600_000 });
    const result = await snapshotRds(rds, { timeout: '2s' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Timed out after [\d.]+m?s waiting for snapshot app-db-\S+ \(last status: creating\)\. .*raise "timeout" \(now 2\.0s for the whole step\)/,
      ),
    ]);
    expect(result.durationMs).toBeLessThan(15_000);
  });

  it('waits for a busy instance before creating, within the same timeout', async () => {
    rds.setBusy('app-db', 'modifying', 10 * 3_600_000);
    // The modification ends once the action is seen waiting for it.
    const onLine = (line: string) => {
      if (line.includes('waiting for it to be available')) rds.setBusy('app-db', 'available', 0);
    };
    const result = await snapshotRds(rds, {}, { onLine });
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain(
      'The DB instance "app-db" is modifying; waiting for it to be available before the snapshot',
    );
    expect(rds.calls('CreateDBSnapshot')).toBe(1);

    rds.setBusy('app-db', 'upgrading', 10 * 3_600_000);
    const stuck = await snapshotRds(rds, { timeout: '1s' });
    expect(stuck.exitCode).toBe(1);
    expect(stuck.errors[0]).toMatch(
      /^Timed out after [\d.]+m?s waiting for DB instance app-db \(last status: upgrading\)\. .*raise "timeout" \(now 1\.0s for the whole step\)/,
    );
    expect(rds.calls('CreateDBSnapshot')).toBe(1);
  });

  it('goes back to waiting when the create is refused with InvalidDBInstanceState, then creates', async () => {
    rds.busyOnNextCreate('app-db', 'configuring-enhanced-monitoring', 10 * 3_600_000);
    const onLine = (line: string) => {
      if (line.includes('waiting for it to be available')) rds.setBusy('app-db', 'available', 0);
    };
    const result = await snapshotRds(rds, { wait: false }, { onLine });
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('"app-db" is configuring-enhanced-monitoring; waiting for it to be available');
    expect(rds.server.requests.filter((r) => r.status === 400)).toHaveLength(1);
    expect(rds.calls('CreateDBSnapshot')).toBe(2);
    expect(rds.snapshot(result.outputs['snapshot-id'])).toBeDefined();
  });

  it('waits while an automated backup holds the instance (backing-up)', async () => {
    const auto = rds.seedSnapshot({ id: 'rds:app-db-auto', source: 'app-db', type: 'automated', holdsSource: true });
    auto.startedAt = rds.clock.now();
    auto.durationMs = 10 * 3_600_000;
    // The automated backup finishes once the action is seen waiting for it.
    const onLine = (line: string) => {
      if (line.includes('waiting for it to be available')) auto.durationMs = 0;
    };
    const result = await snapshotRds(rds, { wait: false }, { onLine });
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('is backing-up; waiting for it to be available');
  });
});

describe('snapshot-db: retention', () => {
  let rds: RdsEmulator;
  beforeEach(async () => {
    rds = new RdsEmulator({ scale: 600, snapshotDurationMs: 60_000 });
    await rds.listen();
    rds.addInstance('app-db');
    rds.addInstance('other-db');
    // Ours, 1, 2, 4 and 5 days old; one of ours still in progress; snapshots that are not ours.
    for (const days of [1, 2, 4, 5])
      rds.seedSnapshot({ id: `ours-${days}d`, source: 'app-db', ageMs: days * DAY, tags: ourTags('app-db') });
    rds.seedSnapshot({
      id: 'ours-in-progress',
      source: 'app-db',
      ageMs: 9 * DAY,
      inProgress: true,
      tags: ourTags('app-db'),
    });
    rds.seedSnapshot({ id: 'manual-by-hand', source: 'app-db', ageMs: 30 * DAY });
    rds.seedSnapshot({
      id: 'other-tool',
      source: 'app-db',
      ageMs: 30 * DAY,
      tags: [{ Key: 'managed-by', Value: 'terraform' }],
    });
    rds.seedSnapshot({ id: 'other-db-ours', source: 'other-db', ageMs: 30 * DAY, tags: ourTags('other-db') });
    rds.seedSnapshot({ id: 'rds:app-db-auto', source: 'app-db', ageMs: 30 * DAY, type: 'automated' });
  });
  afterEach(() => rds.close());

  const remaining = () =>
    [...rds.snapshots.values()]
      .filter((s) => !s.deleted && s.id.startsWith('ours-'))
      .map((s) => s.id)
      .sort();
  const untouched = ['manual-by-hand', 'other-tool', 'other-db-ours', 'rds:app-db-auto'];

  it('keep-last keeps the newest N, the new one included, and nothing else is touched', async () => {
    const result = await snapshotRds(rds, { 'keep-last': 3 });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.deleted.split(',').sort()).toEqual(['ours-4d', 'ours-5d']);
    expect(remaining()).toEqual(['ours-1d', 'ours-2d', 'ours-in-progress']);
    for (const id of untouched) expect(rds.snapshot(id) ?? rds.snapshot(id)).toBeDefined();
    expect(rds.snapshot(result.outputs['snapshot-id'])).toBeDefined();
    expect(result.log).toContain('Retention: skipping ours-in-progress (still creating)');
    expect(result.summary).toMatch(/ours-4d<\/td><td>deleted/);
  });

  it('max-age deletes only our snapshots older than the age', async () => {
    const result = await snapshotRds(rds, { 'max-age': '3d' });
    expect(result.outputs.deleted.split(',').sort()).toEqual(['ours-4d', 'ours-5d']);
    expect(remaining()).toEqual(['ours-1d', 'ours-2d', 'ours-in-progress']);
    for (const id of untouched) expect(rds.snapshot(id)).toBeDefined();
  });

  it('with both, deletes only what neither rule keeps', async () => {
    // keep-last 4 keeps the new one, 1d, 2d and 4d; max-age 36h keeps 1d: only 5d goes.
    const result = await snapshotRds(rds, { 'keep-last': 4, 'max-age': '36h' });
    expect(result.outputs.deleted).toBe('ours-5d');
    expect(remaining()).toEqual(['ours-1d', 'ours-2d', 'ours-4d', 'ours-in-progress']);
  });

  it('keep-last 1 deletes every older one of ours, never the one just made', async () => {
    const result = await snapshotRds(rds, { 'keep-last': 1 });
    expect(result.outputs.deleted.split(',').sort()).toEqual(['ours-1d', 'ours-2d', 'ours-4d', 'ours-5d']);
    expect(rds.snapshot(result.outputs['snapshot-id'])).toBeDefined();
    expect(remaining()).toEqual(['ours-in-progress']);
    for (const id of untouched) expect(rds.snapshot(id)).toBeDefined();
  });

  it('dry-run lists what would go and deletes nothing', async () => {
    const result = await snapshotRds(rds, { 'keep-last': 1, 'dry-run': true });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.deleted).toBe('');
    expect(rds.calls('DeleteDBSnapshot')).toBe(0);
    for (const id of ['ours-1d', 'ours-2d', 'ours-4d', 'ours-5d']) {
      expect(result.log).toMatch(new RegExp(`Retention \\(dry run\\): would delete ${id}, created`));
    }
    expect(remaining()).toEqual(['ours-1d', 'ours-2d', 'ours-4d', 'ours-5d', 'ours-in-progress']);
    expect(result.summary).toContain('would be deleted (dry run)');
  });

  it('does not prune without waiting: the new snapshot is not available yet', async () => {
    const result = await snapshotRds(rds, { 'keep-last': 1, wait: false });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('creating');
    expect(result.annotations.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      expect.stringMatching(/^Retention skipped: it runs only once the new snapshot is available \(wait: true\)/),
    ]);
    expect(rds.calls('DeleteDBSnapshot')).toBe(0);
  });

  it('never prunes when the new snapshot failed', async () => {
    rds.plan({ fails: true });
    const result = await snapshotRds(rds, { 'keep-last': 1 });
    expect(result.exitCode).toBe(1);
    expect(rds.calls('DeleteDBSnapshot')).toBe(0);
    expect(remaining()).toHaveLength(5);
  });
});
