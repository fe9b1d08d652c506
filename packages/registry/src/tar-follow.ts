/**
 * Writes a tar stream to a file while following its entries: each regular file's sha256 is computed as
 * its bytes go by, and `onEntry` is called once the entry's last byte is on disk, with where it lies in
 * the file. push-registry uses it to compress the layers of a `docker save` while the engine is still
 * exporting the rest, instead of waiting for the whole archive. Written by hand because tar libraries
 * either extract or stream entries without their offsets (see tar-index.ts, which reads a finished file).
 * Names come from ustar (with its prefix), a pax `path` record or a GNU long name; an entry whose name
 * record is too large to keep is reported without one.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';

export interface FollowedEntry {
  /** The ustar name (prefix included), or undefined when a pax/GNU record names it. */
  name: string | undefined;
  offset: number;
  size: number;
  digest: string;
}

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const slice = header.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? length : end).toString('utf8');
}

function size(header: Buffer): number {
  if (header[124] & 0x80) {
    let value = header[124] & 0x7f;
    for (let i = 125; i < 136; i++) value = value * 256 + header[i];
    return value;
  }
  const text = field(header, 124, 12).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

interface Current {
  name: string | undefined;
  offset: number;
  size: number;
  /** Regular files are hashed; pax and GNU long-name records are kept, to name the next entry. */
  hash?: Hash;
  record?: Buffer[];
  type: string;
}

/** Larger name records than this are not kept (a pax record holds a path and a few attributes). */
const MAX_RECORD = 64 << 10;

/** The name a pax extended header (`x`) or GNU long-name entry (`L`) gives the entry after it. */
function recordName(type: string, record: Buffer): string | undefined {
  if (type === 'L') return field(record, 0, record.length);
  for (let at = 0; at < record.length; ) {
    const space = record.indexOf(0x20, at);
    const length = Number.parseInt(record.subarray(at, space).toString(), 10);
    if (space < 0 || !(length > 0)) return undefined;
    const line = record.subarray(space + 1, at + length - 1).toString('utf8');
    if (line.startsWith('path=')) return line.slice(5);
    at += length;
  }
  return undefined;
}

export class TarFollower extends Writable {
  private handle?: FileHandle;
  /** Bytes of the stream seen (and, once a write returns, on disk). */
  private position = 0;
  /** Where the next header starts. */
  private nextHeader = 0;
  private header = Buffer.alloc(0);
  private current?: Current;
  /** What a pax or GNU record said the next entry is called (null: it said, but too long to keep). */
  private rename: string | null | undefined;

  constructor(
    private readonly file: string,
    private readonly onEntry: (entry: FollowedEntry) => void,
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.file, 'w').then((handle) => {
      this.handle = handle;
      callback();
    }, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.handle!.write(chunk, 0, chunk.length, this.position).then(() => {
      this.follow(chunk);
      callback();
    }, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.handle!.close().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    this.handle = undefined;
    (handle ? handle.close().catch(() => {}) : Promise.resolve()).then(() => callback(error));
  }

  /** Walks one written chunk: content bytes feed the current entry's hash, header bytes the next header. */
  private follow(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const absolute = this.position + at;
      if (this.current && absolute < this.current.offset + this.current.size) {
        const take = Math.min(chunk.length - at, this.current.offset + this.current.size - absolute);
        const bytes = chunk.subarray(at, at + take);
        this.current.hash?.update(bytes);
        this.current.record?.push(Buffer.from(bytes));
        at += take;
        if (absolute + take === this.current.offset + this.current.size) this.finish();
        continue;
      }
      if (absolute < this.nextHeader) {
        at += Math.min(chunk.length - at, this.nextHeader - absolute);
        continue;
      }
      const take = Math.min(chunk.length - at, BLOCK - this.header.length);
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)]);
      at += take;
      if (this.header.length === BLOCK) this.readHeader(this.position + at);
    }
    this.position += chunk.length;
  }

  private readHeader(contentOffset: number): void {
    const header = this.header;
    this.header = Buffer.alloc(0);
    const length = size(header);
    this.nextHeader = contentOffset + Math.ceil(length / BLOCK) * BLOCK;
    if (header.every((b) => b === 0)) return;
    const type = String.fromCharCode(header[156] || 0x30);
    const regular = type === '0' || type === '\0' || type === '7';
    const prefix = field(header, 257, 6).startsWith('ustar') ? field(header, 345, 155) : '';
    const ustarName = (prefix ? `${prefix}/` : '') + field(header, 0, 100);
    const named = type === 'x' || type === 'L';
    const name = this.rename === null ? undefined : (this.rename ?? ustarName);
    if (!named) this.rename = undefined;
    this.current = {
      name,
      offset: contentOffset,
      size: length,
      type,
      hash: regular ? createHash('sha256') : undefined,
      record: named && length <= MAX_RECORD ? [] : undefined,
    };
    if (named && length > MAX_RECORD) this.rename = null;
    if (length === 0) this.finish();
  }

  private finish(): void {
    const entry = this.current!;
    this.current = undefined;
    if (entry.record) this.rename = recordName(entry.type, Buffer.concat(entry.record)) ?? this.rename;
    if (!entry.hash) return;
    this.onEntry({
      name: entry.name?.replace(/^\.\//, ''),
      offset: entry.offset,
      size: entry.size,
      digest: `sha256:${entry.hash.digest('hex')}`,
    });
  }
}
