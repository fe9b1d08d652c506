import { workflow as core } from '@deploy-actions/toolkit';
import {
  type Segment,
  TAG_AND_SERVICE_MAX,
  credentialEndpoint,
  patchProblem,
  resourcesProblem,
  segmentProblem,
} from '@deploy-actions/gcp';
import {
  InputError,
  assertPathSegment,
  exclusive,
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getLines,
  getList,
  getString,
  registerSecret,
} from '@deploy-actions/toolkit';
import { parse as parseYaml } from 'yaml';
import { BadReferenceError, parseReference } from '../../../packages/registry/src/reference';
import { readPairs } from './pairs';
import { needsProbeTag, probeTagFor } from './plan';
import { quote } from './quote';

/**
 * Every input of deploy-cloudrun, read and checked before any API call: a bad value fails with one line
 * naming the input, what is wrong and the fix. The formats follow what Cloud Run itself accepts (names by
 * Google's rules, CPU/memory pairings, tag + service length, the Service schema for service-patch), so a
 * deploy is not refused halfway through. The result is a union on `target`: a service rollout, a
 * traffic-only update, or a job.
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
  /** CPU only during requests; undefined keeps what the service has (true for a new one). */
  cpuIdle?: boolean;
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
  portName?: 'http1' | 'h2c';
  command?: string[];
  args?: string[];
  startupProbePath?: string;
}

/** One entry of a traffic-only update: a revision (or LATEST / PREVIOUS) or a tag, and its share. */
export interface TrafficAssignment {
  kind: 'revision' | 'tag' | 'latest' | 'previous';
  name: string;
  percent: number;
}

interface Shared {
  project?: string;
  regions: string[];
  accessToken?: string;
  apiEndpoint: string;
  labels: Record<string, string>;
  skipDefaultLabels: boolean;
  timeoutMs: number;
}

export interface ServiceInputs extends Shared {
  target: 'service';
  service: string;
  image: string;
  env: Record<string, string>;
  envStrategy: UpdateStrategy;
  secretEnv: Record<string, SecretRef>;
  secretFiles: SecretFile[];
  secretsStrategy: UpdateStrategy;
  settings: ServiceSettings;
  patch?: Record<string, unknown>;
  allowUnauthenticated: boolean;
  invokerIamDisabled?: boolean;
  strategy: Strategy;
  canarySteps: number[];
  canaryPauseMs: number;
  tag?: string;
  revisionSuffix?: string;
  health?: HealthGate;
}

export interface TrafficInputs extends Shared {
  target: 'traffic';
  service: string;
  assignments: TrafficAssignment[];
  allowUnauthenticated: boolean;
  health?: HealthGate;
}

export interface JobInputs extends Shared {
  target: 'job';
  job: string;
  image: string;
  env: Record<string, string>;
  envStrategy: UpdateStrategy;
  secretEnv: Record<string, SecretRef>;
  settings: ServiceSettings;
  execute: boolean;
  wait: boolean;
  executeArgs?: string[];
}

export type Inputs = ServiceInputs | TrafficInputs | JobInputs;

/** Registry paths, then a tag and/or digest: the one reference grammar (packages/registry). */
function readImage(required: boolean): string | undefined {
  const image = getString('image');
  if (image === undefined) {
    if (required)
      throw new InputError(
        'image',
        'is required but empty',
        'name the image to deploy, e.g. europe-docker.pkg.dev/my-project/repo/api:1.2.3',
      );
    return undefined;
  }
  const value = image.trim();
  if (value.length > 1024)
    throw new InputError(
      'image',
      `is ${value.length} characters long`,
      'give an image reference (at most 1024 characters)',
    );
  try {
    parseReference(value);
  } catch (error) {
    if (!(error instanceof BadReferenceError)) throw error;
    throw new InputError(
      'image',
      `is not an image reference (${error.message.split(`"${value}"`).join(quote(value))})`,
      'give one like europe-docker.pkg.dev/my-project/repo/api:1.2.3 or ...@sha256:<digest>',
    );
  }
  return value;
}

