import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcrPublicEmulator } from '@deploy-actions/emulators/ecr-public';
import { FaultProxy } from '@deploy-actions/emulators/fault-proxy';
import { RegistryAuthServer } from '@deploy-actions/emulators/registry-auth';
import { runAction } from '@deploy-actions/harness';
import {
  basicHeader,
  dockerEnv,
  engineImage,
  type LocalRegistry,
  makeLayout,
  removeEngineImage,
  startRegistry,
  unique,
  verifyPulled,
} from './fixtures';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** Every form a credential could leak in: raw, URL-encoded, JSON-escaped, HTML-escaped, base64 of user:password. */
function forms(username: string, secret: string): string[] {
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return [
    secret,
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    html,
    Buffer.from(`${username}:${secret}`).toString('base64'),
  ];
}

function expectNoForm(
  run: { log: string; summary: string; errors: string[]; outputs: Record<string, string> },
  secrets: string[],
) {
  const places = {
    log: run.log,
    summary: run.summary,
    errors: run.errors.join('\n'),
    outputs: JSON.stringify(run.outputs),
  };
  for (const secret of secrets)
    for (const [where, text] of Object.entries(places))
      expect(`${where}: ${text.includes(secret) ? secret : 'clean'}`).toBe(`${where}: clean`);
}

test('passwords with commas, =, :, spaces and HTML characters work, and nothing a registry echoes shows any credential form', async () => {
  const PASSWORD = 'p,a=s:s w<o>r&d"1';
  const registry = await startRegistry();
  const auth = new RegistryAuthServer({
    upstream: registry.host,
    users: { 'echo-user': PASSWORD },
    echoCredentials: true,
  });
  await auth.listen();
  // In front: a proxy that refuses manifest PUTs quoting the request's Authorization (the issued token).
  const echo = new FaultProxy(auth.host);
  await echo.listen();
  cleanup.push(async () => {
    await echo.close();
    await auth.close();
    await registry.stop();
  });
  const layout = makeLayout({ layerSizes: [500, 5000] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const ok = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${auth.host}/echo:1`,
      credentials: `${auth.host}=echo-user:${PASSWORD}`,
    },
    secrets: [PASSWORD],
  });
  expect(ok.errors).toEqual([]);
  expect(ok.outputs.digest).toBe(layout.digest);

  echo.inject({ method: 'PUT', path: /\/manifests\//, status: 400, echo: true, times: Number.POSITIVE_INFINITY });
  // The proxy forwards the Host header, so the challenge's realm (the auth server) is reached directly.
  const failed = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${echo.host}/echo:2`,
      credentials: `${echo.host}=echo-user:${PASSWORD}`,
      retries: 0,
    },
    secrets: [PASSWORD],
  });
  expect(failed.exitCode).toBe(1);
  expect(failed.errors).toHaveLength(1);
  expect(failed.errors[0]).toMatch(/answered 400: DENIED injected fault: request had authorization "Bearer \*\*\*"/);
  expect(auth.issued.length).toBeGreaterThan(0);
  expectNoForm(failed, [...forms('echo-user', PASSWORD), ...auth.issued, ...auth.issued.map((t) => `Bearer ${t}`)]);

  // Wrong password: the token service quotes it back; it never shows.
  const WRONG = 'wrong,pass=word:9';
  const refused = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${auth.host}/echo:3`,
      credentials: `${auth.host}=echo-user:${WRONG}`,
      retries: 0,
    },
    secrets: [WRONG],
  });
  expect(refused.exitCode).toBe(1);
  expect(refused.errors[0]).toMatch(/refused the credentials/);
  expectNoForm(refused, forms('echo-user', WRONG));
});

test('uses the logins in the Docker config (auths, and a credential helper on PATH) after explicit inputs', async () => {
  const basic = await startRegistry({ basic: { username: 'cfg-user', password: 'cfg-pw-31' } });
  const helped = await startRegistry({ basic: { username: 'helper-user', password: 'helper-pw-77' } });
  cleanup.push(() => Promise.all([basic.stop(), helped.stop()]));
  const dockerConfig = temp('docker-config-');
  const bin = temp('bin-');
  const helperName = unique('h3test').replace(/-/g, '');
  writeFileSync(
    join(bin, `docker-credential-${helperName}`),
    `#!/bin/sh\nread server\nif [ "$server" = "${helped.host}" ]; then echo '{"ServerURL":"${helped.host}","Username":"helper-user","Secret":"helper-pw-77"}'; else echo "credentials not found in native keychain"; exit 1; fi\n`,
  );
  chmodSync(join(bin, `docker-credential-${helperName}`), 0o755);
  writeFileSync(
    join(dockerConfig, 'config.json'),
    JSON.stringify({
      auths: { [basic.host]: { auth: Buffer.from('cfg-user:cfg-pw-31').toString('base64') } },
      credHelpers: { [helped.host]: helperName },
    }),
  );
  const layout = makeLayout({ layerSizes: [700, 7000] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const run = await runAction('push-registry', {
    inputs: { 'source-archive': layout.dir, destinations: `${basic.host}/cfg:1\n${helped.host}/cfg:1` },
    env: { DOCKER_CONFIG: dockerConfig, PATH: `${bin}:${process.env.PATH}` },
    secrets: ['cfg-pw-31', 'helper-pw-77'],
  });
  expect(run.errors).toEqual([]);
  expect(run.log).toContain(`${basic.host}: HTTP, auth docker-config (${join(dockerConfig, 'config.json')} auths)`);
  expect(run.log).toContain(
    `auth docker-config (${join(dockerConfig, 'config.json')} credHelpers: docker-credential-${helperName})`,
  );
  await verifyPulled(basic.host, 'cfg', layout.digest, basicHeader('cfg-user', 'cfg-pw-31'));
  await verifyPulled(helped.host, 'cfg', layout.digest, basicHeader('helper-user', 'helper-pw-77'));

  // An explicit credentials line wins over the config (here a wrong one, so it shows).
  const explicit = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${basic.host}/cfg:2`,
      credentials: `${basic.host}=cfg-user:not-the-pw`,
      retries: 0,
    },
    env: { DOCKER_CONFIG: dockerConfig },
    secrets: ['not-the-pw'],
  });
  expect(explicit.log).toContain('auth basic (credentials input)');
  expect(explicit.exitCode).toBe(1);

  // A config that is not JSON is one clear error.
  writeFileSync(join(dockerConfig, 'config.json'), '{ not json');
  const broken = await runAction('push-registry', {
    inputs: { 'source-archive': layout.dir, destinations: `${basic.host}/cfg:3` },
    env: { DOCKER_CONFIG: dockerConfig },
  });
  expect(broken.errors).toEqual([expect.stringMatching(/config\.json is not valid JSON; fix or remove it/)]);
});

test('login: true leaves a Docker config for later steps: docker pull of the private image works with it; the post step removes it', async () => {
  const registry: LocalRegistry = await startRegistry({ basic: { username: 'pull-user', password: 'pull-pw-63' } });
  cleanup.push(() => registry.stop());
  const repo = unique('login');
  const image = engineImage(`local/${repo}:1`, 20_000);
  cleanup.push(() => removeEngineImage(image));
  const original = temp('docker-home-');
  mkdirSync(join(original, 'cli-plugins'));
  writeFileSync(join(original, 'config.json'), JSON.stringify({ auths: { 'other.example': { auth: 'eDp5' } } }));
  const run = await runAction('push-registry', {
    inputs: {
      source: `docker://${image}`,
      destinations: `${registry.host}/${repo}:1`,
      credentials: `${registry.host}=pull-user:pull-pw-63`,
      login: true,
    },
    env: { DOCKER_CONFIG: original },
    secrets: ['pull-pw-63'],
  });
  expect(run.errors).toEqual([]);
  const dir = run.env.DOCKER_CONFIG;
  expect(dir).toMatch(/push-registry-docker-config-/);
  expect(run.summary).toContain('DOCKER_CONFIG exported');
  // The post step already ran in the harness and removed it; recreate the check from what main wrote.
  expect(run.post?.log).toContain(`Removed ${dir}`);
  expect(existsSync(dir)).toBe(false);

  // Run main only (no post) to use the config like a later step would.
  const kept = await runAction('push-registry', {
    inputs: {
      source: `docker://${image}`,
      destinations: `${registry.host}/${repo}:2`,
      credentials: `${registry.host}=pull-user:pull-pw-63`,
      login: true,
    },
    env: { DOCKER_CONFIG: original },
    secrets: ['pull-pw-63'],
    post: false,
  });
  const config = JSON.parse(readFileSync(join(kept.env.DOCKER_CONFIG, 'config.json'), 'utf8'));
  expect(Object.keys(config.auths).sort()).toEqual(['other.example', registry.host].sort());
  expect(existsSync(join(kept.env.DOCKER_CONFIG, 'cli-plugins'))).toBe(true);
  cleanup.push(() => rmSync(kept.env.DOCKER_CONFIG, { recursive: true, force: true }));
  const pulled = `${registry.host}/${repo}:2`;
  cleanup.push(() => removeEngineImage(pulled));
  execFileSync('/usr/bin/docker', ['pull', pulled], {
    env: { ...dockerEnv(), DOCKER_CONFIG: kept.env.DOCKER_CONFIG },
    stdio: 'pipe',
  });
  // Without it, the registry refuses.
  removeEngineImage(pulled);
  expect(() =>
    execFileSync('/usr/bin/docker', ['pull', pulled], {
      env: { ...dockerEnv(), DOCKER_CONFIG: original },
      stdio: 'pipe',
    }),
  ).toThrow(/no basic auth credentials|unauthorized/);
});

