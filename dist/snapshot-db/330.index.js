export const id = 330;
export const ids = [330];
export const modules = {

/***/ 90301:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ emptyPruned)
/* harmony export */ });
function emptyPruned() {
    return { deleted: [], wouldDelete: [], kept: [], skipped: [], failed: [] };
}


/***/ }),

/***/ 57330:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  snapshotRds: () => (/* binding */ snapshotRds)
});

// EXTERNAL MODULE: ./packages/toolkit/src/index.ts + 23 modules
var src = __webpack_require__(41048);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-rds/dist-cjs/index.js
var dist_cjs = __webpack_require__(57202);
;// CONCATENATED MODULE: ./packages/aws/src/rds.ts


/** RDS statuses after which a snapshot will never become available (from the SDK's waiter models). */
const RDS_FAILED_STATUSES = ['deleted', 'deleting', 'failed', 'incompatible-restore', 'incompatible-parameters'];
/**
 * True when a call may have taken effect although it failed: no answer at all (reset, timeout), or a
 * server-side error (5xx). A 4xx answer from RDS is definite: the call did not happen.
 */
function isAmbiguous(error) {
    const e = error;
    const status = e?.$metadata?.httpStatusCode;
    // A 2xx whose body never fully arrived is a lost answer too.
    if (status !== undefined)
        return status >= 500 || status < 300;
    return e?.$fault !== 'client' || /Timeout|ECONN|socket|network/i.test(e?.name ?? '');
}
/** The SDK's error name for a fault, with or without the `Fault` suffix the wire codes sometimes lack. */
function rdsErrorIs(error, ...names) {
    const name = error?.name ?? '';
    return names.some((n) => name === n || name === `${n}Fault` || `${name}Fault` === n);
}
class Rds {
    /** API calls sent (SDK retries not included). */
    calls = 0;
    client;
    /** Sends once: for creates, which are never re-sent blindly. */
    onceClient;
    constructor(options = {}) {
        this.client = options.client ?? new dist_cjs/* RDSClient */.rYe({ region: options.region, maxAttempts: 5, ...(0,src/* awsClientOptions */.BE)() });
        this.onceClient =
            options.onceClient ?? new dist_cjs/* RDSClient */.rYe({ region: options.region, maxAttempts: 1, ...(0,src/* awsClientOptions */.BE)() });
        for (const client of [this.client, this.onceClient]) {
            client.middlewareStack.add((next) => (args) => {
                this.calls++;
                return next(args);
            }, { step: 'initialize', name: 'countCalls' });
        }
    }
    /**
     * The manual snapshot quota for `kind` (ManualSnapshots or ManualClusterSnapshots): how many exist and
     * how many the account may have here. Undefined when RDS does not report it.
     */
    async quota(kind) {
        const out = await this.client.send(new dist_cjs/* DescribeAccountAttributesCommand */.zSg({}));
        const name = kind === 'cluster' ? 'ManualClusterSnapshots' : 'ManualSnapshots';
        const q = out.AccountQuotas?.find((a) => a.AccountQuotaName === name);
        return q?.Used !== undefined && q.Max !== undefined ? { used: q.Used, max: q.Max } : undefined;
    }
    async instance(id) {
        try {
            const out = await this.client.send(new dist_cjs/* DescribeDBInstancesCommand */.hhJ({ DBInstanceIdentifier: id }));
            const i = out.DBInstances?.[0];
            if (!i)
                return undefined;
            return {
                kind: 'instance',
                id: i.DBInstanceIdentifier ?? id,
                arn: i.DBInstanceArn,
                status: i.DBInstanceStatus ?? 'unknown',
                engine: i.Engine,
                clusterId: i.DBClusterIdentifier,
            };
        }
        catch (error) {
            if (rdsErrorIs(error, 'DBInstanceNotFound'))
                return undefined;
            throw error;
        }
    }
    async cluster(id) {
        try {
            const out = await this.client.send(new dist_cjs/* DescribeDBClustersCommand */.Kdv({ DBClusterIdentifier: id }));
            const c = out.DBClusters?.[0];
            if (!c)
                return undefined;
            return {
                kind: 'cluster',
                id: c.DBClusterIdentifier ?? id,
                arn: c.DBClusterArn,
                status: c.Status ?? 'unknown',
                engine: c.Engine,
            };
        }
        catch (error) {
            if (rdsErrorIs(error, 'DBClusterNotFoundFault'))
                return undefined;
            throw error;
        }
    }
    async source(kind, id) {
        return kind === 'cluster' ? this.cluster(id) : this.instance(id);
    }
    async create(kind, source, id, tags) {
        const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
        if (kind === 'cluster') {
            const out = await this.onceClient.send(new dist_cjs/* CreateDBClusterSnapshotCommand */.Iv4({ DBClusterIdentifier: source, DBClusterSnapshotIdentifier: id, Tags }));
            return fromCluster(out.DBClusterSnapshot ?? {});
        }
        const out = await this.onceClient.send(new dist_cjs/* CreateDBSnapshotCommand */.SQw({ DBInstanceIdentifier: source, DBSnapshotIdentifier: id, Tags }));
        return fromInstance(out.DBSnapshot ?? {});
    }
    async get(kind, id) {
        try {
            if (kind === 'cluster') {
                const out = await this.client.send(new dist_cjs/* DescribeDBClusterSnapshotsCommand */.cWV({ DBClusterSnapshotIdentifier: id }));
                return out.DBClusterSnapshots?.[0] && fromCluster(out.DBClusterSnapshots[0]);
            }
            const out = await this.client.send(new dist_cjs/* DescribeDBSnapshotsCommand */.KKI({ DBSnapshotIdentifier: id }));
            return out.DBSnapshots?.[0] && fromInstance(out.DBSnapshots[0]);
        }
        catch (error) {
            if (rdsErrorIs(error, 'DBSnapshotNotFound', 'DBClusterSnapshotNotFoundFault'))
                return undefined;
            throw error;
        }
    }
    /** Manual snapshots, of one source or (without `source`) of the whole region, every page. */
    async manual(kind, source) {
        const Filters = [{ Name: 'snapshot-type', Values: ['manual'] }];
        if (source)
            Filters.push({ Name: kind === 'cluster' ? 'db-cluster-id' : 'db-instance-id', Values: [source] });
        const all = [];
        let Marker;
        do {
            if (kind === 'cluster') {
                const out = await this.client.send(new dist_cjs/* DescribeDBClusterSnapshotsCommand */.cWV({ Filters, MaxRecords: 100, Marker }));
                all.push(...(out.DBClusterSnapshots ?? []).map(fromCluster));
                Marker = out.Marker;
            }
            else {
                const out = await this.client.send(new dist_cjs/* DescribeDBSnapshotsCommand */.KKI({ Filters, MaxRecords: 100, Marker }));
                all.push(...(out.DBSnapshots ?? []).map(fromInstance));
                Marker = out.Marker;
            }
        } while (Marker);
        return all;
    }
    async delete(kind, id) {
        if (kind === 'cluster')
            await this.client.send(new dist_cjs/* DeleteDBClusterSnapshotCommand */.fW3({ DBClusterSnapshotIdentifier: id }));
        else
            await this.client.send(new dist_cjs/* DeleteDBSnapshotCommand */.PHQ({ DBSnapshotIdentifier: id }));
    }
    async tag(arn, tags) {
        const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
        await this.client.send(new dist_cjs/* AddTagsToResourceCommand */.X3P({ ResourceName: arn, Tags }));
    }
}
function tagMap(list) {
    return Object.fromEntries((list ?? []).filter((t) => t.Key).map((t) => [t.Key, t.Value ?? '']));
}
function fromInstance(s) {
    return {
        kind: 'instance',
        id: s.DBSnapshotIdentifier ?? '',
        arn: s.DBSnapshotArn,
        source: s.DBInstanceIdentifier ?? '',
        status: s.Status ?? 'unknown',
        percent: s.PercentProgress,
        createdAt: s.SnapshotCreateTime,
        type: s.SnapshotType,
        engine: s.Engine,
        allocatedStorageGiB: s.AllocatedStorage,
        tags: tagMap(s.TagList),
    };
}
function fromCluster(s) {
    return {
        kind: 'cluster',
        id: s.DBClusterSnapshotIdentifier ?? '',
        arn: s.DBClusterSnapshotArn,
        source: s.DBClusterIdentifier ?? '',
        status: s.Status ?? 'unknown',
        percent: s.PercentProgress,
        createdAt: s.SnapshotCreateTime,
        type: s.SnapshotType,
        engine: s.Engine,
        allocatedStorageGiB: s.AllocatedStorage,
        tags: tagMap(s.TagList),
    };
}

