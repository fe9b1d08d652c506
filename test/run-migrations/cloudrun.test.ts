import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudRunEmulator, GoogleTokenEmulator } from '@deploy-actions/emulators';
import { CloudRunClient, googleCredentials, jobPath } from '@deploy-actions/gcp';
import { runAction } from '@deploy-actions/harness';
import { lockIsFree, postgresDatabase, type TestDatabase } from './databases';
import { buildMigrationImage, removeImage } from './migration-image';

// cloudrun-job mode: the Cloud Run emulator (driven by the real client, authenticated with a service-account
// key as google-github-actions/auth leaves it) runs the job's executions as real containers on the host
// network, so the migration image really migrates the local PostgreSQL.

const PROJECT = 'acme-prod';
const REGION = 'europe-west1';
let image: string;
let tokens: GoogleTokenEmulator;
let cloud: CloudRunEmulator;
let keyDir: string;
let keyPath: string;
let privateKey: string;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  image = buildMigrationImage('run-migrations-job');
  tokens = new GoogleTokenEmulator();
  await tokens.start();
  cloud = new CloudRunEmulator({ tokens, scale: 100, readyDelayMs: 200, containers: true });
  await cloud.start();
  keyDir = mkdtempSync(join(tmpdir(), 'rm-gcp-'));
  keyPath = tokens.writeServiceAccountKey(keyDir, { project: PROJECT });
  privateKey = JSON.parse(readFileSync(keyPath, 'utf8')).private_key;
}, 180_000);

afterAll(async () => {
  await cloud?.close();
  await tokens?.close();
  rmSync(keyDir, { recursive: true, force: true });
  removeImage(image);
  await Promise.all(databases.map((db) => db.drop()));
});

const jobRun = (db: TestDatabase, inputs: Record<string, string | undefined>) =>
  runAction('run-migrations', {
    inputs: {
      mode: 'cloudrun-job',
      image,
      'project-id': PROJECT,
      region: REGION,
      'api-endpoint': cloud.url,
      'database-url': db.url,
      timeout: '2m',
      ...inputs,
    },
    env: { GOOGLE_APPLICATION_CREDENTIALS: keyPath },
    secrets: [db.url, db.password, privateKey],
    timeoutMs: 120_000,
  });

test('creates the job, runs one execution of the image, reports it, and a second run finds nothing to do', async () => {
  const db = await postgresDatabase();
  databases.push(db);
  const first = await jobRun(db, { job: 'api-migrate' });
  expect(first.exitCode).toBe(0);
  expect(first.log).toContain('Job api-migrate created');
  expect(first.outputs.status).toBe('applied');
  expect(JSON.parse(first.outputs['applied-names'])).toEqual(['001_create_accounts.sql', '002_add_account_email.sql']);
  expect(first.summary).toMatch(/Cloud Run execution<\/th><td>api-migrate-\w+/);
  expect(first.summary).toContain(`${cloud.url}/logs/`);
  const logs = await (await fetch(/href="([^"]+)"/.exec(first.summary)![1])).text();
  expect(logs).toContain('migrate: applying 001_create_accounts.sql');

  const second = await jobRun(db, { job: 'api-migrate' });
  expect(second.exitCode).toBe(0);
  expect(second.log).toContain('Job api-migrate updated');
  expect(second.outputs.status).toBe('up-to-date');
});

test('with database-url-secret the job reads the URL from Secret Manager', async () => {
  const db = await postgresDatabase();
  databases.push(db);
  cloud.setSecret('orders-db-url', db.url);
  const result = await jobRun(db, { job: 'secret-migrate', 'database-url-secret': 'orders-db-url' });
  expect(result.exitCode).toBe(0);
  expect(result.outputs.applied).toBe('2');
  expect(result.log).not.toContain('as an override of this execution');
  const credentials = await googleCredentials({ env: { GOOGLE_APPLICATION_CREDENTIALS: keyPath } });
  const client = new CloudRunClient({ credentials, endpoint: cloud.url });
  const spec = await client.getJob(jobPath(PROJECT, REGION, 'secret-migrate'));
  expect(spec?.template?.template?.maxRetries).toBe(0);
  expect(spec?.template?.template?.containers?.[0].env).toContainEqual({
    name: 'DATABASE_URL',
    valueSource: { secretKeyRef: { secret: 'orders-db-url', version: 'latest' } },
  });
});

test('a failing execution fails the step with its reason and log link, and releases the lock', async () => {
  const db = await postgresDatabase();
  databases.push(db);
  const result = await jobRun(db, { job: 'broken-migrate', command: 'echo "relation exists" >&2; exit 1' });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.status).toBe('failed');
  expect(result.errors[0]).toMatch(/Cloud Run execution broken-migrate-\w+ failed: .*NON_ZERO_EXIT_CODE/);
  expect(result.errors[0]).toContain(`Logs: ${cloud.url}/logs/`);
  expect(await lockIsFree(db.url, `acme/backend/${db.name}`)).toBe(true);
});

test('without a database URL on the runner, the job serialises racing deploys: the second waits for the first execution', async () => {
  const db = await postgresDatabase();
  databases.push(db);
  cloud.setSecret('race-db-url', db.url);
  const run = () =>
    jobRun(db, {
      job: 'race-migrate',
      'database-url': undefined,
      'database-url-secret': 'race-db-url',
      command: 'SLOW=4 migrate',
    });
  const first = run();
  // The second deploy starts once the first one's execution is running.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const [a, b] = await Promise.all([first, run()]);
  expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
  expect(b.log).toMatch(/job race-migrate: waiting for execution race-migrate-\w+ to finish/);
  expect(Number(b.outputs['lock-wait-seconds'])).toBeGreaterThan(0.5);
  expect(b.summary).toContain('reached by the Cloud Run job only');
  const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
  expect(rows.map((r) => r.version)).toEqual(['001_create_accounts.sql', '002_add_account_email.sql']);
});
