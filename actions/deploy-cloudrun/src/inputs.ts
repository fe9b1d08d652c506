import {
  InputError,
  exclusive,
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getLines,
  getList,
  getMatching,
  getString,
  getUrl,
  oneOf,
  registerSecret,
} from '@deploy-actions/toolkit';
import { parse as parseYaml } from 'yaml';

/**
 * Every input of deploy-cloudrun, read and checked before any API call: a bad value fails with one line
 * naming the input, what is wrong and the fix. The formats follow what Cloud Run itself accepts (service
 * IDs, regions, label keys, CPU and memory quantities), so a deploy is not refused halfway through.
 */

export type Strategy = 'all-at-once' | 'canary' | 'blue-green' | 'no-traffic';
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

export interface HealthGate {
  path: string;
  target: 'revision' | 'service' | 'both';
  /** Acceptable statuses. */
  expected: (status: number) => boolean;
  expectedText: string;
  maxLatencyMs?: number;
  /** Highest acceptable share of failed probes, 0..1. */
  maxErrorRate: number;
  probes: number;
  intervalMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
}

export interface ServiceSettings {
  cpu?: string;
  memory?: string;
  concurrency?: number;
  minInstances?: number;
  maxInstances?: number;
  requestTimeoutMs?: number;
  serviceAccount?: string;
  ingress?: string;
  vpcConnector?: string;
  vpcEgress?: 'ALL_TRAFFIC' | 'PRIVATE_RANGES_ONLY';
  cloudsqlInstances: string[];
  port?: number;
  command?: string[];
  args?: string[];
  startupProbePath?: string;
}

export interface Inputs {
  service?: string;
  job?: string;
  image: string;
  project?: string;
  regions: string[];
  accessToken?: string;
  apiEndpoint?: string;
  env: Record<string, string>;
  envStrategy: UpdateStrategy;
  secretEnv: Record<string, SecretRef>;
  secretFiles: SecretFile[];
  secretsStrategy: UpdateStrategy;
  labels: Record<string, string>;
  skipDefaultLabels: boolean;
  settings: ServiceSettings;
  patch?: Record<string, unknown>;
  allowUnauthenticated: boolean;
  strategy: Strategy;
  canarySteps: number[];
  canaryPauseMs: number;
  tag?: string;
  revisionSuffix?: string;
  health?: HealthGate;
  timeoutMs: number;
  execute: boolean;
  wait: boolean;
  executeArgs?: string[];
}

