import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FaultProxy } from '@deploy-actions/emulators/fault-proxy';
import { readServices, runAction } from '@deploy-actions/harness';
import { basicHeader, type LocalRegistry, makeLayout, startRegistry, unique, verifyPulled } from './fixtures';

const local = readServices().registry;
let proxy: FaultProxy;
let other: LocalRegistry;
const MiB = 1024 * 1024;

beforeAll(async () => {
  proxy = new FaultProxy(local);
  await proxy.listen();
  other = await startRegistry({ basic: { username: 'bob', password: 'bob-pw-771' } });
});
afterAll(async () => {
  await proxy.close();
  await other.stop();
});
afterEach(() => proxy.clearFaults());

test('survives 503s, 429 with Retry-After, and connection resets in the middle of blob uploads and downloads', async () => {
  const repo = unique('faults');
  // One layer above the monolithic limit (streamed PATCH), the others monolithic PUTs.
  const layout = makeLayout({ layerSizes: [2048, 9 * MiB, 300_000] });
  proxy
    .inject({ method: 'HEAD', path: /\/blobs\/sha256:/, status: 429, headers: { 'retry-after': '1' } })
    .inject({ method: 'POST', path: /\/blobs\/uploads\/$/, status: 503 })
    .inject({ method: 'PATCH', path: /\/blobs\/uploads\//, reset: 'request-body', afterBytes: 3 * MiB })
    .inject({ method: 'PUT', path: /\/blobs\/uploads\//, reset: 'request-body', afterBytes: 100_000 })
    .inject({ method: 'PUT', path: /\/manifests\//, status: 502 })
    .inject({ method: 'GET', path: /^\/v2\/$/, reset: 'before-response' });
  const push = await runAction('push-registry', {
    inputs: { 'source-archive': layout.dir, destinations: `${proxy.host}/${repo}:1` },
  });
  expect(push.errors).toEqual([]);
  expect(push.exitCode).toBe(0);
  expect(proxy.pendingFaults()).toBe(0);
  expect(push.log).toMatch(/answered 429.*retry 1 in 1\.\d+s/);
  expect(push.log).toMatch(/ECONNRESET|socket hang up|EPIPE/);
  // Pulled straight from the registry behind the proxy: every byte arrived intact.
  expect((await verifyPulled(local, repo, layout.digest)).sort()).toEqual(layout.blobDigests.sort());

  // Registry-to-registry copy through the proxy: a download cut halfway is fetched again.
  const big = readdirSync(join(layout.dir, 'blobs', 'sha256')).find(
    (f) => statSync(join(layout.dir, 'blobs', 'sha256', f)).size === 9 * MiB,
  )!;
  proxy
    .inject({ method: 'GET', path: new RegExp(`/blobs/sha256:${big}$`), reset: 'response-body', afterBytes: 2 * MiB })
    .inject({ method: 'GET', path: /\/manifests\//, status: 503 });
  // Blobs handed out by redirect, as GHCR, Docker Hub, GAR and ECR do (here straight to the registry behind).
  const small = layout.blobDigests.find((d) => d.slice(7) !== big)!;
  proxy.inject({
    method: 'GET',
    path: new RegExp(`/blobs/${small}$`),
    status: 307,
    headers: { location: `http://${local}/v2/${repo}/blobs/${small}` },
  });
  const copy = await runAction('push-registry', {
    inputs: {
      source: `${proxy.host}/${repo}:1`,
      destinations: `${other.host}/${repo}:copied`,
      credentials: `${other.host}=bob:bob-pw-771`,
    },
    secrets: ['bob-pw-771'],
  });
  expect(copy.errors).toEqual([]);
  expect(copy.outputs.digest).toBe(layout.digest);
  expect(proxy.pendingFaults()).toBe(0);
  expect(copy.log).toMatch(/download .* broke off/);
  await verifyPulled(other.host, repo, layout.digest, basicHeader('bob', 'bob-pw-771'));
  rmSync(layout.dir, { recursive: true, force: true });
});

test('when the retry budget is spent, the error names the destination and the blob; other destinations still get the image', async () => {
  const repo = unique('budget');
  const layout = makeLayout({ layerSizes: [1024, 64_000] });
  proxy.inject({ method: 'POST', path: /\/blobs\/uploads\/$/, status: 503, times: Number.POSITIVE_INFINITY });
  const posts = proxy.count('POST', /\/blobs\/uploads\/$/);
  const run = await runAction('push-registry', {
    inputs: {
      'source-archive': layout.dir,
      // Another repository for the direct destination: the proxy fronts the same registry, and a blob the
      // direct one uploaded first would otherwise be found there by HEAD, racing the count below.
      destinations: `${proxy.host}/${repo}:1\n${local}/${repo}-direct:1`,
      retries: 1,
    },
  });
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(
    new RegExp(
      `1 of 2 destinations failed: ${proxy.host.replace(/\./g, '\\.')}/${repo}: blob sha256:[0-9a-f]{12} \\([^)]+\\): .*answered 503`,
    ),
  );
  expect(run.outputs.refs).toBe(`${local}/${repo}-direct@${layout.digest}`);
  expect(run.summary).toContain('failed:');
  // Two tries per blob request (retries: 1), then it gave up.
  expect(proxy.count('POST', /\/blobs\/uploads\/$/) - posts).toBe(2 * layout.blobDigests.length);
  await verifyPulled(local, `${repo}-direct`, layout.digest);
  rmSync(layout.dir, { recursive: true, force: true });
});
