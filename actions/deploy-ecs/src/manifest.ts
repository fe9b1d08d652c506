import { healthInputs } from '../../../packages/health/src/inputs';
import { defineAction, type Inapplicable, timeoutInput } from '../../../packages/toolkit/src/manifest';

/**
 * Every input and output of deploy-ecs, declared once: action.yml, the README tables and the typed reader
 * (`ctx.inputs`) come from it. The health gate's inputs are the suite's shared fragment, the step timeout
 * the shared one. What the kinds cannot say (names and ARNs, image references, NAME=value lines, the
 * percentages, which inputs go together) is checked in inputs.ts, before any API call.
 */

const STRATEGIES = ['rolling', 'blue-green', 'canary', 'linear', 'service'] as const;

const { timeout } = timeoutInput(
  '2h',
  'Hours are fine (no 60-minute cap); when it passes, or the job is cancelled, the deployment is stopped with a rollback (rollback-on-failure).',
);

/** deploy-ecs's wording for a strategy option given with another strategy. */
function inapplicable({ input, value, allowed }: Inapplicable): { problem: string; fix: string } {
  if (input === 'bake-time')
    return { problem: `has no effect with strategy: ${value}`, fix: 'use blue-green, canary or linear, or remove it' };
  return {
    problem: `is only used with strategy: ${allowed.join(' or ')} (strategy is ${value})`,
    fix: `remove it or set strategy: ${allowed[0]}`,
  };
}
export const manifest = defineAction({
  id: 'deploy-ecs',
  name: 'Deploy to Amazon ECS',
  description:
    'Deploys an ECS service over the API (no CLI) - a task definition revision with only what was asked changed, followed to SUCCESSFUL with rolling, blue-green, canary or linear rollouts, a health gate and rollback - or scales it, or switches maintenance on its listener rule.',
  branding: { icon: 'box', color: 'orange' },
  inapplicable,
  inputs: {
    cluster: {
      kind: 'string',
      description: "The cluster's name or ARN.",
      default: 'default',
    },
    service: {
      kind: 'string',
      description: "The service's name or ARN.",
      required: true,
    },
    image: {
      kind: 'string',
      description:
        "The new image (registry/repository:tag or @sha256 digest) for the task's only container, or for `container`.",
    },
    container: {
      kind: 'string',
      description: 'With `image`, the container that gets it, when the task has several.',
    },
    images: {
      kind: 'list',
      lines: true,
      description: "Several containers' images, one `CONTAINER=IMAGE` per line. Not with `image`.",
    },
    'task-definition': {
      kind: 'string',
      description:
        "A task definition JSON file to register instead of the service's current task definition (read-only fields are dropped; image, env-vars and secrets still apply on top). By default the current one is the base, so one step replaces amazon-ecs-render-task-definition plus amazon-ecs-deploy-task-definition.",
    },
    'env-vars': {
      kind: 'list',
      lines: true,
      description:
        'Environment variables to set or replace in the container, one `NAME=value` per line; the others stay.',
    },
    secrets: {
      kind: 'list',
      lines: true,
      description:
        'Secrets to set or replace, one `NAME=valueFrom` per line, valueFrom a Secrets Manager or SSM Parameter Store ARN (never the secret itself); the others stay.',
    },
    'desired-count': {
      kind: 'integer',
      min: 0,
      max: 5000,
      description:
        'The number of tasks. Alone it scales the service and waits; `0` stops the service and waits until no task runs (output previous-desired-count restores it later). With a deploy it sets the new count.',
    },
    strategy: {
      kind: 'enum',
      values: STRATEGIES,
      description:
        "`rolling`, `blue-green`, `canary`, `linear` (ECS's own strategies; the last three need a load balancer with listener rules and an alternate target group), or `service` to keep the service's own configuration.",
      default: 'rolling',
    },
    'canary-percent': {
      kind: 'string',
      appliesTo: { strategy: ['canary'] },
      description: 'With strategy canary, the share of production traffic the new revision gets first, e.g. `10%`.',
    },
    'linear-step-percent': {
      kind: 'string',
      appliesTo: { strategy: ['linear'] },
      description: 'With strategy linear, the share of traffic each step moves, e.g. `20%` (3-100).',
    },
    'bake-time': {
      kind: 'duration',
      max: 1440 * 60_000,
      appliesTo: { strategy: ['blue-green', 'canary', 'linear'] },
      description:
        'With blue-green, canary or linear, how long ECS keeps the old revision ready after the full shift, in whole minutes (`5m`).',
    },
    'health-path': {
      ...healthInputs['health-path'],
      described: 'an HTTP path starting with /, like /health',
      description:
        "The path the health gate probes, e.g. `/health`, on the load balancer's URL (and the test listener's, for blue-green, canary and linear, before production traffic moves). Without it and the URLs, no gate.",
    },
    'health-url': {
      ...healthInputs['health-url'],
      description: "The full URL the gate probes instead of the load balancer's production URL plus health-path.",
    },
    'health-test-url': {
      kind: 'url',
      description: 'The full URL of the test listener the gate probes at POST_TEST_TRAFFIC_SHIFT.',
    },
    'health-expected-status': healthInputs['health-expected-status'],
    'health-probes': { ...healthInputs['health-probes'], description: 'Number of probes at each gate.' },
    'health-interval': { ...healthInputs['health-interval'], description: 'Wait between probes.' },
    'health-timeout': { ...healthInputs['health-timeout'], description: 'Timeout of one probe.' },
    'health-max-error-rate': healthInputs['health-max-error-rate'],
    'rollback-on-failure': {
      kind: 'boolean',
      description:
        'When the gate fails, roll back: at a hook, ContinueServiceDeployment ROLLBACK; after a rolling deploy, deploy the previous task definition again. A timeout or cancellation stops the deployment with a rollback.',
      default: true,
    },
    wait: {
      kind: 'boolean',
      description: 'Follow the deployment to its end. With false the step ends once the deployment has started.',
      default: true,
    },
    timeout: {
      ...timeout,
      // A deploy that cannot get past ECS's first poll is a mistake, not a budget.
      min: 10_000,
    },
    region: {
      kind: 'string',
      description: 'The AWS region; defaults to AWS_REGION from the credentials step.',
    },
    maintenance: {
      kind: 'enum',
      values: ['on', 'off'],
      description:
        "`on` makes the service's production listener rule answer a fixed 503 maintenance page (its previous actions saved in a tag and the previous-rule output); `off` restores exactly those actions. Idempotent. Not combined with a deploy.",
    },
  },
  outputs: {
    'task-definition-arn': {
      description: 'The task definition the service runs after the step (the new revision on a deploy).',
    },
    'previous-task-definition-arn': { description: 'The task definition the service ran before the step.' },
    'deployment-arn': { description: 'The ARN of the service deployment the step started.' },
    status: {
      description:
        "The deployment's final status (SUCCESSFUL, ROLLBACK_SUCCESSFUL, STOPPED...), ROLLED_BACK, stopped, scaled, maintenance-on or maintenance-off.",
    },
    'previous-desired-count': {
      description: "The service's desired count before the step, to restore it later (e.g. after a failed migration).",
    },
    url: { description: "The load balancer's URL, when the service has one with a DNS name." },
    'previous-rule': {
      description:
        "With maintenance, the listener rule's actions before maintenance went on (also kept in a tag on the rule).",
    },
  },
});
