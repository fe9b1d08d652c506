/**
 * Loads the image to push from where the inputs say: an archive or OCI layout on disk, the local Docker
 * engine (exported with the engine API's `docker save` into the action's temp directory, removed by the
 * post step), or a registry (manifests read now, blobs downloaded only when a destination needs them).
 */
import { join } from 'node:path';
import { UserError } from '@deploy-actions/toolkit';
import {
  EngineError,
  type Image,
  inspectImage,
  loadArchive,
  loadRemote,
  type Registry,
  saveImage,
  SourceError,
} from '@deploy-actions/registry';
import type { Source } from './inputs';

export async function loadSource(
  source: Source,
  registries: Map<string, Registry>,
  tempDir: string,
  log: (line: string) => void,
): Promise<Image> {
  try {
    if (source.kind === 'archive') return await loadArchive(source.path, source.select);
    if (source.kind === 'registry') return await loadRemote(registries.get(source.ref.registry)!, source.ref, tempDir);
    const file = join(tempDir, 'image.tar');
    const started = Date.now();
    await saveImage(source.image, file);
    log(`Exported ${source.image} from the Docker engine in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const image = await loadArchive(file);
    return { ...image, source: `${source.image} (Docker engine)` };
  } catch (error) {
    if (error instanceof SourceError || error instanceof EngineError) throw new UserError(`Source: ${error.message}`);
    throw error;
  }
}

/** The engine's image, checked before anything is pushed (and used to notice an unchanged re-push). */
export async function inspectEngineImage(image: string) {
  try {
    return await inspectImage(image);
  } catch (error) {
    if (error instanceof EngineError) throw new UserError(`Source: ${error.message}`);
    throw error;
  }
}
