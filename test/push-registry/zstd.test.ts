import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultProxy } from '@deploy-actions/emulators/fault-proxy';
import { bundleNode, readServices, runAction } from '@deploy-actions/harness';
import { dockerEnv, type LocalRegistry, removeEngineImage, startRegistry, unique, verifyPulled } from './fixtures';

// compression: zstd end to end, on the Node 24 the action declares (node:zlib has zstd from 22.15): the
// layer goes up as application/vnd.oci.image.layer.v1.tar+zstd, is a zstd frame, and decodes (by Node's
// decoder, and by skopeo's, which is Go's) to exactly the engine's layer tar. Jest itself may run on a node
// without zstd: everything that needs zstd here runs in the bundle's node or in skopeo.

const local = readServices().registry;
const node = bundleNode();
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
let second: LocalRegistry;
const cleanup: (() => unknown)[] = [];
beforeAll(async () => {
  second = await startRegistry();
});
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  await second.stop();
});

/** An engine image of compressible text, unique to `name` (so no registry has its layer yet), from `docker import`. */
function textImage(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zstd-img-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'root', 'app'), { recursive: true });
  const lines = Array.from(
    { length: 20_000 },
    (_, i) => `${i} INFO request served path=/orders/${i % 97} ms=${i % 13}`,
  );
  writeFileSync(join(dir, 'root', 'app', 'access.log'), lines.join('\n'));
  writeFileSync(join(dir, 'root', 'app', 'blob.bin'), createHash('sha512').update(name).digest().toString('hex'));
  execFileSync('tar', ['-C', join(dir, 'root'), '-cf', join(dir, 'root.tar'), '.']);
  execFileSync('/usr/bin/docker', ['import', '-c', 'CMD ["/app"]', join(dir, 'root.tar'), name], { env: dockerEnv() });
  cleanup.push(() => removeEngineImage(name));
  return name;
}

