import { googleTarget } from '@deploy-actions/gcp/target-inputs';
import { defineAction, timeoutInput } from '@deploy-actions/toolkit';

/**
 * Every input and output of run-migrations, declared once: action.yml and the README tables are generated
 * from it. A mode is added by adding its value to `MODES` and its inputs with `appliesTo: { mode: [...] }`.
 */

export const MODES = ['command', 'image', 'sql', 'cloudrun-job', 'ecs-task'] as const;
const google = googleTarget({ api: 'Cloud Run Admin API', endpoint: 'https://run.googleapis.com' });
const CLOUDRUN = ['cloudrun-job'] as const;
const ECS = ['ecs-task'] as const;

export const manifest = defineAction({
  id: 'run-migrations',
  name: 'Run database migrations exactly once',
  description:
    "Runs a deploy's migrations exactly once under a database advisory lock, with any tool, inside the new image, as a Cloud Run job, or from plain .sql files.",
  branding: { icon: 'database', color: 'green' },
  inapplicable: ({ input, value }) => ({
    problem: `is not used in ${value} mode`,
    fix:
      input === 'command' && value === 'sql'
        ? 'remove it; sql mode applies the .sql files of migrations-dir itself'
        : 'remove it',
  }),
  inputs: {
    mode: {
      kind: 'enum',
      values: MODES,
      default: 'command',
      description:
        'How the migrations run: `command` (any tool on the runner, through a shell), `image` (inside the image just built, `docker run --network host`), `cloudrun-job` (a Cloud Run job execution), `ecs-task` (a one-off ECS task of the service, its log followed), or `sql` (the .sql files of `migrations-dir`, applied by this action).',
    },
    'database-url': {
      kind: 'string',
      secret: true,
      description:
        'The database URL (postgres://, postgresql://, mysql:// or mariadb://; Unix sockets, ?password= and driver options kept), from a secret. Used for the lock and handed to the tool in `database-url-env`; masked in every encoding (the password alone, URL-encoded, base64). Required, except in cloudrun-job mode with `database-url-secret` when the runner cannot reach the database.',
    },
    'database-url-env': {
      kind: 'string',
      default: 'DATABASE_URL',
      pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      described: 'an environment variable name',
      description: 'The environment variable the tool reads the database URL from.',
    },
    command: {
      kind: 'string',
      appliesTo: { mode: ['command', 'image', 'cloudrun-job', 'ecs-task'] },
      description:
        "The migration command (`command` mode: run by /bin/sh on the runner; `image` and `cloudrun-job` modes: run by the image's /bin/sh instead of its entrypoint; leave empty there to run the image as it is).",
    },
    'working-directory': {
      kind: 'string',
      appliesTo: { mode: ['command', 'image'] },
      description:
        'Where `command` runs (command mode, relative to the workspace), or the working directory inside the image (image mode).',
    },
    image: {
      kind: 'string',
      appliesTo: { mode: ['image', 'cloudrun-job', 'ecs-task'] },
      description:
        "The image to run the migrations in (`image` and `cloudrun-job` modes), e.g. the build step's output.",
    },
    'migrations-dir': {
      kind: 'string',
      appliesTo: { mode: ['sql'] },
      description:
        '`sql` mode: the folder of .sql files, applied in name order (001_x.sql, 002_y.sql); `*.down.sql` is skipped. A file containing the line `-- run-migrations: no-transaction` runs outside a transaction.',
    },
    'history-table': {
      kind: 'string',
      default: 'migration_history',
      pattern: /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/,
      described: 'a table name such as migration_history or ops.migration_history',
      description:
        '`sql` mode: the table recording applied files (name, sha256 checksum, applied_at, duration, applied_by, dirty); `schema.table` allowed.',
    },
    'lock-key': {
      kind: 'string',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression for action.yml, not a template
      docDefault: '${{ github.repository }}',
      description:
        'What the advisory lock is named after, together with the database name. Runs with the same key and database never migrate at the same time. Set one shared key if several repositories migrate one database.',
    },
    'lock-timeout': {
      kind: 'duration',
      default: '10m',
      max: 24 * 3_600_000,
      description:
        "How long to wait for another run's lock before failing (e.g. 30s, 10m). 0 fails at once if the lock is taken.",
    },
    ...timeoutInput(
      '1h',
      'It covers the lock wait and the migration; when it passes the tool (or the container, the statement, the Cloud Run execution) is stopped and the lock released.',
    ),
    'dry-run': {
      kind: 'boolean',
      default: false,
      description:
        'List what would be applied and apply nothing: `sql` mode lists the pending files; `command` and `image` modes run `dry-run-command` instead of `command`. No lock is taken.',
    },
    'dry-run-command': {
      kind: 'string',
      appliesTo: { mode: ['command', 'image'] },
      description:
        "The tool's own status or plan command for `dry-run` in command and image modes, e.g. `npx prisma migrate status`.",
    },
    env: {
      kind: 'map',
      lines: true,
      keyPattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      keyDescribed: 'an environment variable name',
      description: 'Extra environment variables for the tool or container, one KEY=VALUE per line.',
    },
    'project-id': {
      ...google['project-id'],
      appliesTo: { mode: CLOUDRUN },
      description: '`cloudrun-job` mode: the Google Cloud project ID.',
    },
    region: {
      ...google.region,
      appliesTo: { mode: CLOUDRUN },
      description: '`cloudrun-job` mode: the Cloud Run region, e.g. europe-west1.',
    },
    job: {
      kind: 'string',
      appliesTo: { mode: CLOUDRUN },
      description: '`cloudrun-job` mode: the job to create or update and execute, e.g. api-migrate.',
    },
    'database-url-secret': {
      kind: 'string',
      appliesTo: { mode: CLOUDRUN },
      description:
        '`cloudrun-job` mode: a Secret Manager secret holding the database URL (NAME, NAME:VERSION or projects/P/secrets/NAME/versions/V), referenced by the job. Without it the URL is passed as an override of the one execution.',
    },
    'api-endpoint': {
      kind: 'url',
      appliesTo: { mode: CLOUDRUN },
      description:
        '`cloudrun-job` mode: the Cloud Run Admin API base URL (a private endpoint, or an emulator in tests). https, or http to a loopback address.',
    },
    // ecs-task mode (seed 003's one-off migration task): see mode-ecs-task.ts.
    cluster: {
      kind: 'string',
      appliesTo: { mode: ECS },
      default: 'default',
      description: '`ecs-task` mode: the ECS cluster.',
    },
    service: {
      kind: 'string',
      appliesTo: { mode: ECS },
      description:
        '`ecs-task` mode: the ECS service whose task definition, network configuration and launch type (or capacity provider strategy) the migration task uses.',
    },
    'task-definition': {
      kind: 'string',
      appliesTo: { mode: ECS },
      description: "`ecs-task` mode: the task definition (family, family:revision or ARN) instead of the service's.",
    },
    container: {
      kind: 'string',
      appliesTo: { mode: ECS },
      description: '`ecs-task` mode: the container that runs `command` (default: the only or first essential one).',
    },
    subnets: {
      kind: 'list',
      appliesTo: { mode: ECS },
      description: "`ecs-task` mode: subnets for the task instead of the service's, e.g. subnet-0a1b2c3d.",
    },
    'security-groups': {
      kind: 'list',
      appliesTo: { mode: ECS },
      description: "`ecs-task` mode: security groups for the task instead of the service's.",
    },
    'assign-public-ip': {
      kind: 'boolean',
      appliesTo: { mode: ECS },
      description:
        "`ecs-task` mode: give the task a public IP (Fargate in a public subnet); default: the service's setting.",
    },
    'started-by': {
      kind: 'string',
      appliesTo: { mode: ECS },
      default: 'run-migrations',
      description:
        '`ecs-task` mode: marks the task (ECS `startedBy`); a run finding a running task with this mark waits for it instead of starting a second.',
    },
    'aws-region': {
      kind: 'string',
      appliesTo: { mode: ECS },
      description: '`ecs-task` mode: the AWS region; defaults to AWS_REGION from the credentials step.',
    },
  },
  outputs: {
    status: { description: '`applied`, `up-to-date`, `dry-run` or `failed`.' },
    applied: {
      description:
        'How many migrations this run applied (empty when the tool keeps a history this action does not read).',
    },
    'applied-names': { description: 'The migrations this run applied, as a JSON list (empty when not known).' },
    pending: {
      description: 'How many migrations are still pending (sql mode; after a dry run, how many would be applied).',
    },
    'duration-seconds': { description: 'How long the step took, lock wait included.' },
    'lock-wait-seconds': { description: "How long the run waited for another run's lock." },
  },
});