const SERVICE_ID = /^[a-z](?:[a-z0-9-]{0,47}[a-z0-9])?$/;
const REGION = /^[a-z]+(?:-[a-z]+)+\d+$/;
const PROJECT = /^(?:[a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const TAG = /^[a-z](?:[a-z0-9-]{0,44}[a-z0-9])?$/;
const SUFFIX = /^[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?$/;
/** registry[:port]/path/name, then a tag, a digest, or both (Docker's reference grammar, lower-case names). */
const IMAGE =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
/** Kubernetes quantities as Cloud Run takes them: "1", "2", "0.5", "1000m". */
const CPU = /^(?:\d+(?:\.\d+)?|\d+m)$/;
const MEMORY = /^\d+(?:Ki|Mi|Gi|K|M|G)$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION']);
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const RESERVED_LABEL_NAMESPACES = [
  'run.googleapis.com',
  'cloud.googleapis.com',
  'serving.knative.dev',
  'autoscaling.knative.dev',
];
const EMAIL = /^[a-z0-9-]+@[a-z0-9.-]+\.iam\.gserviceaccount\.com$|^[^@\s]+@[^@\s]+\.[a-z]+$/;
const CLOUDSQL = /^[a-z][a-z0-9.:-]*:[a-z]+-[a-z]+\d+:[a-z][a-z0-9-]*$/;
const SECRET_REF = /^(?:projects\/[^/]+\/secrets\/)?[A-Za-z0-9_-]{1,255}(?::(?:latest|\d+))?$/;
const INGRESS: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

export function getInputs(): Inputs {
  const service = getMatching(
    'service',
    SERVICE_ID,
    'a Cloud Run service name: lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, under 50 characters',
  );
  const job = getMatching(
    'job',
    SERVICE_ID,
    'a Cloud Run job name: lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, under 50 characters',
  );
  oneOf({ service, job });
  const image = getString('image', { required: true });
  if (!IMAGE.test(image))
    throw new InputError(
      'image',
      `"${image}" is not an image reference`,
      'give one like europe-docker.pkg.dev/my-project/repo/api:1.2.3 or ...@sha256:<digest>',
    );
  const project = getMatching('project-id', PROJECT, 'a Google Cloud project ID such as my-project-123');
  const regions = getList('region');
  if (!regions.length) throw new InputError('region', 'is empty', 'name a region such as europe-west1');
  for (const region of regions)
    if (!REGION.test(region))
      throw new InputError(
        'region',
        `"${region}" is not a Cloud Run region`,
        'use names like us-central1 or europe-west1',
      );
  if (new Set(regions).size !== regions.length)
    throw new InputError('region', 'names a region twice', 'list each region once');
  const accessToken = getString('access-token', { secret: true });
  const apiEndpoint = getUrl('api-endpoint')?.toString().replace(/\/$/, '');

  const env = readEnv();
  const envStrategy = getEnum('env-vars-update-strategy', ['merge', 'overwrite'] as const) ?? 'merge';
  const { secretEnv, secretFiles } = readSecrets();
  const secretsStrategy = getEnum('secrets-update-strategy', ['merge', 'overwrite'] as const) ?? 'merge';
  for (const name of Object.keys(env))
    if (name in secretEnv)
      throw new InputError(
        'secrets',
        `${name} is also set in "env-vars"`,
        'give each variable once: as a plain value in env-vars or as a secret in secrets',
      );
  const labels = readLabels();
  const skipDefaultLabels = getBoolean('skip-default-labels') ?? false;
  const settings = readSettings();
  const patch = readPatch();
  const allowUnauthenticated = getBoolean('allow-unauthenticated') ?? false;

  const strategy = getEnum('strategy', ['all-at-once', 'canary', 'blue-green', 'no-traffic'] as const) ?? 'all-at-once';
  const canarySteps = readCanarySteps(strategy);
  const canaryPauseMs = getDuration('canary-pause', { max: 6 * 3_600_000 }) ?? 0;
  const tag = getMatching(
    'tag',
    TAG,
    'a revision tag: lower-case letters, digits and hyphens, starting with a letter, at most 46 characters',
  );
  if (strategy === 'no-traffic' && !tag)
    throw new InputError(
      'tag',
      'is required with strategy no-traffic',
      'set a tag (e.g. pr-123) so the revision gets a URL',
    );
  const revisionSuffix = getMatching(
    'revision-suffix',
    SUFFIX,
    'lower-case letters, digits and hyphens, at most 14 characters',
  );
  const health = readHealth();
  const timeoutMs = getDuration('timeout', { min: 1000, max: 6 * 3_600_000 }) ?? 15 * 60_000;
  const execute = getBoolean('execute') ?? false;
  const wait = getBoolean('wait') ?? true;
  const executeArgs = readArgs('execute-args');

  if (job) {
    const serviceOnly = {
      strategy: strategy !== 'all-at-once' ? strategy : undefined,
      'canary-steps': getString('canary-steps'),
      tag,
      'health-path': health?.path,
      'allow-unauthenticated': allowUnauthenticated,
      concurrency: settings.concurrency,
      'min-instances': settings.minInstances,
      'max-instances': settings.maxInstances,
      ingress: settings.ingress,
      port: settings.port,
      'startup-probe-path': settings.startupProbePath,
      'request-timeout': settings.requestTimeoutMs,
      'revision-suffix': revisionSuffix,
      'service-patch': patch,
    };
    for (const [name, value] of Object.entries(serviceOnly))
      if (value !== undefined && value !== false)
        throw new InputError(name, 'applies to services, not jobs', `remove it, or deploy a service with "service"`);
    if (secretFiles.length)
      throw new InputError(
        'secrets',
        'secrets mounted as files apply to services here, not jobs',
        'pass them to the job as NAME=secret:version',
      );
  } else {
    exclusive({ execute: execute || undefined, service });
    if (executeArgs)
      throw new InputError('execute-args', 'applies to jobs only', 'remove it, or deploy a job with "job"');
  }
  if (strategy !== 'canary' && getString('canary-steps'))
    throw new InputError(
      'canary-steps',
      `is only used with strategy canary (strategy is ${strategy})`,
      'set strategy: canary or remove it',
    );

  return {
    service,
    job,
    image,
    project,
    regions,
    accessToken,
    apiEndpoint,
    env,
    envStrategy,
    secretEnv,
    secretFiles,
    secretsStrategy,
    labels,
    skipDefaultLabels,
    settings,
    patch,
    allowUnauthenticated,
    strategy,
    canarySteps,
    canaryPauseMs,
    tag,
    revisionSuffix,
    health,
    timeoutMs,
    execute,
    wait,
    executeArgs,
  };
}

/** KEY=VALUE, one per line; the value keeps everything after the first `=`, commas included. */
function readPairs(name: string): [string, string, string][] {
  return getLines(name).map((line) => {
    const eq = line.indexOf('=');
    if (eq <= 0)
      throw new InputError(name, `line "${line.split('=')[0]}..." is not KEY=VALUE`, 'write one KEY=VALUE per line');
    return [line.slice(0, eq).trim(), line.slice(eq + 1).trim(), line];
  });
}

function readEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of readPairs('env-vars')) {
    if (!ENV_NAME.test(key))
      throw new InputError('env-vars', `"${key}" is not a valid variable name`, 'use letters, digits and underscores');
    if (RESERVED_ENV.has(key))
      throw new InputError(
        'env-vars',
        `${key} is set by Cloud Run itself`,
        `remove it${key === 'PORT' ? ' and use the "port" input' : ''}`,
      );
    if (key in env) throw new InputError('env-vars', `${key} is given twice`, 'give each variable once');
    env[key] = value;
  }
  return env;
}

function readSecrets(): { secretEnv: Record<string, SecretRef>; secretFiles: SecretFile[] } {
  const secretEnv: Record<string, SecretRef> = {};
  const secretFiles: SecretFile[] = [];
  for (const [key, value] of readPairs('secrets')) {
    if (!SECRET_REF.test(value))
      throw new InputError(
        'secrets',
        `the reference for ${key} ("${value}") is not a Secret Manager secret`,
        'write NAME=secret:version (version a number or latest), or /path/file=secret:version',
      );
    const colon = value.lastIndexOf(':');
    const ref =
      colon > 0 && !value.slice(colon).includes('/')
        ? { secret: value.slice(0, colon), version: value.slice(colon + 1) }
        : { secret: value, version: 'latest' };
    if (key.startsWith('/')) {
      const slash = key.lastIndexOf('/');
      const dir = key.slice(0, slash) || '/';
      const file = key.slice(slash + 1);
      if (!file || dir === '/' || /\/\/|\/\.\.?(\/|$)/.test(key))
        throw new InputError(
          'secrets',
          `"${key}" is not a file path to mount at`,
          'give an absolute path such as /etc/secrets/api-key',
        );
      if (secretFiles.some((f) => f.dir === dir && f.secret !== ref.secret))
        throw new InputError(
          'secrets',
          `${dir} would hold files from two secrets`,
          'Cloud Run mounts one secret per directory: use one directory per secret',
        );
      if (secretFiles.some((f) => f.dir === dir && f.file === file))
        throw new InputError('secrets', `${key} is given twice`, 'give each file once');
      secretFiles.push({ ...ref, dir, file });
    } else {
      if (!ENV_NAME.test(key))
        throw new InputError(
          'secrets',
          `"${key}" is neither a variable name nor an absolute file path`,
          'write NAME=secret:version or /path/file=secret:version',
        );
      if (RESERVED_ENV.has(key)) throw new InputError('secrets', `${key} is set by Cloud Run itself`, 'remove it');
      if (key in secretEnv) throw new InputError('secrets', `${key} is given twice`, 'give each variable once');
      secretEnv[key] = ref;
    }
  }
  return { secretEnv, secretFiles };
}

function readLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of readPairs('labels')) {
    const namespace = RESERVED_LABEL_NAMESPACES.find((ns) => key.startsWith(`${ns}/`) || key === ns);
    if (namespace)
      throw new InputError(
        'labels',
        `"${key}" is in the ${namespace} namespace, which Cloud Run reserves`,
        'use a key of your own',
      );
    if (!LABEL_KEY.test(key))
      throw new InputError(
        'labels',
        `"${key}" is not a label key`,
        'use lower-case letters, digits, _ and -, starting with a letter, at most 63 characters',
      );
    if (!LABEL_VALUE.test(value))
      throw new InputError(
        'labels',
        `the value of ${key} ("${value}") is not a label value`,
        'use lower-case letters, digits, _ and -, at most 63 characters',
      );
    labels[key] = value;
  }
  return labels;
}

