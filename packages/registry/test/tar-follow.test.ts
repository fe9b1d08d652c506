import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type FollowedEntry, TarFollower } from '../src/tar-follow';
import { indexTar } from '../src/tar-index';

const dir = mkdtempSync(join(tmpdir(), 'tar-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Splits bytes into chunks of awkward sizes (1 byte to ~1.5 headers, then large), so headers straddle writes. */
function chunks(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const sizes = [1, 511, 513, 7, 1024, 100_000, 3];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length];
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

test('follows every regular file of a tar written in odd-sized chunks: name, offset, size and sha256, each once its bytes are on disk', async () => {
  const root = join(dir, 'root');
  const long = `${'d'.repeat(90)}/${'e'.repeat(60)}`;
  const files: Record<string, Buffer> = {
    'a/layer.tar': randomBytes(70_000),
    'empty.json': Buffer.alloc(0),
    'manifest.json': Buffer.from('[{"Config":"c.json"}]'),
    [`${long}/layer.tar`]: randomBytes(1000),
  };
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), bytes);
  }
  const tar = join(dir, 'in.tar');
  execFileSync('tar', ['--format=ustar', '-C', root, '-cf', tar, 'a', 'empty.json', 'manifest.json', 'd'.repeat(90)]);
  const out = join(dir, 'out.tar');
  const seen: { entry: FollowedEntry; onDisk: boolean }[] = [];
  await pipeline(
    Readable.from(chunks(readFileSync(tar))),
    new TarFollower(out, (entry) => {
      const disk = readFileSync(out).subarray(entry.offset, entry.offset + entry.size);
      seen.push({ entry, onDisk: sha(disk) === entry.digest });
    }),
  );
  expect(readFileSync(out).equals(readFileSync(tar))).toBe(true);
  const index = await indexTar(tar);
  expect(seen.map((s) => s.entry.name)).toEqual(['a/layer.tar', 'empty.json', 'manifest.json', `${long}/layer.tar`]);
  for (const { entry, onDisk } of seen) {
    expect(onDisk).toBe(true);
    expect(entry.digest).toBe(sha(files[entry.name!]));
    expect({ offset: entry.offset, size: entry.size }).toEqual({
      offset: index.get(entry.name!)!.offset,
      size: index.get(entry.name!)!.size,
    });
  }
});

test('names given by pax path records and GNU long names are followed', async () => {
  const root = join(dir, 'pax');
  const long = 'p'.repeat(120);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, long), 'long');
  writeFileSync(join(root, 'short'), 'short');
  const tar = join(dir, 'pax.tar');
  execFileSync('tar', ['--format=pax', '-C', root, '-cf', tar, long, 'short']);
  const names: (string | undefined)[] = [];
  await pipeline(
    Readable.from(chunks(readFileSync(tar))),
    new TarFollower(join(dir, 'pax-out.tar'), (e) => names.push(e.name)),
  );
  expect(names).toEqual([long, 'short']);
  const gnu = join(dir, 'gnu.tar');
  execFileSync('tar', ['--format=gnu', '-C', root, '-cf', gnu, long, 'short']);
  names.length = 0;
  await pipeline(
    Readable.from(chunks(readFileSync(gnu))),
    new TarFollower(join(dir, 'gnu-out.tar'), (e) => names.push(e.name)),
  );
  expect(names).toEqual([long, 'short']);
});