// EXTERNAL MODULE: ./actions/snapshot-db/src/identifier.ts
var identifier = __webpack_require__(83570);
// EXTERNAL MODULE: ./actions/snapshot-db/src/outcome.ts
var outcome = __webpack_require__(90301);
// EXTERNAL MODULE: ./actions/snapshot-db/src/retention.ts
var retention = __webpack_require__(90179);
// EXTERNAL MODULE: ./actions/snapshot-db/src/tags.ts
var src_tags = __webpack_require__(99864);
// EXTERNAL MODULE: ./actions/snapshot-db/src/wait-schedule.ts
var wait_schedule = __webpack_require__(28968);
// EXTERNAL MODULE: ./actions/snapshot-db/src/waiting.ts
var waiting = __webpack_require__(74622);
;// CONCATENATED MODULE: ./actions/snapshot-db/src/snapshot-wait.ts




function waitForRdsSnapshot(options) {
    const { id, pollIntervalMs, clock } = options;
    const schedule = new wait_schedule/* WaitSchedule */.v({ minMs: Math.min(2000, pollIntervalMs / 5), maxMs: pollIntervalMs, clock });
    return (0,waiting/* waitFor */.f)({
        what: `snapshot ${id}`,
        deadline: options.deadline,
        pollIntervalMs,
        clock,
        log: options.log,
        timeoutHint: `The snapshot goes on in RDS and will still complete; raise "timeout"${options.timeoutMs ? ` (now ${(0,src/* formatDuration */.a3)(options.timeoutMs)} for the whole step)` : ''}: large or encrypted databases take hours. Or set wait: false.`,
        check: async () => {
            const s = await options.describe();
            if (!s)
                throw new src/* UserError */.yo(`Snapshot ${id} disappeared while being created (deleted by someone?)`);
            if (s.status === 'available')
                return { done: true, value: s };
            if (RDS_FAILED_STATUSES.includes(s.status)) {
                throw new src/* UserError */.yo(`Snapshot ${id} ended in status "${s.status}" instead of available: see the RDS events of ${options.source}`);
            }
            return {
                done: false,
                status: s.status,
                detail: s.percent === undefined ? undefined : `${s.percent}%`,
                delayMs: schedule.next(s.percent),
            };
        },
    });
}

