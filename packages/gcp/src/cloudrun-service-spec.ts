import { createHash } from 'node:crypto';
import { safeMerge } from '@deploy-actions/toolkit';
import { applyResources, mountCloudSql, secretEnvVar, writable } from './cloudrun-spec-check';
import type { Container, EnvVar, RevisionTemplate, Service, Volume, VolumeMount } from './cloudrun-types';

/**
 * The Service body deploy-cloudrun asks Cloud Run for: the current one (when updating) without its
 * output-only fields, with what the spec sets replaced, and the new revision named so traffic can point at
 * it in the same update. Part of the Cloud Run spec module (cloudrun-spec.ts describes the whole).
 * Environment variables follow the update strategies, and a variable that moves between a plain value and
 * a secret (either way) ends up as exactly one of them, never both.
 */

export type UpdateStrategy = 'merge' | 'overwrite';

export interface SecretRef {
  secret: string;
  version: string;
}

export interface SecretFile extends SecretRef {
  /** Directory the secret volume is mounted at, and the file name in it. */
  dir: string;
  file: string;
}

/** What the caller wants of the service; fields left undefined keep what the service has. */
export interface ServiceSpec {
  image: string;
  /** The new revision's name (`revisionName`). */
  revision: string;
  /** Labels for the service and its revisions (defaults included: `defaultLabels`). */
  labels: Record<string, string>;
  env: Record<string, string>;
  envStrategy: UpdateStrategy;
  secretEnv: Record<string, SecretRef>;
  secretFiles: SecretFile[];
  secretsStrategy: UpdateStrategy;
  /** `INGRESS_TRAFFIC_ALL`, ... */
  ingress?: string;
  invokerIamDisabled?: boolean;
  cpu?: string;
  memory?: string;
  /** CPU only during requests; undefined keeps what the service has (true for a new one). */
  cpuIdle?: boolean;
  concurrency?: number;
  minInstances?: number;
  maxInstances?: number;
  requestTimeoutMs?: number;
  serviceAccount?: string;
  vpcConnector?: string;
  vpcEgress?: 'ALL_TRAFFIC' | 'PRIVATE_RANGES_ONLY';
  cloudsqlInstances: string[];
  port?: number;
  portName?: 'http1' | 'h2c';
  command?: string[];
  args?: string[];
  startupProbePath?: string;
  /** Merged last (safeMerge: own keys only; prototype keys refused), already checked with `patchProblem`. */
  patch?: Record<string, unknown>;
}

/** The labels every deploy adds unless told not to. */
export function defaultLabels(sha: string): Record<string, string> {
  return { 'managed-by': 'github-actions', 'commit-sha': sha.toLowerCase() };
}

/** `api-a1b2c3d-k4x9`: unique per deploy, traceable to the commit, within Cloud Run's 63 characters. */
export function revisionName(service: string, sha: string, suffix?: string): string {
  const tail = suffix ?? `${sha.slice(0, 7).toLowerCase()}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`;
  return `${service}-${tail}`;
}

export function serviceBody(spec: ServiceSpec, existing?: Service): Service {
  let service: Service = existing ? writable(existing, 'Service') : {};
  if (!existing) delete service.name;
  if (spec.ingress) service.ingress = spec.ingress;
  if (spec.invokerIamDisabled !== undefined) service.invokerIamDisabled = spec.invokerIamDisabled;
  service.template ??= {};
  const template: RevisionTemplate = service.template;
  template.revision = spec.revision;
  template.containers ??= [];
  const container: Container = template.containers[0] ?? { image: spec.image };
  template.containers[0] = container;
  container.image = spec.image;

  if (Object.keys(spec.labels).length) {
    service.labels = { ...service.labels, ...spec.labels };
    template.labels = { ...template.labels, ...spec.labels };
  }

  container.env = mergeEnv(container.env ?? [], spec);
  applySecretFiles(template, container, spec);
  applySettings(template, container, spec);
  // Own keys only, into null-prototype objects; __proto__/constructor/prototype refused (patchProblem did too).
  if (spec.patch) service = safeMerge(service, spec.patch, { input: 'service-patch' });
  return service;
}

