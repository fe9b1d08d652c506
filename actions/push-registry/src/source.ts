/**
 * Loads the image to push from where the inputs say: an archive or OCI layout on disk (read while the
 * inputs are checked, so a bad file fails before anything is sent), the local Docker engine (inspected
 * first, then exported with the engine API's `docker save` into the action's temp directory, which the
 * post step removes; both through the suite's one engine layer, packages/docker), or a registry
 * (manifests read now, blobs downloaded only when a destination needs them).
 */
import { join } from 'node:path';
import { EngineError, type EngineImage, exportImage, inspectImage } from '@deploy-actions/docker/engine';
import { InputError, UserError } from '@deploy-actions/toolkit';
import {
  type Image,
  type LoadOptions,
  loadArchive,
  loadRemote,
  type Registry,
  type Reference,
  SourceError,
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

export async function exportEngineImage(
  image: string,
  tempDir: string,
  log: (line: string) => void,
  options: LoadOptions,
): Promise<Image> {
  const file = join(tempDir, 'image.tar');
  const started = Date.now();
  try {
    await exportImage(image, file);
  } catch (error) {
    if (error instanceof EngineError) throw new UserError(`Source: ${error.message}`);
    throw error;
  }
  log(`Exported ${image} from the Docker engine in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let loaded: Image;
  try {
    loaded = await loadArchive(file, undefined, options);
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
