import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getLines,
  getMatching,
  getString,
  getUrl,
  InputError,
} from './toolkit';

/**
 * Every input of deploy-ecs, read and checked before the first API call: a bad value fails here with one
 * line naming the input, the problem and the fix, and nothing has been changed in AWS.
 */

export const STRATEGIES = ['rolling', 'blue-green', 'canary', 'linear', 'service'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface HealthGate {
  path: string;
  /** Absolute URLs; otherwise the load balancer's production / test listener URLs are used. */
  url?: string;
  testUrl?: string;
  expected: (status: number) => boolean;
  expectedText: string;
  probes: number;
  intervalMs: number;
  timeoutMs: number;
  maxErrorRate: number;
}

export interface Inputs {
  cluster: string;
  service: string;
  /** Container name → image. `undefined` key (single `image` without `container`) means "the only container". */
  images: { container?: string; image: string }[];
  taskDefinitionFile?: string;
  env: Record<string, string>;
  secrets: Record<string, string>;
  desiredCount?: number;
  strategy: Strategy;
  canaryPercent?: number;
  linearStepPercent?: number;
  bakeTimeMinutes?: number;
  health?: HealthGate;
  rollbackOnFailure: boolean;
  wait: boolean;
  timeoutMs: number;
  region: string;
  maintenance?: 'on' | 'off';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(cluster|service)\/[A-Za-z0-9/_-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
// A Docker reference: [registry[:port]/]path[:tag][@sha256:digest], lower-case path.
const IMAGE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
// Secrets Manager or SSM Parameter Store ARNs, or a parameter name.
const VALUE_FROM = /^(arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:\S+|[A-Za-z0-9_.\-/]+)$/;

/** Quotes a value for an error on one line: control characters escaped, long values cut. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function checkImage(input: string, image: string): void {
  if (!IMAGE.test(image))
    throw new InputError(
      input,
      `${quote(image)} is not an image reference`,
      'give registry/repository:tag or registry/repository@sha256:<digest>',
    );
}

function readPairs(name: string): [string, string][] {
  return getLines(name).map((line) => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError(name, `${quote(line)} is not NAME=VALUE`, 'write one NAME=VALUE per line');
    return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
  });
}

function readPercent(name: string, min: number, max: number): number | undefined {
  const text = getString(name)?.trim();
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new InputError(name, `${quote(text)} is not a percentage from ${min} to ${max}`, `write e.g. ${min + 9}%`);
  return value;
}

function readHealth(): HealthGate | undefined {
  const path = getMatching('health-path', /^\/[^\s]*$/, 'an HTTP path starting with /, like /health');
  const url = getUrl('health-url');
  const testUrl = getUrl('health-test-url');
  const expectedText = getString('health-expected-status') ?? '200';
  const probes = getInteger('health-probes', { min: 1, max: 1000 }) ?? 5;
  const intervalMs = getDuration('health-interval', { max: 600_000 }) ?? 1000;
  const timeoutMs = getDuration('health-timeout', { min: 100, max: 600_000 }) ?? 10_000;
  const maxErrorRate = (readPercent('health-max-error-rate', 0, 100) ?? 0) / 100;
  const parts = expectedText.split(',').map((p) => p.trim());
  if (!parts.every((p) => /^[1-5](\d\d|xx)$/.test(p)))
    throw new InputError(
      'health-expected-status',
      `${quote(expectedText)} is not a list of HTTP statuses`,
      'write e.g. 200, 200,204 or 2xx',
    );
  const expected = (status: number) =>
    parts.some((p) => (p.endsWith('xx') ? Math.floor(status / 100) === Number(p[0]) : status === Number(p)));
  if (!path && !url && !testUrl) return undefined;
  for (const [name, value] of [
    ['health-url', url],
    ['health-test-url', testUrl],
  ] as const)
    if (value && (value.username || value.password))
      throw new InputError(name, 'carries credentials in the URL', 'remove them; the probes send no credentials');
  return {
    path: path ?? '',
    url: url?.toString(),
    testUrl: testUrl?.toString(),
    expected,
    expectedText,
    probes,
    intervalMs,
    timeoutMs,
    maxErrorRate,
  };
}

export function getInputs(): Inputs {
  const cluster = getString('cluster') ?? 'default';
  if (!NAME.test(cluster) && !ARN.test(cluster))
    throw new InputError(
      'cluster',
      `${quote(cluster)} is not a cluster name or ARN`,
      'give the cluster name, e.g. prod',
    );
  const service = getString('service', { required: true });
  if (!NAME.test(service) && !ARN.test(service))
    throw new InputError(
      'service',
      `${quote(service)} is not a service name or ARN`,
      'give the service name: letters, digits, - and _, up to 255 characters',
    );
  const region = getString('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region)
    throw new InputError(
      'region',
      'is empty and AWS_REGION is not set',
      'set region, e.g. us-east-1, or configure credentials first',
    );
  if (!REGION.test(region))
    throw new InputError('region', `${quote(region)} is not an AWS region`, 'write e.g. eu-west-1');

  const maintenance = getEnum('maintenance', ['on', 'off'] as const);
  const image = getString('image');
  const container = getString('container');
  const imageLines = getLines('images');
  if (image && imageLines.length)
    throw new InputError(
      'image',
      'cannot be combined with "images"',
      'use image (with container) for one container, images for several',
    );
  if (container && !image)
    throw new InputError('container', 'is set without "image"', 'give the image for that container');
  if (container && !NAME.test(container))
    throw new InputError('container', `${quote(container)} is not a container name`, 'use letters, digits, - and _');
  const images: Inputs['images'] = [];
  if (image) {
    checkImage('image', image);
    images.push({ container, image });
  }
  for (const line of imageLines) {
    const eq = line.indexOf('=');
    if (eq <= 0)
      throw new InputError('images', `${quote(line)} is not CONTAINER=IMAGE`, 'write one CONTAINER=IMAGE per line');
    const name = line.slice(0, eq).trim();
    const ref = line.slice(eq + 1).trim();
    if (!NAME.test(name))
      throw new InputError('images', `${quote(name)} is not a container name`, 'use letters, digits, - and _');
    if (images.some((i) => i.container === name))
      throw new InputError('images', `${name} is given twice`, 'give each container once');
    checkImage('images', ref);
    images.push({ container: name, image: ref });
  }

  const taskDefinitionInput = getString('task-definition');
  let taskDefinitionFile: string | undefined;
  if (taskDefinitionInput) {
    const path = isAbsolute(taskDefinitionInput)
      ? taskDefinitionInput
      : resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), taskDefinitionInput);
    if (!existsSync(path))
      throw new InputError(
        'task-definition',
        `${quote(taskDefinitionInput)} does not exist`,
        'give the path of a task definition JSON file',
      );
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.containerDefinitions))
        throw new Error('no containerDefinitions');
    } catch (error) {
      throw new InputError(
        'task-definition',
        `${quote(taskDefinitionInput)} is not a task definition (${(error as Error).message})`,
        'give a JSON file with family and containerDefinitions, e.g. from aws ecs describe-task-definition',
      );
    }
    taskDefinitionFile = path;
  }

  const env: Record<string, string> = {};
  for (const [key, value] of readPairs('env-vars')) {
    if (!ENV_NAME.test(key))
      throw new InputError('env-vars', `${quote(key)} is not a variable name`, 'use letters, digits and _');
    if (Object.hasOwn(env, key)) throw new InputError('env-vars', `${key} is given twice`, 'give each variable once');
    env[key] = value;
  }
  const secrets: Record<string, string> = {};
  for (const [key, value] of readPairs('secrets')) {
    if (!ENV_NAME.test(key))
      throw new InputError('secrets', `${quote(key)} is not a variable name`, 'use letters, digits and _');
    if (Object.hasOwn(secrets, key))
      throw new InputError('secrets', `${key} is given twice`, 'give each variable once');
    if (Object.hasOwn(env, key))
      throw new InputError(
        'secrets',
        `${key} is also set in "env-vars"`,
        'give each variable once, as a value or as a secret',
      );
    if (!VALUE_FROM.test(value))
      throw new InputError(
        'secrets',
        `the valueFrom of ${key} is not a Secrets Manager or SSM reference`,
        'write NAME=arn:aws:secretsmanager:region:account:secret:name (or an SSM parameter ARN or name); never the secret itself',
      );
    secrets[key] = value;
  }

  const desiredCount = getInteger('desired-count', { min: 0, max: 5000 });
  const strategy = getEnum('strategy', STRATEGIES) ?? 'rolling';
  const canaryPercent = readPercent('canary-percent', 0.1, 100);
  const linearStepPercent = readPercent('linear-step-percent', 3, 100);
  const bakeTimeMs = getDuration('bake-time', { max: 1440 * 60_000 });
  if (bakeTimeMs !== undefined && bakeTimeMs % 60_000 !== 0)
    throw new InputError(
      'bake-time',
      `${Math.round(bakeTimeMs / 1000)}s is not whole minutes`,
      'ECS bakes in whole minutes: write e.g. 5m',
    );
  if (canaryPercent !== undefined && strategy !== 'canary')
    throw new InputError(
      'canary-percent',
      `is only used with strategy: canary (strategy is ${strategy})`,
      'remove it or set strategy: canary',
    );
  if (linearStepPercent !== undefined && strategy !== 'linear')
    throw new InputError(
      'linear-step-percent',
      `is only used with strategy: linear (strategy is ${strategy})`,
      'remove it or set strategy: linear',
    );
  if (bakeTimeMs !== undefined && (strategy === 'rolling' || strategy === 'service'))
    throw new InputError(
      'bake-time',
      `has no effect with strategy: ${strategy}`,
      'use blue-green, canary or linear, or remove it',
    );

  const health = readHealth();
  const rollbackOnFailure = getBoolean('rollback-on-failure') ?? true;
  const wait = getBoolean('wait') ?? true;
  const timeoutMs = getDuration('timeout', { min: 10_000, max: 35 * 24 * 3600_000 }) ?? 2 * 3600_000;
  if (!wait && health)
    throw new InputError(
      'wait',
      'is false but a health gate is set',
      'the gate needs the deploy to finish: remove wait: false or the health inputs',
    );

  const deploys =
    images.length > 0 ||
    taskDefinitionFile !== undefined ||
    Object.keys(env).length > 0 ||
    Object.keys(secrets).length > 0;
  if (maintenance && (deploys || desiredCount !== undefined))
    throw new InputError(
      'maintenance',
      'switches the listener rule only and cannot be combined with a deploy',
      'use a separate step for maintenance on/off',
    );
  if (desiredCount === 0 && deploys)
    throw new InputError(
      'desired-count',
      'is 0, which stops the service, but a new image or task definition is given too',
      'stop in one step (desired-count: 0) and deploy in a later one',
    );

  return {
    cluster,
    service,
    images,
    taskDefinitionFile,
    env,
    secrets,
    desiredCount,
    strategy,
    canaryPercent,
    linearStepPercent,
    bakeTimeMinutes: bakeTimeMs === undefined ? undefined : bakeTimeMs / 60_000,
    health,
    rollbackOnFailure,
    wait,
    timeoutMs,
    region,
    maintenance,
  };
}
