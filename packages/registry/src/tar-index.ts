/**
 * Finds where each file of a tar archive lies, by reading only the 512-byte headers, so a layer inside a
 * `docker save` archive or an OCI layout tar can be streamed straight from its byte range, in parallel,
 * without extracting the archive. Written by hand because tar libraries stream entries in order and do
 * not expose offsets; handles ustar prefixes, pax `path`/`size` records, GNU long names, and links.
 */
import { type FileHandle, open } from 'node:fs/promises';

export interface TarEntry {
  name: string;
  /** Byte offset of the content in the archive. */
  offset: number;
  size: number;
}

export class TarError extends Error {
  override name = 'TarError';
}

function cString(block: Buffer, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? slice.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  // Base-256 (GNU) for sizes over 8 GiB: high bit of the first byte set.
  if (block[start] & 0x80) {
    let value = block[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const text = cString(block, start, length).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

function normalize(name: string): string {
  return name.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
}

function parsePax(text: string): Record<string, string> {
  const records: Record<string, string> = {};
  let rest = Buffer.from(text);
  while (rest.length) {
    const space = rest.indexOf(0x20);
    const length = Number(rest.subarray(0, space).toString());
    if (!length) break;
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    const eq = record.indexOf('=');
    records[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(length);
  }
  return records;
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

/** Regular files by normalized path; hard and symbolic links resolve to their target's bytes. */
export async function indexTar(file: string): Promise<Map<string, TarEntry>> {
  const handle = await open(file, 'r');
  const entries = new Map<string, TarEntry>();
  const links: [string, string][] = [];
  try {
    const { size: total } = await handle.stat();
    // Shorter than one header block: text, an empty file, anything but a tar.
    if (total < 512) throw new TarError('is not a tar archive');
    let offset = 0;
    let pax: Record<string, string> = {};
    let longName: string | undefined;
    while (offset + 512 <= total) {
      const block = await readAt(handle, offset, 512);
      if (block.every((b) => b === 0)) break;
      if (block.subarray(257, 262).toString() !== 'ustar' && offset === 0) throw new TarError('is not a tar archive');
      const stored = block.reduce((sum, b, i) => sum + (i >= 148 && i < 156 ? 32 : b), 0);
      if (stored !== octal(block, 148, 8)) throw new TarError(`has a corrupt header at byte ${offset}`);
      const type = String.fromCharCode(block[156] || 48);
      let size = octal(block, 124, 12);
      const prefix = cString(block, 345, 155);
      let name = longName ?? pax.path ?? (prefix ? `${prefix}/${cString(block, 0, 100)}` : cString(block, 0, 100));
      if (pax.size) size = Number(pax.size);
      const linkname = pax.linkpath ?? cString(block, 157, 100);
      const dataOffset = offset + 512;
      offset = dataOffset + Math.ceil(size / 512) * 512;
      if (type === 'x' || type === 'L') {
        const data = (await readAt(handle, dataOffset, size)).toString('utf8');
        if (type === 'x') pax = parsePax(data);
        else longName = data.replace(/\0+$/, '');
        continue;
      }
      if (type === 'g') continue;
      name = normalize(name);
      pax = {};
      longName = undefined;
      if (type === '0' || type === '7') entries.set(name, { name, offset: dataOffset, size });
      else if (type === '1') links.push([name, normalize(linkname)]);
      else if (type === '2') {
        const dir = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
        links.push([name, normalize(resolveRelative(dir, linkname))]);
      }
      if (offset > total) throw new TarError(`is truncated (${name} runs past the end)`);
    }
  } finally {
    await handle.close();
  }
  for (const [name, target] of links) {
    const entry = entries.get(target);
    if (entry) entries.set(name, { ...entry, name });
  }
  return entries;
}

function resolveRelative(dir: string, link: string): string {
  if (link.startsWith('/')) return link;
  const parts = `${dir}${link}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}