;// CONCATENATED MODULE: ./actions/snapshot-db/src/provider-rds.ts









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
function region(run) {
    return run.inputs.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '';
}
/** The instance or cluster to snapshot, following an Aurora member to its cluster. */
async function resolveSource(rds, run) {
    const name = run.inputs.database;
    const where = `in ${region(run)}`;
    if (run.inputs.provider === 'aurora') {
        const cluster = await rds.cluster(name);
        if (cluster)
            return cluster;
        const instance = await rds.instance(name);
        if (instance?.clusterId)
            return memberToCluster(rds, instance.id, instance.clusterId);
        if (instance) {
            throw new src/* UserError */.yo(`"${name}" is an RDS DB instance, not an Aurora DB cluster: set provider: rds to snapshot it with CreateDBSnapshot`);
        }
        throw new src/* UserError */.yo(`Aurora DB cluster "${name}" not found ${where}: check "database" and "region", and that the credentials belong to the right account`);
    }
    const instance = await rds.instance(name);
    if (instance?.clusterId)
        return memberToCluster(rds, instance.id, instance.clusterId);
    if (instance)
        return instance;
    const cluster = await rds.cluster(name);
    if (cluster) {
        src/* workflow.notice */.kn.notice(`"${name}" is an Aurora DB cluster, so this takes a cluster snapshot (set provider: aurora to say so).`);
        return cluster;
    }
    throw new src/* UserError */.yo(`RDS DB instance "${name}" not found ${where}: check "database" and "region", and that the credentials belong to the right account`);
}
async function memberToCluster(rds, member, clusterId) {
    const cluster = await rds.cluster(clusterId);
    if (!cluster)
        throw new src/* UserError */.yo(`"${member}" belongs to Aurora cluster "${clusterId}", which was not found`);
    src/* workflow.notice */.kn.notice(`"${member}" is a member of Aurora cluster "${cluster.id}". RDS cannot snapshot a cluster member on its own ` +
        `(CreateDBSnapshot refuses), so this snapshots the whole cluster "${cluster.id}" ` +
        `(set provider: aurora and database: ${cluster.id} to say so and silence this notice).`);
    return cluster;
}
function describeKind(kind) {
    return kind === 'cluster' ? 'DB cluster' : 'DB instance';
}
async function waitForSource(rds, run, source) {
    const ready = (status) => status === 'available' || (source.kind === 'instance' && status === 'storage-optimization');
    if (ready(source.status))
        return;
    if (HOPELESS.has(source.status)) {
        throw new src/* UserError */.yo(`The ${describeKind(source.kind)} "${source.id}" is ${source.status}, so it cannot be snapshotted: bring it back to available first`);
    }
    src/* workflow.info */.kn.info(`The ${describeKind(source.kind)} "${source.id}" is ${source.status}; waiting for it to be available before the snapshot`);
    await (0,waiting/* waitFor */.f)({
        what: `${describeKind(source.kind)} ${source.id}`,
        deadline: run.deadline,
        pollIntervalMs: run.inputs.pollIntervalMs,
        timeoutHint: `It was never available to snapshot; raise "timeout" (now ${(0,src/* formatDuration */.a3)(run.inputs.timeoutMs)} for the whole step), or run this when the database is idle.`,
        check: async () => {
            const now = await rds.source(source.kind, source.id);
            if (!now)
                throw new src/* UserError */.yo(`The ${describeKind(source.kind)} "${source.id}" disappeared while waiting for it`);
            if (ready(now.status))
                return { done: true, value: now };
            if (HOPELESS.has(now.status))
                throw new src/* UserError */.yo(`The ${describeKind(source.kind)} "${source.id}" became ${now.status}; it cannot be snapshotted`);
            return { done: false, status: now.status };
        },
    });
}
function quotaAdvice(run, kind, ours, used) {
    const rules = run.inputs.keepLast !== undefined || run.inputs.maxAgeMs !== undefined;
    const what = kind === 'cluster' ? 'manual DB cluster snapshots' : 'manual DB snapshots';
    const ourPart = `${ours} of the ${used} are this action's snapshots of ${run.inputs.database}`;
    return rules
        ? `${ourPart}; lower "keep-last" or "max-age" so it keeps fewer, or delete ${what} you no longer need`
        : `${ourPart}; set "keep-last" (e.g. 10) or "max-age" (e.g. 30d) so this action prunes its own older snapshots, or delete ${what} you no longer need`;
}
/** A snapshot this very run asked for: our tags, this run's URL and commit, this source. */
function isThisRun(run, source, snapshot) {
    return ((0,src_tags/* isOurs */.MU)(snapshot.tags, source.id) &&
        snapshot.tags['workflow-run'] === run.runUrl &&
        snapshot.tags.sha === run.sha &&
        snapshot.source.toLowerCase() === source.id.toLowerCase());
}
async function create(rds, run, source, ours, quota) {
    const max = source.kind === 'cluster' ? 63 : 255;
    const values = { ...run.values, db: source.id };
    const base = (0,identifier/* rdsIdentifier */.TA)(run.inputs.identifier, values, max);
    const tags = (0,src_tags/* snapshotTags */.yi)(run, source.id);
    const what = source.kind === 'cluster' ? 'CreateDBClusterSnapshot' : 'CreateDBSnapshot';
    const free = async () => {
        const id = await (0,identifier/* firstFree */.$K)(base, async (candidate) => (await rds.get(source.kind, candidate)) !== undefined);
        if (id !== base)
            src/* workflow.info */.kn.info(`A snapshot named ${base} exists already; using ${id}`);
        return id;
    };
    let id = await free();
    /** A create of `id` was sent and its answer lost: it may exist now. */
    let maybeSent = false;
    for (let attempt = 0;; attempt++) {
        try {
            return await rds.create(source.kind, source.id, id, tags);
        }
        catch (error) {
            if (rdsErrorIs(error, 'DBSnapshotAlreadyExists', 'DBClusterSnapshotAlreadyExistsFault')) {
                const existing = maybeSent ? await rds.get(source.kind, id) : undefined;
                if (existing && isThisRun(run, source, existing)) {
                    src/* workflow.info */.kn.info(`Snapshot ${id} is the one this run asked for before its answer was lost; using it`);
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
                src/* workflow.warning */.kn.warning((0,src/* redact */.E$)(`No answer to ${what} ${id} (${error.message}); reading the state before deciding`));
                const existing = await rds.get(source.kind, id);
                if (existing && isThisRun(run, source, existing)) {
                    src/* workflow.info */.kn.info(`Snapshot ${id} was created by the call whose answer was lost; using it`);
                    return existing;
                }
                if (existing)
                    id = await free();
                else
                    maybeSent = true;
                continue;
            }
            if (rdsErrorIs(error, 'InvalidDBInstanceState', 'InvalidDBClusterStateFault') && Date.now() < run.deadline) {
                const now = await rds.source(source.kind, source.id);
                await waitForSource(rds, run, now ?? source);
                continue;
            }
            if (rdsErrorIs(error, 'SnapshotQuotaExceeded', 'SnapshotQuotaExceededFault')) {
                throw new src/* UserError */.yo(`RDS refused the snapshot: the region's quota of ${quota.max} ${source.kind === 'cluster' ? 'manual cluster' : 'manual'} snapshots is used up. ${quotaAdvice(run, source.kind, ours, quota.used)}`);
            }
            throw error;
        }
    }
}
/** The manual snapshot quota from DescribeAccountAttributes; without that permission, counted against 100. */
async function readQuota(rds, kind) {
    try {
        const quota = await rds.quota(kind);
        if (quota)
            return { ...quota, from: 'DescribeAccountAttributes' };
    }
    catch (error) {
        if (!rdsErrorIs(error, 'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'))
            throw error;
        src/* workflow.notice */.kn.notice('rds:DescribeAccountAttributes is not allowed, so the manual snapshot quota is assumed to be the default 100: allow it to read the real quota');
    }
    return { used: (await rds.manual(kind)).length, max: DEFAULT_QUOTA, from: 'counted' };
}
async function waitForSnapshot(rds, run, created) {
    const polled = await waitForRdsSnapshot({
        id: created.id,
        source: created.source,
        describe: () => rds.get(created.kind, created.id),
        deadline: run.deadline,
        pollIntervalMs: run.inputs.pollIntervalMs,
        timeoutMs: run.inputs.timeoutMs,
    });
    src/* workflow.info */.kn.info(`Snapshot ${created.id} is available after ${(0,src/* formatDuration */.a3)(polled.elapsedMs)} (${polled.polls} status checks)`);
    return polled.value;
}
async function prune(rds, run, source, justMade) {
    const pruned = (0,outcome/* emptyPruned */.c)();
    const { keepLast, maxAgeMs, dryRun } = run.inputs;
    if (keepLast === undefined && maxAgeMs === undefined)
        return pruned;
    if (!run.inputs.wait) {
        src/* workflow.notice */.kn.notice('Retention skipped: it runs only once the new snapshot is available (wait: true), so a failed snapshot never costs an older one.');
        return pruned;
    }
    const all = await rds.manual(source.kind, source.id);
    const ours = all.filter((s) => (0,src_tags/* isOurs */.MU)(s.tags, source.id));
    const plan = (0,retention/* planRetention */.S)(ours, justMade, { keepLast, maxAgeMs }, Date.now(), (s) => s.status === 'available');
    src/* workflow.info */.kn.info(`Retention: ${ours.length} snapshots of ${source.id} made by this action (${all.length - ours.length} other manual snapshots left alone)`);
    pruned.kept = plan.keep.map((s) => s.id);
    pruned.skipped = plan.skipped.map(({ snapshot, reason }) => ({ id: snapshot.id, reason }));
    for (const { id, reason } of pruned.skipped)
        src/* workflow.info */.kn.info(`Retention: skipping ${id} (${reason})`);
    for (const s of plan.delete) {
        const age = (0,src/* formatDuration */.a3)(Date.now() - s.createdAt.getTime());
        if (dryRun) {
            src/* workflow.info */.kn.info(`Retention (dry run): would delete ${s.id}, created ${s.createdAt.toISOString()} (${age} ago)`);
            pruned.wouldDelete.push(s.id);
            continue;
        }
        try {
            await rds.delete(s.kind, s.id);
            src/* workflow.info */.kn.info(`Retention: deleted ${s.id}, created ${s.createdAt.toISOString()} (${age} ago)`);
            pruned.deleted.push(s.id);
        }
        catch (error) {
            const reason = error.message;
            src/* workflow.warning */.kn.warning(`Retention: could not delete ${s.id}: ${reason}`);
            pruned.failed.push({ id: s.id, reason });
        }
    }
    return pruned;
}
function restoreCommand(run, source, snapshot) {
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
async function snapshotRds(run) {
    const rds = new Rds({ region: run.inputs.region });
    const source = await resolveSource(rds, run);
    const kindWords = source.kind === 'cluster' ? 'manual DB cluster snapshots' : 'manual DB snapshots';
    const quota = await readQuota(rds, source.kind);
    const oursBefore = (await rds.manual(source.kind, source.id)).filter((s) => (0,src_tags/* isOurs */.MU)(s.tags, source.id)).length;
    if (quota.used >= Math.floor(quota.max * QUOTA_WARNING_SHARE)) {
        src/* workflow.warning */.kn.warning(`${quota.used} of the ${quota.max} ${kindWords} allowed in ${region(run)} exist. ${quotaAdvice(run, source.kind, oursBefore, quota.used)}.`);
    }
    await waitForSource(rds, run, source);
    const created = await create(rds, run, source, oursBefore, quota);
    src/* workflow.info */.kn.info(`Creating ${source.kind === 'cluster' ? 'cluster snapshot' : 'snapshot'} ${created.id} of ${source.id}`);
    run.requested(`${created.id} (${created.arn ?? source.id}), still in progress when the step stopped`);
    let snapshot = created;
    if (run.inputs.wait)
        snapshot = await waitForSnapshot(rds, run, created);
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


/***/ }),

/***/ 90179:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ planRetention)
/* harmony export */ });
/**
 * Which of our own older snapshots to delete. A snapshot is deleted only when no rule keeps it:
 * `keep-last N` keeps the N newest (the one just made counts as the first), `max-age` keeps everything
 * younger; with both, a snapshot goes only when it is beyond the N newest AND older than max-age.
 * Candidates are only snapshots this action made for this database; the one just made and any still in
 * progress (no creation time yet) are never touched.
 */
