import { existsSync, mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runAction } from '@deploy-actions/harness';

// Bad inputs fail before any side effect: one error line naming the input, no connection to the database,
// no lock, no command run.

// The URL points at a listener that counts connections: a bad input must fail before the action connects.
let connections = 0;
const listener = createServer((socket) => {
  connections++;
  socket.destroy();
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  url = `postgres://nobody:bad-input-secret@127.0.0.1:${(listener.address() as AddressInfo).port}/orders`;
});
const examples = join(repoRoot, 'examples', 'app', 'migrations');
const marker = join(mkdtempSync(join(tmpdir(), 'rm-inputs-')), 'ran');
const touch = `touch ${marker}`;

const cases: [string, string, Record<string, string>, RegExp][] = [
  [
    'unknown mode',
    'mode',
    { mode: 'flyway', command: touch },
    /not one of the choices; use one of: command, image, sql, cloudrun-job/,
  ],
  ['missing database-url', 'database-url', { 'database-url': '', command: touch }, /is required/],
  [
    'database-url not a URL',
    'database-url',
    { 'database-url': 'host=db user=x password=bad-input-secret', command: touch },
    /is not a URL/,
  ],
  [
    'database-url of another engine',
    'database-url',
    { 'database-url': 'sqlserver://sa:bad-input-secret@db/app', command: touch },
    /uses sqlserver:/,
  ],
  [
    'database-url without a database',
    'database-url',
    { 'database-url': 'postgres://u:bad-input-secret@db:5432', command: touch },
    /names no database/,
  ],
  ['command mode without command', 'command', {}, /is required in command mode/],
  ['image mode without image', 'image', { mode: 'image', command: touch }, /is required in image mode/],
  ['image reference with spaces', 'image', { mode: 'image', image: 'my app:latest' }, /is not an image reference/],
  // The suite's one grammar (packages/registry): a host may not start with "-", as Docker refuses too.
  [
    'image on a host starting with -',
    'image',
    { mode: 'image', image: '-registry.example.com/app:1' },
    /is not an image reference/,
  ],
  ['sql mode without migrations-dir', 'migrations-dir', { mode: 'sql' }, /is required in sql mode/],
  [
    'sql mode with a missing folder',
    'migrations-dir',
    { mode: 'sql', 'migrations-dir': 'no/such/dir' },
    /is not a directory/,
  ],
  [
    'sql mode with a folder of no .sql files',
    'migrations-dir',
    { mode: 'sql', 'migrations-dir': join(repoRoot, 'examples', 'app', 'www') },
    /holds no \.sql files/,
  ],
  [
    'command in sql mode',
    'command',
    { mode: 'sql', 'migrations-dir': examples, command: touch },
    /is not used in sql mode/,
  ],
  ['lock-timeout not a duration', 'lock-timeout', { command: touch, 'lock-timeout': 'forever' }, /is not a duration/],
  ['timeout too short', 'timeout', { command: touch, timeout: '10ms' }, /is too short/],
  [
    'history-table not an identifier',
    'history-table',
    { mode: 'sql', 'migrations-dir': examples, 'history-table': 'x; DROP TABLE y' },
    /is not a table name/,
  ],
  [
    'database-url-env not a variable name',
    'database-url-env',
    { command: touch, 'database-url-env': 'DATABASE-URL' },
    /is not an environment variable name/,
  ],
  [
    'dry-run in command mode without dry-run-command',
    'dry-run-command',
    { command: touch, 'dry-run': 'true' },
    /is required for a dry run/,
  ],
  ['dry-run not a boolean', 'dry-run', { command: touch, 'dry-run': 'maybe' }, /is not a boolean/],
  ['env line without =', 'env', { command: touch, env: 'APP_MODE' }, /is not KEY=VALUE/],
  [
    'env overriding the URL variable',
    'env',
    { command: touch, env: 'DATABASE_URL=postgres://x/y' },
    /sets DATABASE_URL/,
  ],
  [
    'working-directory missing',
    'working-directory',
    { command: touch, 'working-directory': 'nowhere' },
    /is not a directory/,
  ],
  [
    'cloudrun-job without project',
    'project-id',
    { mode: 'cloudrun-job', image: 'ghcr.io/acme/api:1', region: 'europe-west1', job: 'migrate' },
    /is required in cloudrun-job mode/,
  ],
  [
    'cloudrun inputs outside cloudrun-job mode',
    'region',
    { command: touch, region: 'europe-west1' },
    /is not used in command mode/,
  ],
];

test.concurrent.each(cases)('%s: fails naming "%s" before touching anything', async (_, input, inputs, problem) => {
  const result = await runAction('run-migrations', {
    inputs: { 'database-url': url, ...inputs },
    secrets: ['bad-input-secret'],
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toMatch(new RegExp(`^Input "${input}": `));
  expect(result.errors[0]).toMatch(problem);
  // Nothing happened: no connection was tried (it would fail with "Could not connect"), no lock, no command.
  expect(result.log).not.toMatch(/Could not connect|Taking the migration lock|Running /);
  expect(existsSync(marker)).toBe(false);
  // A failed step still writes its outputs (issue 9): status failed, nothing applied.
  expect(result.outputs.status).toBe('failed');
  expect(result.outputs.applied ?? '').toBe('');
});

afterAll(async () => {
  listener.close();
  expect(connections).toBe(0);
});

test('control: with valid inputs the same kind of URL is connected to (so the count above means something)', async () => {
  let seen = 0;
  const server = createServer((socket) => {
    seen++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const result = await runAction('run-migrations', {
      inputs: { 'database-url': `postgres://nobody:bad-input-secret@127.0.0.1:${port}/orders`, command: touch },
      secrets: ['bad-input-secret'],
    });
    expect(result.errors[0]).toMatch(/^Could not connect to postgres:\/\/nobody@127\.0\.0\.1:\d+\/orders/);
    expect(seen).toBeGreaterThan(0);
    expect(existsSync(marker)).toBe(false);
  } finally {
    server.close();
  }
});
