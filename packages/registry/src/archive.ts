/**
 * Reads images written to disk: a `docker save` archive (manifest.json, a config JSON and layer tars), an
 * OCI image layout directory, or an OCI layout tar (index.json, oci-layout, blobs/sha256/...). Nothing is
 * extracted: blobs stream from their byte range in the file. For a docker archive the manifest is made
 * here from the config and layers, deterministically, so pushing the same archive twice gives the same
 * digest; layer digests come from the file names or the config's diff_ids (verified by the registry on
 * upload), so no layer is hashed ahead of time.
 *
 * Uncompressed layers of a docker archive (what `docker save` writes for the classic engine store) are
 * compressed once each, in parallel, to spool files (compress.ts), unless the digest cache already knows
 * what they compress to; then they are compressed only if a destination lacks them. OCI layouts are
 * pushed as they are: they are content-addressed, and rewriting them would change the digest a build
 * reported.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type BlobSource, type Image, type ManifestNode, SourceError } from './image';
import {
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  isIndex,
  layerTypeFromMagic,
  mediaTypeOf,
  OCI_CONFIG,
  OCI_LAYER,
  OCI_LAYER_GZIP,
  OCI_LAYER_ZSTD,
  OCI_MANIFEST,
} from './media';
import { type Compressed, type Compression, compressionKey, compressToFile } from './compress';
import { type DigestCache, noDigestCache } from './digest-cache';
import { Limiter } from './limiter';
import { parseReference } from './reference';
import { sha256 } from './registry';
import { indexTar, type TarEntry, TarError } from './tar-index';

export interface LoadOptions {
  /** How to compress uncompressed layers of a docker archive (default: leave them as they are). */
  compression?: Compression;
  /** Where compressed layers are spooled (required with compression); a function is called on first need. */
  spoolDir?: string | (() => string);
  cache?: DigestCache;
  /** Layers compressed at once (default: the CPUs available). */
  concurrency?: number;
  log?: (line: string) => void;
  /** Called with each blob as soon as it is ready (a layer once compressed), so its push can start. */
  onBlob?: (blob: BlobSource) => void;
  /** Layers already being compressed (while the archive was written), by diff_id. */
  precompressed?: ReadonlyMap<string, Promise<Precompressed>>;
}

/** A layer compressed to a spool file of its own, and the digest of what went in. */
export interface Precompressed extends Compressed {
  inputDigest: string;
  spool: string;
}

/** Files of an archive or directory, by path inside it. */
interface Files {
  has(name: string): boolean;
  size(name: string): number | Promise<number>;
  read(name: string): Promise<Buffer>;
  open(name: string, start?: number, end?: number): Readable;
}

