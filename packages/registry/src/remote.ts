/**
 * Reads an image that is already in a registry, for registry-to-registry copies without an engine: the
 * manifest (and, for an index, every child manifest) as raw bytes so digests stay the same, and each blob
 * fetched only if some destination lacks it and cannot mount it, streamed to a spool file once (digest
 * verified) and uploaded from there to every destination that needs it.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { BlobSource, Image, ManifestNode } from './image';
import { SourceError } from './image';
import { type Descriptor, type ImageIndex, type ImageManifest, isForeign, isIndex, mediaTypeOf } from './media';
import type { Reference } from './reference';
import type { Registry } from './registry';

export async function loadRemote(registry: Registry, ref: Reference, spoolDir: string): Promise<Image> {
  const blobs = new Map<string, BlobSource>();
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const root = await remoteNode(registry, ref.repository, reference, undefined, blobs, spoolDir);
  return { root, blobs, source: `${ref.registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${reference}`}` };
}

async function remoteNode(
  registry: Registry,
  repository: string,
  reference: string,
  descriptor: Descriptor | undefined,
  blobs: Map<string, BlobSource>,
  spoolDir: string,
): Promise<ManifestNode> {
  const manifest = await registry.getManifest(repository, reference);
  let parsed: ImageManifest & ImageIndex;
  try {
    parsed = JSON.parse(manifest.bytes.toString('utf8'));
  } catch {
    throw new SourceError(`${registry.name}/${repository}:${reference} is not a JSON manifest`);
  }
  if (parsed.schemaVersion === 1)
    throw new SourceError(
      `${registry.name}/${repository}:${reference} is a schema 1 manifest, which cannot be copied unchanged`,
    );
  manifest.mediaType = mediaTypeOf(parsed) ?? manifest.mediaType;
  const platform = descriptor?.platform
    ? [descriptor.platform.os, descriptor.platform.architecture, descriptor.platform.variant].filter(Boolean).join('/')
    : undefined;
  if (isIndex(manifest.mediaType)) {
    const children = await Promise.all(
      parsed.manifests.map((d) => remoteNode(registry, repository, d.digest, d, blobs, spoolDir)),
    );
    return { manifest, blobs: [], children, platform };
  }
  const referenced = [parsed.config, ...(parsed.layers ?? [])].filter((d) => !isForeign(d));
  for (const d of referenced) {
    if (!blobs.has(d.digest)) blobs.set(d.digest, spooledBlob(registry, repository, d, spoolDir));
  }
  return { manifest, blobs: referenced.map((d) => d.digest), children: [], platform };
}

function spooledBlob(registry: Registry, repository: string, d: Descriptor, spoolDir: string): BlobSource {
  const file = join(spoolDir, d.digest.replace(':', '-'));
  let downloaded: Promise<void> | undefined;
  return {
    digest: d.digest,
    size: d.size,
    origin: { registry: registry.name, repository },
    ready() {
      downloaded ??= registry.downloadBlob(repository, d.digest, file).catch((error) => {
        downloaded = undefined;
        throw error;
      });
      return downloaded;
    },
    open: () => createReadStream(file, { highWaterMark: 1 << 20 }),
  };
}
