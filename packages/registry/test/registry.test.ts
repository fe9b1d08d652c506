import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArchive } from '../src/archive';
import { parseChallenge } from '../src/auth';
import { formatReference, isLoopback, NAME_MAX_LENGTH, parseReference, TAG_MAX_LENGTH } from '../src/reference';
import { indexTar } from '../src/tar-index';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('parseReference', () => {
  test('splits registry, repository, tag and digest the way Docker does', () => {
    expect(parseReference('ghcr.io/acme/api:1.2')).toEqual({
      registry: 'ghcr.io',
      repository: 'acme/api',
      tag: '1.2',
      digest: undefined,
    });
    expect(parseReference('127.0.0.1:5000/app:v1').registry).toBe('127.0.0.1:5000');
    expect(parseReference('localhost/app:v1').registry).toBe('localhost');
    expect(parseReference('nginx:1')).toMatchObject({ registry: 'docker.io', repository: 'library/nginx' });
    expect(parseReference('index.docker.io/me/app:x')).toMatchObject({ registry: 'docker.io', repository: 'me/app' });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseReference(`europe-docker.pkg.dev/p/r/app@${digest}`)).toMatchObject({ repository: 'p/r/app', digest });
  });

  test('rejects what a registry would refuse, saying why', () => {
    expect(() => parseReference('ghcr.io/Acme/api:1')).toThrow(/lowercase/);
    expect(() => parseReference('https://ghcr.io/acme/api:1')).toThrow(/URL scheme/);
    expect(() => parseReference('ghcr.io/acme/api:bad tag')).toThrow(/invalid/);
    expect(() => parseReference('ghcr.io/acme/api@sha256:123')).toThrow(/malformed digest/);
    expect(() => parseReference('ghcr.io//api:1')).toThrow(/empty name/);
  });

  test("one grammar for the suite: hosts case-insensitive, Docker's domain rule, length limits, sha512", () => {
    expect(parseReference('Registry.Example.com/app:1')).toEqual(parseReference('registry.example.com/app:1'));
    expect(parseReference('Registry.Example.com/app:1').registry).toBe('registry.example.com');
    // An uppercase first component is a host, as Docker reads it.
    expect(parseReference('MyRegistry/app:1')).toMatchObject({ registry: 'myregistry', repository: 'app' });
    expect(parseReference(`ghcr.io/a:${'t'.repeat(TAG_MAX_LENGTH)}`).tag).toHaveLength(128);
    expect(() => parseReference(`ghcr.io/a:${'t'.repeat(TAG_MAX_LENGTH + 1)}`)).toThrow(/invalid tag/);
    const long = `ghcr.io/${'a'.repeat(NAME_MAX_LENGTH - 'ghcr.io/'.length)}`;
    expect(parseReference(`${long}:1`).repository).toHaveLength(NAME_MAX_LENGTH - 8);
    expect(() => parseReference(`${long}b:1`)).toThrow(/longer than 255/);
    expect(parseReference(`ghcr.io/a@sha512:${'b'.repeat(128)}`).digest).toMatch(/^sha512:/);
    expect(() => parseReference('ghcr.io/a:1\nx')).toThrow(/control characters/);
    expect(() => parseReference('ghcr.io:99999/a:1')).toThrow(/invalid port/);
    expect(formatReference(parseReference(`Ghcr.io/acme/api:1@sha256:${'c'.repeat(64)}`))).toBe(
      `ghcr.io/acme/api:1@sha256:${'c'.repeat(64)}`,
    );
  });

  test('loopback hosts may be plain HTTP, others not', () => {
    expect(isLoopback('127.0.0.1:5000')).toBe(true);
    expect(isLoopback('127.8.9.10')).toBe(true);
    expect(isLoopback('localhost:5000')).toBe(true);
    expect(isLoopback('[::1]:5000')).toBe(true);
    expect(isLoopback('registry.example.com')).toBe(false);
    expect(isLoopback('128.0.0.1')).toBe(false);
  });
});

describe('parseChallenge', () => {
  test('reads Bearer parameters, including scopes with commas and spaces', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push repository:c:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:a/b:pull,push repository:c:pull',
      },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});

describe('indexTar', () => {
  test('finds byte ranges of files, long names and links without extracting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-'));
    const root = join(dir, 'root');
    const long = `${'d'.repeat(120)}/${'f'.repeat(110)}`;
    mkdirSync(join(root, 'd'.repeat(120)), { recursive: true });
    const data = randomBytes(70_000);
    writeFileSync(join(root, 'a.bin'), data);
    writeFileSync(join(root, long), 'long name');
    writeFileSync(join(root, 'empty'), '');
    symlinkSync('a.bin', join(root, 'link.bin'));
    const tar = join(dir, 'x.tar');
    execFileSync('tar', ['-C', root, '--format=posix', '-cf', tar, '.']);
    const entries = await indexTar(tar);
    const bytes = readFileSync(tar);
    const content = (name: string) => {
      const e = entries.get(name)!;
      return bytes.subarray(e.offset, e.offset + e.size);
    };
    expect(content('a.bin').equals(data)).toBe(true);
    expect(content(long).toString()).toBe('long name');
    expect(content('link.bin').equals(data)).toBe(true);
    expect(entries.get('empty')!.size).toBe(0);
  });

  test('refuses a file that is not a tar', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tar-')), 'not.tar');
    writeFileSync(file, randomBytes(4096));
    await expect(indexTar(file)).rejects.toThrow(/not a tar/);
  });
});

describe('loadArchive', () => {
  test('builds a deterministic OCI manifest from a docker save archive, streaming layers from their byte range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'save-'));
    const root = join(dir, 'root');
    mkdirSync(join(root, 'l1'), { recursive: true });
    const layer = randomBytes(5000);
    writeFileSync(join(root, 'l1', 'layer.tar'), layer);
    const config = Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
    writeFileSync(join(root, 'cfg.json'), config);
    writeFileSync(
      join(root, 'manifest.json'),
      JSON.stringify([{ Config: 'cfg.json', RepoTags: ['app:1'], Layers: ['l1/layer.tar'] }]),
    );
    const tar = join(dir, 'image.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, 'manifest.json', 'cfg.json', 'l1']);
    const image = await loadArchive(tar);
    const again = await loadArchive(tar);
    expect(image.root.manifest.digest).toBe(again.root.manifest.digest);
    const manifest = JSON.parse(image.root.manifest.bytes.toString());
    expect(manifest.config).toMatchObject({ digest: sha(config), size: config.length });
    expect(manifest.layers).toEqual([
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: 5000 },
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of image.blobs.get(sha(layer))!.open()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(layer)).toBe(true);
    await expect(loadArchive(tar, 'other:2')).rejects.toThrow(/no image tagged other:2 \(it has: app:1\)/);
  });
});
