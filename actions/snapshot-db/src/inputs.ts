import { rdsTagProblem } from '@deploy-actions/aws/rds-tags';
import { type DatabaseUrl, parseDatabaseUrl } from '@deploy-actions/db/url';
import {
  InputError,
  getBoolean,
  getDuration,
  getEnum,
  getInteger,
  getMap,
  getMatching,
  getString,
  getUrl,
  registerSecret,
} from '@deploy-actions/toolkit';
import { type EncryptionKey, RECIPIENT } from './artifact-encryption';
import { unknownPlaceholder } from './identifier';

/**
 * Every input of snapshot-db, read and checked before anything touches a cloud or a database. Inputs
 * that belong to one provider are refused with another, so a typo in the workflow fails at once
 * instead of being silently ignored.
 */

export const PROVIDERS = ['rds', 'aurora', 'cloudsql', 'postgres'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Tag keys the action sets itself; retention finds its own snapshots by them. */
export const OWN_TAG_KEYS = ['managed-by', 'db', 'repository', 'sha', 'workflow-run'];

export interface Inputs {
  provider: Provider;
  /** RDS instance, Aurora cluster or Cloud SQL instance. */
  database?: string;
  databaseUrl?: DatabaseUrl;
  identifier: string;
  tags: Record<string, string>;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  keepLast?: number;
  maxAgeMs?: number;
  dryRun: boolean;
  region?: string;
  project?: string;
  apiEndpoint: URL;
  accessToken?: string;
  path: string;
  compressionLevel: number;
  uploadArtifact: boolean;
  artifactName?: string;
  artifactRetentionDays?: number;
  /** How the artifact is encrypted; undefined only with the explicit artifact-unencrypted opt-in. */
  artifactKey?: EncryptionKey;
  artifactUnencrypted: boolean;
}

const RDS_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/;
const CLOUDSQL_INSTANCE = /^[a-z](?:[a-z0-9-]{0,96}[a-z0-9])?$/;
const PROJECT = /^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** Inputs set for a provider they do not apply to. */
function onlyFor(provider: Provider, given: Record<string, unknown>, allowed: Provider[]): void {
  if (allowed.includes(provider)) return;
  for (const [name, value] of Object.entries(given)) {
    const set = value !== undefined && value !== false && !(typeof value === 'object' && !Object.keys(value!).length);
    if (set) {
      throw new InputError(
        name,
        `does not apply to provider "${provider}"`,
        `remove it, or use it with provider ${allowed.map((p) => `"${p}"`).join(' or ')}`,
      );
    }
  }
}

export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const provider = getEnum('provider', PROVIDERS, { required: true })!;

  const database = getString('database');
  const urlText = getString('database-url', { secret: true });
  let databaseUrl: DatabaseUrl | undefined;
  if (provider === 'postgres') {
    if (database)
      throw new InputError(
        'database',
        'does not apply to provider "postgres"',
        'give the database in "database-url" instead',
      );
    if (!urlText)
      throw new InputError(
        'database-url',
        'is required with provider "postgres"',
        'set it to a postgres:// URL, from a secret',
      );
    try {
      databaseUrl = parseDatabaseUrl(urlText);
    } catch (error) {
      throw new InputError(
        'database-url',
        `the value ${(error as Error).message}`,
        'use postgres://USER:PASSWORD@HOST:PORT/DATABASE',
      );
    }
    for (const form of databaseUrl.secretForms) registerSecret(form);
    if (databaseUrl.dialect !== 'postgres') {
      throw new InputError('database-url', 'is not a PostgreSQL URL', 'use a postgres:// or postgresql:// URL');
    }
  } else {
    if (urlText)
      throw new InputError(
        'database-url',
        `does not apply to provider "${provider}"`,
        `name the ${provider === 'cloudsql' ? 'Cloud SQL instance' : 'database'} in "database" instead`,
      );
    const what = {
      rds: 'the RDS DB instance identifier',
      aurora: 'the Aurora DB cluster identifier',
      cloudsql: 'the Cloud SQL instance name',
    }[provider];
    if (!database) throw new InputError('database', `is required with provider "${provider}"`, `set it to ${what}`);
    const pattern = provider === 'cloudsql' ? CLOUDSQL_INSTANCE : RDS_ID;
    if (!pattern.test(database)) {
      throw new InputError(
        'database',
        `"${database}" is not a valid ${provider === 'cloudsql' ? 'Cloud SQL instance name' : 'RDS identifier'}`,
        `set it to ${what}`,
      );
    }
  }

  const identifier = getString('identifier', { required: true })!;
  const unknown = unknownPlaceholder(identifier);
  if (unknown !== undefined) {
    throw new InputError(
      'identifier',
      `{${unknown}} is not a placeholder`,
      'use {db}, {ref}, {sha}, {sha7}, {run-id}, {run-attempt}, {timestamp} or {date}',
    );
  }

  const tags = getMap('tags');
  const own = Object.keys(tags).find((k) => OWN_TAG_KEYS.includes(k));
  if (own)
    throw new InputError(
      'tags',
      `the key "${own}" is one the action sets itself`,
      `use another key (reserved: ${OWN_TAG_KEYS.join(', ')})`,
    );
  if (provider === 'rds' || provider === 'aurora') {
    const problem =
      rdsTagProblem(tags) ??
      (Object.keys(tags).length + OWN_TAG_KEYS.length > 50
        ? `the action adds ${OWN_TAG_KEYS.length} tags of its own, and RDS allows 50`
        : undefined);
    if (problem)
      throw new InputError(
        'tags',
        problem,
        `give at most ${50 - OWN_TAG_KEYS.length} tags with keys up to 128 and values up to 256 characters`,
      );
  }
  onlyFor(provider, { tags }, ['rds', 'aurora', 'cloudsql']);

  const wait = getBoolean('wait') ?? true;
  const timeoutMs = getDuration('timeout', { min: 1000 }) ?? 3 * 3_600_000;
  const pollIntervalMs = getDuration('poll-interval', { min: 100, max: 600_000 }) ?? 120_000;
  const keepLast = getInteger('keep-last', { min: 1, max: 100 });
  const maxAgeMs = getDuration('max-age', { min: 60_000 });
  const dryRun = getBoolean('dry-run') ?? false;
  onlyFor(provider, { 'keep-last': keepLast, 'max-age': maxAgeMs }, ['rds', 'aurora', 'cloudsql']);
  if (dryRun && keepLast === undefined && maxAgeMs === undefined) {
    throw new InputError(
      'dry-run',
      'previews retention, but neither "keep-last" nor "max-age" is set',
      'set one of them, or remove dry-run',
    );
  }

  const region = getMatching('region', REGION, 'an AWS region such as eu-west-1');
  onlyFor(provider, { region }, ['rds', 'aurora']);
  if ((provider === 'rds' || provider === 'aurora') && !region && !env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
    throw new InputError(
      'region',
      'is not set and neither is AWS_REGION',
      'set "region", or run aws-actions/configure-aws-credentials first',
    );
  }

  const project = getMatching('project-id', PROJECT, 'a Google Cloud project ID such as my-project-123');
  const accessToken = getString('access-token', { secret: true });
  onlyFor(provider, { 'project-id': project, 'access-token': accessToken }, ['cloudsql']);
  const apiEndpoint = getUrl('api-endpoint', { required: true })!;

  const path = getString('path', { required: true })!;
  const compressionLevel = getInteger('compression-level', { min: 0, max: 9 }) ?? 6;
  const uploadArtifact = getBoolean('upload-artifact') ?? false;
  const artifactName = getMatching(
    'artifact-name',
    /^[^"<>|*?\r\n\\/:]+$/,
    'a name without " : < > | * ? \\ / or newlines',
  );
  const artifactRetentionDays = getInteger('artifact-retention-days', { min: 1, max: 90 });
  const passphrase = getString('artifact-passphrase', { secret: true });
  const recipients = (getString('artifact-recipients') ?? '').split(/[\s,]+/).filter(Boolean);
  const artifactUnencrypted = getBoolean('artifact-unencrypted') ?? false;
  onlyFor(
    provider,
    {
      'upload-artifact': uploadArtifact,
      'artifact-name': artifactName,
      'artifact-retention-days': artifactRetentionDays,
      'artifact-passphrase': passphrase,
      'artifact-recipients': recipients.length ? recipients : undefined,
      'artifact-unencrypted': artifactUnencrypted,
    },
    ['postgres'],
  );
  const artifactKey = readArtifactKey(uploadArtifact, passphrase, recipients, artifactUnencrypted);

  return {
    provider,
    database,
    databaseUrl,
    identifier,
    tags,
    wait,
    timeoutMs,
    pollIntervalMs,
    keepLast,
    maxAgeMs,
    dryRun,
    region,
    project,
    apiEndpoint,
    accessToken,
    path,
    compressionLevel,
    uploadArtifact,
    artifactName,
    artifactRetentionDays,
    artifactKey,
    artifactUnencrypted,
  };
}

/** The artifact's encryption: required with upload-artifact unless the unencrypted opt-in is explicit. */
function readArtifactKey(
  upload: boolean,
  passphrase: string | undefined,
  recipients: string[],
  unencrypted: boolean,
): EncryptionKey | undefined {
  const given = passphrase ? 'artifact-passphrase' : recipients.length ? 'artifact-recipients' : undefined;
  if (!upload) {
    const stray = given ?? (unencrypted ? 'artifact-unencrypted' : undefined);
    if (stray)
      throw new InputError(stray, 'applies only with upload-artifact: true', 'set upload-artifact: true, or remove it');
    return undefined;
  }
  if (passphrase && recipients.length)
    throw new InputError(
      'artifact-recipients',
      'cannot be combined with artifact-passphrase (age encrypts to one or the other)',
      'keep one of the two',
    );
  if (unencrypted) {
    if (given) throw new InputError('artifact-unencrypted', `contradicts ${given}`, `remove one of the two`);
    return undefined;
  }
  if (!given)
    throw new InputError(
      'upload-artifact',
      'would upload the whole database unencrypted, readable by anyone who can read this repository',
      'set artifact-passphrase from a secret (or artifact-recipients to age public keys); artifact-unencrypted: true uploads it in the clear',
    );
  if (passphrase) {
    if (passphrase.length < 12)
      throw new InputError(
        'artifact-passphrase',
        `is ${passphrase.length} characters, too short to resist guessing once the artifact is downloaded`,
        'use at least 12 random characters (e.g. openssl rand -base64 24), from a secret',
      );
    return { kind: 'passphrase', passphrase };
  }
  const bad = recipients.find((r) => !RECIPIENT.test(r));
  if (bad)
    throw new InputError(
      'artifact-recipients',
      `"${bad.slice(0, 80)}" is not an age public key`,
      'give age1... keys from age-keygen, one per line (the private key stays with whoever restores)',
    );
  return { kind: 'recipients', recipients };
}
