import { RdsEmulator } from '@deploy-actions/emulators';
import { AWS_SECRET, snapshotRds } from './helpers';

// Bad inputs fail with one line naming the input, before any call reaches the (RDS) emulator.

const PG_SECRET = 'pg-Secret-7f3a9c2e';
const many = Array.from({ length: 46 }, (_, n) => `k${n}=v`).join('\n');

const cases: [string, Record<string, string | number | boolean>, RegExp][] = [
  [
    'provider unknown',
    { provider: 'dynamodb' },
    /^Input "provider": "dynamodb" is not one of the choices; use one of: rds, aurora, cloudsql, postgres/,
  ],
  [
    'database missing',
    { database: '' },
    /^Input "database": is required with provider "rds"; set it to the RDS DB instance identifier/,
  ],
  [
    'database not an RDS identifier',
    { database: '1st_db' },
    /^Input "database": "1st_db" is not a valid RDS identifier/,
  ],
  [
    'database-url with rds',
    { 'database-url': `postgres://u:${PG_SECRET}@h/db` },
    /^Input "database-url": does not apply to provider "rds"/,
  ],
  [
    'database-url missing for postgres',
    { provider: 'postgres', database: '' },
    /^Input "database-url": is required with provider "postgres"/,
  ],
  [
    'database-url of another engine',
    { provider: 'postgres', database: '', 'database-url': `mysql://root:${PG_SECRET}@127.0.0.1/db` },
    /^Input "database-url": is not a PostgreSQL URL/,
  ],
  [
    'identifier with an unknown placeholder',
    { identifier: '{db}-{branch}' },
    /^Input "identifier": \{branch\} is not a placeholder/,
  ],
  ['tags not KEY=VALUE', { tags: 'team' }, /^Input "tags": "team" is not KEY=VALUE/],
  [
    'tag with a reserved prefix',
    { tags: 'aws:owner=me' },
    /^Input "tags": tag key "aws:owner" starts with a prefix RDS reserves/,
  ],
  ['too many tags', { tags: many }, /^Input "tags": the action adds 5 tags of its own, and RDS allows 50/],
  ['timeout not a duration', { timeout: 'forever' }, /^Input "timeout": "forever" is not a duration/],
  ['keep-last zero', { 'keep-last': 0 }, /^Input "keep-last": 0 is out of range; use a whole number from 1 to 100/],
  ['max-age not a duration', { 'max-age': '30 days' }, /^Input "max-age": "30 days" is not a duration/],
  [
    'dry-run without a rule',
    { 'dry-run': true },
    /^Input "dry-run": previews retention, but neither "keep-last" nor "max-age" is set/,
  ],
  ['region malformed', { region: 'Europe' }, /^Input "region": "Europe" is not an AWS region/],
  [
    'retention with postgres',
    { provider: 'postgres', database: '', 'database-url': `postgres://u:${PG_SECRET}@127.0.0.1/db`, 'keep-last': 3 },
    /^Input "keep-last": does not apply to provider "postgres"/,
  ],
  ['project-id with rds', { 'project-id': 'my-project-123' }, /^Input "project-id": does not apply to provider "rds"/],
  [
    'artifact-retention-days out of range',
    {
      provider: 'postgres',
      database: '',
      'database-url': `postgres://u:${PG_SECRET}@127.0.0.1/db`,
      'upload-artifact': true,
      'artifact-retention-days': 0,
    },
    /^Input "artifact-retention-days": 0 is out of range/,
  ],
];

describe('snapshot-db: bad inputs', () => {
  let rds: RdsEmulator;
  beforeAll(async () => {
    rds = new RdsEmulator();
    await rds.listen();
    rds.addInstance('app-db');
  });
  afterAll(() => rds.close());

  it.each(cases)('%s', async (_, inputs, message) => {
    const before = rds.server.requests.length;
    const result = await snapshotRds(rds, inputs, { secrets: [PG_SECRET, AWS_SECRET] });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(message)]);
    expect(result.log).not.toMatch(/^\s+at /m);
    expect(rds.server.requests.length - before).toBe(0);
  });

  it('fails on a missing region before any call', async () => {
    const result = await snapshotRds(rds, {}, { env: { AWS_REGION: undefined } });
    expect(result.errors).toEqual([expect.stringMatching(/^Input "region": is not set and neither is AWS_REGION/)]);
    expect(rds.server.requests).toHaveLength(0);
  });
});
