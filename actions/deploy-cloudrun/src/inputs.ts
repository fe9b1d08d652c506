import {
  type SecretFile,
  type SecretRef,
  type Segment,
  TAG_AND_SERVICE_MAX,
  type UpdateStrategy,
  credentialEndpoint,
  patchProblem,
  resourcesProblem,
  segmentProblem,
} from '@deploy-actions/gcp';
import { type GateSettings, parseExpectedStatus, parseHealthHeaders, parsePercent } from '@deploy-actions/health';
import {
  type Branch,
  InputError,
  type Logger,
  type Inputs as ManifestInputs,
  assertPathSegment,
  narrow,
  parseList,
  workflow,
} from '@deploy-actions/toolkit';
import { parse as parseYaml } from 'yaml';
import { BadReferenceError, parseReference } from '../../../packages/registry/src/reference';
import { manifest } from './manifest';
import { readPairs } from './pairs';
import { needsProbeTag, probeTagFor } from './plan';
import { quote } from './quote';

/**
 * The checks after the manifest's reader (`ctx.inputs`, every input parsed by its declared kind and refused
 * where it does not apply) and before any API call: the rules Cloud Run itself enforces (names by Google's
 * rules, CPU/memory pairings, tag + service length, the Service schema for service-patch), the values whose
 * form is this action's own (KEY=VALUE pairs in both forms, secret references, argument lists, traffic
 * shares), and the checks across inputs. A bad value fails with one line naming the input, what is wrong and
 * the fix, so a deploy is not refused halfway through. The result is a union on `target`: a service rollout,
 * a traffic-only update, or a job; each branch carries exactly what it needs.
 */

export type Strategy = 'all-at-once' | 'canary' | 'blue-green' | 'no-traffic';
/** The spec module's types (packages/gcp), so the checked inputs are its ServiceSpec's parts as they are. */
export type { SecretFile, SecretRef, UpdateStrategy };

