import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FaultProxy } from '@deploy-actions/emulators/fault-proxy';
import { bundleNode, readServices, runAction } from '@deploy-actions/harness';
import { engineImage, type LocalRegistry, removeEngineImage, startRegistry, unique, verifyPulled } from './fixtures';

const local = readServices().registry;
let second: LocalRegistry;
let third: LocalRegistry;
const cleanup: (() => unknown)[] = [];
beforeAll(async () => {
  [second, third] = await Promise.all([startRegistry(), startRegistry()]);
});
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await Promise.all([second.stop(), third.stop()]);
});

async function manifestOf(host: string, repository: string, reference: string) {
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  return (await res.json()) as {
    config: { digest: string };
    layers: { mediaType: string; digest: string; size: number }[];
  };
}

test('engine layers go up gzip-compressed, once for three registries, reproducibly; a new tag of an image already pushed sends no layer bytes', async () => {
  const repo = unique('gzip');
  const image = engineImage(`local/${repo}:1`, 400_000);
  cleanup.push(() => removeEngineImage(image));
  const toolCache = mkdtempSync(join(tmpdir(), 'tool-cache-'));
  cleanup.push(() => rmSync(toolCache, { recursive: true, force: true }));
  const destinations = [local, second.host, third.host].map((h) => `${h}/${repo}:v1`).join('\n');
  const first = await runAction('push-registry', {
    inputs: { source: `docker://${image}`, destinations },
    env: { RUNNER_TOOL_CACHE: toolCache },
  });
  expect(first.errors).toEqual([]);
  const digest = first.outputs.digest;
  expect(first.outputs['image-ref']).toBe(`${local}/${repo}@${digest}`);
  // One compression per layer, whatever the number of destinations.
  expect(first.log.match(/Compressed layer \d+/g)).toHaveLength(1);
  const manifest = await manifestOf(local, repo, digest);
  expect(manifest.layers).toHaveLength(1);
  expect(manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
  // The layer inflates to the engine's diff_id.
  const blob = Buffer.from(
    await (await fetch(`http://${local}/v2/${repo}/blobs/${manifest.layers[0].digest}`)).arrayBuffer(),
  );
  const config = (await (await fetch(`http://${local}/v2/${repo}/blobs/${manifest.config.digest}`)).json()) as {
    rootfs: { diff_ids: string[] };
  };
  const { createHash } = await import('node:crypto');
  expect(`sha256:${createHash('sha256').update(gunzipSync(blob)).digest('hex')}`).toBe(config.rootfs.diff_ids[0]);
  for (const host of [second.host, third.host]) expect(await verifyPulled(host, repo, digest)).toHaveLength(2);
  expect(first.summary).toContain('gzip level 6');

  // Another run without the cache computes the same digest (reproducible compression).
  const fresh = await runAction('push-registry', {
    inputs: { source: `docker://${image}`, destinations: `${local}/${repo}:fresh` },
  });
  expect(fresh.outputs.digest).toBe(digest);
  expect(fresh.log).toMatch(/0 pushed, 0 mounted, 2 already there, 0 B/);

  // A new tag, through a proxy that counts: only manifest requests, no export, no blob bytes.
  const proxies = await Promise.all(
    [local, second.host, third.host].map(async (h) => {
      const p = new FaultProxy(h);
      await p.listen();
      return p;
    }),
  );
  cleanup.push(() => Promise.all(proxies.map((p) => p.close())));
  const retag = await runAction('push-registry', {
    inputs: { source: `docker://${image}`, destinations: proxies.map((p) => `${p.host}/${repo}:v2`).join('\n') },
    env: { RUNNER_TOOL_CACHE: toolCache },
  });
  expect(retag.errors).toEqual([]);
  expect(retag.outputs.digest).toBe(digest);
  expect(retag.log).toContain('nothing to export or upload');
  expect(retag.log).not.toContain('Exported');
  for (const p of proxies) {
    expect(p.count(undefined, /\/blobs\//)).toBe(0);
    expect(p.count('PUT', /\/manifests\/v2$/)).toBe(1);
  }
  expect((await manifestOf(second.host, repo, 'v2')).config.digest).toBe(manifest.config.digest);
});

test('compression none pushes plain tars; zstd is refused on a runtime without it, naming the input, before any request', async () => {
  const repo = unique('nocomp');
  const image = engineImage(`local/${repo}:1`, 50_000);
  cleanup.push(() => removeEngineImage(image));
  const none = await runAction('push-registry', {
    inputs: { source: `docker://${image}`, destinations: `${local}/${repo}:1`, compression: 'none' },
  });
  expect(none.errors).toEqual([]);
  const manifest = await manifestOf(local, repo, none.outputs.digest);
  expect(manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
  const proxy = new FaultProxy(local);
  await proxy.listen();
  cleanup.push(() => proxy.close());
  const zstd = await runAction('push-registry', {
    inputs: { source: `docker://${image}`, destinations: `${proxy.host}/${repo}:z`, compression: 'zstd' },
  });
  // The node that runs the bundle (Node 24, as on the runner), not jest's, decides: zstd is Node 22.15+.
  const [major, minor] = bundleNode().version.slice(1).split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 15)) {
    expect(zstd.errors).toEqual([]);
    const pushed = await manifestOf(local, repo, zstd.outputs.digest);
    expect(pushed.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
  } else {
    expect(zstd.errors).toEqual([
      expect.stringMatching(/^Input "compression": zstd needs Node 22\.15 or later, and this runtime is v\d+/),
    ]);
    expect(proxy.requests).toHaveLength(0);
  }
  const before = proxy.requests.length;
  const level = await runAction('push-registry', {
    inputs: { source: `docker://${image}`, destinations: `${proxy.host}/${repo}:z`, 'compression-level': '12' },
  });
  expect(level.errors).toEqual([expect.stringMatching(/^Input "compression-level": /)]);
  expect(proxy.requests).toHaveLength(before);
});
