/**
 * Layer compression: gzip (the default, what `docker push` and BuildKit send), zstd, or none. Each layer
 * is compressed once, whatever the number of destinations, streamed from its byte range in the archive to
 * a spool file while its sha256 and size are computed, so no layer is held in memory and nothing is read
 * twice. The output is reproducible: the same input, algorithm, level and zlib give the same bytes.
 *
 * gzip is written as pigz writes it, because zlib deflates one stream on one core and is the slowest
 * part of a push: the input is cut into 1 MiB blocks deflated on libuv's thread pool several at a time,
 * each primed with the previous block's last 32 KiB and ended by a sync flush, so the pieces join into
 * one ordinary gzip member (any gunzip reads it) within a fraction of a percent of a single deflate's
 * size. The header is written here: no name, mtime 0, OS byte 255 ("unknown", as Go's compress/gzip
 * writes it), so the digest does not depend on the platform the runner runs on. A block whose bytes look
 * random (byte entropy above 7.9 bits in each of three samples, as in already-compressed assets: images,
 * archives, model weights) is stored rather than deflated, which costs under 0.01% in size and saves the
 * CPU deflate would spend finding nothing. Every choice depends only on the bytes at fixed offsets, so
 * the output stays reproducible however the input arrives in chunks.
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
import { availableParallelism } from 'node:os';
import * as zlib from 'node:zlib';
import { Limiter } from './limiter';

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
  // The format's own version too: a change in how blocks are cut or stored changes every digest.
  const format = compression.algorithm === 'gzip' ? `-blocks${GZIP_FORMAT}` : '';
  return `${compression.algorithm}-${levelOf(compression)}-zlib${process.versions.zlib}${format}`;
}

const BLOCK = 1 << 20;
/** Deflate's window: each block is primed with the last 32 KiB of the one before, as pigz does. */
const WINDOW = 32 << 10;
const RANDOM_BITS = 7.9;
const SAMPLE = 16 << 10;
/** Output buffer per deflate call: a block compressed 4× or better comes back in one trip to the pool. */
const OUTPUT_CHUNK = 256 << 10;
/** Bumped whenever the gzip bytes for the same input change (block size, priming, stored blocks). */
const GZIP_FORMAT = 1;

/** Shannon entropy of some bytes, in bits per byte (8 for random data). */
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

/** Whether a block looks random: three 16 KiB samples at fixed offsets all do (see the header). */
export function looksRandom(block: Buffer): boolean {
  if (block.length < 4 * SAMPLE) return byteEntropy(block) > RANDOM_BITS;
  const step = Math.floor((block.length - SAMPLE) / 2);
  for (let at = 0; at + SAMPLE <= block.length; at += step)
    if (byteEntropy(block.subarray(at, at + SAMPLE)) <= RANDOM_BITS) return false;
  return true;
}

/** gzip header: no name, mtime 0, no extra flags, OS 255 ("unknown", as Go's compress/gzip writes it). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
/** An empty final block with fixed codes: how zlib ends a stream after a sync flush. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * At most one block deflating per core, across every layer: libuv's pool has 4 threads and also serves the
 * file reads and writes that feed the uploads, which must not queue behind deflates.
 */
const deflates = new Limiter(availableParallelism());

function deflateBlock(block: Buffer, level: number, dictionary: Buffer | undefined): Promise<Buffer> {
  return deflates.run(
    () =>
      new Promise((resolve, reject) =>
        zlib.deflateRaw(
          block,
          // The default 16 KiB output chunk costs a round trip through the main thread per 16 KiB.
          { level, memLevel: 8, dictionary, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: OUTPUT_CHUNK },
          (error, out) => (error ? reject(error) : resolve(out)),
        ),
      ),
  );
}

/**
 * A block as deflate's stored blocks (RFC 1951 3.2.4), written here rather than by zlib at level 0: no
 * copy through the pool and no output buffer to allocate. The stream is byte-aligned at every block
 * boundary (each deflated block ends with a sync flush), so each header is one byte: not final, stored.
 */
function storedBlocks(block: Buffer): Buffer {
  const MAX = 0xffff;
  const parts: Buffer[] = [];
  for (let at = 0; at < block.length; at += MAX) {
    const piece = block.subarray(at, Math.min(at + MAX, block.length));
    const header = Buffer.alloc(5);
    header.writeUInt16LE(piece.length, 1);
    header.writeUInt16LE(~piece.length & 0xffff, 3);
    parts.push(header, piece);
  }
  return Buffer.concat(parts);
}

/**
 * gzip at `level` as pigz writes it: one gzip member whose deflate stream is made of 1 MiB blocks, each
 * deflated on its own (on libuv's thread pool, several at once, so one layer uses every core) with the
 * previous block's last 32 KiB as its dictionary and ended by a sync flush, so they concatenate into one
 * valid stream as good as a single deflate. Blocks that look random are stored (storedBlocks). The CRC and
 * size come from the input, block by block, in order. Output is written in input order.
 */
function parallelGzip(level: number, inFlight = availableParallelism() + 1): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let previousTail: Buffer | undefined;
  let crc = 0;
  let size = 0;
  const queue: Promise<Buffer>[] = [];
  const dispatch = (block: Buffer) => {
    crc = zlib.crc32(block, crc);
    size = (size + block.length) >>> 0;
    queue.push(looksRandom(block) ? Promise.resolve(storedBlocks(block)) : deflateBlock(block, level, previousTail));
    previousTail = Buffer.from(block.subarray(Math.max(0, block.length - WINDOW)));
  };
  const drainTo = async (stream: Transform, keep: number) => {
    while (queue.length > keep) stream.push(await queue.shift()!);
  };
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!started) {
        started = true;
        this.push(GZIP_HEADER);
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < BLOCK) return done();
      const all = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      let offset = 0;
      for (; all.length - offset >= BLOCK; offset += BLOCK) dispatch(all.subarray(offset, offset + BLOCK));
      pending = offset < all.length ? [all.subarray(offset)] : [];
      pendingBytes = all.length - offset;
      drainTo(this, inFlight - 1).then(() => done(), done);
    },
    flush(done) {
      if (!started) this.push(GZIP_HEADER);
      if (pendingBytes) dispatch(Buffer.concat(pending));
      drainTo(this, 0).then(() => {
        const trailer = Buffer.alloc(8);
        trailer.writeUInt32LE(crc >>> 0, 0);
        trailer.writeUInt32LE(size, 4);
        this.push(FINAL_BLOCK);
        this.push(trailer);
        done();
      }, done);
    },
  });
}

/** The compressing streams for one layer. */
export function compressors(compression: Compression): Transform[] {
  const level = levelOf(compression);
  if (compression.algorithm === 'gzip') return [parallelGzip(level!)];
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
  /** The input's digest when the caller hashed it already (as the input went by), so it is not hashed twice. */
  knownInputDigest?: string,
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
    await pipeline([
      input,
      ...(knownInputDigest ? [] : [tap]),
      ...compressors(compression),
      count,
      createWriteStream(file),
    ]);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  const inputDigest = knownInputDigest ?? `sha256:${inputHash.digest('hex')}`;
  return { digest: `sha256:${hash.digest('hex')}`, size, inputDigest };
}