export interface HealthGate extends GateSettings {
  path: string;
  target: 'revision' | 'service' | 'both';
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

/** What the manifest's reader gives, and its branches per target. */
export type Given = ManifestInputs<typeof manifest>;
type ServiceGiven = Branch<typeof manifest, 'target', 'service'>;
type TrafficGiven = Branch<typeof manifest, 'target', 'traffic'>;
type JobGiven = Branch<typeof manifest, 'target', 'job'>;
type Log = Pick<Logger, 'info' | 'warning'>;

/** Registry paths, then a tag and/or digest: the one reference grammar (packages/registry). */
function readImage(image: string | undefined): string {
  if (image === undefined)
    throw new InputError(
      'image',
      'is required but empty',
      'name the image to deploy, e.g. europe-docker.pkg.dev/my-project/repo/api:1.2.3',
    );
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
function readSegment(input: string, kind: Segment, value: string | undefined): string | undefined {
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

function matching(input: string, given: string | undefined, pattern: RegExp, described: string): string | undefined {
  const value = given?.trim();
  if (value === undefined) return undefined;
  if (value.length > 2048)
    throw new InputError(input, `is ${value.length} characters long`, `use ${described} (at most 2048 characters)`);
  if (!pattern.test(value)) throw new InputError(input, `${quote(value)} is not ${described}`, `use ${described}`);
  return value;
}

/** Checks the inputs `runAction` read from the manifest (ctx.inputs) and shapes them per target. */
export function checkInputs(given: Given, log: Log): Inputs {
  const inputs = narrow(manifest, given, 'target');
  // Header values, and a Bearer/Basic credential on its own, are masked before another input can quote them.
  const headers = parseHealthHeaders(given.healthHeaders ?? []);
  const service = readSegment('service', 'service', given.service);
  const job = readSegment('job', 'job', given.job);
  if (service && job)
    throw new InputError('service', 'cannot be combined with "job"', 'deploy a service or a job, in separate steps');
  const neither = () =>
    new InputError('service', 'is empty, and so is "job"', 'set service (or job) to what you deploy');
  if (!service && !job) throw neither();
  const project = readSegment('project-id', 'project', given.projectId);
  const regions = given.region;
  if (!regions.length) throw new InputError('region', 'is empty', 'name a region such as europe-west1');
  for (const region of regions) readSegment('region', 'region', region);
  if (new Set(regions).size !== regions.length)
    throw new InputError('region', 'names a region twice', 'list each region once');
  const shared: Shared = {
    project,
    regions,
    accessToken: given.accessToken,
    apiEndpoint: credentialEndpoint('api-endpoint', given.apiEndpoint.toString()),
    labels: readLabels(given.labels, log),
    skipDefaultLabels: given.skipDefaultLabels,
    timeoutMs: given.deployWait,
  };
  warnCopiedTimeout(given.requestTimeout, log);

  // The target comes from which of job / revision-traffic / tag-traffic is set, so its name is set too.
  if (inputs.target === 'job' && job) return jobInputs(job, inputs, shared, log);
  if (inputs.target === 'traffic' && service) return trafficInputs(service, inputs, shared, headers, log);
  if (inputs.target === 'service' && service) return serviceInputs(service, inputs, given, shared, headers, log);
  throw neither();
}

function serviceInputs(
  service: string,
  inputs: ServiceGiven,
  given: Given,
  shared: Shared,
  headers: Record<string, string>,
  log: Log,
): ServiceInputs {
  const image = readImage(inputs.image);
  const { env, envStrategy, secretEnv, secretFiles, secretsStrategy } = readEnvironment(inputs, log);
  const settings = readSettings(inputs, 'service');
  const patch = readPatch(inputs.servicePatch);
  const { allowUnauthenticated, invokerIamDisabled, strategy } = inputs;
  const byStrategy = narrow(manifest, given, 'strategy');
  const canarySteps = byStrategy.strategy === 'canary' ? readCanarySteps(byStrategy.canarySteps) : [];
  const canaryPauseMs = inputs.canaryPause;
  if (canaryPauseMs > 0 && !(strategy === 'canary' && canarySteps.length > 1))
    throw new InputError(
      'canary-pause',
      strategy === 'canary'
        ? 'has no step to pause between (canary-steps has one step)'
        : `has no step to pause between with strategy ${strategy}`,
      'remove it, or use strategy: canary with two or more canary-steps',
    );
  const tag = readSegment('tag', 'tag', inputs.tag);
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
    inputs.revisionSuffix,
    SUFFIX,
    'lower-case letters, digits and hyphens, at most 14 characters',
  );
  if (revisionSuffix && service.length + 1 + revisionSuffix.length > 63)
    throw new InputError(
      'revision-suffix',
      `makes a revision name over 63 characters with service "${service}"`,
      'use a shorter suffix',
    );
  const health = readHealth(inputs, headers);
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

/** A traffic-only update: the inputs that deploy something were refused by the reader already. */
function trafficInputs(
  service: string,
  inputs: TrafficGiven,
  shared: Shared,
  headers: Record<string, string>,
  log: Log,
): TrafficInputs {
  const assignments = readTraffic(inputs.revisionTraffic, inputs.tagTraffic, log);
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
    allowUnauthenticated: inputs.allowUnauthenticated,
    health: readHealth(inputs, headers),
  };
}

/** A job: the service-only inputs (strategy, health gate, traffic...) were refused by the reader already. */
function jobInputs(job: string, inputs: JobGiven, shared: Shared, log: Log): JobInputs {
  const image = readImage(inputs.image);
  const { env, envStrategy, secretEnv, secretFiles } = readEnvironment(inputs, log);
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
    settings: readSettings(inputs, 'job'),
    execute: inputs.execute,
    wait: inputs.wait,
    executeArgs: readArgs('execute-args', inputs.executeArgs),
  };
}

/**
 * The peer's `timeout` (a request timeout) copied over as ours (how long the whole step may take). The form
 * the user wrote (`300s`, `5m30s`: the way gcloud writes a request timeout), not its value, tells them
 * apart, so this reads the raw text.
 */
function warnCopiedTimeout(requestTimeout: number | undefined, log: Log): void {
  const text = workflow.getInput('timeout');
  if (!text || text === '60m' || requestTimeout !== undefined) return;
  if (REQUEST_TIMEOUT_LIKE.test(text))
    log.warning(
      `Input "timeout" (${text}) is how long this whole step may take. If it was copied from google-github-actions/deploy-cloudrun, whose timeout is the request timeout, rename it to request-timeout.`,
    );
}

interface EnvironmentGiven {
  envVars: string | undefined;
  envVarsUpdateStrategy: UpdateStrategy;
  secrets: string | undefined;
  secretsUpdateStrategy: UpdateStrategy;
}

function readEnvironment(given: EnvironmentGiven, log: Log) {
  const env = readEnv(given.envVars, log);
  const envStrategy = given.envVarsUpdateStrategy;
  const { secretEnv, secretFiles } = readSecrets(given.secrets, log);
  const secretsStrategy = given.secretsUpdateStrategy;
  for (const name of Object.keys(env))
    if (Object.hasOwn(secretEnv, name))
      throw new InputError(
        'secrets',
        `${name} is also set in "env-vars"`,
        'give each variable once: as a plain value in env-vars or as a secret in secrets',
      );
  return { env, envStrategy, secretEnv, secretFiles, secretsStrategy };
}

function readEnv(text: string | undefined, log: Log): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  for (const { key, value } of readPairs('env-vars', text, log)) {
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

function readSecrets(
  text: string | undefined,
  log: Log,
): { secretEnv: Record<string, SecretRef>; secretFiles: SecretFile[] } {
  const secretEnv: Record<string, SecretRef> = Object.create(null);
  const secretFiles: SecretFile[] = [];
  for (const { key, value } of readPairs('secrets', text, log)) {
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

function readLabels(text: string | undefined, log: Log): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  for (const { key, value } of readPairs('labels', text, log)) {
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
function readArgs(name: string, given: string | undefined): string[] | undefined {
  const text = given?.trim();
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
  return parseList(text, true);
}

/** The container and scaling inputs, as the reader gives them (a job's service-only ones are undefined). */
interface SettingsGiven {
  cpu?: string;
  memory?: string;
  cpuThrottling?: boolean;
  concurrency?: number;
  minInstances?: number;
  maxInstances?: number;
  requestTimeout?: number;
  serviceAccount?: string;
  ingress?: keyof typeof INGRESS;
  vpcConnector?: string;
  vpcEgress?: 'all-traffic' | 'private-ranges-only';
  cloudsqlInstances?: string[];
  port?: number;
  portName?: 'http1' | 'h2c';
  command?: string;
  args?: string;
  startupProbePath?: string;
}

function readSettings(given: SettingsGiven, target: 'service' | 'job'): ServiceSettings {
  const cpu = given.cpu?.trim();
  const memory = given.memory?.trim();
  const { cpuThrottling, concurrency, minInstances, maxInstances, port, portName } = given;
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
  if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances)
    throw new InputError(
      'min-instances',
      `${minInstances} is above max-instances (${maxInstances})`,
      'lower it or raise max-instances',
    );
  const serviceAccount = matching(
    'service-account',
    given.serviceAccount,
    EMAIL,
    'a service account email like runtime@my-project.iam.gserviceaccount.com',
  );
  const vpcConnector = matching(
    'vpc-connector',
    given.vpcConnector,
    /^(?:projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z]+-[a-z]+\d+\/connectors\/)?[a-z][a-z0-9-]{0,24}$/,
    'a Serverless VPC Access connector name or projects/P/locations/R/connectors/NAME',
  );
  const egress = given.vpcEgress;
  if (egress && !vpcConnector) throw new InputError('vpc-egress', 'needs a VPC connector', 'set vpc-connector too');
  const cloudsqlInstances = given.cloudsqlInstances ?? [];
  for (const instance of cloudsqlInstances)
    if (!CLOUDSQL.test(instance))
      throw new InputError(
        'cloudsql-instances',
        `${quote(instance)} is not an instance connection name`,
        'write project:region:instance',
      );
  const command = readArgs('command', given.command);
  const args = readArgs('args', given.args);
  const startupProbePath = matching(
    'startup-probe-path',
    given.startupProbePath,
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
    requestTimeoutMs: given.requestTimeout,
    serviceAccount,
    ingress: given.ingress && INGRESS[given.ingress],
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

function readPatch(text: string | undefined): Record<string, unknown> | undefined {
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

/** With strategy canary: strictly increasing percentages ending at 100 (default 10,50,100). */
function readCanarySteps(items: string[]): number[] {
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
  const last = steps[steps.length - 1];
  if (last !== 100)
    throw new InputError('canary-steps', `the last step is ${last}, not 100`, 'end with 100, like 10,50,100');
  return steps;
}

/** `revision-traffic` (`name=percent`, LATEST, PREVIOUS) and `tag-traffic` (`tag=percent`), comma or line separated. */
function readTraffic(revisionText: string | undefined, tagText: string | undefined, log: Log): TrafficAssignment[] {
  const revisions = readPairs('revision-traffic', revisionText, log);
  const tags = readPairs('tag-traffic', tagText, log);
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

interface HealthGiven {
  healthPath: string | undefined;
  healthTarget: HealthGate['target'];
  healthExpectedStatus: string;
  healthMaxLatency: number | undefined;
  healthMaxErrorRate: string;
  healthProbes: number;
  healthInterval: number;
  healthTimeout: number;
}

/** The gate, with the shared health parsers (packages/health); undefined without health-path. */
function readHealth(given: HealthGiven, headers: Record<string, string>): HealthGate | undefined {
  const expected = parseExpectedStatus(given.healthExpectedStatus);
  const maxErrorRate = parsePercent(given.healthMaxErrorRate);
  if (!given.healthPath) return undefined;
  return {
    path: given.healthPath,
    target: given.healthTarget,
    expected: expected.matcher,
    expectedText: expected.text,
    maxLatencyMs: given.healthMaxLatency,
    maxErrorRate,
    probes: given.healthProbes,
    intervalMs: given.healthInterval,
    timeoutMs: given.healthTimeout,
    headers,
  };
}