export function mergeEnv(
  current: EnvVar[],
  spec: Pick<ServiceSpec, 'env' | 'envStrategy' | 'secretEnv' | 'secretsStrategy'>,
): EnvVar[] {
  const givenPlain = Object.keys(spec.env);
  const givenSecret = Object.keys(spec.secretEnv);
  const given = new Set([...givenPlain, ...givenSecret]);
  const plainInput = givenPlain.length > 0;
  const secretInput = givenSecret.length > 0;
  const kept = current.filter((e) => {
    if (given.has(e.name)) return false; // replaced below, as whatever kind the spec says
    const isSecret = Boolean(e.valueSource);
    if (isSecret) return !(secretInput && spec.secretsStrategy === 'overwrite');
    return !(plainInput && spec.envStrategy === 'overwrite');
  });
  return [
    ...kept,
    ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
    ...Object.entries(spec.secretEnv).map(([name, ref]) => secretEnvVar(name, ref)),
  ];
}

/** One secret volume per mounted directory (Cloud Run mounts one secret per path). */
function applySecretFiles(template: RevisionTemplate, container: Container, spec: ServiceSpec): void {
  if (!spec.secretFiles.length) return;
  const dirs = new Set(spec.secretFiles.map((f) => f.dir));
  const volumes = template.volumes ?? [];
  const mounts = container.volumeMounts ?? [];
  const secretVolumes = new Set(volumes.filter((v) => v.secret).map((v) => v.name));
  const replaced = new Set(
    mounts
      .filter((m) => secretVolumes.has(m.name) && (spec.secretsStrategy === 'overwrite' || dirs.has(m.mountPath)))
      .map((m) => m.name),
  );
  if (spec.secretsStrategy === 'overwrite') for (const name of secretVolumes) replaced.add(name);
  const newVolumes: Volume[] = [];
  const newMounts: VolumeMount[] = [];
  for (const dir of dirs) {
    const files = spec.secretFiles.filter((f) => f.dir === dir);
    const name = `secret-${createHash('sha256').update(dir).digest('hex').slice(0, 10)}`;
    newVolumes.push({
      name,
      secret: { secret: files[0].secret, items: files.map((f) => ({ path: f.file, version: f.version })) },
    });
    newMounts.push({ name, mountPath: dir });
  }
  template.volumes = [...volumes.filter((v) => !replaced.has(v.name)), ...newVolumes];
  container.volumeMounts = [...mounts.filter((m) => !replaced.has(m.name)), ...newMounts];
}

function applySettings(template: RevisionTemplate, container: Container, s: ServiceSpec): void {
  applyResources(container, { cpu: s.cpu, memory: s.memory, cpuIdle: s.cpuIdle });
  if (s.concurrency !== undefined) template.maxInstanceRequestConcurrency = s.concurrency;
  if (s.minInstances !== undefined || s.maxInstances !== undefined) {
    template.scaling = {
      ...template.scaling,
      ...(s.minInstances !== undefined ? { minInstanceCount: s.minInstances } : {}),
      ...(s.maxInstances !== undefined ? { maxInstanceCount: s.maxInstances } : {}),
    };
  }
  if (s.requestTimeoutMs !== undefined) template.timeout = `${Math.round(s.requestTimeoutMs / 1000)}s`;
  if (s.serviceAccount) template.serviceAccount = s.serviceAccount;
  if (s.vpcConnector) template.vpcAccess = { connector: s.vpcConnector, egress: s.vpcEgress ?? 'PRIVATE_RANGES_ONLY' };
  mountCloudSql(template, container, s.cloudsqlInstances);
  // The port's name picks the protocol (http1 or h2c): kept as the service has it unless portName says.
  if (s.port !== undefined || s.portName) {
    const current = container.ports?.[0];
    container.ports = [
      { name: s.portName ?? current?.name ?? 'http1', containerPort: s.port ?? current?.containerPort ?? 8080 },
    ];
  }
  if (s.command) container.command = s.command;
  if (s.args) container.args = s.args;
  if (s.startupProbePath)
    container.startupProbe = {
      httpGet: { path: s.startupProbePath, port: s.port ?? container.ports?.[0]?.containerPort ?? 8080 },
      periodSeconds: 5,
      failureThreshold: 24,
      timeoutSeconds: 4,
    };
}