/** A value that becomes a URL path segment, by Google's naming rules. */
function readSegment(input: string, kind: Segment, value = getString(input)): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const problem = segmentProblem(kind, text);
  if (!problem) return text;
  // The toolkit names path separators and traversal (`/`, `..`, `%`, `?`, `#`) as such.
  if (/[/\\%?#]|^\.\.?$/.test(text)) assertPathSegment(text, input, { pattern: /[^\s\S]/, described: problem });
  throw new InputError(input, `${quote(text)} is not ${problem}`, `use ${problem}`);
}

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
const SUFFIX = /^[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?$/;
const INGRESS: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};
/** The peer's `timeout` is a request timeout, written the way gcloud and Cloud Run write one. */
const REQUEST_TIMEOUT_LIKE = /^(\d+m)?\d+s$/;

function matching(input: string, pattern: RegExp, described: string): string | undefined {
  const value = getString(input)?.trim();
  if (value === undefined) return undefined;
  if (value.length > 2048)
    throw new InputError(input, `is ${value.length} characters long`, `use ${described} (at most 2048 characters)`);
  if (!pattern.test(value)) throw new InputError(input, `${quote(value)} is not ${described}`, `use ${described}`);
  return value;
}

export function getInputs(): Inputs {
  // Secret inputs first: masked before any other input can quote them in an error.
  const accessToken = getString('access-token', { secret: true });
  readHealthHeaders();
  const service = readSegment('service', 'service');
  const job = readSegment('job', 'job');
  if (service && job)
    throw new InputError('service', 'cannot be combined with "job"', 'deploy a service or a job, in separate steps');
  if (!service && !job)
    throw new InputError('service', 'is empty, and so is "job"', 'set service (or job) to what you deploy');
  const project = readSegment('project-id', 'project');
  const regions = getList('region');
  if (!regions.length) throw new InputError('region', 'is empty', 'name a region such as europe-west1');
  for (const region of regions) readSegment('region', 'region', region);
  if (new Set(regions).size !== regions.length)
    throw new InputError('region', 'names a region twice', 'list each region once');
  const apiEndpoint = credentialEndpoint('api-endpoint', getString('api-endpoint') ?? 'https://run.googleapis.com');
  const labels = readLabels();
  const skipDefaultLabels = getBoolean('skip-default-labels') ?? false;
  const timeoutMs = getDuration('deploy-wait', { min: 1000, max: 6 * 3_600_000 }) ?? 15 * 60_000;
  const shared: Shared = { project, regions, accessToken, apiEndpoint, labels, skipDefaultLabels, timeoutMs };
  warnCopiedTimeout();

  const assignments = readTraffic();
  if (job) return jobInputs(job, shared, assignments.length > 0);
  if (!service) throw new InputError('service', 'is empty', 'set service');
  if (assignments.length) return trafficInputs(service, shared, assignments);
  return serviceInputs(service, shared);
}

function serviceInputs(service: string, shared: Shared): ServiceInputs {
  const image = readImage(true) as string;
  const { env, envStrategy, secretEnv, secretFiles, secretsStrategy } = readEnvironment();
  const settings = readSettings('service');
  const patch = readPatch();
  const allowUnauthenticated = getBoolean('allow-unauthenticated') ?? false;
  const invokerIamDisabled = getBoolean('invoker-iam-disabled');
  const strategy = getEnum('strategy', ['all-at-once', 'canary', 'blue-green', 'no-traffic'] as const) ?? 'all-at-once';
  const canarySteps = readCanarySteps(strategy);
  const canaryPauseMs = getDuration('canary-pause', { max: 6 * 3_600_000 }) ?? 0;
  if (canaryPauseMs > 0 && !(strategy === 'canary' && canarySteps.length > 1))
    throw new InputError(
      'canary-pause',
      strategy === 'canary'
        ? 'has no step to pause between (canary-steps has one step)'
        : `has no step to pause between with strategy ${strategy}`,
      'remove it, or use strategy: canary with two or more canary-steps',
    );
  const tag = readSegment('tag', 'tag');
  if (tag && tag.length + service.length > TAG_AND_SERVICE_MAX)
    throw new InputError(
      'tag',
      `"${tag}" and the service name "${service}" are ${tag.length + service.length} characters together; Cloud Run allows ${TAG_AND_SERVICE_MAX}`,
      `use a tag of at most ${Math.max(0, TAG_AND_SERVICE_MAX - service.length)} characters`,
    );
  if (strategy === 'no-traffic' && !tag)
    throw new InputError(
      'tag',
      'is required with strategy no-traffic',
      'set a tag (e.g. pr-123) so the revision gets a URL',
    );
  const revisionSuffix = matching(
    'revision-suffix',
    SUFFIX,
    'lower-case letters, digits and hyphens, at most 14 characters',
  );
  if (revisionSuffix && service.length + 1 + revisionSuffix.length > 63)
    throw new InputError(
      'revision-suffix',
      `makes a revision name over 63 characters with service "${service}"`,
      'use a shorter suffix',
    );
  const health = readHealth();
  if (needsProbeTag({ health, strategy, tag }) && !probeTagFor(service))
    throw new InputError(
      'health-target',
      `is revision, but no tag fits beside the ${service.length}-character service name (Cloud Run allows ${TAG_AND_SERVICE_MAX} for both), so the new revision has no URL of its own to probe`,
      'use health-target: service, or a shorter service name',
    );
  if (allowUnauthenticated && invokerIamDisabled === true)
    throw new InputError(
      'invoker-iam-disabled',
      'makes the service public already; allow-unauthenticated would add an allUsers binding too',
      'set one of them',
    );
  rejectJobOnly();
  return {
    target: 'service',
    service,
    image,
    ...shared,
    env,
    envStrategy,
    secretEnv,
    secretFiles,
    secretsStrategy,
    settings,
    patch,
    allowUnauthenticated,
    invokerIamDisabled,
    strategy,
    canarySteps,
    canaryPauseMs,
    tag,
    revisionSuffix,
    health,
  };
}

/** Inputs that mean a deploy, refused in a traffic-only update (which deploys nothing). */
const DEPLOY_ONLY = [
  'image',
  'env-vars',
  'secrets',
  'cpu',
  'memory',
  'cpu-throttling',
  'concurrency',
  'min-instances',
  'max-instances',
  'request-timeout',
  'service-account',
  'ingress',
  'vpc-connector',
  'vpc-egress',
  'cloudsql-instances',
  'port',
  'port-name',
  'command',
  'args',
  'startup-probe-path',
  'service-patch',
  'strategy',
  'canary-steps',
  'canary-pause',
  'tag',
  'revision-suffix',
  'invoker-iam-disabled',
];
const DEFAULTED: Record<string, string> = { strategy: 'all-at-once', 'canary-pause': '0s' };

function trafficInputs(service: string, shared: Shared, assignments: TrafficAssignment[]): TrafficInputs {
  for (const name of DEPLOY_ONLY) {
    const value = getString(name);
    if (value !== undefined && value !== DEFAULTED[name])
      throw new InputError(
        name,
        'deploys something, but revision-traffic / tag-traffic only move traffic',
        `remove it, or remove revision-traffic and tag-traffic to deploy`,
      );
  }
  rejectJobOnly();
  for (const a of assignments)
    if (a.kind === 'tag' && a.name.length + service.length > TAG_AND_SERVICE_MAX)
      throw new InputError(
        'tag-traffic',
        `tag "${a.name}" and service "${service}" exceed ${TAG_AND_SERVICE_MAX} characters together`,
        'use the tag names the service has',
      );
  return {
    target: 'traffic',
    service,
    ...shared,
    assignments,
    allowUnauthenticated: getBoolean('allow-unauthenticated') ?? false,
    health: readHealth(),
  };
}

function jobInputs(job: string, shared: Shared, traffic: boolean): JobInputs {
  if (traffic) throw new InputError('revision-traffic', 'applies to services, not jobs', 'remove it, or set service');
  const serviceOnly: Record<string, unknown> = {
    strategy: getString('strategy') !== 'all-at-once' ? getString('strategy') : undefined,
    'canary-steps': getString('canary-steps'),
    'canary-pause': getString('canary-pause') !== '0s' ? getString('canary-pause') : undefined,
    tag: getString('tag'),
    'health-path': getString('health-path'),
    'allow-unauthenticated': getBoolean('allow-unauthenticated') || undefined,
    'invoker-iam-disabled': getString('invoker-iam-disabled'),
    concurrency: getString('concurrency'),
    'min-instances': getString('min-instances'),
    'max-instances': getString('max-instances'),
    ingress: getString('ingress'),
    port: getString('port'),
    'port-name': getString('port-name'),
    'startup-probe-path': getString('startup-probe-path'),
    'request-timeout': getString('request-timeout'),
    'revision-suffix': getString('revision-suffix'),
    'service-patch': getString('service-patch'),
  };
  for (const [name, value] of Object.entries(serviceOnly))
    if (value !== undefined)
      throw new InputError(name, 'applies to services, not jobs', `remove it, or deploy a service with "service"`);
  const image = readImage(true) as string;
  const { env, envStrategy, secretEnv, secretFiles } = readEnvironment();
  if (secretFiles.length)
    throw new InputError(
      'secrets',
      'secrets mounted as files apply to services here, not jobs',
      'pass them to the job as NAME=secret:version',
    );
  return {
    target: 'job',
    job,
    image,
    ...shared,
    env,
    envStrategy,
    secretEnv,
    settings: readSettings('job'),
    execute: getBoolean('execute') ?? false,
    wait: getBoolean('wait') ?? true,
    executeArgs: readArgs('execute-args'),
  };
}

function rejectJobOnly(): void {
  exclusive({ execute: getBoolean('execute') || undefined, service: true });
  if (getString('execute-args'))
    throw new InputError('execute-args', 'applies to jobs only', 'remove it, or deploy a job with "job"');
}

/** The peer's `timeout` (a request timeout) copied over as ours (how long the whole step may take). */
function warnCopiedTimeout(): void {
  const text = getString('timeout')?.trim();
  if (!text || text === '60m' || getString('request-timeout') !== undefined) return;
  if (REQUEST_TIMEOUT_LIKE.test(text))
    core.warning(
      `Input "timeout" (${text}) is how long this whole step may take. If it was copied from google-github-actions/deploy-cloudrun, whose timeout is the request timeout, rename it to request-timeout.`,
    );
}

function readEnvironment() {
  const env = readEnv();
  const envStrategy = getEnum('env-vars-update-strategy', ['merge', 'overwrite'] as const) ?? 'merge';
  const { secretEnv, secretFiles } = readSecrets();
  const secretsStrategy = getEnum('secrets-update-strategy', ['merge', 'overwrite'] as const) ?? 'merge';
  for (const name of Object.keys(env))
    if (Object.hasOwn(secretEnv, name))
      throw new InputError(
        'secrets',
        `${name} is also set in "env-vars"`,
        'give each variable once: as a plain value in env-vars or as a secret in secrets',
      );
  return { env, envStrategy, secretEnv, secretFiles, secretsStrategy };
}

function readEnv(): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  for (const { key, value } of readPairs('env-vars')) {
    if (!ENV_NAME.test(key))
      throw new InputError(
        'env-vars',
        `${quote(key)} is not a valid variable name`,
        'use letters, digits and underscores',
      );
    if (RESERVED_ENV.has(key))
      throw new InputError(
        'env-vars',
        `${key} is set by Cloud Run itself`,
        `remove it${key === 'PORT' ? ' and use the "port" input' : ''}`,
      );
    if (Object.hasOwn(env, key)) throw new InputError('env-vars', `${key} is given twice`, 'give each variable once');
    env[key] = value;
  }
  return env;
}

