import { workflow as core } from '@deploy-actions/toolkit';
import {
  isAmbiguous,
  Rds,
  type RdsKind,
  type RdsQuota,
  type RdsSnapshot,
  type RdsSource,
  rdsErrorIs,
} from '@deploy-actions/aws/rds';
import { UserError, formatDuration, redact } from '@deploy-actions/toolkit';
import { firstFree, rdsIdentifier } from './identifier';
import type { AwsInputs } from './inputs';
import { type Outcome, type Pruned, type Run, emptyPruned } from './outcome';
import { planRetention } from './retention';
import { isOurs, snapshotTags } from './tags';
import { waitForRdsSnapshot } from './snapshot-wait';
import { waitFor } from './waiting';

/**
 * RDS instance snapshots and Aurora cluster snapshots. Finds the source (an instance that belongs to an
 * Aurora cluster is snapshotted through its cluster, with a notice), warns as the region's manual
 * snapshot quota nears (read from DescribeAccountAttributes: accounts have raised quotas), waits for a
 * busy source, creates the snapshot under a free name, waits for it with progress, then prunes this
 * action's older snapshots of the same database.
 *
 * A create whose answer is lost (reset, timeout, 5xx) is not sent again blindly: the snapshot is looked
 * up by its identifier, and adopted when it is there with this run's tags; only when it is not there is
 * the same identifier sent again, so an "already exists" then is ours too. Never a `-2` because an
 * answer went missing.
 */

/** What RDS allows by default, when DescribeAccountAttributes is not permitted. */
const DEFAULT_QUOTA = 100;
/** Warn from this share of the quota on. */
const QUOTA_WARNING_SHARE = 0.9;
/** Source states that will not turn into `available` by waiting. */
const HOPELESS = new Set([
  'stopped',
  'stopping',
  'failed',
  'deleting',
  'storage-full',
  'incompatible-parameters',
  'incompatible-restore',
  'incompatible-network',
  'incompatible-option-group',
  'inaccessible-encryption-credentials',
]);

function region(run: Run<AwsInputs>): string {
  return run.inputs.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '';
}

/** The instance or cluster to snapshot, following an Aurora member to its cluster. */
async function resolveSource(rds: Rds, run: Run<AwsInputs>): Promise<RdsSource> {
  const name = run.inputs.database;
  const where = `in ${region(run)}`;
  if (run.inputs.provider === 'aurora') {
    const cluster = await rds.cluster(name);
    if (cluster) return cluster;
    const instance = await rds.instance(name);
    if (instance?.clusterId) return memberToCluster(rds, instance.id, instance.clusterId);
    if (instance) {
      throw new UserError(
        `"${name}" is an RDS DB instance, not an Aurora DB cluster: set provider: rds to snapshot it with CreateDBSnapshot`,
      );
    }
    throw new UserError(
      `Aurora DB cluster "${name}" not found ${where}: check "database" and "region", and that the credentials belong to the right account`,
    );
  }
  const instance = await rds.instance(name);
  if (instance?.clusterId) return memberToCluster(rds, instance.id, instance.clusterId);
  if (instance) return instance;
  const cluster = await rds.cluster(name);
  if (cluster) {
    core.notice(
      `"${name}" is an Aurora DB cluster, so this takes a cluster snapshot (set provider: aurora to say so).`,
    );
    return cluster;
  }
  throw new UserError(
    `RDS DB instance "${name}" not found ${where}: check "database" and "region", and that the credentials belong to the right account`,
  );
}

async function memberToCluster(rds: Rds, member: string, clusterId: string): Promise<RdsSource> {
  const cluster = await rds.cluster(clusterId);
  if (!cluster) throw new UserError(`"${member}" belongs to Aurora cluster "${clusterId}", which was not found`);
  core.notice(
    `"${member}" is a member of Aurora cluster "${cluster.id}". RDS cannot snapshot a cluster member on its own ` +
      `(CreateDBSnapshot refuses), so this snapshots the whole cluster "${cluster.id}" ` +
      `(set provider: aurora and database: ${cluster.id} to say so and silence this notice).`,
  );
  return cluster;
}

