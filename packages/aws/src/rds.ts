import { awsClientOptions } from '@deploy-actions/toolkit';
import {
  AddTagsToResourceCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  type DBClusterSnapshot,
  type DBSnapshot,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  DescribeAccountAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  type Filter,
  RDSClient,
} from '@aws-sdk/client-rds';

/**
 * Amazon RDS snapshots of DB instances and Aurora clusters through @aws-sdk/client-rds, behind one shape
 * for both kinds. The SDK brings the default credential chain, SigV4, its own retries of throttling and
 * 5xx, and the standard endpoint variables (AWS_ENDPOINT_URL_RDS, AWS_ENDPOINT_URL). Calls are counted
 * so the action can report what a wait cost.
 *
 * Creates are the exception to the SDK's retries: CreateDBSnapshot and CreateDBClusterSnapshot go through
 * a client that sends once, because a retry after a lost answer would only meet "already exists" for the
 * snapshot the first attempt made. The caller reads the state instead (`isAmbiguous`, then `get`).
 */

export type RdsKind = 'instance' | 'cluster';

export interface RdsSource {
  kind: RdsKind;
  id: string;
  arn?: string;
  status: string;
  engine?: string;
  /** For an instance that is an Aurora cluster member. */
  clusterId?: string;
}

export interface RdsSnapshot {
  kind: RdsKind;
  id: string;
  arn?: string;
  source: string;
  status: string;
  percent?: number;
  /** Absent while the snapshot is still being created. */
  createdAt?: Date;
  type?: string;
  engine?: string;
  allocatedStorageGiB?: number;
  tags: Record<string, string>;
}

/** RDS statuses after which a snapshot will never become available (from the SDK's waiter models). */
export const RDS_FAILED_STATUSES = ['deleted', 'deleting', 'failed', 'incompatible-restore', 'incompatible-parameters'];

/** A manual-snapshot quota of the account in this region, from DescribeAccountAttributes. */
export interface RdsQuota {
  used: number;
  max: number;
}

/**
 * True when a call may have taken effect although it failed: no answer at all (reset, timeout), or a
 * server-side error (5xx). A 4xx answer from RDS is definite: the call did not happen.
 */
export function isAmbiguous(error: unknown): boolean {
  const e = error as { $metadata?: { httpStatusCode?: number }; $fault?: string; name?: string };
  const status = e?.$metadata?.httpStatusCode;
  // A 2xx whose body never fully arrived is a lost answer too.
  if (status !== undefined) return status >= 500 || status < 300;
  return e?.$fault !== 'client' || /Timeout|ECONN|socket|network/i.test(e?.name ?? '');
}

/** The SDK's error name for a fault, with or without the `Fault` suffix the wire codes sometimes lack. */
export function rdsErrorIs(error: unknown, ...names: string[]): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return names.some((n) => name === n || name === `${n}Fault` || `${name}Fault` === n);
}

export class Rds {
  /** API calls sent (SDK retries not included). */
  calls = 0;
  readonly client: RDSClient;
  /** Sends once: for creates, which are never re-sent blindly. */
  readonly onceClient: RDSClient;

  constructor(options: { region?: string; client?: RDSClient; onceClient?: RDSClient } = {}) {
    this.client = options.client ?? new RDSClient({ region: options.region, maxAttempts: 5, ...awsClientOptions() });
    this.onceClient =
      options.onceClient ?? new RDSClient({ region: options.region, maxAttempts: 1, ...awsClientOptions() });
    for (const client of [this.client, this.onceClient]) {
      client.middlewareStack.add(
        (next) => (args) => {
          this.calls++;
          return next(args);
        },
        { step: 'initialize', name: 'countCalls' },
      );
    }
  }

  /**
   * The manual snapshot quota for `kind` (ManualSnapshots or ManualClusterSnapshots): how many exist and
   * how many the account may have here. Undefined when RDS does not report it.
   */
  async quota(kind: RdsKind): Promise<RdsQuota | undefined> {
    const out = await this.client.send(new DescribeAccountAttributesCommand({}));
    const name = kind === 'cluster' ? 'ManualClusterSnapshots' : 'ManualSnapshots';
    const q = out.AccountQuotas?.find((a) => a.AccountQuotaName === name);
    return q?.Used !== undefined && q.Max !== undefined ? { used: q.Used, max: q.Max } : undefined;
  }

