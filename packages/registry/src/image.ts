/**
 * An image as the pusher sees it, whatever it was read from: a tree of manifests kept as raw bytes (an
 * index and its per-platform manifests, or one manifest) and the blobs they reference, each readable as
 * a fresh stream as often as a retry or another destination needs.
 */
import type { Readable } from 'node:stream';
import type { Manifest } from './registry';

export interface BlobSource {
  digest: string;
  size: number;
  /** Makes the bytes readable (a registry source downloads them once, on first need). */
  ready(): Promise<void>;
  open(): Readable;
  /** Where the blob already lives, so a destination on that registry can mount it instead. */
  origin?: { registry: string; repository: string };
}

export interface ManifestNode {
  manifest: Manifest;
  /** Digests of the config and layers (empty for an index). */
  blobs: string[];
  /** The per-platform manifests of an index. */
  children: ManifestNode[];
  platform?: string;
}

export interface Image {
  root: ManifestNode;
  blobs: Map<string, BlobSource>;
  /** Where it came from, for the log and summary. */
  source: string;
}

export class SourceError extends Error {
  override name = 'SourceError';
}

/** Every manifest of the tree, children before their index (the order they must be pushed in). */
export function manifestsInPushOrder(root: ManifestNode): ManifestNode[] {
  return [...root.children.flatMap(manifestsInPushOrder), root];
}