function describeKind(kind: RdsKind): string {
  return kind === 'cluster' ? 'DB cluster' : 'DB instance';
}

async function waitForSource(rds: Rds, run: Run<AwsInputs>, source: RdsSource): Promise<void> {
  const ready = (status: string) =>
    status === 'available' || (source.kind === 'instance' && status === 'storage-optimization');
  if (ready(source.status)) return;
  if (HOPELESS.has(source.status)) {
    throw new UserError(
      `The ${describeKind(source.kind)} "${source.id}" is ${source.status}, so it cannot be snapshotted: bring it back to available first`,
    );
  }
  core.info(
    `The ${describeKind(source.kind)} "${source.id}" is ${source.status}; waiting for it to be available before the snapshot`,
  );
  await waitFor({
    what: `${describeKind(source.kind)} ${source.id}`,
    deadline: run.deadline,
    pollIntervalMs: run.inputs.pollIntervalMs,
    timeoutHint: `It was never available to snapshot; raise "timeout" (now ${formatDuration(run.inputs.timeoutMs)} for the whole step), or run this when the database is idle.`,
    check: async () => {
      const now = await rds.source(source.kind, source.id);
      if (!now) throw new UserError(`The ${describeKind(source.kind)} "${source.id}" disappeared while waiting for it`);
      if (ready(now.status)) return { done: true, value: now };
      if (HOPELESS.has(now.status))
        throw new UserError(
          `The ${describeKind(source.kind)} "${source.id}" became ${now.status}; it cannot be snapshotted`,
        );
      return { done: false, status: now.status };
    },
  });
}

function quotaAdvice(run: Run<AwsInputs>, kind: RdsKind, ours: number, used: number): string {
  const rules = run.inputs.keepLast !== undefined || run.inputs.maxAgeMs !== undefined;
  const what = kind === 'cluster' ? 'manual DB cluster snapshots' : 'manual DB snapshots';
  const ourPart = `${ours} of the ${used} are this action's snapshots of ${run.inputs.database}`;
  return rules
    ? `${ourPart}; lower "keep-last" or "max-age" so it keeps fewer, or delete ${what} you no longer need`
    : `${ourPart}; set "keep-last" (e.g. 10) or "max-age" (e.g. 30d) so this action prunes its own older snapshots, or delete ${what} you no longer need`;
}

/** A snapshot this very run asked for: our tags, this run's URL and commit, this source. */
function isThisRun(run: Run<AwsInputs>, source: RdsSource, snapshot: RdsSnapshot): boolean {
  return (
    isOurs(snapshot.tags, source.id) &&
    snapshot.tags['workflow-run'] === run.runUrl &&
    snapshot.tags.sha === run.sha &&
    snapshot.source.toLowerCase() === source.id.toLowerCase()
  );
}