function readSecrets(): { secretEnv: Record<string, SecretRef>; secretFiles: SecretFile[] } {
  const secretEnv: Record<string, SecretRef> = Object.create(null);
  const secretFiles: SecretFile[] = [];
  for (const { key, value } of readPairs('secrets')) {
    if (!SECRET_REF.test(value))
      throw new InputError(
        'secrets',
        `the reference for ${quote(key)} (${quote(value)}) is not a Secret Manager secret`,
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
      if (!file || dir === '/' || /\/\/|\/\.\.?(\/|$)|[^A-Za-z0-9_./-]/.test(key))
        throw new InputError(
          'secrets',
          `${quote(key)} is not a file path to mount at`,
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
          `${quote(key)} is neither a variable name nor an absolute file path`,
          'write NAME=secret:version or /path/file=secret:version',
        );
      if (RESERVED_ENV.has(key)) throw new InputError('secrets', `${key} is set by Cloud Run itself`, 'remove it');
      if (Object.hasOwn(secretEnv, key))
        throw new InputError('secrets', `${key} is given twice`, 'give each variable once');
      secretEnv[key] = ref;
    }
  }
  return { secretEnv, secretFiles };
}

function readLabels(): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  for (const { key, value } of readPairs('labels')) {
    const namespace = RESERVED_LABEL_NAMESPACES.find((ns) => key.startsWith(`${ns}/`) || key === ns);
    if (namespace)
      throw new InputError(
        'labels',
        `${quote(key)} is in the ${namespace} namespace, which Cloud Run reserves`,
        'use a key of your own',
      );
    if (!LABEL_KEY.test(key))
      throw new InputError(
        'labels',
        `${quote(key)} is not a label key`,
        'use lower-case letters, digits, _ and -, starting with a letter, at most 63 characters',
      );
    if (!LABEL_VALUE.test(value))
      throw new InputError(
        'labels',
        `the value of ${key} (${quote(value)}) is not a label value`,
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

function readSettings(target: 'service' | 'job'): ServiceSettings {
  const cpu = getString('cpu')?.trim();
  const memory = getString('memory')?.trim();
  const cpuThrottling = getBoolean('cpu-throttling');
  const concurrency = getInteger('concurrency', { min: 1, max: 1000 });
  // Jobs have no request concurrency: the below-1-CPU rule about it is the services'.
  const problem = resourcesProblem({
    cpu,
    memory,
    concurrency: target === 'job' ? 1 : concurrency,
    cpuIdle: cpuThrottling,
  });
  if (problem) {
    const value = problem.input === 'cpu' ? cpu : problem.input === 'memory' ? memory : String(concurrency);
    throw new InputError(problem.input, problem.problem.split(`"${value}"`).join(quote(value ?? '')), problem.fix);
  }
  const minInstances = getInteger('min-instances', { min: 0, max: 1000 });
  const maxInstances = getInteger('max-instances', { min: 1, max: 1000 });
  if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances)
    throw new InputError(
      'min-instances',
      `${minInstances} is above max-instances (${maxInstances})`,
      'lower it or raise max-instances',
    );
  const requestTimeoutMs = getDuration('request-timeout', { min: 1000, max: 3_600_000 });
  const serviceAccount = matching(
    'service-account',
    EMAIL,
    'a service account email like runtime@my-project.iam.gserviceaccount.com',
  );
  const ingressName = getEnum('ingress', Object.keys(INGRESS));
  const vpcConnector = matching(
    'vpc-connector',
    /^(?:projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z]+-[a-z]+\d+\/connectors\/)?[a-z][a-z0-9-]{0,24}$/,
    'a Serverless VPC Access connector name or projects/P/locations/R/connectors/NAME',
  );
  const egress = getEnum('vpc-egress', ['all-traffic', 'private-ranges-only'] as const);
  if (egress && !vpcConnector) throw new InputError('vpc-egress', 'needs a VPC connector', 'set vpc-connector too');
  const cloudsqlInstances = getList('cloudsql-instances');
  for (const instance of cloudsqlInstances)
    if (!CLOUDSQL.test(instance))
      throw new InputError(
        'cloudsql-instances',
        `${quote(instance)} is not an instance connection name`,
        'write project:region:instance',
      );
  const port = getInteger('port', { min: 1, max: 65535 });
  const portName = getEnum('port-name', ['http1', 'h2c'] as const);
  const command = readArgs('command');
  const args = readArgs('args');
  const startupProbePath = matching(
    'startup-probe-path',
    /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/,
    'an HTTP path starting with /',
  );
  return {
    cpu,
    memory,
    cpuIdle: cpuThrottling,
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
    portName,
    command,
    args,
    startupProbePath,
  };
}

