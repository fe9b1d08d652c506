import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { loadArchive } from '../src/archive';
import { byteEntropy, compressionKey, compressToFile, looksRandom, zstdAvailable } from '../src/compress';
import { type DigestCache, fileDigestCache } from '../src/digest-cache';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const dirs: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Text-like bytes: compressible, like most of an image's files. */
function textLike(size: number): Buffer {
  const words = ['package', 'import', 'function', 'return', 'const', 'module', 'export', '\n'];
  let out = '';
  while (out.length < size) out += `${words[out.length % 7]} ${words[(out.length * 7) % 8]} `;
  return Buffer.from(out.slice(0, size));
}

test('gzip output is reproducible and platform-free: mtime 0, OS byte 255, same digest every time, inflates to the input', async () => {
  const dir = temp('gz-');
  const input = textLike(300_000);
  const a = await compressToFile(Readable.from([input]), join(dir, 'a.gz'), { algorithm: 'gzip' });
  const b = await compressToFile(Readable.from([input.subarray(0, 1000), input.subarray(1000)]), join(dir, 'b.gz'), {
    algorithm: 'gzip',
  });
  expect(a.digest).toBe(b.digest);
  expect(a.inputDigest).toBe(sha(input));
  const bytes = readFileSync(join(dir, 'a.gz'));
  expect(sha(bytes)).toBe(a.digest);
  expect(bytes.length).toBe(a.size);
  expect(bytes.subarray(4, 8).readUInt32LE()).toBe(0);
  expect(bytes[9]).toBe(0xff);
  expect(gunzipSync(bytes).equals(input)).toBe(true);
  expect(a.size).toBeLessThan(input.length / 5);
  const fast = await compressToFile(Readable.from([input]), join(dir, 'c.gz'), { algorithm: 'gzip', level: 1 });
  expect(fast.digest).not.toBe(a.digest);
  expect(compressionKey({ algorithm: 'gzip' })).toBe(compressionKey({ algorithm: 'gzip', level: 6 }));
  expect(compressionKey({ algorithm: 'gzip', level: 1 })).not.toBe(compressionKey({ algorithm: 'gzip' }));
});

test('gzip stores blocks that look random and deflates the rest, the same way however the input is chunked', async () => {
  const dir = temp('mixed-');
  const input = Buffer.concat([randomBytes(3 << 20), textLike(2 << 20), randomBytes(100_000)]);
  const whole = await compressToFile(Readable.from([input]), join(dir, 'a.gz'), { algorithm: 'gzip' });
  const pieces = [input.subarray(0, 70_000), input.subarray(70_000, (1 << 20) + 5), input.subarray((1 << 20) + 5)];
  const split = await compressToFile(Readable.from(pieces), join(dir, 'b.gz'), { algorithm: 'gzip' });
  expect(split.digest).toBe(whole.digest);
  expect(gunzipSync(readFileSync(join(dir, 'a.gz'))).equals(input)).toBe(true);
  // Random megabytes cost almost nothing extra; the text ones shrink.
  expect(whole.size).toBeLessThan((3 << 20) + 100_000 + (2 << 20) / 3);
  expect(byteEntropy(randomBytes(1 << 20))).toBeGreaterThan(7.99);
  expect(byteEntropy(textLike(1 << 20))).toBeLessThan(5);
});

test('gzip is one member made of blocks deflated in parallel: any gunzip reads it, and it is as small as one deflate', async () => {
  const dir = temp('pigz-');
  // Several blocks, the last one partial; text repeating across block boundaries, so priming each block
  // with the previous one's last 32 KiB matters.
  const input = Buffer.concat([textLike(3 * (1 << 20) + 12_345), randomBytes(2 << 20), textLike(1 << 20)]);
  const out = await compressToFile(Readable.from([input]), join(dir, 'a.gz'), { algorithm: 'gzip' });
  const bytes = readFileSync(join(dir, 'a.gz'));
  expect(gunzipSync(bytes).equals(input)).toBe(true);
  execFileSync('gzip', ['-t', join(dir, 'a.gz')]);
  expect(execFileSync('gzip', ['-dc', join(dir, 'a.gz')], { maxBuffer: 1 << 24 }).equals(input)).toBe(true);
  // One member: the trailer's CRC and size are the whole input's.
  expect(bytes.readUInt32LE(bytes.length - 4)).toBe(input.length);
  expect(bytes.readUInt32LE(bytes.length - 8)).toBe(crc32(input));
  // Within 1% of zlib deflating the whole input as one stream at the same level.
  expect(out.size).toBeLessThan(gzipSync(input, { level: 6 }).length * 1.01);
  // Empty input is a valid empty gzip.
  const empty = await compressToFile(Readable.from([]), join(dir, 'e.gz'), { algorithm: 'gzip' });
  expect(gunzipSync(readFileSync(join(dir, 'e.gz'))).length).toBe(0);
  expect(empty.inputDigest).toBe(sha(Buffer.alloc(0)));
});

test('a block is stored only when all three samples of it look random', () => {
  const block = Buffer.concat([randomBytes(300_000), textLike(400_000), randomBytes(348_576)]);
  expect(looksRandom(block)).toBe(false);
  expect(looksRandom(randomBytes(1 << 20))).toBe(true);
  expect(looksRandom(randomBytes(10_000))).toBe(true);
  expect(looksRandom(textLike(10_000))).toBe(false);
});

