/**
 * The Cloud Run Admin API v2 resources, as far as the actions read or write them (google/cloud/run/v2/*.proto
 * in JSON form: int64 fields such as `generation` are strings, durations are like "300s").
 */

export type ConditionState =
  | 'STATE_UNSPECIFIED'
  | 'CONDITION_PENDING'
  | 'CONDITION_RECONCILING'
  | 'CONDITION_FAILED'
  | 'CONDITION_SUCCEEDED';

export interface Condition {
  type?: string;
  state?: ConditionState;
  message?: string;
  lastTransitionTime?: string;
  severity?: string;
  reason?: string;
  revisionReason?: string;
  executionReason?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueSource?: { secretKeyRef?: { secret: string; version?: string } };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
}

export interface Volume {
  name: string;
  secret?: { secret: string; items?: { path: string; version?: string; mode?: number }[]; defaultMode?: number };
  cloudSqlInstance?: { instances?: string[] };
  [other: string]: unknown;
}

export interface Probe {
  httpGet?: { path?: string; port?: number; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port?: number };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  [other: string]: unknown;
}

export interface Container {
  name?: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  resources?: { limits?: Record<string, string>; cpuIdle?: boolean; startupCpuBoost?: boolean };
  ports?: { name?: string; containerPort?: number }[];
  volumeMounts?: VolumeMount[];
  workingDir?: string;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  [other: string]: unknown;
}

export interface VpcAccess {
  connector?: string;
  egress?: 'VPC_EGRESS_UNSPECIFIED' | 'ALL_TRAFFIC' | 'PRIVATE_RANGES_ONLY';
  networkInterfaces?: unknown[];
}

export interface RevisionTemplate {
  revision?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  scaling?: { minInstanceCount?: number; maxInstanceCount?: number };
  vpcAccess?: VpcAccess;
  timeout?: string;
  serviceAccount?: string;
  containers?: Container[];
  volumes?: Volume[];
  executionEnvironment?: string;
  maxInstanceRequestConcurrency?: number;
  [other: string]: unknown;
}

export type TrafficType =
  | 'TRAFFIC_TARGET_ALLOCATION_TYPE_UNSPECIFIED'
  | 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'
  | 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';

export interface TrafficTarget {
  type?: TrafficType;
  /** The short revision name (`svc-00003-abc`), when type is REVISION. */
  revision?: string;
  percent?: number;
  tag?: string;
}

export interface TrafficTargetStatus extends TrafficTarget {
  uri?: string;
}

export interface Service {
  name?: string;
  description?: string;
  uid?: string;
  generation?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  createTime?: string;
  updateTime?: string;
  launchStage?: string;
  ingress?: string;
  template?: RevisionTemplate;
  traffic?: TrafficTarget[];
  observedGeneration?: string;
  terminalCondition?: Condition;
  conditions?: Condition[];
  latestReadyRevision?: string;
  latestCreatedRevision?: string;
  trafficStatuses?: TrafficTargetStatus[];
  uri?: string;
  urls?: string[];
  reconciling?: boolean;
  etag?: string;
  [other: string]: unknown;
}

export interface Revision {
  name: string;
  uid?: string;
  generation?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  createTime?: string;
  service?: string;
  containers?: Container[];
  conditions?: Condition[];
  observedGeneration?: string;
  logUri?: string;
  reconciling?: boolean;
  etag?: string;
  [other: string]: unknown;
}

export interface OperationStatus {
  code?: number;
  message?: string;
  details?: unknown[];
}

export interface Operation<T = unknown> {
  name: string;
  metadata?: { '@type'?: string } & Partial<T> & Record<string, unknown>;
  done?: boolean;
  error?: OperationStatus;
  response?: { '@type'?: string } & T;
}

export interface TaskTemplate {
  containers?: Container[];
  volumes?: Volume[];
  maxRetries?: number;
  timeout?: string;
  serviceAccount?: string;
  vpcAccess?: VpcAccess;
  [other: string]: unknown;
}

export interface Job {
  name?: string;
  generation?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  launchStage?: string;
  template?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    parallelism?: number;
    taskCount?: number;
    template?: TaskTemplate;
  };
  observedGeneration?: string;
  terminalCondition?: Condition;
  conditions?: Condition[];
  executionCount?: number;
  latestCreatedExecution?: { name?: string; createTime?: string; completionTime?: string };
  reconciling?: boolean;
  etag?: string;
  [other: string]: unknown;
}

export interface Execution {
  name: string;
  job?: string;
  createTime?: string;
  startTime?: string;
  completionTime?: string;
  parallelism?: number;
  taskCount?: number;
  runningCount?: number;
  succeededCount?: number;
  failedCount?: number;
  cancelledCount?: number;
  retriedCount?: number;
  conditions?: Condition[];
  observedGeneration?: string;
  reconciling?: boolean;
  logUri?: string;
  etag?: string;
  [other: string]: unknown;
}

export interface Policy {
  version?: number;
  bindings?: { role: string; members: string[]; condition?: unknown }[];
  etag?: string;
}

export interface JobOverrides {
  containerOverrides?: { name?: string; args?: string[]; env?: EnvVar[]; clearArgs?: boolean }[];
  taskCount?: number;
  timeout?: string;
}