  async instance(id: string): Promise<RdsSource | undefined> {
    try {
      const out = await this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
      const i = out.DBInstances?.[0];
      if (!i) return undefined;
      return {
        kind: 'instance',
        id: i.DBInstanceIdentifier ?? id,
        arn: i.DBInstanceArn,
        status: i.DBInstanceStatus ?? 'unknown',
        engine: i.Engine,
        clusterId: i.DBClusterIdentifier,
      };
    } catch (error) {
      if (rdsErrorIs(error, 'DBInstanceNotFound')) return undefined;
      throw error;
    }
  }

  async cluster(id: string): Promise<RdsSource | undefined> {
    try {
      const out = await this.client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
      const c = out.DBClusters?.[0];
      if (!c) return undefined;
      return {
        kind: 'cluster',
        id: c.DBClusterIdentifier ?? id,
        arn: c.DBClusterArn,
        status: c.Status ?? 'unknown',
        engine: c.Engine,
      };
    } catch (error) {
      if (rdsErrorIs(error, 'DBClusterNotFoundFault')) return undefined;
      throw error;
    }
  }

  async source(kind: RdsKind, id: string): Promise<RdsSource | undefined> {
    return kind === 'cluster' ? this.cluster(id) : this.instance(id);
  }

  async create(kind: RdsKind, source: string, id: string, tags: Record<string, string>): Promise<RdsSnapshot> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (kind === 'cluster') {
      const out = await this.onceClient.send(
        new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: source, DBClusterSnapshotIdentifier: id, Tags }),
      );
      return fromCluster(out.DBClusterSnapshot ?? {});
    }
    const out = await this.onceClient.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: source, DBSnapshotIdentifier: id, Tags }),
    );
    return fromInstance(out.DBSnapshot ?? {});
  }

  async get(kind: RdsKind, id: string): Promise<RdsSnapshot | undefined> {
    try {
      if (kind === 'cluster') {
        const out = await this.client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: id }));
        return out.DBClusterSnapshots?.[0] && fromCluster(out.DBClusterSnapshots[0]);
      }
      const out = await this.client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }));
      return out.DBSnapshots?.[0] && fromInstance(out.DBSnapshots[0]);
    } catch (error) {
      if (rdsErrorIs(error, 'DBSnapshotNotFound', 'DBClusterSnapshotNotFoundFault')) return undefined;
      throw error;
    }
  }

  /** Manual snapshots, of one source or (without `source`) of the whole region, every page. */
  async manual(kind: RdsKind, source?: string): Promise<RdsSnapshot[]> {
    const Filters: Filter[] = [{ Name: 'snapshot-type', Values: ['manual'] }];
    if (source) Filters.push({ Name: kind === 'cluster' ? 'db-cluster-id' : 'db-instance-id', Values: [source] });
    const all: RdsSnapshot[] = [];
    let Marker: string | undefined;
    do {
      if (kind === 'cluster') {
        const out = await this.client.send(new DescribeDBClusterSnapshotsCommand({ Filters, MaxRecords: 100, Marker }));
        all.push(...(out.DBClusterSnapshots ?? []).map(fromCluster));
        Marker = out.Marker;
      } else {
        const out = await this.client.send(new DescribeDBSnapshotsCommand({ Filters, MaxRecords: 100, Marker }));
        all.push(...(out.DBSnapshots ?? []).map(fromInstance));
        Marker = out.Marker;
      }
    } while (Marker);
    return all;
  }

  async delete(kind: RdsKind, id: string): Promise<void> {
    if (kind === 'cluster')
      await this.client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }));
    else await this.client.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id }));
  }

  async tag(arn: string, tags: Record<string, string>): Promise<void> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await this.client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags }));
  }
}

function tagMap(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? '']));
}

function fromInstance(s: DBSnapshot): RdsSnapshot {
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

function fromCluster(s: DBClusterSnapshot): RdsSnapshot {
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