async function create(
  rds: Rds,
  run: Run<AwsInputs>,
  source: RdsSource,
  ours: number,
  quota: Quota,
): Promise<RdsSnapshot> {
  const max = source.kind === 'cluster' ? 63 : 255;
  const values = { ...run.values, db: source.id };
  const base = rdsIdentifier(run.inputs.identifier, values, max);
  const tags = snapshotTags(run, source.id);
  const what = source.kind === 'cluster' ? 'CreateDBClusterSnapshot' : 'CreateDBSnapshot';
  const free = async () => {
    const id = await firstFree(base, async (candidate) => (await rds.get(source.kind, candidate)) !== undefined);
    if (id !== base) core.info(`A snapshot named ${base} exists already; using ${id}`);
    return id;
  };
  let id = await free();
  /** A create of `id` was sent and its answer lost: it may exist now. */
  let maybeSent = false;
  for (let attempt = 0; ; attempt++) {
    try {
      return await rds.create(source.kind, source.id, id, tags);
    } catch (error) {
      if (rdsErrorIs(error, 'DBSnapshotAlreadyExists', 'DBClusterSnapshotAlreadyExistsFault')) {
        const existing = maybeSent ? await rds.get(source.kind, id) : undefined;
        if (existing && isThisRun(run, source, existing)) {
          core.info(`Snapshot ${id} is the one this run asked for before its answer was lost; using it`);
          return existing;
        }
        if (attempt < 3) {
          id = await free();
          maybeSent = false;
          continue;
        }
      }
      // A definite "not now" (the SDK does not retry creates): nothing was made, so sending again is safe.
      if (rdsErrorIs(error, 'Throttling', 'ThrottlingException', 'RequestLimitExceeded') && attempt < 5) {
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt * (0.5 + Math.random() / 2)));
        continue;
      }
      if (isAmbiguous(error) && attempt < 4) {
        core.warning(
          redact(`No answer to ${what} ${id} (${(error as Error).message}); reading the state before deciding`),
        );
        const existing = await rds.get(source.kind, id);
        if (existing && isThisRun(run, source, existing)) {
          core.info(`Snapshot ${id} was created by the call whose answer was lost; using it`);
          return existing;
        }
        if (existing) id = await free();
        else maybeSent = true;
        continue;
      }
      if (rdsErrorIs(error, 'InvalidDBInstanceState', 'InvalidDBClusterStateFault') && Date.now() < run.deadline) {
        const now = await rds.source(source.kind, source.id);
        await waitForSource(rds, run, now ?? source);
        continue;
      }
      if (rdsErrorIs(error, 'SnapshotQuotaExceeded', 'SnapshotQuotaExceededFault')) {
        throw new UserError(
          `RDS refused the snapshot: the region's quota of ${quota.max} ${source.kind === 'cluster' ? 'manual cluster' : 'manual'} snapshots is used up. ${quotaAdvice(run, source.kind, ours, quota.used)}`,
        );
      }
      throw error;
    }
  }
}

interface Quota extends RdsQuota {
  /** Where the figures come from. */
  from: 'DescribeAccountAttributes' | 'counted';
}

/** The manual snapshot quota from DescribeAccountAttributes; without that permission, counted against 100. */
async function readQuota(rds: Rds, kind: RdsKind): Promise<Quota> {
  try {
    const quota = await rds.quota(kind);
    if (quota) return { ...quota, from: 'DescribeAccountAttributes' };
  } catch (error) {
    if (!rdsErrorIs(error, 'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation')) throw error;
    core.notice(
      'rds:DescribeAccountAttributes is not allowed, so the manual snapshot quota is assumed to be the default 100: allow it to read the real quota',
    );
  }
  return { used: (await rds.manual(kind)).length, max: DEFAULT_QUOTA, from: 'counted' };
}

async function waitForSnapshot(rds: Rds, run: Run<AwsInputs>, created: RdsSnapshot): Promise<RdsSnapshot> {
  const polled = await waitForRdsSnapshot({
    id: created.id,
    source: created.source,
    describe: () => rds.get(created.kind, created.id),
    deadline: run.deadline,
    pollIntervalMs: run.inputs.pollIntervalMs,
    timeoutMs: run.inputs.timeoutMs,
  });
  core.info(
    `Snapshot ${created.id} is available after ${formatDuration(polled.elapsedMs)} (${polled.polls} status checks)`,
  );
  return polled.value;
}

async function prune(rds: Rds, run: Run<AwsInputs>, source: RdsSource, justMade: string): Promise<Pruned> {
  const pruned = emptyPruned();
  const { keepLast, maxAgeMs, dryRun } = run.inputs;
  if (keepLast === undefined && maxAgeMs === undefined) return pruned;
  if (!run.inputs.wait) {
    core.notice(
      'Retention skipped: it runs only once the new snapshot is available (wait: true), so a failed snapshot never costs an older one.',
    );
    return pruned;
  }
  const all = await rds.manual(source.kind, source.id);
  const ours = all.filter((s) => isOurs(s.tags, source.id));
  const plan = planRetention(ours, justMade, { keepLast, maxAgeMs }, Date.now(), (s) => s.status === 'available');
  core.info(
    `Retention: ${ours.length} snapshots of ${source.id} made by this action (${all.length - ours.length} other manual snapshots left alone)`,
  );
  pruned.kept = plan.keep.map((s) => s.id);
  pruned.skipped = plan.skipped.map(({ snapshot, reason }) => ({ id: snapshot.id, reason }));
  for (const { id, reason } of pruned.skipped) core.info(`Retention: skipping ${id} (${reason})`);
  for (const s of plan.delete) {
    const age = formatDuration(Date.now() - s.createdAt.getTime());
    if (dryRun) {
      core.info(`Retention (dry run): would delete ${s.id}, created ${s.createdAt.toISOString()} (${age} ago)`);
      pruned.wouldDelete.push(s.id);
      continue;
    }
    try {
      await rds.delete(s.kind, s.id);
      core.info(`Retention: deleted ${s.id}, created ${s.createdAt.toISOString()} (${age} ago)`);
      pruned.deleted.push(s.id);
    } catch (error) {
      const reason = (error as Error).message;
      core.warning(`Retention: could not delete ${s.id}: ${reason}`);
      pruned.failed.push({ id: s.id, reason });
    }
  }
  return pruned;
}

