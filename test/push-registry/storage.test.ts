import { rmSync } from 'node:fs';
import { FaultProxy } from '@deploy-actions/emulators/fault-proxy';
import { RegistryAuthServer } from '@deploy-actions/emulators/registry-auth';
import { StorageRegistry } from '@deploy-actions/emulators/registry-storage';
import { runAction } from '@deploy-actions/harness';
import { basicHeader, type LocalRegistry, makeLayout, startRegistry, unique, verifyPulled } from './fixtures';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

/** docker-registry ← storage-backed proxy (redirects, absolute upload Locations) ← Bearer auth on a separate realm. */
async function storageRegistry(options: { uploadsOnStorage?: boolean } = {}) {
  const plain: LocalRegistry = await startRegistry();
  const storage = new StorageRegistry({ upstream: plain.host, ...options });
  await storage.listen();
  const auth = new RegistryAuthServer({ upstream: storage.host, users: { ci: 'storage-pw-42' }, realm: 'separate' });
  await auth.listen();
  cleanup.push(async () => {
    await auth.close();
    await storage.close();
    await plain.stop();
  });
  return { plain, storage, auth };
}

test.each([
  ['upload Locations on the registry', false],
  ['upload Locations on the storage host', true],
])(
  'pushes to a storage-backed registry with %s: redirects followed, no Authorization to storage, Location queries kept, realm on another origin',
  async (_, uploadsOnStorage) => {
    const repo = unique('storage');
    const { plain, storage, auth } = await storageRegistry({ uploadsOnStorage });
    const layout = makeLayout({ layerSizes: [2000, 60_000, 9 * 1024 * 1024] });
    cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
    const inputs = {
      'source-archive': layout.dir,
      destinations: `${auth.host}/${repo}:1`,
      credentials: `${auth.host}=ci:storage-pw-42`,
    };
    const first = await runAction('push-registry', { inputs, secrets: ['storage-pw-42'] });
    expect(first.errors).toEqual([]);
    expect(first.outputs.digest).toBe(layout.digest);
    expect(storage.refusedWithoutSession).toBe(0);
    expect(storage.refusedWithAuthorization).toBe(0);
    if (uploadsOnStorage) expect(storage.served).toBeGreaterThan(0);
    expect((await verifyPulled(plain.host, repo, layout.digest)).sort()).toEqual(layout.blobDigests.sort());

    // A new tag: every blob HEAD is redirected to storage, answered there without credentials.
    const served = storage.served;
    const again = await runAction('push-registry', {
      inputs: { ...inputs, destinations: `${auth.host}/${repo}:2` },
      secrets: ['storage-pw-42'],
    });
    expect(again.errors).toEqual([]);
    expect(again.log).toMatch(/0 pushed, 0 mounted, 4 already there, 0 B/);
    expect(storage.served - served).toBe(4);
    expect(storage.refusedWithAuthorization).toBe(0);

    // Registry to registry: blob GETs are redirected to storage and fetched there without credentials.
    const other = await startRegistry({ basic: { username: 'bob', password: 'bob-pw-9' } });
    cleanup.push(() => other.stop());
    const copy = await runAction('push-registry', {
      inputs: {
        source: `${auth.host}/${repo}:1`,
        destinations: `${other.host}/${repo}:copied`,
        credentials: `${auth.host}=ci:storage-pw-42\n${other.host}=bob:bob-pw-9`,
      },
      secrets: ['storage-pw-42', 'bob-pw-9'],
    });
    expect(copy.errors).toEqual([]);
    expect(copy.outputs.digest).toBe(layout.digest);
    expect(storage.refusedWithAuthorization).toBe(0);
    await verifyPulled(other.host, repo, layout.digest, basicHeader('bob', 'bob-pw-9'));
    // The realm is on its own origin: every token came from there.
    expect(auth.tokensIssued).toBeGreaterThan(0);
    expect(auth.realm).not.toContain(auth.host);
  },
);

test('a realm on plain http to a non-loopback host gets no credentials: refused naming the registry and the realm', async () => {
  const plain = await startRegistry();
  const auth = new RegistryAuthServer({
    upstream: plain.host,
    users: { ci: 'realm-pw-5' },
    realm: 'http://auth.registry.example/token',
  });
  await auth.listen();
  cleanup.push(async () => {
    await auth.close();
    await plain.stop();
  });
  const layout = makeLayout({ layerSizes: [100] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const run = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      destinations: `${auth.host}/app:1`,
      credentials: `${auth.host}=ci:realm-pw-5`,
    },
    secrets: ['realm-pw-5'],
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain(
    `${auth.host} sends its token requests to http://auth.registry.example/token, which is neither https nor loopback`,
  );
  expect(auth.tokensIssued).toBe(0);
});

test('an overall timeout ends the step promptly even while a request waits out a long Retry-After', async () => {
  const plain = await startRegistry();
  const proxy = new FaultProxy(plain.host);
  await proxy.listen();
  cleanup.push(async () => {
    await proxy.close();
    await plain.stop();
  });
  proxy.inject({ method: 'HEAD', path: /\/blobs\//, status: 429, headers: { 'retry-after': '600' }, times: Infinity });
  const layout = makeLayout({ layerSizes: [100] });
  cleanup.push(() => rmSync(layout.dir, { recursive: true, force: true }));
  const run = await runAction('push-registry', {
    inputs: { 'source-archive': layout.dir, destinations: `${proxy.host}/app:1`, timeout: '10s' },
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(/ran past its timeout of 10s/);
  // Well short of the 600 s the registry asked to wait: nothing kept the process alive.
  expect(run.durationMs).toBeLessThan(60_000);
});
