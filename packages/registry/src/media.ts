/**
 * Media types of the OCI image spec and Docker's v2 schema 2, and the shapes of manifests and indexes
 * as far as copying needs them (descriptors are kept as parsed; manifests themselves travel as raw bytes
 * so their digests never change).
 */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export const INDEX_TYPES = [OCI_INDEX, DOCKER_LIST];
/** What we ask a registry for: every manifest kind we can copy. */
export const ACCEPT = [OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
  annotations?: Record<string, string>;
  urls?: string[];
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

export function isIndex(mediaType: string): boolean {
  return INDEX_TYPES.includes(mediaType);
}

/** A manifest's media type: its own field, else what it looks like (OCI allows leaving it out). */
export function mediaTypeOf(parsed: { mediaType?: string; manifests?: unknown; config?: unknown }): string | undefined {
  if (parsed.mediaType) return parsed.mediaType;
  if (Array.isArray(parsed.manifests)) return OCI_INDEX;
  if (parsed.config) return OCI_MANIFEST;
  return undefined;
}

/** Layer media type from the first bytes of an uncompressed-or-not tar. */
export function layerTypeFromMagic(head: Buffer): string {
  if (head[0] === 0x1f && head[1] === 0x8b) return OCI_LAYER_GZIP;
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return OCI_LAYER_ZSTD;
  return OCI_LAYER;
}

/** Non-distributable (foreign) layers stay where they are: registries refuse them or never store them. */
export function isForeign(descriptor: Descriptor): boolean {
  return /nondistributable|foreign/.test(descriptor.mediaType) && Boolean(descriptor.urls?.length);
}
