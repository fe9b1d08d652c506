import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { c as createTar, x as extractTar } from 'tar';
import { dockerArchiveToOciLayout } from '../src';

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('docker-archive to OCI image layout', () => {
  test('keeps config and layers byte for byte, one index entry per tag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oci-unit-'));
    const src = join(dir, 'src');
    mkdirSync(join(src, 'layer1'), { recursive: true });
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
    const configName = `${sha256(config).slice(7)}.json`;
    writeFileSync(join(src, configName), config);
    writeFileSync(join(src, 'layer1', 'layer.tar'), 'not really a tar, just bytes');
    writeFileSync(
      join(src, 'manifest.json'),
      JSON.stringify([
        {
          Config: configName,
          RepoTags: ['reg.example/app:v1', 'reg.example/app:latest'],
          Layers: ['layer1/layer.tar'],
        },
      ]),
    );
    await createTar({ file: join(dir, 'docker.tar'), cwd: src }, ['manifest.json', configName, 'layer1']);

    await dockerArchiveToOciLayout(join(dir, 'docker.tar'), join(dir, 'oci.tar'));
    const out = join(dir, 'out');
    mkdirSync(out);
    await extractTar({ file: join(dir, 'oci.tar'), cwd: out });

    expect(JSON.parse(readFileSync(join(out, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'));
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests).toHaveLength(2);
    expect(index.manifests[0].digest).toBe(index.manifests[1].digest);
    expect(
      index.manifests.map(
        (m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name'],
      ),
    ).toEqual(['v1', 'latest']);
    const blob = (digest: string) => readFileSync(join(out, 'blobs', 'sha256', digest.slice(7)));
    const manifestBytes = blob(index.manifests[0].digest);
    expect(sha256(manifestBytes)).toBe(index.manifests[0].digest);
    expect(index.manifests[0].size).toBe(manifestBytes.length);
    const manifest = JSON.parse(manifestBytes.toString('utf8'));
    expect(manifest.config).toEqual({
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha256(config),
      size: config.length,
    });
    expect(blob(manifest.config.digest).toString('utf8')).toBe(config);
    expect(manifest.layers).toEqual([
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256('not really a tar, just bytes'), size: 28 },
    ]);
  });
});