function restoreCommand(run: Run<AwsInputs>, source: RdsSource, snapshot: RdsSnapshot): string {
  const r = region(run);
  if (source.kind === 'cluster') {
    return [
      `aws rds restore-db-cluster-from-snapshot --region ${r} \\`,
      `  --db-cluster-identifier ${source.id}-restored \\`,
      `  --snapshot-identifier ${snapshot.id} \\`,
      `  --engine ${snapshot.engine ?? source.engine ?? 'aurora-postgresql'}`,
      '# then add an instance to the restored cluster:',
      `aws rds create-db-instance --region ${r} --db-cluster-identifier ${source.id}-restored \\`,
      `  --db-instance-identifier ${source.id}-restored-1 --db-instance-class db.r6g.large --engine ${snapshot.engine ?? source.engine ?? 'aurora-postgresql'}`,
    ].join('\n');
  }
  return [
    `aws rds restore-db-instance-from-db-snapshot --region ${r} \\`,
    `  --db-instance-identifier ${source.id}-restored \\`,
    `  --db-snapshot-identifier ${snapshot.id}`,
  ].join('\n');
}

export async function snapshotRds(run: Run<AwsInputs>): Promise<Outcome> {
  const rds = new Rds({ region: run.inputs.region });
  const source = await resolveSource(rds, run);
  const kindWords = source.kind === 'cluster' ? 'manual DB cluster snapshots' : 'manual DB snapshots';

  const quota = await readQuota(rds, source.kind);
  const oursBefore = (await rds.manual(source.kind, source.id)).filter((s) => isOurs(s.tags, source.id)).length;
  if (quota.used >= Math.floor(quota.max * QUOTA_WARNING_SHARE)) {
    core.warning(
      `${quota.used} of the ${quota.max} ${kindWords} allowed in ${region(run)} exist. ${quotaAdvice(run, source.kind, oursBefore, quota.used)}.`,
    );
  }

  await waitForSource(rds, run, source);
  const created = await create(rds, run, source, oursBefore, quota);
  core.info(`Creating ${source.kind === 'cluster' ? 'cluster snapshot' : 'snapshot'} ${created.id} of ${source.id}`);
  run.requested(`${created.id} (${created.arn ?? source.id}), still in progress when the step stopped`);

  let snapshot = created;
  if (run.inputs.wait) snapshot = await waitForSnapshot(rds, run, created);
  const pruned = await prune(rds, run, source, snapshot.id);

  return {
    id: snapshot.id,
    ref: snapshot.arn ?? created.arn ?? '',
    status: snapshot.status,
    createdAt: snapshot.createdAt,
    pruned,
    restore: restoreCommand(run, source, snapshot),
    facts: [
      ['Source', `${describeKind(source.kind)} ${source.id}${source.engine ? ` (${source.engine})` : ''}`],
      ['Region', region(run)],
      ['Allocated storage', snapshot.allocatedStorageGiB ? `${snapshot.allocatedStorageGiB} GiB` : undefined],
      [
        'Manual snapshot quota',
        `${quota.used + 1 - pruned.deleted.length} of ${quota.max} used after this run${quota.from === 'counted' ? ' (default quota assumed)' : ''}`,
      ],
    ],
    apiCalls: rds.calls,
  };
}
