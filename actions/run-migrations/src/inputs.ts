import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type DatabaseUrl, type MigrationFile, parseDatabaseUrl, readMigrationFiles } from '@deploy-actions/db';
import {
  assertPathSegment,
  checkCredentialUrl,
  forbiddenHost,
  InputError,
  type Inputs as RawInputs,
  registerSecret,
} from '@deploy-actions/toolkit';
import { BadReferenceError, parseReference } from '../../../packages/registry/src/reference';
import { type EcsTaskInputs, readEcsTask } from './ecs-task-inputs';
import type { manifest } from './manifest';

/**
 * The cross-field checks after the manifest's typed reader (types, bounds, inputs set for another mode
 * are refused there), before the action touches the database, Docker or Cloud Run: what each mode
 * requires, the database URL parsed and masked in every form, folders that must exist, and every value
 * that becomes part of a Cloud Run API path (project, region, job, secret) checked against Google's naming
 * rules, so `project-id: acme/../../../v1/projects/victim` cannot make the action call another project.
 * The result is one discriminated union per mode: no consumer needs `!`.
 */

export type Mode = RawInputs<typeof manifest>['mode'];

export interface CommonInputs {
  databaseUrlEnv: string;
  lockKey: string;
  lockTimeoutMs: number;
  timeoutMs: number;
  dryRun: boolean;
  env: Record<string, string>;
}

export interface CommandInputs extends CommonInputs {
  mode: 'command';
  database: DatabaseUrl;
  command: string;
  /** Absolute. */
  workingDirectory: string;
  dryRunCommand?: string;
}

export interface ImageInputs extends CommonInputs {
  mode: 'image';
  database: DatabaseUrl;
  image: string;
  command?: string;
  /** Inside the image. */
  workingDirectory?: string;
  dryRunCommand?: string;
}

export interface SqlInputs extends CommonInputs {
  mode: 'sql';
  database: DatabaseUrl;
  migrationsDir: string;
  /** Read up front, so an empty or unreadable folder is an input error. */
  files: MigrationFile[];
  historyTable: string;
}

export interface CloudRunInputs extends CommonInputs {
  mode: 'cloudrun-job';
  /** Absent with database-url-secret only: the runner then never connects. */
  database?: DatabaseUrl;
  image: string;
  command?: string;
  cloudRun: {
    project: string;
    region: string;
    job: string;
    endpoint?: string;
    databaseUrlSecret?: { secret: string; version: string };
  };
}

export type Inputs = CommandInputs | ImageInputs | SqlInputs | CloudRunInputs | EcsTaskInputs;
/** The modes that run a tool on the runner or in a container here. */
export type ToolInputs = CommandInputs | ImageInputs;

const PROJECT = /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+(?:-[a-z]+)+\d{1,2}$/;
const JOB = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SECRET_REF =
  /^(projects\/[a-z0-9][a-z0-9-]{4,28}[a-z0-9]\/secrets\/[\w-]{1,255}(\/versions\/(\d+|latest))?|[\w-]{1,255}(:(\d+|latest))?)$/;

