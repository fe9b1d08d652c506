import { createHash } from 'node:crypto';
import type { Container, EnvVar, RevisionTemplate, Service, Volume, VolumeMount } from '@deploy-actions/gcp';
import type { Inputs, SecretRef } from './inputs';

/**
 * The Service we ask Cloud Run for: the current one (when updating) with what the inputs set replaced,
 * output-only fields removed, and the new revision named so traffic can point at it in the same update.
 * Environment variables follow the update strategies, and a variable that moves between a plain value
 * and a secret (either way) ends up as exactly one of them, never both.
 */

const OUTPUT_ONLY = [
  'uid',
  'generation',
  'createTime',
  'updateTime',
  'deleteTime',
  'expireTime',
  'creator',
  'lastModifier',
  'observedGeneration',
  'terminalCondition',
  'conditions',
  'latestReadyRevision',
  'latestCreatedRevision',
  'trafficStatuses',
  'uri',
  'urls',
  'reconciling',
  'satisfiesPzs',
];

export const DEFAULT_LABELS = (sha: string) => ({ 'managed-by': 'github-actions', 'commit-sha': sha.toLowerCase() });

export function desiredService(inputs: Inputs, existing: Service | undefined, revision: string, sha: string): Service {
  const service: Service = structuredClone(existing ?? {});
  for (const field of OUTPUT_ONLY) delete service[field];
  service.template ??= {};
  const template: RevisionTemplate = service.template;
  template.revision = revision;
  template.containers ??= [];
  const container: Container = template.containers[0] ?? { image: inputs.image };
  template.containers[0] = container;
  container.image = inputs.image;

  const labels = { ...(inputs.skipDefaultLabels ? {} : DEFAULT_LABELS(sha)), ...inputs.labels };
  if (Object.keys(labels).length) {
    service.labels = { ...service.labels, ...labels };
    template.labels = { ...template.labels, ...labels };
  }

  container.env = mergeEnv(container.env ?? [], inputs);
  applySecretFiles(template, container, inputs);
  applySettings(template, container, inputs);
  if (inputs.patch) deepMerge(service, inputs.patch);
  return service;
}

export function mergeEnv(
  current: EnvVar[],
  inputs: Pick<Inputs, 'env' | 'envStrategy' | 'secretEnv' | 'secretsStrategy'>,
): EnvVar[] {
  const givenPlain = Object.keys(inputs.env);
  const givenSecret = Object.keys(inputs.secretEnv);
  const given = new Set([...givenPlain, ...givenSecret]);
  const plainInput = givenPlain.length > 0;
  const secretInput = givenSecret.length > 0;
  const kept = current.filter((e) => {
    if (given.has(e.name)) return false; // replaced below, as whatever kind the inputs say
    const isSecret = Boolean(e.valueSource);
    if (isSecret) return !(secretInput && inputs.secretsStrategy === 'overwrite');
    return !(plainInput && inputs.envStrategy === 'overwrite');
  });
  return [
    ...kept,
    ...Object.entries(inputs.env).map(([name, value]) => ({ name, value })),
    ...Object.entries(inputs.secretEnv).map(([name, ref]) => secretEnvVar(name, ref)),
  ];
}

function secretEnvVar(name: string, ref: SecretRef): EnvVar {
  return { name, valueSource: { secretKeyRef: { secret: ref.secret, version: ref.version } } };
}

/** One secret volume per mounted directory (Cloud Run mounts one secret per path). */
function applySecretFiles(template: RevisionTemplate, container: Container, inputs: Inputs): void {
  if (!inputs.secretFiles.length) return;
  const dirs = new Set(inputs.secretFiles.map((f) => f.dir));
  const volumes = template.volumes ?? [];
  const mounts = container.volumeMounts ?? [];
  const secretVolumes = new Set(volumes.filter((v) => v.secret).map((v) => v.name));
  const replaced = new Set(
    mounts
      .filter((m) => secretVolumes.has(m.name) && (inputs.secretsStrategy === 'overwrite' || dirs.has(m.mountPath)))
      .map((m) => m.name),
  );
  if (inputs.secretsStrategy === 'overwrite') for (const name of secretVolumes) replaced.add(name);
  const newVolumes: Volume[] = [];
  const newMounts: VolumeMount[] = [];
  for (const dir of dirs) {
    const files = inputs.secretFiles.filter((f) => f.dir === dir);
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

function applySettings(template: RevisionTemplate, container: Container, inputs: Inputs): void {
  const s = inputs.settings;
  if (s.cpu || s.memory) {
    container.resources ??= {};
    container.resources.limits = {
      ...container.resources.limits,
      ...(s.cpu ? { cpu: s.cpu } : {}),
      ...(s.memory ? { memory: s.memory } : {}),
    };
  }
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
  if (s.cloudsqlInstances.length) {
    template.volumes = [
      ...(template.volumes ?? []).filter((v) => v.name !== 'cloudsql'),
      { name: 'cloudsql', cloudSqlInstance: { instances: s.cloudsqlInstances } },
    ];
    container.volumeMounts = [
      ...(container.volumeMounts ?? []).filter((m) => m.name !== 'cloudsql'),
      { name: 'cloudsql', mountPath: '/cloudsql' },
    ];
  }
  if (s.port !== undefined) container.ports = [{ name: 'http1', containerPort: s.port }];
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

/** Objects merge key by key; anything else (arrays included) replaces. A null removes the field. */
export function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = target[key];
    if (value === null) delete target[key];
    else if (isObject(value) && isObject(current)) deepMerge(current, value);
    else target[key] = structuredClone(value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** `api-a1b2c3d-k4x9`: unique per deploy, traceable to the commit, within Cloud Run's 63 characters. */
export function revisionName(service: string, sha: string, suffix?: string): string {
  const tail = suffix ?? `${sha.slice(0, 7).toLowerCase()}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`;
  return `${service}-${tail}`;
}
