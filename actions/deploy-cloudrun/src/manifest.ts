import { googleTarget } from '@deploy-actions/gcp/target-inputs';
import { healthInputs } from '@deploy-actions/health';
import { defineAction, timeoutInput } from '@deploy-actions/toolkit';

const SERVICE = { target: ['service'] } as const;
const SERVICE_OR_TRAFFIC = { target: ['service', 'traffic'] } as const;
const DEPLOYS = { target: ['service', 'job'] } as const;
const JOB = { target: ['job'] } as const;
const CANARY = { target: ['service'], strategy: ['canary'] } as const;
const google = googleTarget({ api: 'Cloud Run Admin API', endpoint: 'https://run.googleapis.com' });

/** Every input and output of deploy-cloudrun, declared once: action.yml and the README tables are generated from it. */
export const manifest = defineAction({
  id: 'deploy-cloudrun',
  name: 'deploy-actions: Cloud Run deploy',
  description:
    'Deploys a Cloud Run service or job over the Admin API (no gcloud), with canary, blue-green or no-traffic rollouts behind a health gate and automatic rollback.',
  author: 'deploy-actions',
  branding: { icon: 'cloud', color: 'blue' },
  // A service deploy, a job deploy, or a traffic-only move (revision-traffic / tag-traffic without deploying).
  dimensions: {
    target: {
      values: ['service', 'job', 'traffic'],
      from: (raw) => (raw('job') ? 'job' : raw('revision-traffic') || raw('tag-traffic') ? 'traffic' : 'service'),
      label: 'target',
    },
  },
  inapplicable: ({ dimension, value, allowed }) =>
    dimension === 'strategy'
      ? {
          problem: `is only used with strategy canary (strategy is ${value})`,
          fix: 'set strategy: canary or remove it',
        }
      : value === 'job'
        ? { problem: 'applies to services, not jobs', fix: 'remove it, or deploy a service with "service"' }
        : value === 'traffic'
          ? {
              problem: 'deploys something, but revision-traffic / tag-traffic only move traffic',
              fix: 'remove it, or remove revision-traffic and tag-traffic to deploy',
            }
          : allowed.includes('job')
            ? { problem: 'applies to jobs only', fix: 'remove it, or deploy a job with "job"' }
            : { problem: `applies to ${allowed.join(', ')} only`, fix: 'remove it' },
  inputs: {
    service: {
      kind: 'string',
      description: 'The Cloud Run service to create or update. Set this or `job`.',
    },
    job: {
      kind: 'string',
      description: 'The Cloud Run job to create or update instead of a service (see `execute`).',
    },
    image: {
      kind: 'string',
      description:
        'The container image to deploy, e.g. `europe-docker.pkg.dev/my-project/repo/api:1.2.3` or `...@sha256:<digest>`. Required unless `revision-traffic` or `tag-traffic` only moves traffic.',
      appliesTo: DEPLOYS,
    },
    'project-id': google['project-id'],
    'access-token': google['access-token'],
    'api-endpoint': google['api-endpoint'],
    region: {
      kind: 'list',
      description: 'One region, or several (comma or newline separated) deployed one after the other.',
      default: 'us-central1',
    },
    'env-vars': {
      kind: 'string',
      description:
        'Environment variables, one `KEY=VALUE` per line (values keep `=` and commas), or on one line comma-separated like google-github-actions/deploy-cloudrun (`A=1,B=2`, `\\,` for a comma in a value).',
      appliesTo: DEPLOYS,
    },
    'env-vars-update-strategy': {
      kind: 'enum',
      values: ['merge', 'overwrite'],
      description:
        '`merge` keeps variables the service has and that `env-vars` does not name; `overwrite` keeps only those in `env-vars` (when it is set).',
      default: 'merge',
      appliesTo: DEPLOYS,
    },
    secrets: {
      kind: 'string',
      description:
        'Secret Manager references, one per line (or comma-separated on one line, as for `env-vars`). `NAME=secret:version` for a variable, `/path/file=secret:version` for a file. `secret` may be a full `projects/P/secrets/S` name; the version defaults to `latest`.',
      secret: true,
      appliesTo: DEPLOYS,
    },
    'secrets-update-strategy': {
      kind: 'enum',
      values: ['merge', 'overwrite'],
      description: '`merge` or `overwrite`, like `env-vars-update-strategy`, for secrets.',
      default: 'merge',
      appliesTo: DEPLOYS,
    },
    labels: {
      kind: 'string',
      description: 'Labels for the service and its revisions, one `key=value` per line.',
    },
    'skip-default-labels': {
      kind: 'boolean',
      description: 'Do not add the `managed-by=github-actions` and `commit-sha=<sha>` labels.',
      default: false,
    },
    cpu: {
      kind: 'string',
      description:
        'CPU limit per instance, `1`, `2`, `4`, `6`, `8`, or a fraction from `0.08` to below 1 (e.g. `0.5`, `500m`; needs `concurrency` 1). Checked against `memory` as Cloud Run pairs them.',
      appliesTo: DEPLOYS,
    },
    memory: {
      kind: 'string',
      description: 'Memory limit per instance, e.g. `512Mi` or `2Gi` (128Mi to 32Gi, within what `cpu` allows).',
      appliesTo: DEPLOYS,
    },
    'cpu-throttling': {
      kind: 'boolean',
      description:
        "`true`: CPU only while requests are handled (request-based billing, Cloud Run's default, sent explicitly); `false`: CPU always allocated (instance-based billing). Empty keeps what the service has (`true` for a new one).",
      appliesTo: DEPLOYS,
    },
    concurrency: {
      kind: 'integer',
      min: 1,
      max: 1000,
      description: 'Maximum concurrent requests per instance (1-1000).',
      appliesTo: SERVICE,
    },
    'min-instances': {
      kind: 'integer',
      min: 0,
      max: 1000,
      description: 'Minimum number of instances.',
      appliesTo: SERVICE,
    },
    'max-instances': {
      kind: 'integer',
      min: 1,
      max: 1000,
      description: 'Maximum number of instances.',
      appliesTo: SERVICE,
    },
    'request-timeout': {
      kind: 'duration',
      min: 1000,
      max: 3_600_000,
      description: 'Request timeout, e.g. `300s` or `5m` (at most 60m).',
      appliesTo: SERVICE,
    },
    'service-account': {
      kind: 'string',
      description: 'The runtime service account email.',
      appliesTo: DEPLOYS,
    },
    ingress: {
      kind: 'enum',
      values: ['all', 'internal', 'internal-and-cloud-load-balancing'],
      description: '`all`, `internal` or `internal-and-cloud-load-balancing`.',
      appliesTo: SERVICE,
    },
    'vpc-connector': {
      kind: 'string',
      description: 'Serverless VPC Access connector name (or full resource name).',
      appliesTo: DEPLOYS,
    },
    'vpc-egress': {
      kind: 'enum',
      values: ['private-ranges-only', 'all-traffic'],
      description: '`private-ranges-only` or `all-traffic`, with `vpc-connector`.',
      appliesTo: DEPLOYS,
    },
    'cloudsql-instances': {
      kind: 'list',
      description: 'Cloud SQL instance connection names (`project:region:instance`), mounted at /cloudsql.',
      appliesTo: DEPLOYS,
    },
    port: {
      kind: 'integer',
      min: 1,
      max: 65535,
      description: 'The container port that receives requests (Cloud Run sets PORT to it).',
      appliesTo: SERVICE,
    },
    'port-name': {
      kind: 'enum',
      values: ['http1', 'h2c'],
      description:
        "The port's protocol: `http1` or `h2c` (end-to-end HTTP/2). Empty keeps what the service has (`http1` for a new one).",
      appliesTo: SERVICE,
    },
    command: {
      kind: 'string',
      description: 'Container entrypoint, as `["a", "b"]` or one item per line.',
      appliesTo: DEPLOYS,
    },
    args: {
      kind: 'string',
      description: 'Container arguments, as `["a", "b"]` or one item per line.',
      appliesTo: DEPLOYS,
    },
    'startup-probe-path': {
      kind: 'string',
      description: 'HTTP path of a startup probe on the container port, e.g. `/healthz`.',
      appliesTo: SERVICE,
    },
    'service-patch': {
      kind: 'string',
      description:
        'YAML or JSON merged into the Service resource last, for any field without an input (objects merge, lists replace, null removes). Checked against the Cloud Run v2 Service schema first; output-only, unknown and `__proto__`/`constructor`/`prototype` keys are refused.',
      appliesTo: SERVICE,
    },
    'allow-unauthenticated': {
      kind: 'boolean',
      description:
        'Grant `roles/run.invoker` to `allUsers` (a public service), before any traffic moves; taken back if the deploy rolls back. `false` leaves the IAM policy as it is.',
      default: false,
      appliesTo: SERVICE_OR_TRAFFIC,
    },
    'invoker-iam-disabled': {
      kind: 'boolean',
      description:
        '`true` makes the service public without an IAM binding (`invokerIamDisabled`), for organisations whose Domain Restricted Sharing policy refuses `allUsers`; `false` turns the IAM check back on. Empty leaves it as it is.',
      appliesTo: SERVICE,
    },
    strategy: {
      kind: 'enum',
      values: ['all-at-once', 'canary', 'blue-green', 'no-traffic'],
      description:
        '`all-at-once`, `canary` (see `canary-steps`), `blue-green` (new revision under a tag, checked, then 100%) or `no-traffic` (new revision under `tag` only, for previews).',
      default: 'all-at-once',
      appliesTo: SERVICE,
    },
    'canary-steps': {
      kind: 'list',
      description:
        'With `strategy: canary`, the share of traffic for the new revision at each step, strictly increasing and ending at 100. Default `10,50,100`.',
      appliesTo: CANARY,
    },
    'canary-pause': {
      kind: 'duration',
      description:
        "Wait between canary steps, after each step's health gate, e.g. `2m`. Refused when the rollout has one step.",
      default: '0s',
      max: 6 * 3_600_000,
      appliesTo: SERVICE,
    },
    tag: {
      kind: 'string',
      description:
        'Revision tag for the new revision (its own URL, output as `tag-url`). Required with `no-traffic`. Tag and service name together at most 46 characters.',
      appliesTo: SERVICE,
    },
    'revision-suffix': {
      kind: 'string',
      description:
        "Suffix of the new revision's name (`<service>-<suffix>`); default the short commit SHA and a random part. A suffix naming the revision that already runs the same template is refused (nothing would be deployed), unless the image is pinned by digest.",
      appliesTo: SERVICE,
    },
    'revision-traffic': {
      kind: 'string',
      description:
        "Move traffic without deploying: `revision=percent` pairs (comma or newline separated); `LATEST` is the latest ready revision, `PREVIOUS` the one before the revision serving now. Shares under 100% leave the rest where it is. Like google-github-actions/deploy-cloudrun's `revision_traffic`.",
      appliesTo: SERVICE_OR_TRAFFIC,
    },
    'tag-traffic': {
      kind: 'string',
      description:
        "Move traffic without deploying, by tag: `tag=percent` pairs. Like google-github-actions/deploy-cloudrun's `tag_traffic`.",
      appliesTo: SERVICE_OR_TRAFFIC,
    },
    // The shared health inputs (packages/health), with this action's descriptions where its gate differs.
    'health-path': {
      ...healthInputs['health-path'],
      description: "Path to probe at each step, e.g. `/healthz`. Without it, the gate is Cloud Run's readiness only.",
      appliesTo: SERVICE_OR_TRAFFIC,
    },
    'health-target': { ...healthInputs['health-target'], appliesTo: SERVICE_OR_TRAFFIC },
    'health-expected-status': { ...healthInputs['health-expected-status'], appliesTo: SERVICE_OR_TRAFFIC },
    'health-max-latency': { ...healthInputs['health-max-latency'], appliesTo: SERVICE_OR_TRAFFIC },
    'health-max-error-rate': { ...healthInputs['health-max-error-rate'], appliesTo: SERVICE_OR_TRAFFIC },
    'health-probes': { ...healthInputs['health-probes'], appliesTo: SERVICE_OR_TRAFFIC },
    'health-interval': { ...healthInputs['health-interval'], appliesTo: SERVICE_OR_TRAFFIC },
    'health-timeout': { ...healthInputs['health-timeout'], appliesTo: SERVICE_OR_TRAFFIC },
    'health-headers': {
      ...healthInputs['health-headers'],
      description:
        'Extra headers for probes, one `Name: value` per line (e.g. an Authorization header for a private service). Masked, and for `Authorization: Bearer X` the credential `X` on its own too.',
      appliesTo: SERVICE_OR_TRAFFIC,
    },
    ...timeoutInput(
      '60m',
      'Not the request timeout (that is `request-timeout`; google-github-actions/deploy-cloudrun calls it `timeout`).',
    ),
    'deploy-wait': {
      kind: 'duration',
      description:
        'How long to wait for each change (a revision becoming ready, a traffic move, a job execution) before failing and rolling back.',
      default: '15m',
      min: 1000,
      max: 6 * 3_600_000,
    },
    execute: {
      kind: 'boolean',
      description: 'With `job`, run an execution after the deploy.',
      default: false,
      appliesTo: JOB,
    },
    wait: {
      kind: 'boolean',
      description: 'With `execute`, wait for the execution to finish and fail if it fails.',
      default: true,
      appliesTo: JOB,
    },
    'execute-args': {
      kind: 'string',
      description: 'With `execute`, container arguments for this execution only, as `["a", "b"]` or one per line.',
      appliesTo: JOB,
    },
  },
  outputs: {
    url: { description: 'The service URL (first region).' },
    revision: {
      description:
        "The new revision's name (first region), set even when the rollout failed (see `status`); for a traffic move, the revision given the largest share.",
    },
    status: {
      description:
        '`deployed`, `unchanged` (nothing to deploy), `rolled-back` (failed, previous traffic restored) or `failed` (first region; for jobs `deployed` or `failed`).',
    },
    'previous-revision': {
      description:
        'The revision that served (the largest share of) the traffic before the deploy (first region); what a rollback returns to.',
    },
    'tag-url': { description: 'The URL of `tag` on the new revision (first region).' },
    traffic: {
      description: 'The traffic split after the deploy as JSON, `[{"revision","percent","tag","uri"}]` (first region).',
    },
    regions: {
      description:
        'Per region as JSON, `{"<region>": {"url","revision","previousRevision","tagUrl","traffic","status","ok"}}` (for jobs `{job, execution, succeeded, logUri}`).',
    },
    execution: { description: "With `job` and `execute`, the execution's name (first region)." },
  },
});