function planRetention(ours, justMade, rules, now, deletable) {
    const plan = { delete: [], keep: [], skipped: [] };
    if (rules.keepLast === undefined && rules.maxAgeMs === undefined)
        return plan;
    const older = [];
    for (const s of ours) {
        if (s.id.toLowerCase() === justMade.toLowerCase())
            continue;
        if (!s.createdAt)
            plan.skipped.push({ snapshot: s, reason: `still ${s.status}` });
        else if (!deletable(s))
            plan.skipped.push({ snapshot: s, reason: `status ${s.status}` });
        else
            older.push({ ...s, createdAt: s.createdAt });
    }
    older.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    older.forEach((s, index) => {
        // The snapshot just made is the newest, so it takes the first of the keep-last places.
        const keptByCount = rules.keepLast !== undefined && index + 1 < rules.keepLast;
        const keptByAge = rules.maxAgeMs !== undefined && now - s.createdAt.getTime() <= rules.maxAgeMs;
        const keep = keptByCount || keptByAge;
        (keep ? plan.keep : plan.delete).push(s);
    });
    return plan;
}


/***/ }),

/***/ 99864:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kf: () => (/* binding */ MANAGED_BY),
/* harmony export */   MU: () => (/* binding */ isOurs),
/* harmony export */   yi: () => (/* binding */ snapshotTags)
/* harmony export */ });
/** The tags (or, for Cloud SQL, the description words) that mark a snapshot as ours, plus the user's. */
const MANAGED_BY = 'deploy-actions';
function snapshotTags(run, db) {
    return {
        'managed-by': MANAGED_BY,
        db,
        repository: run.repository,
        sha: run.sha,
        'workflow-run': run.runUrl,
        ...run.inputs.tags,
    };
}
function isOurs(tags, db) {
    return tags['managed-by'] === MANAGED_BY && (tags.db ?? '').toLowerCase() === db.toLowerCase();
}


