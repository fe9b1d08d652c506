import { execFileSync } from 'node:child_process';
import { runAction } from '@deploy-actions/harness';
import { lockIsFree, postgresDatabase, services, type TestDatabase } from './databases';
import { buildMigrationImage, docker, dockerEnv, removeImage } from './migration-image';

// image mode against the real Docker engine, with an image built here (migration-image.ts) that ships a
// psql-based migration tool and the example app's migrations.

const svc = services();
let image: string;

beforeAll(() => {
  image = buildMigrationImage('run-migrations-test');
}, 180_000);

const databases: TestDatabase[] = [];
afterAll(async () => {
  removeImage(image);
  await Promise.all(databases.map((db) => db.drop()));
});

const imageRun = (db: TestDatabase, inputs: Record<string, string> = {}, extra: Parameters<typeof runAction>[1] = {}) =>
  runAction('run-migrations', {
    inputs: { mode: 'image', image, 'database-url': db.url, ...inputs },
    env: { DOCKER_HOST: svc.dockerHost },
    secrets: [db.url, db.password],
    ...extra,
  });

const containers = () =>
  execFileSync(docker, ['ps', '--all', '--filter', 'name=run-migrations-', '--format', '{{.Names}}'], {
    env: dockerEnv,
    encoding: 'utf8',
  }).trim();

test('runs the migrations shipped in the image (its own CMD), once', async () => {
  const db = await postgresDatabase();
  databases.push(db);
  const first = await imageRun(db);
  expect(first.exitCode).toBe(0);
  expect(first.log).toContain('migrate: done');
  expect(first.log).toContain('migrate: connecting to ***');
  expect(first.outputs.status).toBe('applied');
  expect(JSON.parse(first.outputs['applied-names'])).toEqual(['001_create_accounts.sql', '002_add_account_email.sql']);
  const columns = await db.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts' ORDER BY column_name",
  );
  expect(columns.map((c) => c.column_name)).toEqual(['created_at', 'email', 'id', 'name']);

  const second = await imageRun(db, { command: 'migrate' });
  expect(second.exitCode).toBe(0);
  expect(second.outputs.status).toBe('up-to-date');
  expect(containers()).toBe('');
});

test('a failing command in the image: exit code surfaced, env passed by name, lock released', async () => {
  const db = await postgresDatabase();
  databases.push(db);
  const result = await imageRun(db, {
    command: 'echo "mode=$APP_MODE url=$DATABASE_URL"; exit 4',
    env: 'APP_MODE=migrate',
  });
  expect(result.exitCode).toBe(1);
  expect(result.log).toContain('mode=migrate url=***');
  expect(result.errors[0]).toMatch(/exited with code 4/);
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
});

test('cancellation removes the container and releases the lock', async () => {
  const db = await postgresDatabase();
  databases.push(db);
  const result = await imageRun(
    db,
    // The marker is computed by the shell, so the logged command line itself never matches it.
    { command: 'echo container-$((40 + 2))-started; sleep 60' },
    { cancelOnLine: /container-42-started/ },
  );
  expect(result.cancelled).toBe(true);
  expect(result.exitCode).not.toBe(0);
  expect(result.log).toMatch(/Stopping container run-migrations-/);
  expect(result.durationMs).toBeLessThan(7000);
  expect(containers()).toBe('');
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
});
