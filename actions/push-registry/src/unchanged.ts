/**
 * Notices an unchanged re-push from the Docker engine without exporting the image: when every destination
 * tag already points to the same single-platform manifest whose config is the engine image's ID (the
 * config digest, which fixes every layer through its diff_ids), the image is there and `docker save`
 * plus all uploads can be skipped.
 */
import type { Image, ImageManifest, Target, TargetResult } from '@deploy-actions/registry';

export async function alreadyPushed(
  imageId: string,
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
    if (found.some((f) => f.manifest.digest !== first.manifest.digest)) return undefined;
    const blobs = 1 + (first.parsed.layers?.length ?? 0);
    const image: Image = {
      root: { manifest: first.manifest, blobs: [], children: [] },
      blobs: new Map(),
      source: '',
    };
    const ms = Date.now() - started;
    const results = targets.map<TargetResult>((t) => ({
      registry: t.registry.name,
      repository: t.repository,
      tags: t.tags,
      digest: first.manifest.digest,
      pushed: 0,
      skipped: blobs,
      mounted: 0,
      bytes: 0,
      manifestsPushed: 0,
      manifestsSkipped: t.tags.length,
      ms,
    }));
    return { image, results };
  } catch {
    // A missing tag or an unreachable registry: do the full push, which reports problems properly.
    return undefined;
  }
}
