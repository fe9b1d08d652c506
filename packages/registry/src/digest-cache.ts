/**
 * Remembers what compressing a layer gave (uncompressed diff_id + settings → compressed digest and size)
 * and which manifest an image became (config digest + settings → manifest bytes), so an unchanged
 * re-push recognises the image without compressing it again: the manifest is rebuilt from the cache and
 * only missing blobs are compressed. Sound because compression is reproducible (compress.ts): the key
 * names the algorithm, level and zlib version, so a runtime whose zlib differs starts afresh. Entries are
 * small JSON files under the runner's tool cache (persisting across jobs on self-hosted runners), written
 * atomically; a missing or unreadable entry is a cache miss, never an error.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Compressed } from './compress';

export interface DigestCache {
  layer(diffId: string, key: string): Compressed | undefined;
  setLayer(diffId: string, key: string, value: Compressed): void;
  manifest(configDigest: string, key: string): Buffer | undefined;
  setManifest(configDigest: string, key: string, bytes: Buffer): void;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.RUNNER_TOOL_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'));
  return join(root, 'deploy-actions', 'push-registry');
}

const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

export function fileDigestCache(dir: string = defaultCacheDir()): DigestCache {
  const path = (kind: string, key: string, digest: string) => join(dir, kind, safe(key), `${safe(digest)}.json`);
  const read = <T>(file: string): T | undefined => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      return undefined;
    }
  };
  const write = (file: string, value: unknown) => {
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, file);
    } catch {
      // A read-only or full disk only costs the next run a recompression.
    }
  };
  return {
    layer(diffId, key) {
      const found = read<Compressed>(path('layers', key, diffId));
      return found && /^sha256:[a-f0-9]{64}$/.test(found.digest) && Number.isSafeInteger(found.size)
        ? found
        : undefined;
    },
    setLayer: (diffId, key, value) => write(path('layers', key, diffId), value),
    manifest(configDigest, key) {
      const found = read<{ manifest: string }>(path('manifests', key, configDigest));
      return typeof found?.manifest === 'string' ? Buffer.from(found.manifest, 'utf8') : undefined;
    },
    setManifest: (configDigest, key, bytes) =>
      write(path('manifests', key, configDigest), { manifest: bytes.toString('utf8') }),
  };
}

/** A cache that remembers nothing (tests, and `compression: none`, which needs none). */
export const noDigestCache: DigestCache = {
  layer: () => undefined,
  setLayer: () => {},
  manifest: () => undefined,
  setManifest: () => {},
};