test('authenticates to ECR Public with GetAuthorizationToken from @aws-sdk/client-ecr-public (emulated, us-east-1)', async () => {
  const PASSWORD = 'ecr-public-password-4c1d';
  const registry = await startRegistry({ basic: { username: 'AWS', password: PASSWORD } });
  const ecrPublic = new EcrPublicEmulator({ password: PASSWORD, accessKeyId: 'AKIAPUBLICKEY1234567' });
  await ecrPublic.listen();
  cleanup.push(async () => {
    await ecrPublic.close();
    await registry.stop();
  });
  const layout = makeLayout({ layerSizes: [900, 9000] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const run = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${registry.host}/pub/app:1`,
      'registry-auth': `${registry.host}=ecr-public`,
      'aws-region': 'eu-west-1',
    },
    env: {
      AWS_ENDPOINT_URL_ECR_PUBLIC: ecrPublic.url,
      AWS_ACCESS_KEY_ID: 'AKIAPUBLICKEY1234567',
      AWS_SECRET_ACCESS_KEY: 'secret-access-key-public',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    secrets: [PASSWORD, 'secret-access-key-public'],
  });
  expect(run.errors).toEqual([]);
  expect(ecrPublic.calls).toBe(1);
  await verifyPulled(registry.host, 'pub/app', run.outputs.digest, basicHeader('AWS', PASSWORD));
});
