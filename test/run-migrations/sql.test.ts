import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runAction } from '@deploy-actions/harness';
import {
  holdPostgresLock,
  lockIsFree,
  mariadbDatabase,
  migrationsDir,
  postgresDatabase,
  type TestDatabase,
} from './databases';

// sql mode against the real PostgreSQL and MariaDB: the example app's migrations, drift, failures,
// dirty state, racing runs and lock timeouts.

const exampleDir = join(repoRoot, 'examples', 'app', 'migrations');
const exampleFiles = readdirSync(exampleDir).sort();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const databases: TestDatabase[] = [];
async function fresh(kind: 'postgres' | 'mysql' = 'postgres') {
  const db = kind === 'postgres' ? await postgresDatabase() : await mariadbDatabase();
  databases.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

const sqlRun = (
  db: TestDatabase,
  dir: string,
  inputs: Record<string, string> = {},
  extra: Parameters<typeof runAction>[1] = {},
) =>
  runAction('run-migrations', {
    inputs: { mode: 'sql', 'database-url': db.url, 'migrations-dir': dir, ...inputs },
    secrets: [db.url, db.password],
    ...extra,
  });

test('applies the example app migrations on PostgreSQL once, records checksums, then reports up-to-date', async () => {
  const db = await fresh();
  const first = await sqlRun(db, exampleDir);
  expect(first.exitCode).toBe(0);
  expect(first.outputs.status).toBe('applied');
  expect(first.outputs.applied).toBe('2');
  expect(JSON.parse(first.outputs['applied-names'])).toEqual(exampleFiles);
  expect(first.outputs.pending).toBe('0');
  expect(Number(first.outputs['lock-wait-seconds'])).toBeLessThan(1);
  expect(first.summary).toContain('001_create_accounts.sql');
  expect(first.summary).toContain(`${db.name}`);
  const rows = await db.query<{ name: string; checksum: string; applied_by: string; dirty: boolean }>(
    'SELECT name, checksum, applied_by, dirty FROM migration_history ORDER BY name',
  );
  expect(rows.map((r) => r.name)).toEqual(exampleFiles);
  expect(rows[0].checksum).toBe(sha256(readFileSync(join(exampleDir, exampleFiles[0]), 'utf8')));
  expect(rows[0].applied_by).toContain('acme/backend');
  expect(rows.every((r) => r.dirty === false)).toBe(true);
  await db.query("INSERT INTO accounts (name, email) VALUES ('a', 'a@example.com')");

  const second = await sqlRun(db, exampleDir);
  expect(second.exitCode).toBe(0);
  expect(second.outputs.status).toBe('up-to-date');
  expect(second.outputs.applied).toBe('0');
  expect(second.outputs['applied-names']).toBe('[]');
});

test('applies the same migrations on MariaDB', async () => {
  const db = await fresh('mysql');
  const dir = migrationsDir({
    '001_create_accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY AUTO_INCREMENT, name text NOT NULL);',
    '002_add_email.sql':
      'ALTER TABLE accounts ADD COLUMN email varchar(255);\nCREATE UNIQUE INDEX accounts_email_key ON accounts (email);',
    '010_seed.sql': "INSERT INTO accounts (name, email) VALUES ('ops', 'ops@example.com');",
  });
  const first = await sqlRun(db, dir);
  expect(first.exitCode).toBe(0);
  // Natural order: 010 after 002.
  expect(JSON.parse(first.outputs['applied-names'])).toEqual([
    '001_create_accounts.sql',
    '002_add_email.sql',
    '010_seed.sql',
  ]);
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM accounts');
  expect(Number(row.n)).toBe(1);
  const second = await sqlRun(db, dir);
  expect(second.outputs.status).toBe('up-to-date');
});

test('dry-run lists the pending files and changes nothing', async () => {
  const db = await fresh();
  const result = await sqlRun(db, exampleDir, { 'dry-run': 'true' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('dry-run');
  expect(result.outputs.pending).toBe('2');
  expect(result.outputs.applied).toBe('0');
  expect(result.log).toContain('Would apply 2: 001_create_accounts.sql, 002_add_account_email.sql');
  expect(result.summary).toContain('Would apply');
  const tables = await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
  expect(tables).toHaveLength(0);
});

test('a file changed after it was applied stops the run with what to do', async () => {
  const db = await fresh();
  const dir = migrationsDir({ '001_a.sql': 'CREATE TABLE a (id int);', '002_b.sql': 'CREATE TABLE b (id int);' });
  expect((await sqlRun(db, dir)).exitCode).toBe(0);
  appendFileSync(join(dir, '001_a.sql'), '\nALTER TABLE a ADD COLUMN x int;');
  writeFileSync(join(dir, '003_c.sql'), 'CREATE TABLE c (id int);');
  const drifted = await sqlRun(db, dir);
  expect(drifted.exitCode).not.toBe(0);
  expect(drifted.outputs.status).toBe('failed');
  expect(drifted.errors[0]).toMatch(/001_a\.sql changed after it was applied/);
  expect(drifted.errors[0]).toContain('put the change in a new migration');
  // Nothing ran: 003 was not applied.
  const c = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'c'");
  expect(c).toHaveLength(0);
  // The dry run sees the drift too.
  expect((await sqlRun(db, dir, { 'dry-run': 'true' })).errors[0]).toMatch(/changed after it was applied/);
});

test('a failing migration is rolled back, named with its line, and the lock is free right after', async () => {
  const db = await fresh();
  const dir = migrationsDir({
    '001_ok.sql': 'CREATE TABLE ok (id int);',
    '002_broken.sql': 'CREATE TABLE half (id int);\n\nINSERT INTO missing_table VALUES (1);\n',
    '003_never.sql': 'CREATE TABLE never (id int);',
  });
  const result = await sqlRun(db, dir);
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  expect(result.errors[0]).toMatch(/002_broken\.sql failed: relation "missing_table" does not exist \(line 3\)/);
  expect(result.errors[0]).toContain('rolled back');
  expect(result.log).toContain('Lock released');
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
  const names = (await db.query<{ name: string }>('SELECT name FROM migration_history')).map((r) => r.name);
  expect(names).toEqual(['001_ok.sql']);
  expect(await db.query("SELECT 1 FROM information_schema.tables WHERE table_name IN ('half', 'never')")).toHaveLength(
    0,
  );
  expect(result.summary).toContain('Migrations failed');
  expect(result.summary).toContain('002_broken.sql');
  // What this run did apply before the failure is still reported.
  expect(JSON.parse(result.outputs['applied-names'])).toEqual(['001_ok.sql']);
  expect(result.outputs.pending).toBe('2');
});

test('on MariaDB a half-applied file is recorded dirty and blocks the next run until someone looks', async () => {
  const db = await fresh('mysql');
  const dir = migrationsDir({
    '001_half.sql': 'CREATE TABLE half (id int);\nINSERT INTO missing_table VALUES (1);',
  });
  const first = await sqlRun(db, dir);
  expect(first.exitCode).toBe(1);
  expect(first.errors[0]).toMatch(/001_half\.sql failed: .*missing_table/);
  expect(first.errors[0]).toContain('recorded dirty');
  const second = await sqlRun(db, dir);
  expect(second.exitCode).toBe(1);
  expect(second.errors[0]).toMatch(/001_half\.sql was started by .* outside a transaction and did not finish/);
  expect(second.errors[0]).toContain("DELETE FROM migration_history WHERE name = '001_half.sql'");
});

test('two racing runs: one applies, the other waits for the lock and finds everything applied', async () => {
  const db = await fresh();
  const dir = migrationsDir({
    '001_slow.sql': 'SELECT pg_sleep(1.5);\nCREATE TABLE slow (id int);',
    '002_counter.sql': 'CREATE TABLE counter (n int);\nINSERT INTO counter VALUES (1);',
  });
  const [a, b] = await Promise.all([sqlRun(db, dir), sqlRun(db, dir)]);
  expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
  const statuses = [a.outputs.status, b.outputs.status].sort();
  expect(statuses).toEqual(['applied', 'up-to-date']);
  const waiter = a.outputs.status === 'up-to-date' ? a : b;
  expect(waiter.log).toMatch(
    /migration lock ".*": waiting for session pid \d+ \("run-migrations acme\/backend run 4242"/,
  );
  expect(Number(waiter.outputs['lock-wait-seconds'])).toBeGreaterThan(0.5);
  expect(waiter.summary).toMatch(/Waited for<\/th><td>session pid \d+/);
  const rows = await db.query<{ name: string }>('SELECT name FROM migration_history ORDER BY name');
  expect(rows.map((r) => r.name)).toEqual(['001_slow.sql', '002_counter.sql']);
  expect(await db.query('SELECT n FROM counter')).toEqual([{ n: 1 }]);
});

test('racing runs on MariaDB: GET_LOCK makes the second wait (naming the holder) and find nothing to do', async () => {
  const db = await fresh('mysql');
  const dir = migrationsDir({
    '001_slow.sql': 'SELECT SLEEP(1.5);\nCREATE TABLE slow (id int);',
    '002_counter.sql': 'CREATE TABLE counter (n int);\nINSERT INTO counter VALUES (1);',
  });
  const [a, b] = await Promise.all([sqlRun(db, dir), sqlRun(db, dir)]);
  expect([a.outputs.status, b.outputs.status].sort()).toEqual(['applied', 'up-to-date']);
  const waiter = a.outputs.status === 'up-to-date' ? a : b;
  expect(waiter.log).toMatch(/waiting for connection \d+ \(user rmu_/);
  expect(await db.query('SELECT n FROM counter')).toEqual([{ n: 1 }]);
  const [count] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM migration_history');
  expect(Number(count.n)).toBe(2);
});

test('gives up after lock-timeout, naming the session that holds the lock, and applies nothing', async () => {
  const db = await fresh();
  const holder = await holdPostgresLock(db.url, `acme/backend/${db.name}`);
  try {
    const result = await sqlRun(db, exampleDir, { 'lock-timeout': '2s' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/Timed out after 2\.0s waiting for migration lock/);
    expect(result.errors[0]).toContain(`session pid ${holder.pid} ("another deploy"`);
    expect(result.errors[0]).toContain('raise lock-timeout');
    // It said it was waiting, and for how long, while it waited.
    expect(result.log).toMatch(
      /migration lock ".*": still waiting for session pid \d+ .*; [\d.]+m?s elapsed, [\d.]+m?s left/,
    );
    expect(result.outputs.status).toBe('failed');
    expect(Number(result.outputs['lock-wait-seconds'])).toBeGreaterThanOrEqual(2);
    expect(
      await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'migration_history'"),
    ).toHaveLength(0);
  } finally {
    await holder.release();
  }
  // The holder's session ended: the lock is free again.
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
});

test('cancellation cancels the running statement: its transaction rolls back and the lock is released', async () => {
  const db = await fresh();
  const dir = migrationsDir({ '001_long.sql': 'CREATE TABLE long_one (id int);\nSELECT pg_sleep(60);' });
  const result = await sqlRun(db, dir, {}, { cancelOnLine: /Applying 001_long\.sql/ });
  expect(result.cancelled).toBe(true);
  expect(result.exitCode).not.toBe(0);
  expect(result.errors[0]).toMatch(/Cancelled \(SIGINT\)/);
  expect(result.durationMs).toBeLessThan(7000);
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
  expect(await db.query('SELECT name FROM migration_history')).toEqual([]);
  expect(await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'long_one'")).toHaveLength(0);
  const busy = await db.query(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()",
  );
  expect(busy).toEqual([]);
});

test('a run cancelled while it waits for the lock stops at once and runs nothing', async () => {
  const db = await fresh();
  const holder = await holdPostgresLock(db.url, `acme/backend/${db.name}`);
  try {
    const result = await sqlRun(db, exampleDir, {}, { cancelOnLine: /waiting for session pid/ });
    expect(result.cancelled).toBe(true);
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(/Cancelled/);
    expect(result.durationMs).toBeLessThan(7000);
    expect(
      await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'migration_history'"),
    ).toHaveLength(0);
  } finally {
    await holder.release();
  }
});
