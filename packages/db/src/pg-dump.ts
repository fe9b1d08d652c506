import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '@deploy-actions/toolkit';
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
  /** The environment pg_dump starts from (default: this process's without the step's INPUT_* and STATE_*). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** The process environment without what the runner gives the step itself (inputs, state). */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^(INPUT|STATE)_/i.test(key)));
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
  const started = Date.now();
  const child = spawn(options.pgDump, args, {
    env: withLibpqEnv(options.env ?? childEnv(), db, 'deploy-actions snapshot-db'),
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
  });
  const tail: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLine?.(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (partial) {
    tail.push(partial);
    options.onLine?.(partial);
  }
  if (code !== 0) {
    const errors = tail.filter((l) => /error|fatal|abort/i.test(l));
    throw new UserError(`pg_dump exited with ${code}: ${(errors.length ? errors : tail.slice(-3)).join(' | ')}`);
  }
  return { bytes: statSync(options.file).size, durationMs: Date.now() - started };
}
