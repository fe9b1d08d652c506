import { randomUUID } from 'node:crypto';
import * as rdsModel from '@aws-sdk/client-rds';
import { EmulatedClock, type EmulatorRequest, type EmulatorResponse, EmulatorServer } from './server';

/**
 * Amazon RDS, the part snapshot-db uses, over the Query protocol (API 2014-10-31) the real
 * @aws-sdk/client-rds speaks: form-encoded `Action=...` POSTs answered with
 * `<XResponse><XResult>...</XResult><ResponseMetadata>` XML, errors as `<ErrorResponse><Error>` with the
 * wire codes RDS sends. Instances, Aurora clusters and their members, manual and automated snapshots
 * whose state moves `creating` → `available` (or `failed`) with PercentProgress on an emulated clock,
 * the manual-snapshot quotas (reported by DescribeAccountAttributes as ManualSnapshots and
 * ManualClusterSnapshots, used and max), busy instances, throttling the SDK retries, and lost answers
 * (the call takes effect, then the connection drops or a 500 comes back). Tests point the SDK at it with
 * AWS_ENDPOINT_URL_RDS.
 *
 * Every request is checked against the operation's input shape in the SDK's own model (the schemas
 * @aws-sdk/client-rds ships, generated from the RDS Smithy model), as the Query protocol serialises it
 * (`Tags.Tag.1.Key`, `Filters.Filter.1.Values.Value.1`): a parameter the operation does not have is
 * refused with 400 UnknownParameter "The parameter X is not recognized" (the Query services' answer), a
 * value of the wrong type with 400 ValidationError, a missing required member with MissingParameter, and
 * a SnapshotType outside the documented values with InvalidParameterValue. So a client and this emulator
 * cannot share a misreading of the API.
 */

export interface RdsTag {
  Key: string;
  Value: string;
}

export interface RdsInstance {
  id: string;
  status: string;
  engine: string;
  clusterId?: string;
  allocatedStorage: number;
  /** Emulated instant until which `status` holds; afterwards the instance is `available`. */
  busyUntil?: number;
}

export interface RdsCluster {
  id: string;
  status: string;
  engine: string;
  members: string[];
  allocatedStorage: number;
  busyUntil?: number;
}

export interface RdsSnapshot {
  id: string;
  /** Instance or cluster identifier. */
  source: string;
  kind: 'instance' | 'cluster';
  type: 'manual' | 'automated';
  engine: string;
  allocatedStorage: number;
  tags: RdsTag[];
  /** Emulated start and duration; the state is derived from them on every read. */
  startedAt: number;
  durationMs: number;
  fails: boolean;
  /** While in progress, the source reports `backing-up` (true for snapshots made through the API). */
  holdsSource?: boolean;
  deleted?: boolean;
}

export interface SnapshotPlan {
  /** Emulated time the snapshot takes. */
  durationMs?: number;
  /** End in `failed` instead of `available`. */
  fails?: boolean;
}

export interface RdsEmulatorOptions {
  /** Emulated ms per real ms. */
  scale?: number;
  region?: string;
  account?: string;
  /** Manual snapshots allowed per kind (RDS: 100 instance, 100 cluster). */
  quota?: number;
  /** Default emulated duration of a snapshot. */
  snapshotDurationMs?: number;
}

const LIST_MEMBERS: Record<string, string> = {
  TagList: 'Tag',
  DBSnapshots: 'DBSnapshot',
  DBClusterSnapshots: 'DBClusterSnapshot',
  DBInstances: 'DBInstance',
  DBClusters: 'DBCluster',
  DBClusterMembers: 'DBClusterMember',
  AccountQuotas: 'AccountQuota',
};

const IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]*$/;
/** SnapshotType values DescribeDBSnapshots / DescribeDBClusterSnapshots document. */
const SNAPSHOT_TYPES = ['automated', 'manual', 'shared', 'public', 'awsbacked'];

/**
 * The Query-protocol keys an operation accepts, from the SDK's static schemas: structure
 * `[3, ns, name, traits, memberNames, memberSchemas, requiredCount]`, list `[1, ns, name, traits, member]`,
 * operation `[9, ns, name, traits, () => input, () => output]`; simple members are 0 (string), 1 (number),
 * 2 (boolean), 4-7 (timestamps). Each leaf becomes a pattern (`Tags\.Tag\.\d+\.Key`) with its type.
 */