/** A list given as a JSON/YAML array (`["a", "b c"]`) or one item per line. */
function readArgs(name: string): string[] | undefined {
  const text = getString(name)?.trim();
  if (text === undefined) return undefined;
  if (text.startsWith('[')) {
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch (error) {
      throw new InputError(
        name,
        `is not a valid list (${(error as Error).message.split('\n')[0]})`,
        'write ["a", "b"] or one item per line',
      );
    }
    if (!Array.isArray(value) || value.some((v) => typeof v === 'object'))
      throw new InputError(name, 'is not a list of strings', 'write ["a", "b"] or one item per line');
    return value.map(String);
  }
  return getLines(name);
}

function readSettings(): ServiceSettings {
  const cpu = getMatching('cpu', CPU, 'a CPU count like 1, 2, 0.5 or 1000m');
  const memory = getMatching('memory', MEMORY, 'a memory size like 512Mi or 2Gi');
  const concurrency = getInteger('concurrency', { min: 1, max: 1000 });
  const minInstances = getInteger('min-instances', { min: 0, max: 1000 });
  const maxInstances = getInteger('max-instances', { min: 1, max: 1000 });
  if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances)
    throw new InputError(
      'min-instances',
      `${minInstances} is above max-instances (${maxInstances})`,
      'lower it or raise max-instances',
    );
  const requestTimeoutMs = getDuration('request-timeout', { min: 1000, max: 3_600_000 });
  const serviceAccount = getMatching(
    'service-account',
    EMAIL,
    'a service account email like runtime@my-project.iam.gserviceaccount.com',
  );
  const ingressName = getEnum('ingress', Object.keys(INGRESS));
  const vpcConnector = getMatching(
    'vpc-connector',
    /^(?:projects\/[^/]+\/locations\/[^/]+\/connectors\/)?[a-z][a-z0-9-]{0,24}$/,
    'a Serverless VPC Access connector name or projects/P/locations/R/connectors/NAME',
  );
  const egress = getEnum('vpc-egress', ['all-traffic', 'private-ranges-only'] as const);
  if (egress && !vpcConnector) throw new InputError('vpc-egress', 'needs a VPC connector', 'set vpc-connector too');
  const cloudsqlInstances = getList('cloudsql-instances');
  for (const instance of cloudsqlInstances)
    if (!CLOUDSQL.test(instance))
      throw new InputError(
        'cloudsql-instances',
        `"${instance}" is not an instance connection name`,
        'write project:region:instance',
      );
  const port = getInteger('port', { min: 1, max: 65535 });
  const command = readArgs('command');
  const args = readArgs('args');
  const startupProbePath = getMatching('startup-probe-path', /^\/\S*$/, 'an HTTP path starting with /');
  return {
    cpu,
    memory,
    concurrency,
    minInstances,
    maxInstances,
    requestTimeoutMs,
    serviceAccount,
    ingress: ingressName && INGRESS[ingressName],
    vpcConnector,
    vpcEgress:
      egress === 'all-traffic' ? 'ALL_TRAFFIC' : egress === 'private-ranges-only' ? 'PRIVATE_RANGES_ONLY' : undefined,
    cloudsqlInstances,
    port,
    command,
    args,
    startupProbePath,
  };
}

