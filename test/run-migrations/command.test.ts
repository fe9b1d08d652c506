import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runAction } from '@deploy-actions/harness';
import { lockIsFree, postgresDatabase, services, type TestDatabase } from './databases';

// command mode: a migration tool on the runner (a small psql-based one, fixtures/migrate.sh) run through a
// shell, under the lock, its output redacted line by line; failures, cancellation and dry runs.

const tool = join(import.meta.dirname, 'fixtures', 'migrate.sh');
const env = {
  PSQL: join(services().postgresBin, 'psql'),
  MIGRATIONS: join(repoRoot, 'examples', 'app', 'migrations'),
};

const databases: TestDatabase[] = [];
async function fresh() {
  const db = await postgresDatabase();
  databases.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

const commandRun = (db: TestDatabase, inputs: Record<string, string>, extra: Parameters<typeof runAction>[1] = {}) =>
  runAction('run-migrations', {
    inputs: { mode: 'command', 'database-url': db.url, ...inputs },
    env,
    secrets: [db.url, db.password],
    ...extra,
  });

test('runs the tool with the URL in its variable, redacts it from the output, and reads what it applied', async () => {
  const db = await fresh();
  const first = await commandRun(db, { command: `sh ${tool}` });
  expect(first.exitCode).toBe(0);
  expect(first.log).toContain('migrate: connecting to ***');
  expect(first.log).toContain('migrate: applying 001_create_accounts.sql');
  expect(first.outputs.status).toBe('applied');
  expect(first.outputs.applied).toBe('2');
  expect(JSON.parse(first.outputs['applied-names'])).toEqual(['001_create_accounts.sql', '002_add_account_email.sql']);
  expect(first.summary).toContain('Rails / dbmate');

  const second = await commandRun(db, { command: `sh ${tool}` });
  expect(second.outputs.status).toBe('up-to-date');
  expect(second.outputs.applied).toBe('0');
  expect(second.log).toContain('The tool applied nothing');
});

test('hands the URL in the variable named by database-url-env, runs in working-directory', async () => {
  const db = await fresh();
  const result = await commandRun(db, {
    command: `DATABASE_URL="$MIGRATE_URL" sh ./migrate.sh && pwd`,
    'database-url-env': 'MIGRATE_URL',
    'working-directory': join(import.meta.dirname, 'fixtures'),
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.applied).toBe('2');
  expect(result.log).toContain(join(import.meta.dirname, 'fixtures'));
});

test('a failing tool: exit code and output surfaced (redacted), lock released and free for the next run', async () => {
  const db = await fresh();
  const result = await commandRun(db, {
    command: `echo "error: cannot migrate $DATABASE_URL (password ${db.password})" >&2; exit 3`,
  });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  expect(result.errors[0]).toMatch(/The migration command .* exited with code 3/);
  expect(result.log).toContain('error: cannot migrate *** (password ***)');
  expect(result.summary).toContain('error: cannot migrate *** (password ***)');
  expect(result.log).toContain('Lock released');
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
  const next = await commandRun(db, { command: `sh ${tool}` });
  expect(next.outputs.status).toBe('applied');
});

test('cancellation stops the tool, releases the lock and fails the step', async () => {
  const db = await fresh();
  const dir = mkdtempSync(join(tmpdir(), 'cancel-'));
  const pidFile = join(dir, 'pid');
  const result = await commandRun(
    db,
    // The marker is computed by the shell, so the logged command line itself never matches it.
    { command: `sleep 60 & echo $! > ${pidFile}; echo tool-$((40 + 2))-started; wait` },
    { cancelOnLine: /tool-42-started/ },
  );
  expect(result.cancelled).toBe(true);
  expect(result.exitCode).not.toBe(0);
  expect(result.log).toContain('Received SIGINT');
  expect(result.errors[0]).toMatch(/Cancelled \(SIGINT\)/);
  expect(result.outputs.status).toBe('failed');
  // Well before the runner's SIGTERM (7.5 s later).
  expect(result.durationMs).toBeLessThan(7000);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  expect(processAlive(pid)).toBe(false);
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
});

function processAlive(pid: number): boolean {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return false;
  // A zombie has stopped; it only waits for its new parent to reap it.
  return !/^State:\s+Z/m.test(readFileSync(status, 'utf8'));
}

test('dry-run runs dry-run-command, not the migration', async () => {
  const db = await fresh();
  const result = await commandRun(db, {
    command: 'echo MIGRATING; exit 9',
    'dry-run': 'true',
    'dry-run-command': 'echo "status: 2 pending"',
  });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.status).toBe('dry-run');
  expect(result.log).toContain('status: 2 pending');
  expect(result.log).not.toContain('MIGRATING');
});

test('two racing deploys of the tool: one applies, the other waits and finds nothing to do', async () => {
  const db = await fresh();
  const run = () =>
    runAction('run-migrations', {
      inputs: { mode: 'command', 'database-url': db.url, command: `sh ${tool}` },
      env: { ...env, SLOW: '1' },
      secrets: [db.url, db.password],
    });
  const [a, b] = await Promise.all([run(), run()]);
  expect([a.outputs.status, b.outputs.status].sort()).toEqual(['applied', 'up-to-date']);
  const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
  expect(rows.map((r) => r.version)).toEqual(['001_create_accounts.sql', '002_add_account_email.sql']);
  const waiter = a.outputs.status === 'up-to-date' ? a : b;
  expect(Number(waiter.outputs['lock-wait-seconds'])).toBeGreaterThan(0.3);
});

test('losing the connection that holds the lock stops the tool: another run could take the lock now', async () => {
  const db = await fresh();
  let terminated: Promise<unknown> | undefined;
  const result = await commandRun(
    db,
    { command: 'echo tool-started; sleep 30' },
    {
      onLine: (line) => {
        if (line === 'tool-started' && !terminated)
          terminated = db.query(
            // This test's database only: other tests' runs have the same application name.
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'run-migrations acme/backend run 4242' AND datname = current_database()",
          );
      },
    },
  );
  await terminated;
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]).toMatch(
    /The connection holding the lock was lost .*; stopped, since another run may now start/,
  );
  expect(result.durationMs).toBeLessThan(10_000);
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
});