/***/ }),

/***/ 28968:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ WaitSchedule)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(41048);

class WaitSchedule {
    options;
    start;
    first;
    overdue = 0;
    seen;
    clock;
    random;
    constructor(options) {
        this.options = options;
        this.clock = options.clock ?? _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .realClock */ .dQ;
        this.random = options.random ?? Math.random;
        this.start = this.clock.now();
    }
    /** The delay before the next check, given the progress just seen (0-100) if the API reports one. */
    next(percent) {
        const { minMs, maxMs } = this.options;
        const now = this.clock.now();
        const cap = Math.min(maxMs, Math.max(minMs, (now - this.start) / 3));
        const jittered = (ms) => ms * (0.75 + this.random() * 0.25);
        if (percent === undefined)
            return Math.max(minMs, jittered(cap));
        if (!this.first || percent < this.first.percent)
            this.first = { at: now, percent };
        const gained = percent - this.first.percent;
        if (gained <= 0)
            return Math.max(minMs, jittered(cap));
        if (this.seen?.percent !== percent)
            this.seen = { at: now, percent };
        // Progress reached `percent` at or before we first saw it, so the end is at or before this estimate.
        const rate = gained / (now - this.first.at);
        const remaining = this.seen.at + (100 - percent) / rate - now;
        const target = remaining / 2;
        if (target >= minMs) {
            this.overdue = 0;
            return Math.min(cap, target);
        }
        // Estimated to be done by now, or nearly: look again soon, backing off if the estimate was wrong.
        return Math.min(cap, minMs * 1.5 ** this.overdue++);
    }
}


/***/ }),

/***/ 74622:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ waitFor)
/* harmony export */ });
/* harmony import */ var _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(41048);


async function waitFor(options) {
    let failures = 0;
    let last = 'unknown';
    const minMs = Math.min(2000, options.pollIntervalMs / 5);
    const clock = options.clock ?? _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .realClock */ .dQ;
    return (0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .poll */ .wt)({
        what: options.what,
        clock,
        log: options.log,
        timeoutMs: Math.max(0, options.deadline - clock.now()),
        initialMs: minMs,
        maxMs: options.pollIntervalMs,
        progressEveryMs: Math.min(30_000, options.pollIntervalMs * 2),
        timeoutHint: options.timeoutHint,
        check: async () => {
            try {
                const result = await options.check();
                failures = 0;
                if (!result.done)
                    last = result.status;
                return result;
            }
            catch (error) {
                if (error instanceof _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo || ++failures >= 5)
                    throw error;
                _deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .workflow.warning */ .kn.warning((0,_deploy_actions_toolkit__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E$)(`Checking ${options.what} failed (${error.message}); trying again`));
                return { done: false, status: last, delayMs: minMs * 2 ** failures };
            }
        },
    });
}


/***/ })

};