function readPatch(): Record<string, unknown> | undefined {
  const text = getString('service-patch');
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new InputError(
      'service-patch',
      `is not valid YAML or JSON (${(error as Error).message.split('\n')[0]})`,
      'give a YAML or JSON object with Service fields, e.g. "template: {executionEnvironment: EXECUTION_ENVIRONMENT_GEN2}"',
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('service-patch', 'is not an object', 'give Service fields as a YAML or JSON object');
  return value as Record<string, unknown>;
}

function readCanarySteps(strategy: string): number[] {
  const items = getList('canary-steps');
  if (strategy !== 'canary') return [];
  if (!items.length) return [10, 50, 100];
  const steps = items.map((item) => {
    const n = Number(item.replace(/%$/, ''));
    if (!Number.isInteger(n) || n < 1 || n > 100)
      throw new InputError('canary-steps', `"${item}" is not a percentage from 1 to 100`, 'write steps like 10,50,100');
    return n;
  });
  for (let i = 1; i < steps.length; i++)
    if (steps[i] <= steps[i - 1])
      throw new InputError(
        'canary-steps',
        `${steps[i]} does not come after ${steps[i - 1]}`,
        'list strictly increasing percentages, like 10,50,100',
      );
  if (steps[steps.length - 1] !== 100)
    throw new InputError(
      'canary-steps',
      `the last step is ${steps[steps.length - 1]}, not 100`,
      'end with 100, like 10,50,100',
    );
  return steps;
}

function readPercent(name: string): number | undefined {
  const text = getString(name);
  if (text === undefined) return undefined;
  const n = Number(text.trim().replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(text.trim()) || n > 100)
    throw new InputError(name, `"${text}" is not a percentage`, 'write a value from 0% to 100%, like 5%');
  return n / 100;
}

function readHealth(): HealthGate | undefined {
  const path = getMatching('health-path', /^\/\S*$/, 'an HTTP path starting with /, like /healthz');
  const target = getEnum('health-target', ['revision', 'service', 'both'] as const) ?? 'revision';
  const expectedText = getString('health-expected-status') ?? '200';
  const expected = statusMatcher(expectedText);
  const maxLatencyMs = getDuration('health-max-latency', { min: 1 });
  const maxErrorRate = readPercent('health-max-error-rate') ?? 0;
  const probes = getInteger('health-probes', { min: 1, max: 1000 }) ?? 5;
  const intervalMs = getDuration('health-interval', { max: 600_000 }) ?? 1000;
  const timeoutMs = getDuration('health-timeout', { min: 100, max: 600_000 }) ?? 10_000;
  const headers: Record<string, string> = {};
  for (const [key, value] of getLines('health-headers', { secret: true }).map((l) => [
    l.slice(0, l.indexOf(':')),
    l.slice(l.indexOf(':') + 1),
  ])) {
    if (!key.trim() || !/^[A-Za-z0-9-]+$/.test(key.trim()))
      throw new InputError('health-headers', 'a line is not "Name: value"', 'write one "Header-Name: value" per line');
    headers[key.trim()] = registerSecret(value.trim());
  }
  if (!path) return undefined;
  return { path, target, expected, expectedText, maxLatencyMs, maxErrorRate, probes, intervalMs, timeoutMs, headers };
}

/** "200", "200,204", "2xx". */
function statusMatcher(text: string): (status: number) => boolean {
  const parts = text
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  for (const part of parts)
    if (!/^[1-5](\d\d|xx)$/.test(part))
      throw new InputError(
        'health-expected-status',
        `"${part}" is not an HTTP status`,
        'write statuses like 200, 200,204 or 2xx',
      );
  return (status) =>
    parts.some((p) => (p.endsWith('xx') ? Math.floor(status / 100) === Number(p[0]) : status === Number(p)));
}
