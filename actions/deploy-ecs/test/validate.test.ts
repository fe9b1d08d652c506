import { describe, expect, test } from '@jest/globals';
import { readInputs } from '../../../packages/toolkit/src/read-inputs';
import { type Inputs, validate } from '../src/inputs';
import { manifest } from '../src/manifest';

/**
 * deploy-ecs's inputs without a bundle or an emulator: the manifest's typed reader, then validate(), give one
 * union per operation (deploy, scale, maintenance) with the rollout per strategy; strategy options given with
 * another strategy are refused in deploy-ecs's own words. (The harness tests in test/deploy-ecs run the same
 * checks through the built bundle.)
 */

const IMG = 'registry.example.com/acme/api:1.2.3';

function environment(inputs: Record<string, string>, region = true): Record<string, string> {
  const env: Record<string, string> = region ? { AWS_REGION: 'eu-west-1' } : {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

async function read(inputs: Record<string, string>): Promise<Inputs> {
  const env = environment(inputs);
  return validate(await readInputs(manifest, env), env);
}

describe('what the step does', () => {
  test('a deploy: images, env and secrets, the rollout with its options, the gate', async () => {
    const inputs = await read({
      service: 'api',
      image: IMG,
      'env-vars': 'A=1\nB=x=y',
      secrets: 'DB=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
      strategy: 'canary',
      'canary-percent': '20%',
      'bake-time': '5m',
      'health-path': '/health',
      'health-expected-status': '2xx,301',
      'health-max-error-rate': '5%',
    });
    if (inputs.operation !== 'deploy') throw new Error(`expected a deploy, got ${inputs.operation}`);
    expect(inputs.images).toEqual([{ container: undefined, image: IMG }]);
    expect({ ...inputs.env }).toEqual({ A: '1', B: 'x=y' });
    expect(inputs.rollout).toEqual({ strategy: 'canary', bakeTimeMinutes: 5, canaryPercent: 20 });
    expect(inputs.region).toBe('eu-west-1');
    expect(inputs.timeoutMs).toBe(2 * 3600_000);
    const gate = inputs.health;
    expect(gate && [gate.expected(204), gate.expected(301), gate.expected(302), gate.maxErrorRate]).toEqual([
      true,
      true,
      false,
      0.05,
    ]);
  });

  test('each strategy carries only its own options', async () => {
    const rollout = async (extra: Record<string, string>) => {
      const inputs = await read({ service: 'api', image: IMG, ...extra });
      return inputs.operation === 'deploy' ? inputs.rollout : undefined;
    };
    expect(await rollout({})).toEqual({ strategy: 'rolling' });
    expect(await rollout({ strategy: 'service' })).toEqual({ strategy: 'service' });
    expect(await rollout({ strategy: 'blue-green', 'bake-time': '10m' })).toEqual({
      strategy: 'blue-green',
      bakeTimeMinutes: 10,
    });
    expect(await rollout({ strategy: 'linear', 'linear-step-percent': '25' })).toEqual({
      strategy: 'linear',
      bakeTimeMinutes: undefined,
      linearStepPercent: 25,
    });
  });

  test('desired-count alone scales; maintenance switches the rule', async () => {
    expect(await read({ service: 'api', 'desired-count': '0' })).toMatchObject({
      operation: 'scale',
      desiredCount: 0,
    });
    expect(await read({ service: 'api', maintenance: 'off' })).toMatchObject({
      operation: 'maintenance',
      maintenance: 'off',
    });
    // Nothing asked for but the service: a deploy of the current task definition, as before.
    expect(await read({ service: 'api' })).toMatchObject({ operation: 'deploy', images: [] });
  });

  test('an image reference follows the suite grammar (a registry host may have capitals)', async () => {
    expect(await read({ service: 'api', image: 'Registry.Example.com/acme/api:1' })).toMatchObject({
      images: [{ image: 'Registry.Example.com/acme/api:1' }],
    });
  });
});

describe('refusals, one line naming the input', () => {
  test.each<[string, Record<string, string>, string]>([
    [
      'canary-percent with rolling',
      { 'canary-percent': '10%' },
      'Input "canary-percent": is only used with strategy: canary (strategy is rolling); remove it or set strategy: canary',
    ],
    [
      'linear-step-percent with canary',
      { strategy: 'canary', 'linear-step-percent': '10%' },
      'Input "linear-step-percent": is only used with strategy: linear (strategy is canary); remove it or set strategy: linear',
    ],
    [
      'bake-time with service',
      { strategy: 'service', 'bake-time': '5m' },
      'Input "bake-time": has no effect with strategy: service; use blue-green, canary or linear, or remove it',
    ],
    [
      'an expected status that is none',
      { 'health-path': '/h', 'health-expected-status': '600' },
      'Input "health-expected-status": "600" is not an HTTP status; write statuses like 200, 200,204 or 2xx',
    ],
    [
      'a health-url on the metadata address',
      { 'health-url': 'http://169.254.169.254/latest/meta-data' },
      'Input "health-url": points at 169.254.169.254',
    ],
    ['a timeout under 10 s', { timeout: '5s' }, 'Input "timeout": 5s is too short; use at least 10s'],
    [
      'no region anywhere',
      { region: '' },
      'Input "region": is empty and AWS_REGION is not set; set region, e.g. us-east-1, or configure credentials first',
    ],
  ])('%s', async (_, inputs, message) => {
    const env = environment({ service: 'api', ...inputs }, inputs.region !== '');
    let text = 'accepted';
    try {
      validate(await readInputs(manifest, env), env);
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text.startsWith(message) ? message : text).toBe(message);
    expect(text).not.toMatch(/\n/);
  });
});
