import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseExpectedStatus, parsePercent } from '../../../packages/health/src/gate-inputs';
import type { GateSettings } from '../../../packages/health/src/probe';
import { awsRegion } from '../../../packages/aws/src/region';
import { parseReference } from '../../../packages/registry/src/reference';
import { narrow, type Inputs as RawInputs } from '../../../packages/toolkit/src/read-inputs';
import { checkProbeUrl } from '../../../packages/toolkit/src/url-safety';
import { manifest } from './manifest';
import { InputError } from './toolkit';

/**
 * The checks after the manifest's typed reader (`ctx.inputs`, which already refused wrong kinds, bounds,
 * unknown strategies and strategy options given with another strategy): cluster, service and container
 * names, the region, image references (the suite's one grammar), NAME=value lines, the task definition
 * file, the percentages, the health gate, and which inputs go together. A bad value fails here with one
 * line naming the input, the problem and the fix, and nothing has been changed in AWS. The result is one
 * discriminated union per operation (deploy, scale, maintenance), with the rollout one per strategy, so no
 * consumer needs `!`.
 */

export interface HealthGate extends GateSettings {
  path: string;
  /** Absolute URLs; otherwise the load balancer's production / test listener URLs are used. */
  url?: string;
  testUrl?: string;
}

/** What each strategy takes: ECS's own strategies with their options, or the service's own configuration. */
export type Rollout =
  | { strategy: 'rolling' | 'service' }
  | { strategy: 'blue-green'; bakeTimeMinutes?: number }
  | { strategy: 'canary'; bakeTimeMinutes?: number; canaryPercent?: number }
  | { strategy: 'linear'; bakeTimeMinutes?: number; linearStepPercent?: number };

/** What every operation needs: the service, where it is, and how long to follow it. */
export interface Target {
  cluster: string;
  service: string;
  region: string;
  wait: boolean;
  timeoutMs: number;
}

/** A new task definition revision, rolled out by the strategy and gated. */
export interface DeployInputs extends Target {
  operation: 'deploy';
  /** Container name → image. An undefined container (single `image` without `container`) means "the only container". */
  images: { container?: string; image: string }[];
  taskDefinitionFile?: string;
  env: Record<string, string>;
  secrets: Record<string, string>;
  desiredCount?: number;
  rollout: Rollout;
  health?: HealthGate;
  rollbackOnFailure: boolean;
}

/** desired-count alone: scale (0 stops the service). */
export interface ScaleInputs extends Target {
  operation: 'scale';
  desiredCount: number;
}

/** maintenance on/off on the production listener rule. */
export interface MaintenanceInputs extends Target {
  operation: 'maintenance';
  maintenance: 'on' | 'off';
}

export type Inputs = DeployInputs | ScaleInputs | MaintenanceInputs;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;
const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(cluster|service)\/[A-Za-z0-9/_-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Secrets Manager or SSM Parameter Store ARNs, or a parameter name.
const VALUE_FROM = /^(arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:\S+|[A-Za-z0-9_.\-/]+)$/;

/**
 * Quotes a value for an error on one line: control characters escaped, long values cut, and never a URL's
 * credentials (a secret pasted into the wrong input).
 */
function quote(value: string): string {
  const text = value.replace(/\/\/[^/@\s]*@/g, '//***@');
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function checkImage(input: string, image: string): void {
  try {
    parseReference(image);
  } catch {
    throw new InputError(
      input,
      `${quote(image)} is not an image reference`,
      'give registry/repository:tag or registry/repository@sha256:<digest>',
    );
  }
}

function pairs(name: string, lines: string[]): [string, string][] {
  return lines.map((line) => {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new InputError(name, `${quote(line)} is not NAME=VALUE`, 'write one NAME=VALUE per line');
    return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
  });
}

function percent(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new InputError(name, `${quote(text)} is not a percentage from ${min} to ${max}`, `write e.g. ${min + 9}%`);
  return value;
}

type Raw = RawInputs<typeof manifest>;

/** The strategy's options, per strategy (the reader refused the options of another strategy already). */
function rollout(raw: Raw): Rollout {
  const inputs = narrow(manifest, raw, 'strategy');
  if (inputs.bakeTime !== undefined && inputs.bakeTime % 60_000 !== 0)
    throw new InputError(
      'bake-time',
      `${Math.round(inputs.bakeTime / 1000)}s is not whole minutes`,
      'ECS bakes in whole minutes: write e.g. 5m',
    );
  const bakeTimeMinutes = inputs.bakeTime === undefined ? undefined : inputs.bakeTime / 60_000;
  switch (inputs.strategy) {
    case 'rolling':
    case 'service':
      return { strategy: inputs.strategy };
    case 'blue-green':
      return { strategy: 'blue-green', bakeTimeMinutes };
    case 'canary':
      return {
        strategy: 'canary',
        bakeTimeMinutes,
        canaryPercent: percent('canary-percent', inputs.canaryPercent, 0.1, 100),
      };
    case 'linear':
      return {
        strategy: 'linear',
        bakeTimeMinutes,
        linearStepPercent: percent('linear-step-percent', inputs.linearStepPercent, 3, 100),
      };
  }
}

function health(raw: Raw): HealthGate | undefined {
  const { matcher, text } = parseExpectedStatus(raw.healthExpectedStatus);
  const maxErrorRate = parsePercent(raw.healthMaxErrorRate);
  const urls = { 'health-url': raw.healthUrl, 'health-test-url': raw.healthTestUrl };
  for (const [name, url] of Object.entries(urls)) {
    if (!url) continue;
    checkProbeUrl(url, name);
    if (url.username || url.password)
      throw new InputError(name, 'carries credentials in the URL', 'remove them; the probes send no credentials');
  }
  if (!raw.healthPath && !raw.healthUrl && !raw.healthTestUrl) return undefined;
  return {
    path: raw.healthPath ?? '',
    url: raw.healthUrl?.toString(),
    testUrl: raw.healthTestUrl?.toString(),
    expected: matcher,
    expectedText: text,
    probes: raw.healthProbes,
    intervalMs: raw.healthInterval,
    timeoutMs: raw.healthTimeout,
    maxErrorRate,
  };
}

function images(raw: Raw): DeployInputs['images'] {
  const { image, container } = raw;
  if (image && raw.images.length)
    throw new InputError(
      'image',
      'cannot be combined with "images"',
      'use image (with container) for one container, images for several',
    );
  if (container && !image)
    throw new InputError('container', 'is set without "image"', 'give the image for that container');
  if (container && !NAME.test(container))
    throw new InputError('container', `${quote(container)} is not a container name`, 'use letters, digits, - and _');
  const result: DeployInputs['images'] = [];
  if (image) {
    checkImage('image', image);
    result.push({ container, image });
  }
  for (const line of raw.images) {
    const eq = line.indexOf('=');
    if (eq <= 0)
      throw new InputError('images', `${quote(line)} is not CONTAINER=IMAGE`, 'write one CONTAINER=IMAGE per line');
    const name = line.slice(0, eq).trim();
    const ref = line.slice(eq + 1).trim();
    if (!NAME.test(name))
      throw new InputError('images', `${quote(name)} is not a container name`, 'use letters, digits, - and _');
    if (result.some((i) => i.container === name))
      throw new InputError('images', `${name} is given twice`, 'give each container once');
    checkImage('images', ref);
    result.push({ container: name, image: ref });
  }
  return result;
}

function taskDefinitionFile(given: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (!given) return undefined;
  const path = isAbsolute(given) ? given : resolve(env.GITHUB_WORKSPACE ?? process.cwd(), given);
  if (!existsSync(path))
    throw new InputError(
      'task-definition',
      `${quote(given)} does not exist`,
      'give the path of a task definition JSON file',
    );
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.containerDefinitions))
      throw new Error('no containerDefinitions');
  } catch (error) {
    throw new InputError(
      'task-definition',
      `${quote(given)} is not a task definition (${(error as Error).message})`,
      'give a JSON file with family and containerDefinitions, e.g. from aws ecs describe-task-definition',
    );
  }
  return path;
}

