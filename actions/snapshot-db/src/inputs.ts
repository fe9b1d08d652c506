import { rdsTagProblem } from '@deploy-actions/aws/rds-tags';
import { type DatabaseUrl, parseDatabaseUrl } from '@deploy-actions/db/url';
import {
  assertPathSegment,
  checkCredentialUrl,
  forbiddenHost,
  InputError,
  type Inputs as RawInputs,
  registerSecret,
} from '@deploy-actions/toolkit';
import { type EncryptionKey, RECIPIENT } from './artifact-encryption';
import { unknownPlaceholder } from './identifier';
import type { manifest } from './manifest';

/**
 * The cross-field checks and derived values after the manifest's typed reader (which already refused
 * wrong types, bounds and inputs set for another provider): what each provider requires, the provider's
 * naming rules for every value that goes into a request path (Cloud SQL project and instance) or an
 * identifier, tags against RDS's rules, the database URL parsed and masked in every form, and the
 * artifact's encryption. All before anything touches a cloud or a database; the result is one
 * discriminated union per provider, so no consumer needs `!`.
 */

export const PROVIDERS = ['rds', 'aurora', 'cloudsql', 'postgres'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Tag keys the action sets itself; retention finds its own snapshots by them. */
export const OWN_TAG_KEYS = ['managed-by', 'db', 'repository', 'sha', 'workflow-run'];

interface Common {
  identifier: string;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
}

interface Retention {
  tags: Record<string, string>;
  keepLast?: number;
  maxAgeMs?: number;
  dryRun: boolean;
}

export interface AwsInputs extends Common, Retention {
  provider: 'rds' | 'aurora';
  /** RDS instance or Aurora cluster. */
  database: string;
  region?: string;
}

export interface CloudSqlInputs extends Common, Retention {
  provider: 'cloudsql';
  database: string;
  project?: string;
  apiEndpoint: URL;
  accessToken?: string;
}

export interface PostgresInputs extends Common {
  provider: 'postgres';
  databaseUrl: DatabaseUrl;
  path: string;
  compressionLevel: number;
  uploadArtifact: boolean;
  artifactName?: string;
  artifactRetentionDays?: number;
  /** How the artifact is encrypted; undefined without an artifact, or with the explicit unencrypted opt-in. */
  artifactKey?: EncryptionKey;
  artifactUnencrypted: boolean;
}

export type Inputs = AwsInputs | CloudSqlInputs | PostgresInputs;

const RDS_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/;
const CLOUDSQL_INSTANCE = /^[a-z](?:[a-z0-9-]{0,96}[a-z0-9])?$/;
const PROJECT = /^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** A value for an error message: short, and never a URL's credentials (a secret pasted into the wrong input). */
function shown(value: string): string {
  const text = value.replace(/\/\/[^/@\s]*@/g, '//***@').replace(/[\r\n]+/g, ' ');
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

export function validate(raw: RawInputs<typeof manifest>, env: NodeJS.ProcessEnv = process.env): Inputs {
  const common: Common = {
    identifier: checkIdentifier(raw.identifier),
    wait: raw.wait,
    timeoutMs: raw.timeout,
    pollIntervalMs: raw.pollInterval,
  };
  const provider = raw.provider;
  if (provider === 'postgres') return { ...common, provider, ...postgresInputs(raw) };
  if (raw.dryRun && raw.keepLast === undefined && raw.maxAge === undefined) {
    throw new InputError(
      'dry-run',
      'previews retention, but neither "keep-last" nor "max-age" is set',
      'set one of them, or remove dry-run',
    );
  }
  const retention: Retention = {
    tags: checkTags(provider, raw.tags ?? {}),
    keepLast: raw.keepLast,
    maxAgeMs: raw.maxAge,
    dryRun: raw.dryRun,
  };
  const what = {
    rds: 'the RDS DB instance identifier',
    aurora: 'the Aurora DB cluster identifier',
    cloudsql: 'the Cloud SQL instance name',
  }[provider];
  const database = raw.database;
  if (!database) throw new InputError('database', `is required with provider "${provider}"`, `set it to ${what}`);
  if (provider === 'cloudsql') {
    assertPathSegment(database, 'database', { pattern: CLOUDSQL_INSTANCE, described: what });
    const project = raw.projectId;
    if (project !== undefined)
      assertPathSegment(project, 'project-id', {
        pattern: PROJECT,
        described: 'a Google Cloud project ID such as my-project-123',
      });
    return {
      ...common,
      ...retention,
      provider,
      database,
      project,
      apiEndpoint: checkCredentialUrl(raw.apiEndpoint ?? 'https://sqladmin.googleapis.com', 'api-endpoint'),
      accessToken: raw.accessToken,
    };
  }
  if (!RDS_ID.test(database))
    throw new InputError('database', `${shown(database)} is not a valid RDS identifier`, `set it to ${what}`);
  if (!raw.region && !env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
    throw new InputError(
      'region',
      'is not set and neither is AWS_REGION',
      'set "region", or run aws-actions/configure-aws-credentials first',
    );
  }
  return { ...common, ...retention, provider, database, region: raw.region };
}

function checkIdentifier(identifier: string): string {
  if (/[\r\n\0]/.test(identifier))
    throw new InputError('identifier', 'contains a line break', 'give the name template on one line');
  if (identifier.length > 1000)
    throw new InputError(
      'identifier',
      `is ${identifier.length} characters long`,
      'keep the template under 1000 characters',
    );
  const unknown = unknownPlaceholder(identifier);
  if (unknown !== undefined) {
    throw new InputError(
      'identifier',
      `{${unknown.slice(0, 40)}} is not a placeholder`,
      'use {db}, {ref}, {sha}, {sha7}, {run-id}, {run-attempt}, {timestamp} or {date}',
    );
  }
  return identifier;
}

function checkTags(provider: Provider, tags: Record<string, string>): Record<string, string> {
  const prototypeKey = Object.keys(tags).find((k) => k === '__proto__' || k === 'constructor' || k === 'prototype');
  if (prototypeKey)
    throw new InputError(
      'tags',
      `the key "${prototypeKey}" is not allowed`,
      'use a tag key that names what it records',
    );
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
  } else {
    // Cloud SQL: the tags become words of the description, so a space or a bracket would break it.
    const bad = Object.entries(tags).find(([k, v]) => /[\s[\]]/.test(k + v));
    if (bad)
      throw new InputError(
        'tags',
        `tag "${bad[0].slice(0, 40)}" has a space or bracket`,
        'use KEY=VALUE words without spaces',
      );
  }
  return Object.assign(Object.create(null) as Record<string, string>, tags);
}

function postgresInputs(raw: RawInputs<typeof manifest>): Omit<PostgresInputs, keyof Common | 'provider'> {
  const urlText = raw.databaseUrl;
  if (!urlText)
    throw new InputError(
      'database-url',
      'is required with provider "postgres"',
      'set it to a postgres:// URL, from a secret',
    );
  let databaseUrl: DatabaseUrl;
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
  const why = databaseUrl.socket ? undefined : forbiddenHost(databaseUrl.host);
  if (why)
    throw new InputError(
      'database-url',
      `points at ${why}`,
      "use the database's own address: metadata and link-local addresses hand out the runner's cloud credentials",
    );
  const uploadArtifact = raw.uploadArtifact ?? false;
  const artifactUnencrypted = raw.artifactUnencrypted ?? false;
  return {
    databaseUrl,
    path: raw.path || `${process.env.RUNNER_TEMP ?? '/tmp'}/snapshot-db`,
    compressionLevel: raw.compressionLevel ?? 6,
    uploadArtifact,
    artifactName: raw.artifactName,
    artifactRetentionDays: raw.artifactRetentionDays,
    artifactKey: readArtifactKey(
      uploadArtifact,
      raw.artifactPassphrase,
      raw.artifactRecipients ?? [],
      artifactUnencrypted,
    ),
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