type Leaf = { pattern: RegExp; type: number; name: string };
type StaticSchema = unknown;

function deref(schema: StaticSchema): { schema: StaticSchema; traits: Record<string, unknown> } {
  if (typeof schema === 'function') return deref((schema as () => StaticSchema)());
  if (Array.isArray(schema) && typeof schema[0] === 'function' && schema.length === 2) {
    return { schema: (schema[0] as () => StaticSchema)(), traits: (schema[1] as Record<string, unknown>) || {} };
  }
  if (Array.isArray(schema) && typeof schema[0] === 'number' && schema.length === 2 && typeof schema[1] === 'object') {
    return { schema: schema[0], traits: (schema[1] as Record<string, unknown>) || {} };
  }
  return { schema, traits: {} };
}

function leavesOf(schema: StaticSchema, prefix: string, depth = 0): Leaf[] {
  const { schema: s } = deref(schema);
  if (typeof s === 'number') return [{ pattern: new RegExp(`^${prefix}$`), type: s, name: prefix }];
  if (!Array.isArray(s) || depth > 6) return [];
  if (s[0] === 3) {
    const names = s[4] as string[];
    const members = s[5] as StaticSchema[];
    return names.flatMap((name, i) => {
      const { traits } = deref(members[i]);
      const key = (traits.xmlName as string | undefined) ?? name;
      return leavesOf(members[i], prefix ? `${prefix}\\.${key}` : key, depth + 1);
    });
  }
  if (s[0] === 1) {
    const { traits } = deref(s[4]);
    const member = (traits.xmlName as string | undefined) ?? 'member';
    return leavesOf(s[4], `${prefix}\\.${member}\\.\\d+`, depth + 1);
  }
  return [];
}

const inputShapes = new Map<string, { leaves: Leaf[]; required: string[] } | undefined>();

function inputShape(action: string): { leaves: Leaf[]; required: string[] } | undefined {
  if (!inputShapes.has(action)) {
    const operation = (rdsModel as Record<string, unknown>)[`${action}$`];
    if (!Array.isArray(operation) || operation[0] !== 9) inputShapes.set(action, undefined);
    else {
      const input = deref(operation[4]).schema as unknown[];
      const names = (input[4] as string[]) ?? [];
      const requiredCount = typeof input[6] === 'number' ? input[6] : 0;
      inputShapes.set(action, { leaves: leavesOf(input, ''), required: names.slice(0, requiredCount) });
    }
  }
  return inputShapes.get(action);
}

/** Refuses what RDS refuses about the shape of a request, before any semantics. */
function checkAgainstModel(action: string, form: URLSearchParams): void {
  const shape = inputShape(action);
  if (!shape) throw new RdsFault('InvalidAction', `The action ${action} is not valid for this web service.`);
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    const leaf = shape.leaves.find((l) => l.pattern.test(key));
    if (!leaf) throw new RdsFault('UnknownParameter', `The parameter ${key} is not recognized`);
    const bad =
      (leaf.type === 1 && !/^-?\d+(\.\d+)?$/.test(value)) || (leaf.type === 2 && value !== 'true' && value !== 'false');
    if (bad) {
      throw new RdsFault(
        'ValidationError',
        `1 validation error detected: Value '${value}' at '${key}' failed to satisfy constraint: Member must be ${leaf.type === 1 ? 'a number' : 'a boolean'}`,
      );
    }
  }
  for (const name of shape.required) {
    const present = [...form.keys()].some((k) => k === name || k.startsWith(`${name}.`));
    if (!present) throw new RdsFault('MissingParameter', `The request must contain the parameter ${name}`);
  }
}

class RdsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class RdsEmulator {
  readonly server = new EmulatorServer();
  readonly clock: EmulatedClock;
  readonly region: string;
  readonly account: string;
  quota: number;
  snapshotDurationMs: number;
  readonly instances = new Map<string, RdsInstance>();
  readonly clusters = new Map<string, RdsCluster>();
  readonly snapshots = new Map<string, RdsSnapshot>();
  /** Every Action handled, in order, errors included (injected throttling answers only reach `server.requests`). */
  readonly actions: string[] = [];
  private readonly plans: SnapshotPlan[] = [];
  private readonly lostAnswers: { action: string; left: number }[] = [];
  private readonly pendingBusy = new Map<string, { status: string; forMs: number }>();