async function tarFiles(file: string): Promise<Files> {
  let entries: Map<string, TarEntry>;
  try {
    entries = await indexTar(file);
  } catch (error) {
    if (error instanceof TarError) throw new SourceError(`${file} ${error.message}`);
    throw error;
  }
  const entry = (name: string) => {
    const found = entries.get(name);
    if (!found) throw new SourceError(`${file} has no ${name}`);
    return found;
  };
  const open = (name: string, start = 0, end?: number) => {
    const e = entry(name);
    const last = e.offset + Math.min(e.size, end ?? e.size) - 1;
    return createReadStream(file, {
      start: e.offset + start,
      end: Math.max(e.offset + start, last),
      highWaterMark: 1 << 20,
    });
  };
  return {
    has: (name) => entries.has(name),
    size: (name) => entry(name).size,
    open: (name, start, end) => (entry(name).size === 0 ? Readable.from([]) : open(name, start, end)),
    read: async (name) => {
      const chunks: Buffer[] = [];
      if (entry(name).size === 0) return Buffer.alloc(0);
      for await (const chunk of open(name)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

function dirFiles(dir: string): Files {
  const path = (name: string) => join(dir, name);
  const stats = new Map<string, Promise<Stats | undefined>>();
  const statOf = (name: string) => {
    if (!stats.has(name))
      stats.set(
        name,
        stat(path(name)).catch(() => undefined),
      );
    return stats.get(name)!;
  };
  return {
    has: () => true,
    size: async (name) => {
      const s = await statOf(name);
      if (!s) throw new SourceError(`${dir} has no ${name}`);
      return s.size;
    },
    read: (name) =>
      readFile(path(name)).catch(() => {
        throw new SourceError(`${dir} has no ${name}`);
      }),
    open: (name, start, end) =>
      createReadStream(path(name), { start, end: end === undefined ? undefined : end - 1, highWaterMark: 1 << 20 }),
  };
}

function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new SourceError(`${what} is not valid JSON`);
  }
}

/**
 * Loads an image from an archive file or layout directory. `select` picks one image when the archive
 * holds several (a tag from `docker save a b`, or an OCI ref name annotation).
 */
export async function loadArchive(path: string, select?: string, options: LoadOptions = {}): Promise<Image> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch {
    throw new SourceError(`${path} does not exist`);
  }
  if (info.isDirectory()) {
    const files = dirFiles(path);
    const layout = await files.read('oci-layout').catch(() => undefined);
    if (!layout) throw new SourceError(`${path} is a directory but not an OCI image layout (no oci-layout file)`);
    return loadLayout(files, path, select);
  }
  const files = await tarFiles(path);
  if (files.has('manifest.json')) return loadDockerArchive(files, path, select, options);
  if (files.has('index.json') && files.has('oci-layout')) return loadLayout(files, path, select);
  throw new SourceError(
    `${path} is a tar but neither a docker save archive (manifest.json) nor an OCI layout (index.json)`,
  );
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

function fileBlob(files: Files, name: string, digest: string, size: number): BlobSource {
  return { digest, size, ready: async () => {}, open: () => files.open(name) };
}

async function loadLayout(files: Files, path: string, select?: string): Promise<Image> {
  const index = parseJson<ImageIndex>(await files.read('index.json'), `${path}: index.json`);
  const entries = index.manifests ?? [];
  if (!entries.length) throw new SourceError(`${path}: index.json lists no images`);
  const blobs = new Map<string, BlobSource>();
  let root: ManifestNode;
  const names = entries.map(
    (d) => d.annotations?.['org.opencontainers.image.ref.name'] ?? d.annotations?.['io.containerd.image.name'],
  );
  if (select) {
    const wanted = matchName(select);
    const at = names.findIndex((n) => n !== undefined && wanted(n));
    if (at < 0)
      throw new SourceError(
        `${path} has no image named ${select} (it has: ${names.filter(Boolean).join(', ') || 'no named images'})`,
      );
    root = await layoutNode(files, path, entries[at], blobs);
  } else if (entries.length === 1) root = await layoutNode(files, path, entries[0], blobs);
  else if (entries.every((d) => d.platform) && new Set(names).size <= 1) {
    // index.json itself lists one image's platforms: push it as the image index.
    const bytes = await files.read('index.json');
    const children = await Promise.all(entries.map((d) => layoutNode(files, path, d, blobs)));
    root = {
      manifest: {
        bytes,
        digest: sha256(bytes),
        mediaType: mediaTypeOf(index) ?? 'application/vnd.oci.image.index.v1+json',
      },
      blobs: [],
      children,
    };
  } else
    throw new SourceError(
      `${path} holds ${entries.length} images (${names.filter(Boolean).join(', ')}); name the one to push in "source"`,
    );
  return { root, blobs, source: path };
}

async function layoutNode(
  files: Files,
  path: string,
  descriptor: Descriptor,
  blobs: Map<string, BlobSource>,
): Promise<ManifestNode> {
  const bytes = await files.read(blobPath(descriptor.digest));
  const digest = sha256(bytes);
  if (digest !== descriptor.digest) throw new SourceError(`${path}: manifest ${descriptor.digest} hashes to ${digest}`);
  const parsed = parseJson<ImageManifest & ImageIndex>(bytes, `${path}: manifest ${descriptor.digest}`);
  const mediaType = descriptor.mediaType ?? mediaTypeOf(parsed);
  const platform = descriptor.platform
    ? [descriptor.platform.os, descriptor.platform.architecture, descriptor.platform.variant].filter(Boolean).join('/')
    : undefined;
  if (isIndex(mediaType)) {
    const children = await Promise.all(parsed.manifests.map((d) => layoutNode(files, path, d, blobs)));
    return { manifest: { bytes, digest, mediaType }, blobs: [], children, platform };
  }
  const referenced = [parsed.config, ...(parsed.layers ?? [])];
  for (const d of referenced) {
    if (blobs.has(d.digest)) continue;
    const name = blobPath(d.digest);
    const size = await files.size(name);
    if (size !== d.size)
      throw new SourceError(`${path}: blob ${d.digest} is ${size} bytes, the manifest says ${d.size}`);
    blobs.set(d.digest, fileBlob(files, name, d.digest, d.size));
  }
  return { manifest: { bytes, digest, mediaType }, blobs: referenced.map((d) => d.digest), children: [], platform };
}

interface DockerArchiveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

async function loadDockerArchive(
  files: Files,
  path: string,
  select: string | undefined,
  options: LoadOptions,
): Promise<Image> {
  const list = parseJson<DockerArchiveEntry[]>(await files.read('manifest.json'), `${path}: manifest.json`);
  if (!Array.isArray(list) || !list.length) throw new SourceError(`${path}: manifest.json lists no images`);
  let entry = list[0];
  if (select) {
    const wanted = matchName(select);
    const found = list.find((e) => e.RepoTags?.some(wanted));
    if (!found)
      throw new SourceError(
        `${path} has no image tagged ${select} (it has: ${list.flatMap((e) => e.RepoTags ?? []).join(', ') || 'untagged images'})`,
      );
    entry = found;
  } else if (list.length > 1) {
    throw new SourceError(
      `${path} holds ${list.length} images (${list.flatMap((e) => e.RepoTags ?? []).join(', ')}); name the one to push in "source"`,
    );
  }
  const configBytes = await files.read(entry.Config);
  const configDigest = sha256(configBytes);
  const config = parseJson<{ rootfs?: { diff_ids?: string[] } }>(configBytes, `${path}: ${entry.Config}`);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const blobs = new Map<string, BlobSource>();
  const addBlob = (blob: BlobSource) => {
    if (blobs.has(blob.digest)) return;
    blobs.set(blob.digest, blob);
    options.onBlob?.(blob);
  };
  addBlob({
    digest: configDigest,
    size: configBytes.length,
    ready: async () => {},
    open: () => files.open(entry.Config),
  });
  const compression = options.compression?.algorithm === 'none' ? undefined : options.compression;
  if (compression && !options.spoolDir) throw new Error('loadArchive: compression needs a spoolDir');
  let spoolDir: string | undefined;
  const spoolIn = () => {
    spoolDir ??= typeof options.spoolDir === 'function' ? options.spoolDir() : options.spoolDir!;
    return spoolDir;
  };
  const cache = options.cache ?? noDigestCache;
  const key = compression ? compressionKey(compression) : '';
  const compressedType = compression?.algorithm === 'zstd' ? OCI_LAYER_ZSTD : OCI_LAYER_GZIP;
  const limiter = new Limiter(options.concurrency ?? Math.max(1, availableParallelism()));
  const layers = await Promise.all(
    entry.Layers.map(async (name, i): Promise<Descriptor> => {
      const size = await files.size(name);
      const head = size ? await readHead(files, name) : Buffer.alloc(0);
      const mediaType = layerTypeFromMagic(head);
      const fromName = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
      let digest: string;
      if (fromName) digest = `sha256:${fromName[1]}`;
      else if (mediaType === OCI_LAYER && diffIds[i]) digest = diffIds[i];
      else digest = await hashStream(files.open(name));
      if (!compression || mediaType !== OCI_LAYER) {
        addBlob(fileBlob(files, name, digest, size));
        return { mediaType, digest, size };
      }
      // An uncompressed layer: its digest is its diff_id; what goes up is its compressed form.
      const diffId = diffIds[i] ?? digest;
      // Compressed already while the archive was being written (engine exports), or now from the archive.
      const early = options.precompressed?.get(diffId);
      let spool = early ? '' : join(spoolIn(), `layer-${i}-${diffId.slice(7, 19)}.${compression.algorithm}`);
      const compress = async (): Promise<Compressed & { inputDigest: string }> => {
        if (!early) return compressToFile(files.open(name), spool, compression);
        const out = await early;
        spool = out.spool;
        return out;
      };
      const checked = async () => {
        const out = await compress();
        if (out.inputDigest !== diffId)
          throw new SourceError(
            `${path}: layer ${name} hashes to ${out.inputDigest}, but the image config says ${diffId}`,
          );
        cache.setLayer(diffId, key, { digest: out.digest, size: out.size });
        return out;
      };
      const known = cache.layer(diffId, key);
      if (known) {
        let done: Promise<void> | undefined;
        addBlob({
          digest: known.digest,
          size: known.size,
          // Compressed only when some destination lacks it; reproducible, so it must come out the same.
          ready() {
            done ??= limiter.run(checked).then((out) => {
              if (out.digest !== known.digest)
                throw new SourceError(
                  `${path}: layer ${name} compressed to ${out.digest}, not the cached ${known.digest}`,
                );
            });
            return done;
          },
          open: () => createReadStream(spool, { highWaterMark: 1 << 20 }),
        });
        return { mediaType: compressedType, digest: known.digest, size: known.size };
      }
      const started = Date.now();
      const out = await (early ? checked() : limiter.run(checked));
      options.log?.(
        `Compressed layer ${i + 1} (${diffId.slice(0, 19)}): ${size} → ${out.size} bytes with ${compression.algorithm} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      addBlob({
        digest: out.digest,
        size: out.size,
        ready: async () => {},
        open: () => createReadStream(spool, { highWaterMark: 1 << 20 }),
      });
      return { mediaType: compressedType, digest: out.digest, size: out.size };
    }),
  );
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: configDigest, size: configBytes.length },
    layers,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  if (compression) cache.setManifest(configDigest, key, bytes);
  const root: ManifestNode = {
    manifest: { bytes, digest: sha256(bytes), mediaType: OCI_MANIFEST },
    blobs: [configDigest, ...layers.map((l) => l.digest)],
    children: [],
  };
  return { root, blobs, source: entry.RepoTags?.[0] ? `${entry.RepoTags[0]} (${path})` : path };
}

async function readHead(files: Files, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of files.open(name, 0, 4)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).subarray(0, 4);
}

async function hashStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Matches an image name as written by the user against archive tags, with or without docker.io/library. */
function matchName(select: string): (name: string) => boolean {
  const canonical = (text: string) => {
    try {
      const ref = parseReference(text.includes(':') || text.includes('@') ? text : `${text}:latest`);
      return `${ref.registry}/${ref.repository}:${ref.tag ?? 'latest'}`;
    } catch {
      return text;
    }
  };
  const want = canonical(select);
  return (name) =>
    name === select ||
    canonical(name) === want ||
    (!select.includes(':') && name === `${select}:latest`) ||
    name === select.split(':').pop();
}
