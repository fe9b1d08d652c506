/**
 * Layer compression: gzip (the default, what `docker push` and BuildKit send), zstd, or none. Each layer
 * is compressed once, whatever the number of destinations, streamed from its byte range in the archive to
 * a spool file while its sha256 and size are computed, so no layer is held in memory and nothing is read
 * twice. The output is reproducible: the same input, algorithm, level and zlib give the same bytes. The
 * gzip header carries no name and mtime 0 (zlib's default) and its OS byte is set to 255 ("unknown", as
 * Go's compress/gzip writes it) so the digest does not depend on the platform the runner runs on.
 *
 * gzip adapts per 1 MiB block of input: a block whose bytes look random (byte entropy above 7.9 bits,
 * as in already-compressed assets: images, archives, model weights) is stored rather than deflated,
 * which costs under 0.01% in size and saves nearly all the CPU deflate would spend finding nothing. The
 * choice depends only on the bytes, at fixed offsets, so the output stays reproducible.
 *
 * zstd comes from node:zlib (Node 22.15+, and the node24 runtime the action declares); where the runtime
 * lacks it, asking for zstd is refused up front with a message saying so, rather than loading a native
 * or wasm package into every run.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

export type CompressionAlgorithm = 'gzip' | 'zstd' | 'none';
export const COMPRESSION_ALGORITHMS: readonly CompressionAlgorithm[] = ['gzip', 'zstd', 'none'];

export interface Compression {
  algorithm: CompressionAlgorithm;
  /** gzip 1-9 (default 6), zstd 1-19 (default 3). */
  level?: number;
}

export const LEVELS: Record<Exclude<CompressionAlgorithm, 'none'>, { min: number; max: number; default: number }> = {
  gzip: { min: 1, max: 9, default: 6 },
  zstd: { min: 1, max: 19, default: 3 },
};

type ZstdZlib = typeof zlib & {
  createZstdCompress?: (options?: { params?: Record<number, number> }) => Transform;
  constants: typeof zlib.constants & { ZSTD_c_compressionLevel?: number };
};

/** Whether this runtime's node:zlib has zstd (Node 22.15+). */
export function zstdAvailable(z: Pick<ZstdZlib, 'createZstdCompress'> = zlib as ZstdZlib): boolean {
  return typeof z.createZstdCompress === 'function';
}

/** The level actually used. */
export function levelOf(compression: Compression): number | undefined {
  if (compression.algorithm === 'none') return undefined;
  return compression.level ?? LEVELS[compression.algorithm].default;
}

/** A key naming everything the compressed bytes depend on, for the digest cache. */
export function compressionKey(compression: Compression): string {
  if (compression.algorithm === 'none') return 'none';
  return `${compression.algorithm}-${levelOf(compression)}-zlib${process.versions.zlib}`;
}

/** Sets byte 9 of the gzip header (OS) to 255, whatever the platform zlib was built for. */
function fixedGzipHeader(): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (seen <= 9 && seen + chunk.length > 9) {
        chunk = Buffer.from(chunk);
        chunk[9 - seen] = 0xff;
      }
      seen += chunk.length;
      done(null, chunk);
    },
  });
}

const BLOCK = 1 << 20;
const RANDOM_BITS = 7.9;

/** Shannon entropy of a block's bytes, in bits per byte (8 for random data). */
export function byteEntropy(block: Buffer): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < block.length; i++) counts[block[i]]++;
  let bits = 0;
  for (const count of counts) {
    if (!count) continue;
    const p = count / block.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** gzip at `level`, switching to stored blocks for input blocks that look random (see the header). */
function adaptiveGzip(level: number): Transform {
  const gzip = zlib.createGzip({ level, memLevel: 8 });
  let current = level;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const setLevel = (wanted: number) =>
    new Promise<void>((resolve) => {
      if (wanted === current) return resolve();
      current = wanted;
      // Gzip has params() at runtime (it is a Deflate with a header); the typings only declare it on Deflate.
      (gzip as unknown as zlib.ZlibParams).params(wanted, zlib.constants.Z_DEFAULT_STRATEGY, () => resolve());
    });
  const writeBlock = async (block: Buffer) => {
    await setLevel(byteEntropy(block) > RANDOM_BITS ? 0 : level);
    if (!gzip.write(block)) await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
  };
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < BLOCK) return done();
      (async () => {
        const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        let offset = 0;
        for (; all.length - offset >= BLOCK; offset += BLOCK) await writeBlock(all.subarray(offset, offset + BLOCK));
        pending = offset < all.length ? [all.subarray(offset)] : [];
        pendingBytes = all.length - offset;
      })().then(() => done(), done);
    },
    flush(done) {
      (async () => {
        if (pendingBytes) await writeBlock(Buffer.concat(pending));
        const ended = new Promise<void>((resolve, reject) => {
          gzip.once('end', () => resolve());
          gzip.once('error', reject);
        });
        gzip.end();
        await ended;
      })().then(() => done(), done);
    },
  });
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  gzip.on('error', (error) => out.destroy(error));
  return out;
}

/** The compressing streams for one layer. */
export function compressors(compression: Compression): Transform[] {
  const level = levelOf(compression);
  if (compression.algorithm === 'gzip') return [adaptiveGzip(level!), fixedGzipHeader()];
  if (compression.algorithm === 'zstd') {
    const z = zlib as ZstdZlib;
    if (!z.createZstdCompress)
      throw new Error(`zstd compression needs Node 22.15 or later (this is ${process.version})`);
    const param = z.constants.ZSTD_c_compressionLevel ?? 100;
    return [z.createZstdCompress({ params: { [param]: level! } })];
  }
  return [];
}

export interface Compressed {
  digest: string;
  size: number;
}

/**
 * Compresses a stream to a file, hashing the output as it is written, and the input too (the layer's
 * diff_id, which the registry cannot check once the layer is compressed).
 */
export async function compressToFile(
  input: Readable,
  file: string,
  compression: Compression,
): Promise<Compressed & { inputDigest: string }> {
  const inputHash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      inputHash.update(chunk);
      done(null, chunk);
    },
  });
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline([input, tap, ...compressors(compression), count, createWriteStream(file)]);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size, inputDigest: `sha256:${inputHash.digest('hex')}` };
}
