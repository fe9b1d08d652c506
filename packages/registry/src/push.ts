/**
 * Pushes one image to many repositories at once. For each repository, every blob is first checked with
 * HEAD (present: skipped), then mounted when another repository of the same registry has it or is about
 * to (the first repository to miss a blob uploads it; the others wait and mount it), else uploaded from
 * its stream. Uploads run in parallel under one concurrency limit shared by all destinations. Manifests
 * follow their blobs: per-platform manifests by digest, then the top manifest under each tag, each PUT
 * skipped when the registry already maps that tag to that digest. A failing repository does not stop the
 * others; each gets its own result.
 */
import { type BlobSource, type Image, manifestsInPushOrder } from './image';
import { Limiter } from './limiter';
import type { Registry } from './registry';

export interface Target {
  registry: Registry;
  repository: string;
  tags: string[];
}

export interface TargetResult {
  registry: string;
  repository: string;
  tags: string[];
  digest: string;
  pushed: number;
  skipped: number;
  mounted: number;
  /** Bytes uploaded. */
  bytes: number;
  manifestsPushed: number;
  manifestsSkipped: number;
  ms: number;
  error?: Error;
}

export interface PushOptions {
  /** Blob transfers in flight at once, across all destinations. */
  concurrency: number;
  log: (line: string) => void;
  /** Bytes uploaded so far (negative when a failed attempt is taken back). */
  onProgress?: (bytes: number) => void;
}

export class BlobPushError extends Error {
  override name = 'BlobPushError';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function short(digest: string): string {
  return digest.slice(0, 19);
}

/** Pushes an image to every target (repository and tags), sharing uploads and mounts between them. */
export async function pushToTargets(image: Image, targets: Target[], options: PushOptions): Promise<TargetResult[]> {
  const pusher = new Pusher(targets, options);
  return pusher.finish(image);
}

/**
 * The push of one image to many targets, fed blob by blob: `blob()` starts a blob's HEAD, mount or upload
 * on every target as soon as it is ready (while other layers are still being compressed), `finish()` adds
 * the image's remaining blobs, waits for all of them, then puts the manifests.
 */
export class Pusher {
  private readonly limiter: Limiter;
  // Per registry and digest: a promise of a repository there that holds the blob (undefined if none will).
  private readonly holders = new Map<string, Map<string, Promise<string | undefined>>>();
  private readonly started = Date.now();
  private readonly states: { target: Target; result: TargetResult; blobs: Map<string, Promise<void>> }[];

  constructor(
    targets: Target[],
    private readonly options: PushOptions,
  ) {
    this.limiter = new Limiter(options.concurrency);
    this.states = targets.map((target) => ({
      target,
      blobs: new Map(),
      result: {
        registry: target.registry.name,
        repository: target.repository,
        tags: target.tags,
        digest: '',
        pushed: 0,
        skipped: 0,
        mounted: 0,
        bytes: 0,
        manifestsPushed: 0,
        manifestsSkipped: 0,
        ms: 0,
      },
    }));
  }

  private holdersOf(registry: string) {
    if (!this.holders.has(registry)) this.holders.set(registry, new Map());
    return this.holders.get(registry)!;
  }

  /** Starts pushing one blob to every target (once per digest). */
  blob(blob: BlobSource): void {
    for (const state of this.states) {
      if (state.blobs.has(blob.digest)) continue;
      const running = pushBlob(
        blob,
        state.target,
        state.result,
        this.holdersOf(state.target.registry.name),
        this.limiter,
        this.options,
      );
      // Settled here so a failure is reported once, by finish(), not as an unhandled rejection.
      running.catch(() => {});
      state.blobs.set(blob.digest, running);
    }
  }

  async finish(image: Image): Promise<TargetResult[]> {
    for (const blob of image.blobs.values()) this.blob(blob);
    return Promise.all(
      this.states.map(async ({ target, result, blobs }) => {
        result.digest = image.root.manifest.digest;
        const { registry, repository } = target;
        try {
          try {
            await registry.ping();
          } catch (error) {
            await Promise.allSettled(blobs.values());
            throw error;
          }
          // Every blob runs to its end (success or spent retries) before the target reports, so no request of
          // a failed target is still in flight when the step finishes.
          const settled = await Promise.allSettled(blobs.values());
          const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
          for (const node of manifestsInPushOrder(image.root)) {
            const tags = node === image.root ? target.tags : [node.manifest.digest];
            for (const tag of tags) {
              if ((await registry.manifestDigest(repository, tag)) === node.manifest.digest) {
                result.manifestsSkipped++;
                continue;
              }
              await registry.putManifest(repository, tag, node.manifest);
              result.manifestsPushed++;
            }
          }
        } catch (error) {
          result.error = error as Error;
        }
        result.ms = Date.now() - this.started;
        return result;
      }),
    );
  }
}

/** One blob to one target: present (skipped), mounted from a sibling or the source repository, or uploaded. */
async function pushBlob(
  blob: BlobSource,
  target: Target,
  result: TargetResult,
  holders: Map<string, Promise<string | undefined>>,
  limiter: Limiter,
  options: PushOptions,
): Promise<void> {
  const { registry, repository } = target;
  const where = `${registry.name}/${repository}`;
  const what = `${where}: blob ${short(blob.digest)} (${formatBytes(blob.size)})`;
  try {
    await registry.ping();
    if (await registry.hasBlob(repository, blob.digest)) {
      result.skipped++;
      if (!holders.has(blob.digest)) holders.set(blob.digest, Promise.resolve(repository));
      return;
    }
    // Mount from where it already is: the source repository on this registry, or a sibling destination.
    const from =
      blob.origin?.registry === registry.name && blob.origin.repository !== repository
        ? blob.origin.repository
        : await holders.get(blob.digest);
    if (from && from !== repository && (await registry.mountBlob(repository, blob.digest, from))) {
      result.mounted++;
      options.log(`${where}: mounted ${short(blob.digest)} from ${from}`);
      return;
    }
    let uploaded!: (repo: string | undefined) => void;
    if (!holders.has(blob.digest)) holders.set(blob.digest, new Promise((resolve) => (uploaded = resolve)));
    try {
      await limiter.run(async () => {
        const t0 = Date.now();
        await blob.ready();
        await registry.uploadBlob(repository, blob, (bytes) => {
          result.bytes += bytes;
          options.onProgress?.(bytes);
        });
        options.log(
          `${where}: pushed ${short(blob.digest)} (${formatBytes(blob.size)}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        );
      });
      result.pushed++;
      uploaded?.(repository);
    } catch (error) {
      uploaded?.(undefined);
      throw error;
    }
  } catch (error) {
    throw new BlobPushError(`${what}: ${(error as Error).message}`);
  }
}
