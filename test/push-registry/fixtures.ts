/**
 * Test fixtures for push-registry: extra real registries (the Debian docker-registry binary on a free
 * loopback port, optionally with htpasswd Basic auth), images made locally (OCI layouts from random bytes,
 * single- or multi-platform; Docker engine images from small tarballs), and a pull-back check that
 * fetches a manifest tree and every blob and verifies each sha256.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRegistry {
  host: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A docker-registry process on 127.0.0.1:<free port>; with `basic`, it requires those credentials (htpasswd, bcrypt). */
export async function startRegistry(
  options: { basic?: { username: string; password: string } } = {},
): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  const port = await freePort();
  let auth = '';
  if (options.basic) {
    const line = execFileSync('htpasswd', ['-Bbn', options.basic.username, options.basic.password]).toString().trim();
    writeFileSync(join(dir, 'htpasswd'), `${line}\n`);
    auth = `auth:\n  htpasswd:\n    realm: test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog: { level: error }\nstorage:\n  filesystem: { rootdirectory: ${join(dir, 'data')} }\n  delete: { enabled: true }\nhttp: { addr: 127.0.0.1:${port} }\n${auth}`,
  );
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 200 || res.status === 401) break;
    } catch {}
    if (i > 100) throw new Error(`docker-registry on ${host} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function putBlob(dir: string, bytes: Buffer): { digest: string; size: number } {
  const digest = sha(bytes);
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

export interface Layout {
  dir: string;
  /** The top digest: the index for multi-platform, else the manifest. */
  digest: string;
  blobDigests: string[];
}

/**
 * An OCI image layout with random layers. With several platforms, index.json points to an image index
 * whose children are one manifest per platform (layers shared between them where `shared` says so).
 */
export function makeLayout(
  options: { platforms?: string[]; layerSizes?: number[]; dir?: string; name?: string } = {},
): Layout {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'layout-'));
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const platforms = options.platforms ?? ['linux/amd64'];
  const sizes = options.layerSizes ?? [2048, 300_000];
  const blobDigests = new Set<string>();
  const shared = putBlob(dir, randomBytes(sizes[0]));
  blobDigests.add(shared.digest);
  const manifests = platforms.map((platform) => {
    const [os, architecture] = platform.split('/');
    const layers = [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', ...shared },
      ...sizes
        .slice(1)
        .map((size) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...putBlob(dir, randomBytes(size)) })),
    ];
    const config = putBlob(
      dir,
      Buffer.from(
        JSON.stringify({
          architecture,
          os,
          rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
          config: {},
        }),
      ),
    );
    for (const d of [config, ...layers]) blobDigests.add(d.digest);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers,
      }),
    );
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...putBlob(dir, manifest),
      platform: { os, architecture },
    };
  });
  let top = manifests[0];
  if (platforms.length > 1) {
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, null, 2),
    );
    top = {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      ...putBlob(dir, index),
      platform: undefined as never,
    };
  }
  const annotations = options.name ? { 'org.opencontainers.image.ref.name': options.name } : undefined;
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: top.mediaType, digest: top.digest, size: top.size, annotations }],
    }),
  );
  return { dir, digest: top.digest, blobDigests: [...blobDigests] };
}

/** A small image in the local Docker engine, made with `docker import` from a random tarball. */
export function engineImage(name: string, bytes = 200_000): string {
  const dir = mkdtempSync(join(tmpdir(), 'img-'));
  mkdirSync(join(dir, 'root', 'data'), { recursive: true });
  writeFileSync(join(dir, 'root', 'data', 'payload.bin'), randomBytes(bytes));
  const tar = join(dir, 'root.tar');
  execFileSync('tar', ['-C', join(dir, 'root'), '-cf', tar, '.']);
  execFileSync('/usr/bin/docker', ['import', '-c', 'CMD ["/data"]', tar, name], { env: dockerEnv() });
  rmSync(dir, { recursive: true, force: true });
  return name;
}

export function dockerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' };
}

export function removeEngineImage(name: string): void {
  try {
    execFileSync('/usr/bin/docker', ['rmi', '-f', name], { env: dockerEnv(), stdio: 'ignore' });
  } catch {}
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * Pulls `repository@digest` back (manifest tree and every blob) and checks every sha256. Returns the
 * digests of all blobs seen. `authorization` is sent as is (e.g. a Basic header).
 */
export async function verifyPulled(
  host: string,
  repository: string,
  digest: string,
  authorization?: string,
): Promise<string[]> {
  const headers: Record<string, string> = { accept: ACCEPT };
  if (authorization) headers.authorization = authorization;
  const get = async (path: string) => {
    const res = await fetch(`http://${host}/v2/${repository}/${path}`, { headers });
    if (res.status !== 200) throw new Error(`GET ${host}/${repository}/${path} answered ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  };
  const blobs: string[] = [];
  const walk = async (manifestDigest: string) => {
    const bytes = await get(`manifests/${manifestDigest}`);
    if (sha(bytes) !== manifestDigest) throw new Error(`manifest ${manifestDigest} hashes to ${sha(bytes)}`);
    const parsed = JSON.parse(bytes.toString());
    if (parsed.manifests) for (const child of parsed.manifests) await walk(child.digest);
    else {
      for (const d of [parsed.config, ...parsed.layers]) {
        const blob = await get(`blobs/${d.digest}`);
        if (sha(blob) !== d.digest) throw new Error(`blob ${d.digest} hashes to ${sha(blob)}`);
        if (blob.length !== d.size) throw new Error(`blob ${d.digest} is ${blob.length} bytes, not ${d.size}`);
        blobs.push(d.digest);
      }
    }
  };
  await walk(digest);
  return blobs;
}

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
