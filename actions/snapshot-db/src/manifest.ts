import { AWS_REGION_PATTERN } from '@deploy-actions/aws/region';
import { googleTarget } from '@deploy-actions/gcp/target-inputs';
import { defineAction, timeoutInput } from '@deploy-actions/toolkit';

/** Every input and output of snapshot-db, declared once: action.yml and the README tables are generated from it. */

const AWS = ['rds', 'aurora'] as const;
const SNAPSHOTS = ['rds', 'aurora', 'cloudsql'] as const;
const POSTGRES = ['postgres'] as const;
const google = googleTarget({ api: 'Cloud SQL Admin API', endpoint: 'https://sqladmin.googleapis.com' });

export const manifest = defineAction({
  id: 'snapshot-db',
  name: 'Snapshot database',
  description:
    'Waited, tagged, pruned snapshots of RDS, Aurora, Cloud SQL or any PostgreSQL (pg_dump), with a ready restore command.',
  branding: { icon: 'database', color: 'blue' },
  inputs: {
    provider: {
      kind: 'enum',
      values: ['rds', 'aurora', 'cloudsql', 'postgres'],
      required: true,
      description:
        'What to snapshot: `rds` (a DB instance), `aurora` (a DB cluster), `cloudsql` (an on-demand Cloud SQL backup) or `postgres` (pg_dump of any PostgreSQL URL).',
    },
    database: {
      kind: 'string',
      appliesTo: { provider: SNAPSHOTS },
      description:
        'The RDS DB instance identifier, the Aurora DB cluster identifier, or the Cloud SQL instance name. An RDS instance that is an Aurora cluster member is snapshotted through its cluster.',
    },
    'database-url': {
      kind: 'string',
      secret: true,
      appliesTo: { provider: POSTGRES },
      description:
        'For `postgres`: the database URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE, a Unix socket as ?host=/dir, ?password= and libpq options such as sslmode), from a secret. Masked in every encoding; pg_dump gets the connection in its environment, never on the command line.',
    },
    identifier: {
      kind: 'string',
      default: '{db}-{ref}-{sha7}-{timestamp}',
      description:
        'Name of the snapshot (RDS), description of the backup (Cloud SQL) or file name (postgres). Placeholders: {db}, {ref}, {sha}, {sha7}, {run-id}, {run-attempt}, {timestamp}, {date}. Made legal for the provider (RDS: lowercase letters, digits, hyphens; at most 255, clusters 63) and suffixed -2, -3... if the name is taken.',
    },
    tags: {
      kind: 'map',
      lines: true,
      appliesTo: { provider: SNAPSHOTS },
      description:
        'Extra tags, KEY=VALUE one per line (RDS: keys up to 128 characters, not aws: or rds:, values up to 256, 44 at most). The action always adds managed-by, db, repository, sha and workflow-run. Cloud SQL backups have no tags: they go into the description.',
    },
    wait: {
      kind: 'boolean',
      default: true,
      description:
        'Wait until the snapshot is available (and only then apply retention). With false, the step ends once the snapshot is requested.',
    },
    ...timeoutInput(
      '3h',
      'It covers waiting for a busy database to become free, then for the snapshot; large or encrypted databases take hours.',
    ),
    'poll-interval': {
      kind: 'duration',
      default: '2m',
      min: 100,
      max: 600_000,
      description:
        'The longest gap between two status checks (up to 10m). Checks start every 2 s and space out as the wait grows; with RDS progress they aim at the estimated completion.',
    },
    'keep-last': {
      kind: 'integer',
      min: 1,
      max: 100,
      appliesTo: { provider: SNAPSHOTS },
      description:
        "Retention: keep this many of this action's snapshots of this database (the new one included) and delete older ones. Never touches snapshots made by anything else.",
    },
    'max-age': {
      kind: 'duration',
      min: 60_000,
      appliesTo: { provider: SNAPSHOTS },
      description:
        "Retention: delete this action's snapshots of this database older than this (e.g. 30d). With keep-last too, a snapshot is deleted only when neither keeps it.",
    },
    'dry-run': {
      kind: 'boolean',
      default: false,
      description: 'Show which snapshots retention would delete, without deleting them.',
    },
    region: {
      kind: 'string',
      appliesTo: { provider: AWS },
      pattern: AWS_REGION_PATTERN,
      described: 'an AWS region such as eu-west-1',
      description:
        'AWS region for rds and aurora. Defaults to AWS_REGION, which aws-actions/configure-aws-credentials sets.',
    },
    'project-id': {
      ...google['project-id'],
      appliesTo: { provider: ['cloudsql'] },
      description:
        'Google Cloud project for cloudsql. Defaults to the project of the credentials (google-github-actions/auth).',
    },
    'api-endpoint': { ...google['api-endpoint'], appliesTo: { provider: ['cloudsql'] } },
    'access-token': {
      ...google['access-token'],
      appliesTo: { provider: ['cloudsql'] },
      description: 'For cloudsql, an OAuth access token to use instead of Application Default Credentials. Masked.',
    },
    path: {
      kind: 'string',
      // No appliesTo: the runner passes the expression default, which would count as set for every provider.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression for action.yml, not a template
      docDefault: '${{ runner.temp }}/snapshot-db',
      description: 'For postgres, the directory the dump file is written to.',
    },
    'compression-level': {
      kind: 'integer',
      default: 6,
      min: 0,
      max: 9,
      appliesTo: { provider: POSTGRES },
      description: 'For postgres, the gzip level (0-9) inside the custom-format archive.',
    },
    'upload-artifact': {
      kind: 'boolean',
      default: false,
      appliesTo: { provider: POSTGRES },
      description:
        'For postgres, also keep the dump as a workflow artifact (otherwise it is gone when the runner is). Encrypted with age: set artifact-passphrase or artifact-recipients.',
    },
    'artifact-name': {
      kind: 'string',
      appliesTo: { provider: POSTGRES },
      pattern: /^[^"<>|*?\r\n\\/:]+$/,
      described: 'a name without " : < > | * ? \\ / or newlines',
      description: 'For postgres with upload-artifact, the artifact name. Defaults to the dump file name.',
    },
    'artifact-retention-days': {
      kind: 'integer',
      min: 1,
      max: 90,
      appliesTo: { provider: POSTGRES },
      description:
        'For postgres with upload-artifact, days to keep the artifact (1-90). Defaults to the repository setting.',
    },
    'artifact-passphrase': {
      kind: 'string',
      secret: true,
      appliesTo: { provider: POSTGRES },
      description:
        'For upload-artifact, from a secret: the passphrase the dump is encrypted with (age format, at least 12 characters). Restore with `age --decrypt`, which asks for it. Masked.',
    },
    'artifact-recipients': {
      kind: 'list',
      appliesTo: { provider: POSTGRES },
      description:
        'For upload-artifact, instead of a passphrase: age public keys (age1..., from age-keygen), one per line. The runner can encrypt but not decrypt; restore with `age --decrypt --identity key.txt`.',
    },
    'artifact-unencrypted': {
      kind: 'boolean',
      default: false,
      appliesTo: { provider: POSTGRES },
      description:
        'For upload-artifact: upload the dump without encryption. Anyone who can read the repository can then download the database; the step warns in the log and the summary.',
    },
  },
  outputs: {
    'snapshot-id': {
      description: "The RDS snapshot identifier, the Cloud SQL backup run ID, or the dump's file name.",
    },
    'snapshot-arn': {
      description:
        "The snapshot ARN (RDS, Aurora), the backup run's link (Cloud SQL) or the dump file path (postgres).",
    },
    status: {
      description:
        'The final status: available (RDS; creating with wait: false), SUCCESSFUL (Cloud SQL) or completed (postgres); failed when the step failed.',
    },
    'created-at': { description: 'When the snapshot was taken, ISO 8601 (empty while it is still in progress).' },
    size: { description: 'Size in bytes when known (the dump file for postgres).' },
    'duration-seconds': { description: 'How long the step took, in seconds.' },
    deleted: { description: 'Comma-separated IDs of the snapshots retention deleted (empty on a dry run).' },
    'restore-command': {
      description:
        'The shell commands that restore what this run made (download, decrypt and pg_restore for an artifact), as in the job summary.',
    },
  },
});