/** The engine's own uncompressed layer tar (from `docker save`) and its diff_id. */
function engineLayer(image: string): { tar: Buffer; diffId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'zstd-save-'));
  try {
    execFileSync('/usr/bin/docker', ['save', '-o', join(dir, 'image.tar'), image], { env: dockerEnv() });
    execFileSync('tar', ['-C', dir, '-xf', join(dir, 'image.tar')]);
    const [{ Layers }] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    expect(Layers).toHaveLength(1);
    const tar = readFileSync(join(dir, Layers[0]));
    return { tar, diffId: sha256(tar) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function get(host: string, path: string, accept?: string): Promise<Buffer> {
  const res = await fetch(`http://${host}${path}`, { headers: accept ? { accept } : {} });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Decompresses with the bundle's node (node:zlib's zstd), since jest's node may not have it. */
function zstdDecompress(blob: Buffer): Buffer {
  return execFileSync(
    node.path,
    ['-e', 'process.stdin.pipe(require("node:zlib").createZstdDecompress()).pipe(process.stdout)'],
    { input: blob, maxBuffer: 64 << 20 },
  );
}

test(`zstd layers go up as +zstd, decode to the engine's layer, the same bytes every run (bundle on ${node.version})`, async () => {
  const repo = unique('zstd');
  const image = textImage(`local/${repo}:1`);
  const layer = engineLayer(image);
  const proxy = new FaultProxy(local);
  await proxy.listen();
  cleanup.push(() => proxy.close());

  const result = await runAction('push-registry', {
    inputs: {
      source: `docker://${image}`,
      destinations: `${proxy.host}/${repo}:v1\n${second.host}/${repo}:v1`,
      compression: 'zstd',
    },
  });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  const digest = result.outputs.digest;
  expect(result.log.match(/Compressed layer \d+ \(.*\): .* bytes with zstd/g)).toHaveLength(1);
  expect(result.summary).toContain('zstd level 3');

  const manifest = JSON.parse(
    (await get(local, `/v2/${repo}/manifests/${digest}`, 'application/vnd.oci.image.manifest.v1+json')).toString(),
  ) as { config: { digest: string }; layers: { mediaType: string; digest: string; size: number }[] };
  expect(manifest.layers).toHaveLength(1);
  expect(manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
  const blob = await get(local, `/v2/${repo}/blobs/${manifest.layers[0].digest}`);
  expect(sha256(blob)).toBe(manifest.layers[0].digest);
  expect(blob.subarray(0, 4).toString('hex')).toBe('28b52ffd'); // the zstd frame magic, little-endian 0xFD2FB528
  expect(blob.length).toBeLessThan(layer.tar.length / 4); // the log lines compress well

  // Node's decoder gives back the engine's layer tar byte for byte; the config names it as the diff_id.
  const decoded = zstdDecompress(blob);
  expect(sha256(decoded)).toBe(layer.diffId);
  expect(decoded.equals(layer.tar)).toBe(true);
  const config = JSON.parse((await get(local, `/v2/${repo}/blobs/${manifest.config.digest}`)).toString()) as {
    rootfs: { diff_ids: string[] };
  };
  expect(config.rootfs.diff_ids).toEqual([layer.diffId]);

  // skopeo (containers/image, Go's zstd decoder) pulls it back from the other registry and decompresses it.
  const out = mkdtempSync(join(tmpdir(), 'zstd-pull-'));
  cleanup.push(() => rmSync(out, { recursive: true, force: true }));
  execFileSync('skopeo', [
    'copy',
    '--src-tls-verify=false',
    '--dest-decompress',
    `docker://${second.host}/${repo}@${digest}`,
    `dir:${out}`,
  ]);
  const pulled = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as typeof manifest;
  expect(pulled.layers.map((l) => [l.mediaType, l.digest])).toEqual([
    ['application/vnd.oci.image.layer.v1.tar', layer.diffId],
  ]);
  expect(sha256(readFileSync(join(out, layer.diffId.slice(7))))).toBe(layer.diffId);
  expect(await verifyPulled(second.host, repo, digest)).toHaveLength(2);

  // Reproducible: a run with a fresh cache compresses again to the same digest, and sends no blob.
  const blobPuts = proxy.count('PUT', /\/blobs\/uploads\//);
  expect(blobPuts).toBeGreaterThan(0);
  const again = await runAction('push-registry', {
    inputs: { source: `docker://${image}`, destinations: `${proxy.host}/${repo}:v2`, compression: 'zstd' },
  });
  expect(again.errors).toEqual([]);
  expect(again.outputs.digest).toBe(digest);
  expect(again.log.match(/Compressed layer \d+ \(.*\): .* bytes with zstd/g)).toHaveLength(1);
  expect(proxy.count('PUT', /\/blobs\/uploads\//)).toBe(blobPuts);

  // Another level is other bytes, and says so.
  const level12 = await runAction('push-registry', {
    inputs: {
      source: `docker://${image}`,
      destinations: `${local}/${repo}:l12`,
      compression: 'zstd',
      'compression-level': 12,
    },
  });
  expect(level12.errors).toEqual([]);
  expect(level12.summary).toContain('zstd level 12');
  const manifest12 = JSON.parse(
    (await get(local, `/v2/${repo}/manifests/l12`, 'application/vnd.oci.image.manifest.v1+json')).toString(),
  ) as { layers: { digest: string; mediaType: string }[] };
  expect(manifest12.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
  expect(manifest12.layers[0].digest).not.toBe(manifest.layers[0].digest);
  expect(sha256(zstdDecompress(await get(local, `/v2/${repo}/blobs/${manifest12.layers[0].digest}`)))).toBe(
    layer.diffId,
  );
});

test('on a runtime without zstd (Node before 22.15, simulated) compression zstd is refused in one line, before any request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'no-zstd-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const preload = join(dir, 'no-zstd.cjs');
  writeFileSync(preload, 'delete require("node:zlib").createZstdCompress;\n');
  const repo = unique('nozstd');
  const proxy = new FaultProxy(local);
  await proxy.listen();
  cleanup.push(() => proxy.close());
  const result = await runAction('push-registry', {
    inputs: { source: `docker://local/${repo}:1`, destinations: `${proxy.host}/${repo}:z`, compression: 'zstd' },
    env: { NODE_OPTIONS: `--require ${preload}` },
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toEqual([
    `Input "compression": zstd needs Node 22.15 or later, and this runtime is ${node.version}; use gzip (the default, which every registry and runtime pulls), or run on a runner with the node24 runtime`,
  ]);
  expect(proxy.requests).toHaveLength(0);
  expect(result.connections).toEqual([]);
});
