import { applyResources, mountCloudSql, secretEnvVar, writable } from './cloudrun-spec-check';
import type { Container, EnvVar, Job } from './cloudrun-types';

/**
 * The Job body deploy-cloudrun and run-migrations' cloudrun-job mode ask Cloud Run for. Part of the Cloud Run
 * spec module (cloudrun-spec.ts describes the whole); deployJob (cloudrun-jobs.ts) sends it.
 */

export interface JobSpec {
  project: string;
  region: string;
  /** The job ID (short name). */
  job: string;
  image: string;
  /** Plain environment variables. */
  env?: Record<string, string>;
  /** Secret Manager references: NAME → { secret, version }. */
  secretEnv?: Record<string, { secret: string; version?: string }>;
  /** Replace (default) or merge with the variables the job has. */
  envStrategy?: 'merge' | 'overwrite';
  command?: string[];
  args?: string[];
  labels?: Record<string, string>;
  taskCount?: number;
  parallelism?: number;
  maxRetries?: number;
  /** Per-task timeout, e.g. "600s". */
  taskTimeout?: string;
  serviceAccount?: string;
  cpu?: string;
  memory?: string;
  /** CPU only while tasks run; jobs' default. */
  cpuIdle?: boolean;
  /** Cloud SQL instance connection names (project:region:instance), mounted at /cloudsql. */
  cloudsqlInstances?: string[];
  vpcConnector?: string;
  vpcEgress?: 'ALL_TRAFFIC' | 'PRIVATE_RANGES_ONLY';
}

/**
 * The job as it should be: `existing` (when updating) without its output-only fields, with what the spec
 * sets replaced; every other field (annotations, launchStage, binaryAuthorization, ...) is kept.
 */
export function jobBody(spec: JobSpec, existing?: Job): Job {
  const body: Job = existing ? writable(existing, 'Job') : {};
  delete body.name;
  const template = body.template ?? {};
  body.template = template;
  template.template ??= {};
  const task = template.template;
  task.containers ??= [];
  const containers = task.containers;
  const container: Container = containers[0] ?? { image: spec.image };
  containers[0] = container;
  container.image = spec.image;
  if (spec.command) container.command = spec.command;
  if (spec.args) container.args = spec.args;
  if (spec.env || spec.secretEnv) {
    const wanted: EnvVar[] = [
      ...Object.entries(spec.env ?? {}).map(([n, value]) => ({ name: n, value })),
      ...Object.entries(spec.secretEnv ?? {}).map(([n, ref]) => secretEnvVar(n, ref)),
    ];
    const names = new Set(wanted.map((e) => e.name));
    const kept = spec.envStrategy === 'merge' ? (container.env ?? []).filter((e) => !names.has(e.name)) : [];
    container.env = [...kept, ...wanted];
  }
  if (spec.cpu || spec.memory) applyResources(container, { cpu: spec.cpu, memory: spec.memory, cpuIdle: spec.cpuIdle });
  if (spec.taskCount !== undefined) template.taskCount = spec.taskCount;
  if (spec.parallelism !== undefined) template.parallelism = spec.parallelism;
  if (spec.maxRetries !== undefined) task.maxRetries = spec.maxRetries;
  if (spec.taskTimeout) task.timeout = spec.taskTimeout;
  if (spec.serviceAccount) task.serviceAccount = spec.serviceAccount;
  if (spec.vpcConnector) task.vpcAccess = { connector: spec.vpcConnector, egress: spec.vpcEgress };
  mountCloudSql(task, container, spec.cloudsqlInstances ?? []);
  if (existing?.etag) body.etag = existing.etag;
  if (spec.labels || existing?.labels) body.labels = { ...existing?.labels, ...spec.labels };
  return body;
}