function environment(raw: Raw): { env: Record<string, string>; secrets: Record<string, string> } {
  const env: Record<string, string> = Object.create(null);
  for (const [key, value] of pairs('env-vars', raw.envVars)) {
    if (!ENV_NAME.test(key))
      throw new InputError('env-vars', `${quote(key)} is not a variable name`, 'use letters, digits and _');
    if (Object.hasOwn(env, key)) throw new InputError('env-vars', `${key} is given twice`, 'give each variable once');
    env[key] = value;
  }
  const secrets: Record<string, string> = Object.create(null);
  for (const [key, value] of pairs('secrets', raw.secrets)) {
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
  return { env, secrets };
}

function target(raw: Raw, env: NodeJS.ProcessEnv): Target {
  const { cluster, service } = raw;
  if (!NAME.test(cluster) && !ARN.test(cluster))
    throw new InputError(
      'cluster',
      `${quote(cluster)} is not a cluster name or ARN`,
      'give the cluster name, e.g. prod',
    );
  if (!NAME.test(service) && !ARN.test(service))
    throw new InputError(
      'service',
      `${quote(service)} is not a service name or ARN`,
      'give the service name: letters, digits, - and _, up to 255 characters',
    );
  const region = awsRegion('region', raw.region, env, quote);
  return { cluster, service, region, wait: raw.wait, timeoutMs: raw.timeout };
}

/** Checks the typed inputs together and decides what the step does. Throws InputError; touches nothing in AWS. */
export function validate(raw: Raw, env: NodeJS.ProcessEnv = process.env): Inputs {
  const common = target(raw, env);
  const deploy = {
    images: images(raw),
    taskDefinitionFile: taskDefinitionFile(raw.taskDefinition, env),
    ...environment(raw),
  };
  const { desiredCount, maintenance } = raw;
  const rolloutOptions = rollout(raw);
  const gate = health(raw);
  if (!raw.wait && gate)
    throw new InputError(
      'wait',
      'is false but a health gate is set',
      'the gate needs the deploy to finish: remove wait: false or the health inputs',
    );

  const deploys =
    deploy.images.length > 0 ||
    deploy.taskDefinitionFile !== undefined ||
    Object.keys(deploy.env).length > 0 ||
    Object.keys(deploy.secrets).length > 0;
  if (maintenance) {
    if (deploys || desiredCount !== undefined)
      throw new InputError(
        'maintenance',
        'switches the listener rule only and cannot be combined with a deploy',
        'use a separate step for maintenance on/off',
      );
    return { ...common, operation: 'maintenance', maintenance };
  }
  if (desiredCount === 0 && deploys)
    throw new InputError(
      'desired-count',
      'is 0, which stops the service, but a new image or task definition is given too',
      'stop in one step (desired-count: 0) and deploy in a later one',
    );
  if (!deploys && desiredCount !== undefined) return { ...common, operation: 'scale', desiredCount };
  return {
    ...common,
    operation: 'deploy',
    ...deploy,
    desiredCount,
    rollout: rolloutOptions,
    health: gate,
    rollbackOnFailure: raw.rollbackOnFailure,
  };
}
