import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerConfigError, dockerLogin, readDockerConfig, writeDockerConfig } from '../src/docker-config';

const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'docker-config-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const b64 = (text: string) => Buffer.from(text).toString('base64');

test('finds a login as the docker CLI does: credHelpers, then auths (any key form), then credsStore', () => {
  const config = {
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hub-user:hub:pw') },
      'https://Registry.Example.com': { username: 'u', password: 'p' },
      'ghcr.io': {},
    },
    credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login', 'plain.example': '' },
    credsStore: 'pass',
  };
  expect(dockerLogin(config, 'docker.io')).toEqual({
    kind: 'auth',
    key: 'https://index.docker.io/v1/',
    credentials: { username: 'hub-user', password: 'hub:pw' },
  });
  expect(dockerLogin(config, 'registry.example.com')).toMatchObject({ kind: 'auth', credentials: { username: 'u' } });
  expect(dockerLogin(config, '123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
    kind: 'helper',
    helper: 'ecr-login',
    from: 'credHelpers',
  });
  // An empty auths entry means the store holds it; an empty credHelpers entry means "the file, not the store".
  expect(dockerLogin(config, 'ghcr.io')).toEqual({ kind: 'helper', helper: 'pass', from: 'credsStore' });
  expect(dockerLogin(config, 'plain.example')).toBeUndefined();
  expect(dockerLogin(undefined, 'ghcr.io')).toBeUndefined();
});

test('reads DOCKER_CONFIG/config.json; a missing file is no login, a broken one an error', () => {
  const dir = temp();
  expect(readDockerConfig(dir)).toBeUndefined();
  writeFileSync(join(dir, 'config.json'), '{ nope');
  expect(() => readDockerConfig(dir)).toThrow(DockerConfigError);
});

test('writes a config for later steps: the logins win over the store for those registries, the rest is kept, plugins linked', () => {
  const original = temp();
  mkdirSync(join(original, 'cli-plugins'));
  mkdirSync(join(original, 'buildx'));
  const config = {
    auths: { 'other.example': { auth: b64('o:p') }, 'https://ghcr.io': { auth: b64('old:old') } },
    credHelpers: { 'gcr.io': 'gcloud' },
    credsStore: 'secretservice',
    experimental: 'enabled',
  };
  const dir = join(temp(), 'out');
  const file = writeDockerConfig(dir, new Map([['ghcr.io', { username: 'bot', password: 'ghs_x' }]]), {
    dir: original,
    config,
  });
  const written = JSON.parse(readFileSync(file, 'utf8'));
  expect(written.auths).toEqual({ 'other.example': { auth: b64('o:p') }, 'ghcr.io': { auth: b64('bot:ghs_x') } });
  expect(written.credHelpers).toEqual({ 'gcr.io': 'gcloud', 'ghcr.io': '' });
  expect(written.credsStore).toBe('secretservice');
  expect(written.experimental).toBe('enabled');
  expect(dockerLogin(written, 'ghcr.io')).toEqual({
    kind: 'auth',
    key: 'ghcr.io',
    credentials: { username: 'bot', password: 'ghs_x' },
  });
  expect(readFileSync(join(dir, 'cli-plugins', '..', 'config.json'), 'utf8')).toContain('ghcr.io');
  expect(() => readFileSync(join(dir, 'buildx'))).toThrow(/EISDIR/);
});