test('zstd is used from node:zlib where the runtime has it, and otherwise refused with a message', async () => {
  const dir = temp('zst-');
  const input = textLike(100_000);
  const run = compressToFile(Readable.from([input]), join(dir, 'a.zst'), { algorithm: 'zstd' });
  if (zstdAvailable()) {
    const out = await run;
    expect(readFileSync(join(dir, 'a.zst')).subarray(0, 4)).toEqual(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
    expect(out.size).toBeLessThan(input.length / 5);
  } else await expect(run).rejects.toThrow(/zstd compression needs Node 22\.15 or later/);
  expect(zstdAvailable({ createZstdCompress: undefined })).toBe(false);
  expect(zstdAvailable({ createZstdCompress: (() => {}) as never })).toBe(true);
});

/** A docker save archive of the given uncompressed layers. */
function saveArchive(layers: Buffer[], diffIds = layers.map(sha)): string {
  const dir = temp('save-');
  const root = join(dir, 'root');
  const names = layers.map((layer, i) => {
    mkdirSync(join(root, `l${i}`), { recursive: true });
    writeFileSync(join(root, `l${i}`, 'layer.tar'), layer);
    return `l${i}/layer.tar`;
  });
  const config = Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: diffIds } }));
  writeFileSync(join(root, 'cfg.json'), config);
  writeFileSync(
    join(root, 'manifest.json'),
    JSON.stringify([{ Config: 'cfg.json', RepoTags: ['app:1'], Layers: names }]),
  );
  const tar = join(dir, 'image.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, 'manifest.json', 'cfg.json', ...layers.map((_, i) => `l${i}`)]);
  return tar;
}

function countingCache(inner: DigestCache) {
  const counts = { setLayer: 0 };
  const cache: DigestCache = {
    ...inner,
    setLayer: (...args) => {
      counts.setLayer++;
      inner.setLayer(...args);
    },
  };
  return { cache, counts };
}

test('a docker archive gets +gzip layers compressed once each; with the cache, an unchanged archive is recognised without compressing, and compressed only on need', async () => {
  const layers = [textLike(200_000), randomBytes(150_000)];
  const tar = saveArchive(layers);
  const cacheDir = temp('cache-');
  const first = countingCache(fileDigestCache(cacheDir));
  const spool = temp('spool-');
  const image = await loadArchive(tar, undefined, {
    compression: { algorithm: 'gzip' },
    spoolDir: spool,
    cache: first.cache,
  });
  expect(first.counts.setLayer).toBe(2);
  const manifest = JSON.parse(image.root.manifest.bytes.toString());
  expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
    'application/vnd.oci.image.layer.v1.tar+gzip',
    'application/vnd.oci.image.layer.v1.tar+gzip',
  ]);
  expect(manifest.layers[0].size).toBeLessThan(layers[0].length / 5);
  for (const [i, d] of manifest.layers.entries()) {
    const chunks: Buffer[] = [];
    for await (const chunk of image.blobs.get(d.digest)!.open()) chunks.push(chunk as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(d.digest);
    expect(gunzipSync(Buffer.concat(chunks)).equals(layers[i])).toBe(true);
  }
  // Without a cache, the same digests again (reproducible).
  const fresh = await loadArchive(tar, undefined, { compression: { algorithm: 'gzip' }, spoolDir: temp('spool-') });
  expect(fresh.root.manifest.digest).toBe(image.root.manifest.digest);
  // With the cache: the manifest comes out the same and nothing is compressed until a blob is needed.
  const second = countingCache(fileDigestCache(cacheDir));
  let spoolAsked = 0;
  const lazySpool = temp('spool-');
  const cached = await loadArchive(tar, undefined, {
    compression: { algorithm: 'gzip' },
    spoolDir: () => {
      spoolAsked++;
      return lazySpool;
    },
    cache: second.cache,
  });
  expect(cached.root.manifest.digest).toBe(image.root.manifest.digest);
  expect(second.counts.setLayer).toBe(0);
  const blob = cached.blobs.get(manifest.layers[1].digest)!;
  await blob.ready();
  expect(second.counts.setLayer).toBe(1);
  const chunks: Buffer[] = [];
  for await (const chunk of blob.open()) chunks.push(chunk as Buffer);
  expect(sha(Buffer.concat(chunks))).toBe(manifest.layers[1].digest);
  expect(spoolAsked).toBeGreaterThan(0);
  // A layer that does not match its diff_id is refused (the registry cannot check it once compressed).
  const bad = saveArchive([textLike(1000)], [sha(Buffer.from('something else'))]);
  await expect(
    loadArchive(bad, undefined, { compression: { algorithm: 'gzip' }, spoolDir: temp('spool-') }),
  ).rejects.toThrow(/layer l0\/layer\.tar hashes to sha256:[a-f0-9]{64}, but the image config says/);
  // compression: none leaves layers as they are.
  const plain = await loadArchive(tar, undefined, { compression: { algorithm: 'none' } });
  expect(JSON.parse(plain.root.manifest.bytes.toString()).layers[0]).toEqual({
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    digest: sha(layers[0]),
    size: layers[0].length,
  });
});
