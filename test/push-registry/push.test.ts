import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcrEmulator } from '@deploy-actions/emulators/ecr';
import { RegistryAuthServer } from '@deploy-actions/emulators/registry-auth';
import { readServices, runAction } from '@deploy-actions/harness';
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

const local = readServices().registry;
const PASSWORD = 'basic-pw-Zq81';
let basic: LocalRegistry;
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  basic = await startRegistry({ basic: { username: 'alice', password: PASSWORD } });
});
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await basic.stop();
});

const aliceAuth = () => basicHeader('alice', PASSWORD);

test('pushes an engine image to two registries in one step, verified by pulling back; the unchanged re-push skips everything', async () => {
  const repo = unique('engine');
  const image = engineImage(`local/${repo}:1`);
  cleanup.push(() => removeEngineImage(image));
  const inputs = {
    source: `docker://${image}`,
    destinations: `${local}/${repo}:v1\n${local}/${repo}:latest\n${basic.host}/team/${repo}:v1`,
    credentials: `${basic.host}=alice:${PASSWORD}`,
  };
  const first = await runAction('push-registry', { inputs, secrets: [PASSWORD] });
  expect(first.errors).toEqual([]);
  expect(first.exitCode).toBe(0);
  const digest = first.outputs.digest;
  expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  expect(first.outputs.refs.split('\n')).toEqual([
    `${local}/${repo}@${digest}`,
    `${basic.host}/team/${repo}@${digest}`,
  ]);
  const blobs = await verifyPulled(local, repo, digest);
  expect(blobs).toHaveLength(2);
  expect(await verifyPulled(basic.host, `team/${repo}`, digest, aliceAuth())).toEqual(blobs);
  // Both tags point at the digest.
  for (const tag of ['v1', 'latest']) {
    const res = await fetch(`http://${local}/v2/${repo}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(res.headers.get('docker-content-digest')).toBe(digest);
  }
  expect(first.summary).toContain(`${basic.host}/team/${repo}:v1`);
  expect(first.summary).toMatch(/<td>2<\/td><td>0<\/td><td>0<\/td>/); // 2 pushed, 0 mounted, 0 skipped
  // The post step removed the exported archive.
  expect(first.post?.exitCode).toBe(0);
  expect(first.post?.log).toMatch(/Removed .*push-registry-/);
  const runnerTemp = /Removed (.*)\/push-registry-/.exec(first.post!.log)![1];
  expect(readdirSync(runnerTemp).filter((f) => f.startsWith('push-registry-'))).toEqual([]);

  const again = await runAction('push-registry', { inputs, secrets: [PASSWORD] });
  expect(again.exitCode).toBe(0);
  expect(again.outputs.digest).toBe(digest);
  expect(again.log).toContain('nothing to export or upload');
  expect(again.log).not.toContain('pushed sha256');
  expect(again.summary).toContain('Every destination already had this image');
});

test('pushes a docker save archive and an OCI layout tar (build-image output); an unchanged archive re-push skips every blob and manifest', async () => {
  const repo = unique('archive');
  const image = engineImage(`local/${repo}:2`);
  cleanup.push(() => removeEngineImage(image));
  const dir = mkdtempSync(join(tmpdir(), 'archives-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const saved = join(dir, 'image.tar');
  execFileSync('/usr/bin/docker', ['save', '-o', saved, image], { env: dockerEnv() });

  const fromSave = await runAction('push-registry', {
    inputs: { 'source-archive': saved, destinations: `${local}/${repo}:saved` },
  });
  expect(fromSave.exitCode).toBe(0);
  await verifyPulled(local, repo, fromSave.outputs.digest);

  const again = await runAction('push-registry', {
    inputs: { 'source-archive': saved, destinations: `${local}/${repo}:saved` },
  });
  expect(again.exitCode).toBe(0);
  expect(again.outputs.digest).toBe(fromSave.outputs.digest);
  expect(again.log).toMatch(/0 pushed, 0 mounted, 2 already there, 0 B/);
  expect(again.summary).toContain('0 put, 1 unchanged');

  const layout = makeLayout({ layerSizes: [1000, 50_000, 120_000], name: 'v3' });
  const layoutTar = join(dir, 'layout.tar');
  execFileSync('tar', ['-C', layout.dir, '-cf', layoutTar, '.']);
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const fromLayout = await runAction('push-registry', {
    inputs: { 'source-archive': layoutTar, source: 'v3', destinations: `${local}/${repo}:layout` },
  });
  expect(fromLayout.exitCode).toBe(0);
  expect(fromLayout.outputs.digest).toBe(layout.digest);
  expect((await verifyPulled(local, repo, layout.digest)).sort()).toEqual(layout.blobDigests.sort());
});

test('copies a multi-platform index registry to registry unchanged: to a Bearer-token registry (GAR-style) and a Basic one, mounting across repositories', async () => {
  const repo = unique('multi');
  const layout = makeLayout({ platforms: ['linux/amd64', 'linux/arm64'], layerSizes: [4096, 200_000] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const seed = await runAction('push-registry', {
    inputs: { 'source-archive': layout.dir, destinations: `${local}/${repo}:1.0` },
  });
  expect(seed.exitCode).toBe(0);
  expect(seed.outputs.digest).toBe(layout.digest);

  const plain = await startRegistry();
  const TOKEN = 'ya29.google-access-token-for-test';
  const gar = new RegistryAuthServer({
    upstream: plain.host,
    users: { oauth2accesstoken: TOKEN },
    tokenField: 'access_token',
  });
  await gar.listen();
  // The token service fails once: fetching a token is retried like any request.
  gar.proxy.inject({ path: /^\/token$/, status: 503 });
  cleanup.push(async () => {
    await gar.close();
    await plain.stop();
  });

  const copy = await runAction('push-registry', {
    inputs: {
      source: `${local}/${repo}:1.0`,
      destinations: [
        `${gar.host}/proj/images/${repo}:1.0`,
        `${gar.host}/proj/mirror/${repo}:1.0`,
        `${basic.host}/${repo}:1.0`,
      ].join('\n'),
      'registry-auth': `${gar.host}=google`,
      'google-access-token': TOKEN,
      credentials: `${basic.host}=alice:${PASSWORD}`,
    },
    secrets: [TOKEN, PASSWORD],
  });
  expect(copy.errors).toEqual([]);
  expect(copy.exitCode).toBe(0);
  expect(copy.outputs.digest).toBe(layout.digest);
  expect(copy.summary).toContain('linux/amd64, linux/arm64');
  // Every platform manifest, blob and the index itself, byte for byte.
  const expected = (await verifyPulled(local, repo, layout.digest)).sort();
  expect((await verifyPulled(basic.host, repo, layout.digest, aliceAuth())).sort()).toEqual(expected);
  const bearer = await fetch(
    `http://${gar.host}/token?scope=repository:proj/mirror/${repo}:pull&scope=repository:proj/images/${repo}:pull`,
    {
      headers: { authorization: basicHeader('oauth2accesstoken', TOKEN) },
    },
  ).then((r) => r.json() as Promise<{ access_token: string }>);
  for (const path of [`proj/images/${repo}`, `proj/mirror/${repo}`])
    expect((await verifyPulled(gar.host, path, layout.digest, `Bearer ${bearer.access_token}`)).sort()).toEqual(
      expected,
    );
  // The second repository of the token registry mounted what the first uploaded (or the other way round).
  expect(copy.log).toMatch(new RegExp(`${gar.host}/proj/(images|mirror)/${repo}: mounted`));
  expect(gar.proxy.count('POST', /\/blobs\/uploads\/$/)).toBeGreaterThan(0);
  expect(gar.proxy.pendingFaults()).toBe(0);
  expect(copy.log).toMatch(/token request answered 503; retry 1/);
  expect(gar.tokensIssued).toBeGreaterThanOrEqual(1);
  expect(gar.tokensIssued).toBeLessThanOrEqual(3);
  // Tokens asked for push on both destination repositories.
  expect(gar.tokenRequests.flat()).toEqual(
    expect.arrayContaining([`repository:proj/images/${repo}:pull,push`, `repository:proj/mirror/${repo}:pull,push`]),
  );
});

test('promotes within one registry by mounting from the source repository, and authenticates to GHCR-style registries with github-token', async () => {
  const plain = await startRegistry();
  const GH_TOKEN = 'ghs_testtokenvalue1234567890';
  const ghcr = new RegistryAuthServer({ upstream: plain.host, users: { octocat: GH_TOKEN }, tokenField: 'token' });
  await ghcr.listen();
  cleanup.push(async () => {
    await ghcr.close();
    await plain.stop();
  });
  const layout = makeLayout({ layerSizes: [3000, 90_000] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const common = { 'registry-auth': `${ghcr.host}=github`, 'github-token': GH_TOKEN };
  const staged = await runAction('push-registry', {
    inputs: { ...common, 'source-archive': layout.dir, destinations: `${ghcr.host}/acme/staging:rc1` },
    secrets: [GH_TOKEN],
  });
  expect(staged.exitCode).toBe(0);
  const promoted = await runAction('push-registry', {
    inputs: {
      ...common,
      source: `${ghcr.host}/acme/staging:rc1`,
      destinations: `${ghcr.host}/acme/prod:1.0\n${ghcr.host}/acme/prod:latest`,
    },
    secrets: [GH_TOKEN],
  });
  expect(promoted.errors).toEqual([]);
  expect(promoted.outputs.digest).toBe(layout.digest);
  expect(promoted.log).toMatch(/0 pushed, 3 mounted, 0 already there, 0 B/);
  // Nothing was downloaded: mounts only.
  expect(ghcr.proxy.count('GET', /\/blobs\/sha256:/)).toBe(0);
  expect(ghcr.tokenRequests.flat()).toEqual(expect.arrayContaining(['repository:acme/staging:pull']));
});

test('authenticates to an ECR registry with a GetAuthorizationToken token from the AWS SDK (emulated endpoint)', async () => {
  const repo = unique('ecr');
  const ECR_PASSWORD = 'ecr-password-from-token-9f3a';
  const ecrRegistry = await startRegistry({ basic: { username: 'AWS', password: ECR_PASSWORD } });
  const ecr = new EcrEmulator({ password: ECR_PASSWORD, accessKeyId: 'AKIAEXAMPLEKEY123456' });
  await ecr.listen();
  cleanup.push(async () => {
    await ecr.close();
    await ecrRegistry.stop();
  });
  const layout = makeLayout({ layerSizes: [1000, 10_000] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const run = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${ecrRegistry.host}/${repo}:1`,
      'registry-auth': `${ecrRegistry.host}=ecr`,
      'aws-region': 'eu-west-3',
    },
    env: {
      AWS_ENDPOINT_URL_ECR: ecr.url,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY123456',
      AWS_SECRET_ACCESS_KEY: 'secret-access-key-for-tests',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    secrets: [ECR_PASSWORD, 'secret-access-key-for-tests'],
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(ecr.regions).toEqual(['eu-west-3']);
  await verifyPulled(ecrRegistry.host, repo, run.outputs.digest, basicHeader('AWS', ECR_PASSWORD));
  expect(existsSync(layout.dir)).toBe(true);
});

test('renews Bearer tokens that stop being accepted during a push (the registry says when, not the clock)', async () => {
  const repo = unique('renew');
  const plain = await startRegistry();
  // Each token is good for 3 registry requests; after that the registry refuses it like an expired one.
  const auth = new RegistryAuthServer({ upstream: plain.host, users: { ci: 'ci-pass-5521' }, tokenUses: 3 });
  await auth.listen();
  cleanup.push(async () => {
    await auth.close();
    await plain.stop();
  });
  const layout = makeLayout({ layerSizes: [1000, 30_000, 40_000, 50_000] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const run = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${auth.host}/${repo}:1`,
      credentials: `${auth.host}=ci:ci-pass-5521`,
      concurrency: 1,
    },
    secrets: ['ci-pass-5521'],
  });
  expect(run.errors).toEqual([]);
  expect(run.outputs.digest).toBe(layout.digest);
  expect(auth.usedUp).toBeGreaterThan(0);
  // The first token was used up, so at least one more was fetched, and the push still succeeded.
  expect(auth.tokensIssued).toBeGreaterThan(1);
  // Pulled from the registry behind the token proxy (a test token would be used up too).
  expect((await verifyPulled(plain.host, repo, layout.digest)).sort()).toEqual(layout.blobDigests.sort());
});