  constructor(options: RdsEmulatorOptions = {}) {
    this.clock = new EmulatedClock(options.scale ?? 1);
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    this.quota = options.quota ?? 100;
    this.snapshotDurationMs = options.snapshotDurationMs ?? 60_000;
    this.server.route('POST', /^\/$/, (req) => this.handle(req));
  }

  get url(): string {
    return this.server.url;
  }

  listen(): Promise<string> {
    return this.server.listen();
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Calls of one Action (e.g. 'DescribeDBSnapshots'). */
  calls(action?: string): number {
    return action ? this.actions.filter((a) => a === action).length : this.actions.length;
  }

  addInstance(id: string, options: Partial<Omit<RdsInstance, 'id'>> = {}): RdsInstance {
    const instance: RdsInstance = { status: 'available', engine: 'postgres', allocatedStorage: 20, ...options, id };
    this.instances.set(id.toLowerCase(), instance);
    if (instance.clusterId) this.clusters.get(instance.clusterId.toLowerCase())?.members.push(instance.id);
    return instance;
  }

  addCluster(id: string, options: Partial<Omit<RdsCluster, 'id' | 'members'>> & { members?: string[] } = {}) {
    const cluster: RdsCluster = {
      status: 'available',
      engine: 'aurora-postgresql',
      allocatedStorage: 1,
      ...options,
      members: [],
      id,
    };
    this.clusters.set(id.toLowerCase(), cluster);
    for (const member of options.members ?? []) this.addInstance(member, { clusterId: id, engine: cluster.engine });
    return cluster;
  }

  /** Makes an instance or cluster report `status` for `forMs` emulated ms, then `available`. */
  setBusy(id: string, status: string, forMs: number): void {
    const target = this.instances.get(id.toLowerCase()) ?? this.clusters.get(id.toLowerCase());
    if (!target) throw new Error(`no instance or cluster ${id}`);
    target.status = status;
    target.busyUntil = this.clock.now() + forMs;
  }

  /**
   * The next CreateDBSnapshot of `id` finds the instance taken (as when an automated backup or a
   * modification starts between a client's check and its create): it turns `status` for `forMs`.
   */
  busyOnNextCreate(id: string, status: string, forMs: number): void {
    this.pendingBusy.set(id.toLowerCase(), { status, forMs });
  }

  /** How the next snapshots created will behave, in order. */
  plan(...plans: SnapshotPlan[]): void {
    this.plans.push(...plans);
  }

  /** An existing snapshot (another tool's, an older one of ours, an automated one, one still in progress). */
  seedSnapshot(
    snapshot: Partial<RdsSnapshot> & Pick<RdsSnapshot, 'id' | 'source'> & { ageMs?: number; inProgress?: boolean },
  ): RdsSnapshot {
    const { ageMs = 86_400_000, inProgress = false, ...rest } = snapshot;
    const seeded: RdsSnapshot = {
      kind: 'instance',
      type: 'manual',
      engine: 'postgres',
      allocatedStorage: 20,
      tags: [],
      startedAt: this.clock.now() - ageMs,
      durationMs: inProgress ? ageMs + 86_400_000 : 0,
      fails: false,
      ...rest,
    };
    this.snapshots.set(this.key(seeded.kind, seeded.id), seeded);
    return seeded;
  }

  /**
   * The next `times` calls of `action` take effect, and their answer is lost: `reset` drops the
   * connection once the call is done, `server-error` answers 500 InternalFailure (as RDS does when it
   * fails after committing). Either way the client cannot know whether the call happened.
   */
  loseAnswer(action: string, how: 'reset' | 'server-error' = 'reset', times = 1): void {
    if (how === 'reset') {
      this.server.inject({
        method: 'POST',
        times,
        lostAnswer: 'reset',
        match: (req: EmulatorRequest) => req.form().get('Action') === action,
      });
    } else this.lostAnswers.push({ action, left: times });
  }

  /** Answers the next `times` calls (of `action`, or any) with a 400 Throttling error, which the SDK retries. */
  throttle(times: number): void {
    this.server.inject({
      method: 'POST',
      times,
      status: 400,
      headers: { 'content-type': 'text/xml' },
      body: errorXml('Throttling', 'Rate exceeded', 'Sender'),
    });
  }

  snapshot(id: string, kind: 'instance' | 'cluster' = 'instance'): RdsSnapshot | undefined {
    const found = this.snapshots.get(this.key(kind, id));
    return found && !found.deleted ? found : undefined;
  }

  /** Status, progress and create time of a snapshot now. */
  state(snapshot: RdsSnapshot): { status: string; percent: number; createdAt?: Date } {
    if (snapshot.deleted) return { status: 'deleted', percent: 100 };
    const elapsed = this.clock.now() - snapshot.startedAt;
    if (elapsed < snapshot.durationMs) {
      return { status: 'creating', percent: Math.floor((elapsed / snapshot.durationMs) * 100) };
    }
    if (snapshot.fails) return { status: 'failed', percent: Math.floor((elapsed / snapshot.durationMs) * 100) };
    return { status: 'available', percent: 100, createdAt: new Date(snapshot.startedAt) };
  }

  private key(kind: 'instance' | 'cluster', id: string): string {
    return `${kind}:${id.toLowerCase()}`;
  }

  private arn(kind: 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot', id: string): string {
    return `arn:aws:rds:${this.region}:${this.account}:${kind}:${id}`;
  }

  private instanceStatus(instance: RdsInstance): string {
    if (instance.busyUntil !== undefined && this.clock.now() >= instance.busyUntil) {
      instance.status = 'available';
      instance.busyUntil = undefined;
    }
    if (instance.status !== 'available') return instance.status;
    const backingUp = [...this.snapshots.values()].some(
      (s) => s.holdsSource && s.kind === 'instance' && s.source === instance.id && this.state(s).status === 'creating',
    );
    return backingUp ? 'backing-up' : 'available';
  }

  private clusterStatus(cluster: RdsCluster): string {
    if (cluster.busyUntil !== undefined && this.clock.now() >= cluster.busyUntil) {
      cluster.status = 'available';
      cluster.busyUntil = undefined;
    }
    return cluster.status;
  }

  private handle(req: EmulatorRequest): EmulatorResponse {
    const form = req.form();
    const action = form.get('Action') ?? '';
    this.actions.push(action);
    try {
      if (form.get('Version') !== '2014-10-31') throw new RdsFault('InvalidAction', 'Version must be 2014-10-31');
      checkAgainstModel(action, form);
      const result = this.dispatch(action, form);
      const lost = this.lostAnswers.find((l) => l.action === action && l.left > 0);
      if (lost) {
        lost.left--;
        return {
          status: 500,
          headers: { 'content-type': 'text/xml' },
          body: errorXml(
            'InternalFailure',
            'The request processing has failed because of an unknown error.',
            'Receiver',
          ),
        };
      }
      const body = `<${action}Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
      return { status: 200, headers: { 'content-type': 'text/xml' }, body };
    } catch (error) {
      if (!(error instanceof RdsFault)) throw error;
      return {
        status: error.status,
        headers: { 'content-type': 'text/xml' },
        body: errorXml(error.code, error.message),
      };
    }
  }

  private dispatch(action: string, form: URLSearchParams): string {
    switch (action) {
      case 'DescribeAccountAttributes':
        return this.accountAttributes();
      case 'DescribeDBInstances':
        return this.describeInstances(form);
      case 'DescribeDBClusters':
        return this.describeClusters(form);
      case 'CreateDBSnapshot':
        return this.createSnapshot('instance', form);
      case 'CreateDBClusterSnapshot':
        return this.createSnapshot('cluster', form);
      case 'DescribeDBSnapshots':
        return this.describeSnapshots('instance', form);
      case 'DescribeDBClusterSnapshots':
        return this.describeSnapshots('cluster', form);
      case 'DeleteDBSnapshot':
        return this.deleteSnapshot('instance', form);
      case 'DeleteDBClusterSnapshot':
        return this.deleteSnapshot('cluster', form);
      case 'AddTagsToResource':
        return this.addTags(form);
      case 'ListTagsForResource':
        return xml({ TagList: this.byArn(required(form, 'ResourceName')).tags });
      default:
        throw new RdsFault('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  /** The account's quotas; the two manual-snapshot ones are real counts against `quota`. */
  private accountAttributes(): string {
    const manual = (kind: 'instance' | 'cluster') =>
      [...this.snapshots.values()].filter((s) => s.kind === kind && s.type === 'manual' && !s.deleted).length;
    return xml({
      AccountQuotas: [
        { AccountQuotaName: 'DBInstances', Used: this.instances.size, Max: 40 },
        { AccountQuotaName: 'DBClusters', Used: this.clusters.size, Max: 40 },
        { AccountQuotaName: 'ManualSnapshots', Used: manual('instance'), Max: this.quota },
        { AccountQuotaName: 'ManualClusterSnapshots', Used: manual('cluster'), Max: this.quota },
      ],
    });
  }

  private describeInstances(form: URLSearchParams): string {
    const id = form.get('DBInstanceIdentifier');
    let instances = [...this.instances.values()];
    if (id) {
      instances = instances.filter((i) => i.id.toLowerCase() === id.toLowerCase());
      if (!instances.length) throw new RdsFault('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
    }
    return xml({
      DBInstances: instances.map((i) => ({
        DBInstanceIdentifier: i.id,
        DBInstanceStatus: this.instanceStatus(i),
        Engine: i.engine,
        AllocatedStorage: i.allocatedStorage,
        DBClusterIdentifier: i.clusterId,
        DBInstanceArn: this.arn('db', i.id),
      })),
    });
  }

  private describeClusters(form: URLSearchParams): string {
    const id = form.get('DBClusterIdentifier');
    let clusters = [...this.clusters.values()];
    if (id) {
      clusters = clusters.filter((c) => c.id.toLowerCase() === id.toLowerCase());
      if (!clusters.length) throw new RdsFault('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
    }
    return xml({
      DBClusters: clusters.map((c) => ({
        DBClusterIdentifier: c.id,
        Status: this.clusterStatus(c),
        Engine: c.engine,
        AllocatedStorage: c.allocatedStorage,
        DBClusterArn: this.arn('cluster', c.id),
        DBClusterMembers: c.members.map((m, i) => ({ DBInstanceIdentifier: m, IsClusterWriter: i === 0 })),
      })),
    });
  }

  private createSnapshot(kind: 'instance' | 'cluster', form: URLSearchParams): string {
    const cluster = kind === 'cluster';
    const sourceId = required(form, cluster ? 'DBClusterIdentifier' : 'DBInstanceIdentifier');
    const id = required(form, cluster ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier');
    const max = cluster ? 63 : 255;
    if (!IDENTIFIER.test(id) || id.length > max || id.endsWith('-')) {
      throw new RdsFault(
        'InvalidParameterValue',
        `The parameter ${cluster ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier'} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
      );
    }
    let engine: string;
    let storage: number;
    let source: string;
    if (cluster) {
      const c = this.clusters.get(sourceId.toLowerCase());
      if (!c) throw new RdsFault('DBClusterNotFoundFault', `DBCluster ${sourceId} not found.`, 404);
      if (this.clusterStatus(c) !== 'available') {
        throw new RdsFault('InvalidDBClusterStateFault', `DBCluster ${c.id} is not in the available state.`);
      }
      ({ engine, allocatedStorage: storage, id: source } = c);
    } else {
      const i = this.instances.get(sourceId.toLowerCase());
      if (!i) throw new RdsFault('DBInstanceNotFound', `DBInstance ${sourceId} not found.`, 404);
      const busy = this.pendingBusy.get(i.id.toLowerCase());
      if (busy) {
        this.pendingBusy.delete(i.id.toLowerCase());
        this.setBusy(i.id, busy.status, busy.forMs);
      }
      if (i.clusterId) {
        throw new RdsFault(
          'InvalidParameterValue',
          'The specified instance is a member of a cluster and a snapshot cannot be created directly. Please use the CreateDBClusterSnapshot API instead.',
        );
      }
      const status = this.instanceStatus(i);
      if (status !== 'available' && status !== 'storage-optimization') {
        throw new RdsFault(
          'InvalidDBInstanceState',
          `Cannot create a snapshot because the database instance ${i.id} is not currently in the available state.`,
        );
      }
      ({ engine, allocatedStorage: storage, id: source } = i);
    }
    if (this.snapshot(id, kind)) {
      throw cluster
        ? new RdsFault(
            'DBClusterSnapshotAlreadyExistsFault',
            `Cannot create the cluster snapshot because one with the identifier ${id} already exists.`,
          )
        : new RdsFault(
            'DBSnapshotAlreadyExists',
            `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
          );
    }
    const manual = [...this.snapshots.values()].filter((s) => s.kind === kind && s.type === 'manual' && !s.deleted);
    if (manual.length >= this.quota) {
      throw new RdsFault(
        cluster ? 'SnapshotQuotaExceededFault' : 'SnapshotQuotaExceeded',
        `Cannot create more than ${this.quota} manual snapshots`,
      );
    }
    const tags = parseTags(form);
    checkTags(tags);
    const plan = this.plans.shift() ?? {};
    const snapshot: RdsSnapshot = {
      id: id.toLowerCase(),
      source,
      kind,
      type: 'manual',
      engine,
      allocatedStorage: storage,
      tags,
      startedAt: this.clock.now(),
      durationMs: plan.durationMs ?? this.snapshotDurationMs,
      fails: plan.fails ?? false,
      holdsSource: true,
    };
    this.snapshots.set(this.key(kind, id), snapshot);
    return xml({ [cluster ? 'DBClusterSnapshot' : 'DBSnapshot']: this.render(snapshot) });
  }

  private describeSnapshots(kind: 'instance' | 'cluster', form: URLSearchParams): string {
    const cluster = kind === 'cluster';
    const id = form.get(cluster ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier');
    const source = form.get(cluster ? 'DBClusterIdentifier' : 'DBInstanceIdentifier');
    const type = form.get('SnapshotType');
    if (type !== null && !SNAPSHOT_TYPES.includes(type)) {
      throw new RdsFault('InvalidParameterValue', `Invalid snapshot type: ${type}`);
    }
    const filters = parseFilters(form);
    const maxRecords = Number(form.get('MaxRecords') ?? 100);
    if (!Number.isInteger(maxRecords) || maxRecords < 20 || maxRecords > 100) {
      throw new RdsFault('InvalidParameterValue', 'Invalid value for MaxRecords: must be from 20 to 100.');
    }
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    const sourceFilter = cluster ? 'db-cluster-id' : 'db-instance-id';
    const idFilter = cluster ? 'db-cluster-snapshot-id' : 'db-snapshot-id';
    let found = [...this.snapshots.values()].filter((s) => s.kind === kind && !s.deleted);
    if (id) found = found.filter((s) => same(s.id, id));
    if (source) found = found.filter((s) => same(s.source, source));
    if (type) found = found.filter((s) => s.type === type);
    for (const [name, values] of filters) {
      const match = (s: RdsSnapshot): boolean => {
        if (name === sourceFilter) return values.some((v) => same(v, s.source) || same(v, this.sourceArn(s)));
        if (name === idFilter) return values.some((v) => same(v, s.id));
        if (name === 'snapshot-type') return values.includes(s.type);
        if (name === 'engine') return values.includes(s.engine);
        throw new RdsFault('InvalidParameterValue', `Unrecognized filter name: ${name}.`);
      };
      found = found.filter(match);
    }
    if (id && !found.length) {
      throw cluster
        ? new RdsFault('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404)
        : new RdsFault('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404);
    }
    const start = Number(form.get('Marker') ?? 0);
    const page = found.slice(start, start + maxRecords);
    const marker = start + maxRecords < found.length ? String(start + maxRecords) : undefined;
    return xml({
      Marker: marker,
      [cluster ? 'DBClusterSnapshots' : 'DBSnapshots']: page.map((s) => this.render(s)),
    });
  }

  private deleteSnapshot(kind: 'instance' | 'cluster', form: URLSearchParams): string {
    const cluster = kind === 'cluster';
    const id = required(form, cluster ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier');
    const snapshot = this.snapshot(id, kind);
    if (!snapshot) {
      throw cluster
        ? new RdsFault('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404)
        : new RdsFault('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404);
    }
    if (snapshot.type === 'automated') {
      throw new RdsFault('InvalidDBSnapshotState', 'Only manual snapshots may be deleted.');
    }
    const { status } = this.state(snapshot);
    if (status !== 'available' && status !== 'failed') {
      throw cluster
        ? new RdsFault('InvalidDBClusterSnapshotStateFault', `Cannot delete the cluster snapshot in state ${status}.`)
        : new RdsFault('InvalidDBSnapshotState', `Cannot delete the snapshot because it is in state ${status}.`);
    }
    snapshot.deleted = true;
    return xml({ [cluster ? 'DBClusterSnapshot' : 'DBSnapshot']: this.render(snapshot) });
  }

  private addTags(form: URLSearchParams): string {
    const target = this.byArn(required(form, 'ResourceName'));
    const tags = parseTags(form);
    for (const tag of tags) {
      const existing = target.tags.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else target.tags.push(tag);
    }
    checkTags(target.tags);
    return '';
  }

  private byArn(arn: string): { tags: RdsTag[] } {
    const match = /^arn:aws:rds:[^:]+:\d+:(snapshot|cluster-snapshot):(.+)$/.exec(arn);
    const snapshot = match && this.snapshot(match[2], match[1] === 'snapshot' ? 'instance' : 'cluster');
    if (!snapshot) throw new RdsFault('DBSnapshotNotFound', `Resource ${arn} not found.`, 404);
    return snapshot;
  }

  private sourceArn(s: RdsSnapshot): string {
    return this.arn(s.kind === 'cluster' ? 'cluster' : 'db', s.source);
  }

  private render(s: RdsSnapshot): Record<string, unknown> {
    const { status, percent, createdAt } = this.state(s);
    const cluster = s.kind === 'cluster';
    return {
      [cluster ? 'DBClusterSnapshotIdentifier' : 'DBSnapshotIdentifier']: s.id,
      [cluster ? 'DBClusterIdentifier' : 'DBInstanceIdentifier']: s.source,
      SnapshotCreateTime: createdAt,
      Engine: s.engine,
      AllocatedStorage: s.allocatedStorage,
      Status: status,
      PercentProgress: percent,
      SnapshotType: s.type,
      [cluster ? 'DBClusterSnapshotArn' : 'DBSnapshotArn']: this.arn(cluster ? 'cluster-snapshot' : 'snapshot', s.id),
      TagList: s.tags,
    };
  }
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new RdsFault('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

function parseTags(form: URLSearchParams): RdsTag[] {
  const tags: RdsTag[] = [];
  for (let n = 1; form.has(`Tags.Tag.${n}.Key`); n++) {
    tags.push({ Key: form.get(`Tags.Tag.${n}.Key`)!, Value: form.get(`Tags.Tag.${n}.Value`) ?? '' });
  }
  return tags;
}

function checkTags(tags: RdsTag[]): void {
  if (tags.length > 50)
    throw new RdsFault('TagQuotaPerResourceExceeded', 'Cannot have more than 50 tags per resource.');
  for (const { Key, Value } of tags) {
    if (!Key || Key.length > 128 || /^(aws|rds):/i.test(Key) || Value.length > 256) {
      throw new RdsFault('InvalidParameterValue', `Invalid tag: ${Key}`);
    }
  }
}

function parseFilters(form: URLSearchParams): [string, string[]][] {
  const filters: [string, string[]][] = [];
  for (let n = 1; form.has(`Filters.Filter.${n}.Name`); n++) {
    const values: string[] = [];
    for (let m = 1; form.has(`Filters.Filter.${n}.Values.Value.${m}`); m++) {
      values.push(form.get(`Filters.Filter.${n}.Values.Value.${m}`)!);
    }
    filters.push([form.get(`Filters.Filter.${n}.Name`)!, values]);
  }
  return filters;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** Elements for an object; lists wrap each item in the member element the RDS model names. */
function xml(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([name, v]) => element(name, v))
    .join('');
}

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const member = LIST_MEMBERS[name] ?? 'member';
    return `<${name}>${value.map((item) => element(member, item)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') return `<${name}>${xml(value as Record<string, unknown>)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function errorXml(code: string, message: string, type = 'Sender'): string {
  return `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}
