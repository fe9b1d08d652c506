import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '@deploy-actions/toolkit';
import { parseEcrHost, plan } from '../src/inputs';
import { manifest } from '../src/manifest';

const dockerConfig = mkdtempSync(join(tmpdir(), 'no-docker-config-'));
const saved = process.env.DOCKER_CONFIG;
beforeAll(() => {
  process.env.DOCKER_CONFIG = dockerConfig;
});
afterAll(() => {
  process.env.DOCKER_CONFIG = saved;
  rmSync(dockerConfig, { recursive: true, force: true });
});

async function planOf(inputs: Record<string, string>) {
  const env = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  return plan(await readInputs(manifest, { 'INPUT_GITHUB-TOKEN': 'ghs_x', ...env }), () => {});
}

test('plans destinations in one pass: registry, its auth and token scopes, repositories, tags', async () => {
  const steps = await planOf({
    source: 'ghcr.io/acme/staging:rc1',
    destinations: 'ghcr.io/acme/prod:1\nghcr.io/acme/prod:latest\n123456789012.dkr-ecr.eu-west-1.on.aws/api:1',
  });
  expect(steps.source).toEqual({
    kind: 'registry',
    ref: { registry: 'ghcr.io', repository: 'acme/staging', tag: 'rc1', digest: undefined },
  });
  const ghcr = steps.registries.get('ghcr.io')!;
  expect(ghcr.method).toBe('github');
  expect([...ghcr.scopes]).toEqual(['repository:acme/prod:pull,push', 'repository:acme/staging:pull']);
  expect([...ghcr.repositories]).toEqual([['acme/prod', ['1', 'latest']]]);
  const ecr = steps.registries.get('123456789012.dkr-ecr.eu-west-1.on.aws')!;
  expect(ecr).toMatchObject({ method: 'ecr', awsRegion: 'eu-west-1', awsAccount: '123456789012' });
  // A registry source is copied unchanged: no compression.
  expect(steps.compression).toEqual({ algorithm: 'none' });
});

test('detects ECR hosts, FIPS, China and dual-stack, and ECR Public', async () => {
  expect(parseEcrHost('123456789012.dkr.ecr.us-east-1.amazonaws.com')).toEqual({
    account: '123456789012',
    region: 'us-east-1',
  });
  expect(parseEcrHost('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')?.region).toBe('us-gov-west-1');
  expect(parseEcrHost('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')?.region).toBe('cn-north-1');
  expect(parseEcrHost('123456789012.dkr-ecr.ap-south-1.on.aws')).toEqual({
    account: '123456789012',
    region: 'ap-south-1',
  });
  expect(parseEcrHost('123456789012.dkr.ecr.us-east-1.on.aws')).toBeUndefined();
  expect(parseEcrHost('public.ecr.aws')).toBeUndefined();
  const steps = await planOf({ 'source-archive': dockerConfig, destinations: 'public.ecr.aws/acme/api:1' });
  expect(steps.registries.get('public.ecr.aws')).toMatchObject({
    method: 'ecr-public',
    methodReason: 'ECR Public host',
  });
});

test('credentials: one entry per line, split on the first = and the first : after it', async () => {
  const steps = await planOf({
    'source-archive': dockerConfig,
    destinations: 'registry.example.com/app:1\nquay.io/acme/app:1',
    credentials: 'registry.example.com=robot:pa,ss=wo:rd with spaces\nQuay.io=acme+ci:tok,en',
  });
  expect(steps.registries.get('registry.example.com')!.basic).toEqual({
    username: 'robot',
    password: 'pa,ss=wo:rd with spaces',
  });
  expect(steps.registries.get('quay.io')!.basic).toEqual({ username: 'acme+ci', password: 'tok,en' });
  expect(steps.compression).toEqual({ algorithm: 'gzip', level: undefined });
});

test('the same reference grammar as every action: hosts are case-insensitive', async () => {
  const steps = await planOf({ 'source-archive': dockerConfig, destinations: 'Registry.Example.com/app:1' });
  expect(steps.destinations[0]).toEqual({
    registry: 'registry.example.com',
    repository: 'app',
    tag: '1',
    digest: undefined,
  });
});
