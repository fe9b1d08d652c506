import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServices, type Services } from '@deploy-actions/harness';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * Throwaway databases for the run-migrations tests: each test gets its own database and its own user
 * with a random password (so the harness's leak check means something: "postgres" or "root" would be
 * everywhere), and drops both when done.
 */

export interface TestDatabase {
  dialect: 'postgres' | 'mysql';
  name: string;
  user: string;
  password: string;
  /** The URL the action gets, as the test user. */
  url: string;
  /** Runs SQL as the superuser, in the test database. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** The services' addresses; services.sh rewrites its file when another test run starts, so read until complete. */
export function services(): Services {
  for (let attempt = 0; ; attempt++) {
    const found = readServices();
    if ((found.postgresUrl && found.mariadbUrl && found.postgresBin) || attempt >= 50) return found;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export async function postgresDatabase(): Promise<TestDatabase> {
  const admin = services().postgresUrl;
  const name = unique('rm');
  const user = unique('rmu');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  await withPg(admin, async (c) => {
    await c.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
    await c.query(`CREATE DATABASE ${name} OWNER ${user}`);
  });
  const url = new URL(admin);
  url.username = user;
  url.password = password;
  url.pathname = `/${name}`;
  const inDb = new URL(admin);
  inDb.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    name,
    user,
    password,
    url: url.toString(),
    query: (sql, params) => withPg(inDb.toString(), async (c) => (await c.query(sql, params)).rows),
    drop: () =>
      withPg(admin, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${user}`);
      }),
  };
}

export async function mariadbDatabase(): Promise<TestDatabase> {
  const admin = new URL(services().mariadbUrl);
  const name = unique('rm');
  const user = unique('rmu').slice(0, 32);
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const adminConfig = {
    host: admin.hostname,
    port: Number(admin.port),
    user: decodeURIComponent(admin.username),
    password: decodeURIComponent(admin.password),
    multipleStatements: true,
  };
  const run = async <T>(database: string | undefined, sql: string, params?: unknown[]) => {
    const c = await mysql.createConnection({ ...adminConfig, database });
    try {
      const [rows] = await c.query(sql, params);
      return (Array.isArray(rows) ? rows : []) as T[];
    } finally {
      await c.end();
    }
  };
  await run(
    undefined,
    `CREATE DATABASE ${name}; CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'; GRANT ALL ON ${name}.* TO '${user}'@'%'`,
  );
  return {
    dialect: 'mysql',
    name,
    user,
    password,
    url: `mysql://${user}:${password}@${admin.host}/${name}`,
    query: (sql, params) => run(name, sql, params),
    drop: async () => {
      await run(undefined, `DROP DATABASE IF EXISTS ${name}; DROP USER IF EXISTS '${user}'@'%'`);
    },
  };
}

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Holds an advisory lock from outside the action, as another deploy would. */
export async function holdPostgresLock(url: string, key: string): Promise<{ release(): Promise<void>; pid: number }> {
  const { lockIdentity } = await import('@deploy-actions/db');
  const client = new pg.Client({ connectionString: url, application_name: 'another deploy' });
  await client.connect();
  const { id } = lockIdentity('postgres', key);
  await client.query('SELECT pg_advisory_lock($1::bigint)', [id]);
  const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
  return { pid, release: () => client.end() };
}

/** Whether a session can take the lock right now (and gives it back at once). */
export async function lockIsFree(url: string, key: string): Promise<boolean> {
  const { lockIdentity } = await import('@deploy-actions/db');
  return withPg(url, async (c) => {
    const { id } = lockIdentity('postgres', key);
    const [{ ok }] = (await c.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [id])).rows;
    if (ok) await c.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
    return ok as boolean;
  });
}

/** A folder of migration files. */
export function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}
