import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { type DatabaseUrl, parseDatabaseUrl, readMigrationFiles, type MigrationFile } from '@deploy-actions/db';
import {
  getBoolean,
  getDuration,
  getEnum,
  getMap,
  getMatching,
  getString,
  getUrl,
  InputError,
  registerSecret,
} from '@deploy-actions/toolkit';

/**
 * Every input, read and checked before the action touches the database, Docker or Cloud Run: a bad value
 * fails here with one line naming the input, and nothing has happened yet.
 */

export const MODES = ['command', 'image', 'sql', 'cloudrun-job'] as const;
export type Mode = (typeof MODES)[number];

export interface Inputs {
  mode: Mode;
  /** Absent only in cloudrun-job mode with database-url-secret: the runner then never connects. */
  database?: DatabaseUrl;
  databaseUrlEnv: string;
  command?: string;
  workingDirectory?: string;
  image?: string;
  migrationsDir?: string;
  /** Read up front (sql mode), so an empty or unreadable folder is an input error. */
  files: MigrationFile[];
  historyTable: string;
  lockKey: string;
  lockTimeoutMs: number;
  timeoutMs: number;
  dryRun: boolean;
  dryRunCommand?: string;
  env: Record<string, string>;
  cloudRun?: {
    project: string;
    region: string;
    job: string;
    endpoint?: string;
    databaseUrlSecret?: { secret: string; version: string };
  };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
// A Docker reference: [registry[:port]/]path[:tag][@sha256:digest], lowercase path.
const IMAGE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const notFor = (input: string, mode: Mode, fix: string) => new InputError(input, `is not used in ${mode} mode`, fix);

export function getInputs(): Inputs {
  const mode = getEnum('mode', MODES) ?? 'command';

  const urlText = getString('database-url', { secret: true });
  let database: DatabaseUrl | undefined;
  if (urlText) {
    try {
      database = parseDatabaseUrl(urlText);
    } catch (error) {
      throw new InputError(
        'database-url',
        `the value ${(error as Error).message}`,
        'pass a URL such as postgres://user:password@host:5432/dbname or mysql://user:password@host:3306/dbname',
      );
    }
    // The URL is masked whole by the reader; mask its password alone too, raw and URL-encoded.
    for (const form of database.secretForms) registerSecret(form);
  }

  const databaseUrlEnv = getMatching('database-url-env', ENV_NAME, 'an environment variable name') ?? 'DATABASE_URL';
  const command = getString('command');
  const workingDirectory = getString('working-directory');
  const image = getMatching('image', IMAGE, 'an image reference such as ghcr.io/acme/api:1.2.3');
  const migrationsDirInput = getString('migrations-dir');
  const historyTable =
    getMatching('history-table', IDENTIFIER, 'a table name such as migration_history or ops.migration_history') ??
    'migration_history';
  const lockKey = getString('lock-key') ?? process.env.GITHUB_REPOSITORY ?? 'run-migrations';
  const lockTimeoutMs = getDuration('lock-timeout', { max: 24 * 3_600_000 }) ?? 600_000;
  const timeoutMs = getDuration('timeout', { min: 1000, max: 24 * 3_600_000 }) ?? 3_600_000;
  const dryRun = getBoolean('dry-run') ?? false;
  const dryRunCommand = getString('dry-run-command');
  const env = getMap('env', { keyPattern: ENV_NAME });
  const project = getString('project-id');
  const region = getString('region');
  const endpoint = getUrl('api-endpoint')?.toString().replace(/\/$/, '');
  const secretRef = getMatching(
    'database-url-secret',
    /^(projects\/[^/]+\/secrets\/[\w-]+(\/versions\/\w+)?|[\w-]+(:\w+)?)$/,
    'a Secret Manager secret: NAME, NAME:VERSION or projects/P/secrets/NAME/versions/V',
  );
  const job = getMatching(
    'job',
    /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/,
    'a Cloud Run job name (lowercase letters, digits, hyphens)',
  );

  if (!database && !(mode === 'cloudrun-job' && secretRef))
    throw new InputError(
      'database-url',
      'is required but empty',
      mode === 'cloudrun-job'
        ? 'pass the database URL from a secret (for the lock), or database-url-secret to let only the job connect'
        : "pass the database URL from a secret in the step's with: block",
    );
  if (databaseUrlEnv in env)
    throw new InputError(
      'env',
      `sets ${databaseUrlEnv}, which carries database-url`,
      `remove it from env, or change database-url-env`,
    );
  if (workingDirectory && mode !== 'command' && mode !== 'image') throw notFor('working-directory', mode, 'remove it');

  let files: MigrationFile[] = [];
  let migrationsDir: string | undefined;
  let cloudRun: Inputs['cloudRun'];
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();

  if (mode === 'command') {
    if (!command)
      throw new InputError(
        'command',
        'is required in command mode',
        'give the migration command, e.g. npx prisma migrate deploy',
      );
    if (image) throw notFor('image', mode, 'use mode: image to run the command inside an image');
    if (migrationsDirInput) throw notFor('migrations-dir', mode, 'use mode: sql to apply a folder of .sql files');
    if (dryRun && !dryRunCommand)
      throw new InputError(
        'dry-run-command',
        'is required for a dry run in command mode',
        "give the tool's own status/plan command, e.g. npx prisma migrate status",
      );
    if (workingDirectory) {
      const dir = isAbsolute(workingDirectory) ? workingDirectory : resolve(workspace, workingDirectory);
      if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw new InputError(
          'working-directory',
          `"${workingDirectory}" is not a directory`,
          'give a folder of the checked-out repository',
        );
    }
  } else if (mode === 'image') {
    if (!image)
      throw new InputError(
        'image',
        'is required in image mode',
        'give the image just built, e.g. the build step output',
      );
    if (migrationsDirInput) throw notFor('migrations-dir', mode, 'use mode: sql to apply a folder of .sql files');
    if (dryRun && !dryRunCommand)
      throw new InputError(
        'dry-run-command',
        'is required for a dry run in image mode',
        'give the command that lists pending migrations inside the image',
      );
    if (workingDirectory && !workingDirectory.startsWith('/'))
      throw new InputError(
        'working-directory',
        `"${workingDirectory}" is not an absolute path`,
        'in image mode it is a folder inside the image, e.g. /app',
      );
  } else if (mode === 'sql') {
    if (command) throw notFor('command', mode, 'remove it; sql mode applies the .sql files of migrations-dir itself');
    if (image) throw notFor('image', mode, 'remove it, or use mode: image');
    if (dryRunCommand) throw notFor('dry-run-command', mode, 'remove it; dry-run: true lists the pending files');
    if (!migrationsDirInput)
      throw new InputError(
        'migrations-dir',
        'is required in sql mode',
        'give the folder of .sql files, e.g. db/migrations',
      );
    migrationsDir = isAbsolute(migrationsDirInput) ? migrationsDirInput : resolve(workspace, migrationsDirInput);
    if (!existsSync(migrationsDir) || !statSync(migrationsDir).isDirectory())
      throw new InputError(
        'migrations-dir',
        `"${migrationsDirInput}" is not a directory`,
        'give a folder of the checked-out repository',
      );
    files = readMigrationFiles(migrationsDir, database!.dialect);
    if (!files.length)
      throw new InputError(
        'migrations-dir',
        `"${migrationsDirInput}" holds no .sql files`,
        'check the path; files are applied in name order (001_x.sql, 002_y.sql)',
      );
  } else {
    if (!image)
      throw new InputError(
        'image',
        'is required in cloudrun-job mode',
        'give the image pushed to the registry Cloud Run reads',
      );
    if (migrationsDirInput) throw notFor('migrations-dir', mode, 'use mode: sql to apply a folder of .sql files');
    if (dryRun) throw notFor('dry-run', mode, 'run the dry run in command or image mode');
    if (!project)
      throw new InputError('project-id', 'is required in cloudrun-job mode', 'give the Google Cloud project ID');
    if (!region)
      throw new InputError(
        'region',
        'is required in cloudrun-job mode',
        'give the Cloud Run region, e.g. europe-west1',
      );
    if (!job)
      throw new InputError('job', 'is required in cloudrun-job mode', 'name the migration job, e.g. api-migrate');
    cloudRun = {
      project,
      region,
      job,
      endpoint,
      databaseUrlSecret: secretRef ? secretReference(secretRef) : undefined,
    };
  }
  if (mode !== 'cloudrun-job' && (project || region || job || secretRef || endpoint)) {
    const name = project
      ? 'project-id'
      : region
        ? 'region'
        : job
          ? 'job'
          : secretRef
            ? 'database-url-secret'
            : 'api-endpoint';
    throw notFor(name, mode, 'remove it; it is used in cloudrun-job mode');
  }

  return {
    mode,
    database,
    databaseUrlEnv,
    command,
    workingDirectory,
    image,
    migrationsDir,
    files,
    historyTable,
    lockKey,
    lockTimeoutMs,
    timeoutMs,
    dryRun,
    dryRunCommand,
    env,
    cloudRun,
  };
}

/** `NAME`, `NAME:VERSION` or `projects/P/secrets/NAME/versions/V` as Cloud Run's secretKeyRef wants it. */
function secretReference(text: string): { secret: string; version: string } {
  const full = /^(projects\/[^/]+\/secrets\/[\w-]+)(?:\/versions\/(\w+))?$/.exec(text);
  if (full) return { secret: full[1], version: full[2] ?? 'latest' };
  const [secret, version = 'latest'] = text.split(':');
  return { secret, version };
}