/** A value for an error message: short, on one line, and never a URL's credentials. */
function shown(value: string): string {
  const text = value.replace(/\/\/[^/@\s]*@/g, '//***@').replace(/[\r\n]+/g, ' ');
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

function readDatabase(text: string | undefined): DatabaseUrl | undefined {
  if (!text) return undefined;
  let database: DatabaseUrl;
  try {
    database = parseDatabaseUrl(text);
  } catch (error) {
    throw new InputError(
      'database-url',
      `the value ${(error as Error).message}`,
      'pass a URL such as postgres://user:password@host:5432/dbname or mysql://user:password@host:3306/dbname',
    );
  }
  // The URL is masked whole by the reader; mask its password alone too, in every encoding a tool prints.
  for (const form of database.secretForms) registerSecret(form);
  const why = database.socket ? undefined : forbiddenHost(database.host);
  if (why)
    throw new InputError(
      'database-url',
      `points at ${why}`,
      "use the database's own address: metadata and link-local addresses hand out the runner's cloud credentials",
    );
  return database;
}

function readImage(image: string | undefined, mode: Mode): string {
  if (!image) {
    const fix =
      mode === 'image'
        ? 'give the image just built, e.g. the build step output'
        : 'give the image pushed to the registry Cloud Run reads';
    throw new InputError('image', `is required in ${mode} mode`, fix);
  }
  try {
    parseReference(image);
  } catch (error) {
    if (!(error instanceof BadReferenceError)) throw error;
    throw new InputError(
      'image',
      `${shown(image)} is not an image reference`,
      'use an image reference such as ghcr.io/acme/api:1.2.3',
    );
  }
  return image;
}

const required = (database: DatabaseUrl | undefined): DatabaseUrl => {
  if (!database)
    throw new InputError(
      'database-url',
      'is required but empty',
      "pass the database URL from a secret in the step's with: block",
    );
  return database;
};

export function validate(raw: RawInputs<typeof manifest>, env: NodeJS.ProcessEnv = process.env): Inputs {
  const database = readDatabase(raw.databaseUrl);
  const mode = raw.mode;
  const prototypeKey = Object.keys(raw.env).find((k) => k === '__proto__' || k === 'constructor' || k === 'prototype');
  if (prototypeKey)
    throw new InputError(
      'env',
      `the key "${prototypeKey}" is not allowed`,
      'give environment variable names the tool reads',
    );
  if (raw.databaseUrlEnv in raw.env)
    throw new InputError(
      'env',
      `sets ${raw.databaseUrlEnv}, which carries database-url`,
      'remove it from env, or change database-url-env',
    );
  const common: CommonInputs = {
    databaseUrlEnv: raw.databaseUrlEnv,
    lockKey: raw.lockKey || env.GITHUB_REPOSITORY || 'run-migrations',
    lockTimeoutMs: raw.lockTimeout,
    timeoutMs: raw.timeout,
    dryRun: raw.dryRun,
    env: { ...raw.env },
  };
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();

  if (mode === 'command') {
    const db = required(database);
    if (!raw.command)
      throw new InputError(
        'command',
        'is required in command mode',
        'give the migration command, e.g. npx prisma migrate deploy',
      );
    if (raw.dryRun && !raw.dryRunCommand)
      throw new InputError(
        'dry-run-command',
        'is required for a dry run in command mode',
        "give the tool's own status/plan command, e.g. npx prisma migrate status",
      );
    const given = raw.workingDirectory;
    const dir = given ? (isAbsolute(given) ? given : resolve(workspace, given)) : workspace;
    if (given && (!existsSync(dir) || !statSync(dir).isDirectory()))
      throw new InputError(
        'working-directory',
        `${shown(given)} is not a directory`,
        'give a folder of the checked-out repository',
      );
    return {
      ...common,
      mode,
      database: db,
      command: raw.command,
      workingDirectory: dir,
      dryRunCommand: raw.dryRunCommand,
    };
  }

  if (mode === 'image') {
    const db = required(database);
    const image = readImage(raw.image, mode);
    if (raw.dryRun && !raw.dryRunCommand)
      throw new InputError(
        'dry-run-command',
        'is required for a dry run in image mode',
        'give the command that lists pending migrations inside the image',
      );
    const dir = raw.workingDirectory;
    if (dir && !dir.startsWith('/'))
      throw new InputError(
        'working-directory',
        `${shown(dir)} is not an absolute path`,
        'in image mode it is a folder inside the image, e.g. /app',
      );
    return {
      ...common,
      mode,
      database: db,
      image,
      command: raw.command,
      workingDirectory: dir,
      dryRunCommand: raw.dryRunCommand,
    };
  }

  if (mode === 'sql') {
    const db = required(database);
    const given = raw.migrationsDir;
    if (!given)
      throw new InputError(
        'migrations-dir',
        'is required in sql mode',
        'give the folder of .sql files, e.g. db/migrations',
      );
    const migrationsDir = isAbsolute(given) ? given : resolve(workspace, given);
    if (!existsSync(migrationsDir) || !statSync(migrationsDir).isDirectory())
      throw new InputError(
        'migrations-dir',
        `${shown(given)} is not a directory`,
        'give a folder of the checked-out repository',
      );
    const files = readMigrationFiles(migrationsDir, db.dialect);
    if (!files.length)
      throw new InputError(
        'migrations-dir',
        `${shown(given)} holds no .sql files`,
        'check the path; files are applied in name order (001_x.sql, 002_y.sql)',
      );
    return { ...common, mode, database: db, migrationsDir, files, historyTable: raw.historyTable };
  }

  if (mode === 'ecs-task')
    return readEcsTask(raw, common, database, raw.image ? readImage(raw.image, mode) : undefined, env);

  // cloudrun-job
  const image = readImage(raw.image, mode);
  const secretRef = raw.databaseUrlSecret;
  if (!database && !secretRef)
    throw new InputError(
      'database-url',
      'is required but empty',
      'pass the database URL from a secret (for the lock), or database-url-secret to let only the job connect',
    );
  if (raw.dryRun)
    throw new InputError('dry-run', 'is not used in cloudrun-job mode', 'run the dry run in command or image mode');
  const project = raw.projectId;
  const region = raw.region;
  const job = raw.job;
  if (!project)
    throw new InputError('project-id', 'is required in cloudrun-job mode', 'give the Google Cloud project ID');
  if (!region)
    throw new InputError('region', 'is required in cloudrun-job mode', 'give the Cloud Run region, e.g. europe-west1');
  if (!job) throw new InputError('job', 'is required in cloudrun-job mode', 'name the migration job, e.g. api-migrate');
  assertPathSegment(project, 'project-id', {
    pattern: PROJECT,
    described: 'a Google Cloud project ID like my-project-123',
  });
  assertPathSegment(region, 'region', { pattern: REGION, described: 'a Cloud Run region such as europe-west1' });
  assertPathSegment(job, 'job', {
    pattern: JOB,
    described: 'a Cloud Run job name (lowercase letters, digits, hyphens; a letter first; at most 63)',
  });
  if (secretRef !== undefined && (!SECRET_REF.test(secretRef) || secretRef.includes('..')))
    throw new InputError(
      'database-url-secret',
      `${shown(secretRef)} is not a Secret Manager secret`,
      'give NAME, NAME:VERSION or projects/P/secrets/NAME/versions/V',
    );
  const endpoint = raw.apiEndpoint
    ? checkCredentialUrl(raw.apiEndpoint, 'api-endpoint').toString().replace(/\/$/, '')
    : undefined;
  return {
    ...common,
    mode,
    database,
    image,
    command: raw.command,
    cloudRun: { project, region, job, endpoint, databaseUrlSecret: secretRef ? secretReference(secretRef) : undefined },
  };
}

/** `NAME`, `NAME:VERSION` or `projects/P/secrets/NAME/versions/V` as Cloud Run's secretKeyRef wants it. */
function secretReference(text: string): { secret: string; version: string } {
  const full = /^(projects\/[^/]+\/secrets\/[\w-]+)(?:\/versions\/(\w+))?$/.exec(text);
  if (full) return { secret: full[1], version: full[2] ?? 'latest' };
  const [secret, version = 'latest'] = text.split(':');
  return { secret, version };
}
