import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as createTar, x as extractTar } from 'tar';

/**
 * Turns a docker-archive (`docker save`) into an OCI image layout tar, so `archive-format: oci` works
 * without buildx too. The layers are kept as they are (uncompressed tars, which OCI allows as
 * `application/vnd.oci.image.layer.v1.tar`), so nothing is recompressed and the image ID (the config
 * digest) is unchanged. index.json names each tag with `org.opencontainers.image.ref.name` (the tag)
 * and `io.containerd.image.name` (the full reference), as buildx's `type=oci` export does.
 */

interface DockerManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

async function sha256File(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** Converts, and returns the digest of the first image's manifest (what a registry stores for it, pushed as-is). */
export async function dockerArchiveToOciLayout(dockerArchive: string, ociArchive: string): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'oci-layout-'));
  try {
    const source = join(work, 'docker');
    const layout = join(work, 'oci');
    const blobs = join(layout, 'blobs', 'sha256');
    await mkdir(source);
    await mkdir(blobs, { recursive: true });
    await extractTar({ file: dockerArchive, cwd: source });
    const entries = JSON.parse(await readFile(join(source, 'manifest.json'), 'utf8')) as DockerManifestEntry[];

    const addBlob = async (path: string, mediaType: string): Promise<Descriptor> => {
      const { digest, size } = await sha256File(path);
      await copyFile(path, join(blobs, digest.slice('sha256:'.length)));
      return { mediaType, digest, size };
    };
    const index: Descriptor[] = [];
    for (const entry of entries) {
      const config = await addBlob(join(source, entry.Config), 'application/vnd.oci.image.config.v1+json');
      const layers: Descriptor[] = [];
      for (const layer of entry.Layers)
        layers.push(await addBlob(join(source, layer), 'application/vnd.oci.image.layer.v1.tar'));
      const manifestPath = join(work, 'manifest.json');
      await writeFile(
        manifestPath,
        JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers }),
      );
      const manifest = await addBlob(manifestPath, 'application/vnd.oci.image.manifest.v1+json');
      for (const ref of entry.RepoTags ?? [undefined]) {
        const annotations = ref
          ? {
              'io.containerd.image.name': ref,
              'org.opencontainers.image.ref.name': ref.slice(ref.lastIndexOf(':') + 1),
            }
          : undefined;
        index.push({ ...manifest, ...(annotations ? { annotations } : {}) });
      }
    }
    await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await writeFile(
      join(layout, 'index.json'),
      JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index }),
    );
    await createTar({ file: ociArchive, cwd: layout, portable: true }, ['oci-layout', 'index.json', 'blobs']);
    return index[0]?.digest ?? '';
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