function readPatch(): Record<string, unknown> | undefined {
  const text = getString('service-patch');
  if (text === undefined) return undefined;
  if (text.length > 65_536)
    throw new InputError(
      'service-patch',
      `is ${text.length} characters long`,
      'keep it under 64 KiB: it holds Service fields, not data',
    );
  let value: unknown;
  try {
    // YAML 1.2 core schema: no custom tags, no merge keys (`<<`) that could smuggle keys in.
    value = parseYaml(text, { schema: 'core', merge: false, maxAliasCount: 0 });
  } catch (error) {
    throw new InputError(
      'service-patch',
      `is not valid YAML or JSON (${(error as Error).message.split('\n')[0].slice(0, 120)})`,
      'give a YAML or JSON object with Service fields, e.g. "template: {executionEnvironment: EXECUTION_ENVIRONMENT_GEN2}"',
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('service-patch', 'is not an object', 'give Service fields as a YAML or JSON object');
  const problem = patchProblem(value, 'Service');
  if (problem)
    throw new InputError(
      'service-patch',
      problem,
      'give only writable Service fields (see the Cloud Run Admin API v2 Service resource)',
    );
  return value as Record<string, unknown>;
}

function readCanarySteps(strategy: string): number[] {
  const items = getList('canary-steps');
  if (strategy !== 'canary') {
    if (items.length)
      throw new InputError(
        'canary-steps',
        `is only used with strategy canary (strategy is ${strategy})`,
        'set strategy: canary or remove it',
      );
    return [];
  }
  if (!items.length) return [10, 50, 100];
  const steps = items.map((item) => {
    const n = Number(item.replace(/%$/, ''));
    if (!/^\d+%?$/.test(item) || !Number.isInteger(n) || n < 1 || n > 100)
      throw new InputError(
        'canary-steps',
        `${quote(item)} is not a percentage from 1 to 100`,
        'write steps like 10,50,100',
      );
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

/** `revision-traffic` (`name=percent`, LATEST, PREVIOUS) and `tag-traffic` (`tag=percent`), comma or line separated. */
function readTraffic(): TrafficAssignment[] {
  const revisions = readPairs('revision-traffic');
  const tags = readPairs('tag-traffic');
  if (revisions.length && tags.length)
    throw new InputError(
      'tag-traffic',
      'cannot be combined with "revision-traffic"',
      'move traffic by revision or by tag, in one step each',
    );
  const out: TrafficAssignment[] = [];
  for (const [input, pairs] of [
    ['revision-traffic', revisions],
    ['tag-traffic', tags],
  ] as const) {
    for (const { key, value } of pairs) {
      if (!/^\d{1,3}%?$/.test(value) || Number(value.replace('%', '')) > 100)
        throw new InputError(
          input,
          `the share for ${quote(key)} (${quote(value)}) is not a percentage`,
          'write name=percent, like my-revision=10',
        );
      const percent = Number(value.replace('%', ''));
      const upper = key.toUpperCase();
      const kind =
        input === 'tag-traffic'
          ? 'tag'
          : upper === 'LATEST'
            ? 'latest'
            : upper === 'PREVIOUS'
              ? 'previous'
              : 'revision';
      if (kind === 'revision' || kind === 'tag') readSegment(input, kind, key);
      if (out.some((a) => a.kind === kind && a.name === key))
        throw new InputError(input, `${key} is given twice`, 'give each once');
      out.push({ kind, name: key, percent });
    }
  }
  const total = out.reduce((sum, a) => sum + a.percent, 0);
  if (out.length && total > 100)
    throw new InputError(
      revisions.length ? 'revision-traffic' : 'tag-traffic',
      `adds up to ${total}%`,
      'give shares that add up to at most 100% (the rest stays where it is)',
    );
  return out;
}

function readPercent(name: string): number | undefined {
  const text = getString(name)?.trim();
  if (text === undefined) return undefined;
  const n = Number(text.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(text) || n > 100)
    throw new InputError(name, `${quote(text)} is not a percentage`, 'write a value from 0% to 100%, like 5%');
  return n / 100;
}

function readHealth(): HealthGate | undefined {
  const path = matching(
    'health-path',
    /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/,
    'an HTTP path starting with /, like /healthz',
  );
  const target = getEnum('health-target', ['revision', 'service', 'both'] as const) ?? 'revision';
  const expectedText = getString('health-expected-status') ?? '200';
  const expected = statusMatcher(expectedText);
  const maxLatencyMs = getDuration('health-max-latency', { min: 1 });
  const maxErrorRate = readPercent('health-max-error-rate') ?? 0;
  const probes = getInteger('health-probes', { min: 1, max: 1000 }) ?? 5;
  const intervalMs = getDuration('health-interval', { max: 600_000 }) ?? 1000;
  const timeoutMs = getDuration('health-timeout', { min: 100, max: 600_000 }) ?? 10_000;
  const headers = readHealthHeaders();
  if (!path) return undefined;
  return { path, target, expected, expectedText, maxLatencyMs, maxErrorRate, probes, intervalMs, timeoutMs, headers };
}

/** `Name: value` lines, every value masked, and for `Bearer X` / `Basic X` the credential X on its own too. */
function readHealthHeaders(): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (const line of getLines('health-headers', { secret: true })) {
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!key || !/^[A-Za-z0-9-]+$/.test(key))
      throw new InputError('health-headers', 'a line is not "Name: value"', 'write one "Header-Name: value" per line');
    const value = line.slice(colon + 1).trim();
    registerSecret(value);
    const credential = /^[A-Za-z][A-Za-z0-9-]*\s+(\S.*)$/.exec(value)?.[1];
    if (credential) registerSecret(credential);
    headers[key] = value;
  }
  return headers;
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
        `${quote(part)} is not an HTTP status`,
        'write statuses like 200, 200,204 or 2xx',
      );
  return (status) =>
    parts.some((p) => (p.endsWith('xx') ? Math.floor(status / 100) === Number(p[0]) : status === Number(p)));
}
