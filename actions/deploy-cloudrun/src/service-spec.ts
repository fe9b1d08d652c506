import { createHash } from 'node:crypto';
import {
  type Container,
  type EnvVar,
  type RevisionTemplate,
  type Service,
  type Volume,
  type VolumeMount,
  applyResources,
  writable,
} from '@deploy-actions/gcp';
import { safeMerge } from '@deploy-actions/toolkit';
import type { SecretRef, ServiceInputs } from './inputs';

/**
 * The Service we ask Cloud Run for: the current one (when updating) with what the inputs set replaced,
 * output-only fields removed (the list comes from the protos, in packages/gcp), and the new revision named so
 * traffic can point at it in the same update.
 * Environment variables follow the update strategies, and a variable that moves between a plain value
 * and a secret (either way) ends up as exactly one of them, never both.
 */

export const DEFAULT_LABELS = (sha: string) => ({ 'managed-by': 'github-actions', 'commit-sha': sha.toLowerCase() });

export function desiredService(
  inputs: ServiceInputs,
  existing: Service | undefined,
  revision: string,
  sha: string,
): Service {
  let service: Service = existing ? writable(existing, 'Service') : {};
  if (!existing) delete service.name;
  if (inputs.settings.ingress) service.ingress = inputs.settings.ingress;
  if (inputs.invokerIamDisabled !== undefined) service.invokerIamDisabled = inputs.invokerIamDisabled;
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
  // Own keys only, into null-prototype objects; __proto__/constructor/prototype refused (inputs checked it too).
  if (inputs.patch) service = safeMerge(service, inputs.patch, { input: 'service-patch' });
  return service;
}

export function mergeEnv(
  current: EnvVar[],
  inputs: Pick<ServiceInputs, 'env' | 'envStrategy' | 'secretEnv' | 'secretsStrategy'>,
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
function applySecretFiles(template: RevisionTemplate, container: Container, inputs: ServiceInputs): void {
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

function applySettings(template: RevisionTemplate, container: Container, inputs: ServiceInputs): void {
  const s = inputs.settings;
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
  // The port's name picks the protocol (http1 or h2c): kept as the service has it unless port-name says.
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

/** `api-a1b2c3d-k4x9`: unique per deploy, traceable to the commit, within Cloud Run's 63 characters. */
export function revisionName(service: string, sha: string, suffix?: string): string {
  const tail = suffix ?? `${sha.slice(0, 7).toLowerCase()}-${Math.random().toString(36).slice(2, 6).padEnd(4, '0')}`;
  return `${service}-${tail}`;
}
