/**
 * Notices an unchanged re-push from the Docker engine without exporting or compressing the image:
 * - when every destination tag already points to the same single-platform manifest whose config is the
 *   engine image's ID (the config digest, which fixes every layer through its diff_ids) and whose layers
 *   have the media type the chosen compression gives, the image is there;
 * - when the digest cache knows the manifest this image became with these settings, and every
 *   destination repository already has that manifest (by digest), it is put under the tags.
 * Both checks run at once.
 * Either way `docker save`, compression and every blob upload are skipped.
 */
import {
  type Image,
  type ImageManifest,
  type Manifest,
  OCI_MANIFEST,
  sha256,
  type Target,
  type TargetResult,
} from '@deploy-actions/registry';

function resultFor(t: Target, digest: string, blobs: number, ms: number, put: number): TargetResult {
  return {
    registry: t.registry.name,
    repository: t.repository,
    tags: t.tags,
    digest,
    pushed: 0,
    skipped: blobs,
    mounted: 0,
    bytes: 0,
    manifestsPushed: put,
    manifestsSkipped: t.tags.length - put,
    ms,
  };
}

function imageOf(manifest: Manifest): Image {
  return { root: { manifest, blobs: [], children: [] }, blobs: new Map(), source: '' };
}

export async function alreadyPushed(
  imageId: string,
  layerType: string,
  targets: Target[],
): Promise<{ image: Image; results: TargetResult[] } | undefined> {
  const started = Date.now();
  try {
    const found = await Promise.all(
      targets.flatMap((t) =>
        t.tags.map(async (tag) => {
          const manifest = await t.registry.getManifest(t.repository, tag);
          const parsed = JSON.parse(manifest.bytes.toString('utf8')) as ImageManifest;
          return { target: t, manifest, parsed };
        }),
      ),
    );
    const first = found[0];
    if (!first?.parsed.config || first.parsed.config.digest !== imageId) return undefined;
    if (!(first.parsed.layers ?? []).every((l) => l.mediaType === layerType)) return undefined;
    if (found.some((f) => f.manifest.digest !== first.manifest.digest)) return undefined;
    const blobs = 1 + (first.parsed.layers?.length ?? 0);
    const ms = Date.now() - started;
    return {
      image: imageOf(first.manifest),
      results: targets.map((t) => resultFor(t, first.manifest.digest, blobs, ms, 0)),
    };
  } catch {
    // A missing tag or an unreachable registry: do the full push, which reports problems properly.
    return undefined;
  }
}

/** Whether every destination repository already holds this manifest (by digest). */
export async function holdsManifest(bytes: Buffer, targets: Target[]): Promise<boolean> {
  const digest = sha256(bytes);
  try {
    const present = await Promise.all(
      targets.map(async (t) => (await t.registry.manifestDigest(t.repository, digest)) === digest),
    );
    return present.every(Boolean);
  } catch {
    return false;
  }
}

/**
 * Puts a manifest every destination already holds under the destination tags, all at once (a manifest
 * PUT is idempotent; its blobs are there since the manifest is).
 */
export async function tagManifest(
  bytes: Buffer,
  targets: Target[],
): Promise<{ image: Image; results: TargetResult[] }> {
  const started = Date.now();
  const manifest: Manifest = { bytes, digest: sha256(bytes), mediaType: OCI_MANIFEST };
  const parsed = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  const blobs = 1 + (parsed.layers?.length ?? 0);
  const results = await Promise.all(
    targets.map(async (t) => {
      try {
        await Promise.all(t.tags.map((tag) => t.registry.putManifest(t.repository, tag, manifest)));
        return resultFor(t, manifest.digest, blobs, Date.now() - started, t.tags.length);
      } catch (error) {
        return { ...resultFor(t, manifest.digest, blobs, Date.now() - started, 0), error: error as Error };
      }
    }),
  );
  return { image: imageOf(manifest), results };
}
