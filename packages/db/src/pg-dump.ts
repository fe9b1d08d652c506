import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execTool, UserError } from '@deploy-actions/toolkit';
import { withLibpqEnv } from './libpq-env';
import type { DatabaseUrl } from './url';

/**
 * pg_dump with the client major matched to the server's. Debian and Ubuntu (GitHub's runners) install
 * each major under /usr/lib/postgresql/<major>/bin and put a wrapper on PATH that runs the newest one,
 * which is how runners end up with "aborting because of server version mismatch". We pick the exact
 * binary, and say which package to install when it is missing.
 */

export const POSTGRESQL_ROOT = '/usr/lib/postgresql';

export interface PgDumpBinary {
  path: string;
  major: string;
}

/** Majors with a pg_dump under `root`, newest first. */
export function installedMajors(root = POSTGRESQL_ROOT): string[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries
    .filter((m) => /^\d+(\.\d+)?$/.test(m) && existsSync(join(root, m, 'bin', 'pg_dump')))
    .sort((a, b) => Number(b) - Number(a));
}

/** The pg_dump of the server's major version, or a UserError naming the package that provides it. */
export function findPgDump(serverMajor: string, root = POSTGRESQL_ROOT): PgDumpBinary {
  const installed = installedMajors(root);
  if (installed.includes(serverMajor)) return { path: join(root, serverMajor, 'bin', 'pg_dump'), major: serverMajor };
  const found = installed.length ? `installed: ${installed.join(', ')}` : 'none installed';
  throw new UserError(
    `pg_dump ${serverMajor} is missing (the server runs PostgreSQL ${serverMajor}; ${found} under ${root}): ` +
      `install the package postgresql-client-${serverMajor} before this step, e.g. ` +
      `"sudo apt-get install -y postgresql-client-${serverMajor}" with the PGDG apt repository`,
  );
}

export interface PgDumpOptions {
  db: DatabaseUrl;
  pgDump: string;
  file: string;
  /** gzip level 0-9 inside the custom-format archive. */
  compression?: number;
  /** Each line pg_dump prints (its --verbose progress), for the log; the caller redacts. */
  onLine?: (line: string) => void;
  /** The environment pg_dump starts from (default: this process's; the step's INPUT_* and STATE_* never pass). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface PgDumpResult {
  bytes: number;
  durationMs: number;
}

/**
 * Dumps to a custom-format archive (`pg_restore` reads it, selectively and in parallel). The whole
 * connection, password included, travels in libpq's environment variables (libpq-env.ts), never on the
 * command line where `ps` would show it.
 */
export async function pgDump(options: PgDumpOptions): Promise<PgDumpResult> {
  const { db } = options;
  mkdirSync(dirname(options.file), { recursive: true });
  const args = [
    '--format=custom',
    `--compress=${options.compression ?? 6}`,
    '--no-password',
    '--verbose',
    `--file=${options.file}`,
  ];
  // The toolkit's runner: no INPUT_*/STATE_* or runner tokens for the child, lines redacted, stopped on the signal.
  const result = await execTool(options.pgDump, args, {
    env: withLibpqEnv(options.env ?? process.env, db, 'deploy-actions snapshot-db'),
    signal: options.signal,
    onLine: (line) => options.onLine?.(line),
    tailLines: 20,
  });
  if (result.stopped) throw new UserError(`pg_dump was stopped (${result.stopped}); the dump is incomplete`);
  if (result.code !== 0) {
    const tail = result.error ? [result.error] : result.tail;
    const errors = tail.filter((l) => /error|fatal|abort/i.test(l));
    throw new UserError(`pg_dump exited with ${result.code}: ${(errors.length ? errors : tail.slice(-3)).join(' | ')}`);
  }
  return { bytes: statSync(options.file).size, durationMs: result.durationMs };
}
