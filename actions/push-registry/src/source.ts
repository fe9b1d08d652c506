/**
 * Loads the image to push from where the inputs say: an archive or OCI layout on disk (read while the
 * inputs are checked, so a bad file fails before anything is sent), the local Docker engine (inspected
 * first, then exported with the engine API's `docker save` into the action's temp directory, which the
 * post step removes; both through the suite's one engine layer, packages/docker), or a registry
 * (manifests read now, blobs downloaded only when a destination needs them).
 */
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { EngineError, type EngineImage, exportImage, inspectImage } from '@deploy-actions/docker/engine';
import { InputError, UserError } from '@deploy-actions/toolkit';
import {
  compressionKey,
  compressToFile,
  type Image,
  Limiter,
  type LoadOptions,
  loadArchive,
  loadRemote,
  type Precompressed,
  type Registry,
  type Reference,
  SourceError,
  TarFollower,
} from '@deploy-actions/registry';

export async function loadArchiveInput(path: string, select: string | undefined, options: LoadOptions): Promise<Image> {
  try {
    return await loadArchive(path, select, options);
  } catch (error) {
    if (error instanceof SourceError)
      throw new InputError(
        'source-archive',
        error.message,
        'give a docker save tar, an OCI layout directory or an OCI layout tar',
      );
    throw error;
  }
}

export async function inspectEngineImage(image: string): Promise<EngineImage> {
  try {
    return await inspectImage(image);
  } catch (error) {
    if (error instanceof EngineError)
      throw new InputError('source', error.message, 'check the image name (docker images)');
    throw error;
  }
}

/**
 * Exports the image and compresses each new layer as soon as the engine has written it, while the rest
 * is still coming: the export and the compression overlap instead of following each other. A layer the
 * digest cache already knows is left for loadArchive, which compresses it only if a destination lacks it.
 */
export async function exportEngineImage(
  image: string,
  tempDir: string,
  log: (line: string) => void,
  options: LoadOptions,
): Promise<Image> {
  const file = join(tempDir, 'image.tar');
  const started = Date.now();
  const precompressed = new Map<string, Promise<Precompressed>>();
  const compression = options.compression?.algorithm === 'none' ? undefined : options.compression;
  const limiter = new Limiter(Math.max(1, availableParallelism()));
  const follower = new TarFollower(file, (entry) => {
    if (!compression || !entry.name || !/(^|\/)layer\.tar$|^blobs\/sha256\//.test(entry.name)) return;
    if (entry.size < 512 || precompressed.has(entry.digest)) return;
    if (options.cache?.layer(entry.digest, compressionKey(compression))) return;
    const spool = join(tempDir, `early-${entry.digest.slice(7, 19)}.${compression.algorithm}`);
    const input = () => createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
    const done = limiter.run(async () => ({
      ...(await compressToFile(input(), spool, compression, entry.digest)),
      spool,
    }));
    done.catch(() => {}); // awaited by loadArchive, or not needed (not a layer of the image after all)
    precompressed.set(entry.digest, done);
  });
  try {
    await exportImage(image, follower);
  } catch (error) {
    if (error instanceof EngineError) throw new UserError(`Source: ${error.message}`);
    throw error;
  }
  log(`Exported ${image} from the Docker engine in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let loaded: Image;
  try {
    loaded = await loadArchive(file, undefined, { ...options, precompressed });
  } catch (error) {
    if (error instanceof SourceError) throw new UserError(`Source: ${error.message}`);
    throw error;
  }
  return { ...loaded, source: `${image} (Docker engine)` };
}

export async function loadRegistrySource(registry: Registry, ref: Reference, tempDir: string): Promise<Image> {
  try {
    return await loadRemote(registry, ref, tempDir);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404)
      throw new UserError(
        `Source: ${ref.registry}/${ref.repository}:${ref.digest ?? ref.tag ?? 'latest'} does not exist (the registry answered 404)`,
      );
    if (error instanceof SourceError) throw new UserError(`Source: ${error.message}`);
    throw error;
  }
}
