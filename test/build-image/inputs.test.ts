import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { runAction } from '@deploy-actions/harness';
import { docker, unique } from './helpers';

/**
 * Every bad input fails the step with one line naming the input, before anything is built: no build
 * output in the log and no image in the engine.
 */

const name = `localhost/${unique('build-image-bad')}`;
let workspace: string;
beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'build-image-inputs-'));
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM localhost/busybox:latest\nRUN echo should-not-run\n');
});

const good = { images: name, tags: 'type=raw,value=bad', network: 'host' };

describe('build-image input validation', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    ['context', { context: 'no-such-dir' }, /^Input "context": "no-such-dir" is not a directory/],
    ['file', { file: 'Dockerfile.missing' }, /^Input "file": there is no Dockerfile at .*Dockerfile\.missing/],
    [
      'tags (unknown type)',
      { tags: 'type=semvr,pattern={{version}}' },
      /^Input "tags": rule "type=semvr,pattern=\{\{version\}\}" has an unknown type/,
    ],
    ['tags (missing pattern)', { tags: 'type=semver' }, /^Input "tags": rule "type=semver" has no pattern/],
    [
      'tags (unknown expression)',
      { tags: 'type=raw,value={{nope}}' },
      /^Input "tags": rule .* unknown expression \{\{nope\}\}/,
    ],
    ['images (invalid)', { images: 'Bad Name!' }, /^Input "images": "Bad Name!" is not a valid image name/],
    ['images (with a tag)', { images: 'ghcr.io/acme/api:v1' }, /^Input "images": "ghcr.io\/acme\/api:v1" has a tag/],
    ['flavor', { flavor: 'latest=sometimes' }, /^Input "flavor": latest=sometimes is not a choice/],
    ['build-args', { 'build-args': '1BAD=x' }, /^Input "build-args": "1BAD" is not a valid key/],
    ['push without images', { images: '', push: 'true' }, /^Input "images": is empty but "push" is true/],
    [
      'push with no tags for the event',
      { tags: 'type=ref,event=pr', push: 'true' },
      /^Input "tags": the rules give no tag for this push/,
    ],
    ['secrets', { secrets: 'hunter2-no-id' }, /^Input "secrets": a line is not ID=VALUE/],
    [
      'secret-files',
      { 'secret-files': 'npmrc=missing/.npmrc' },
      /^Input "secret-files": the file for "npmrc" \(missing\/\.npmrc\) does not exist/,
    ],
    ['platforms (syntax)', { platforms: 'amd64' }, /^Input "platforms": "amd64" is not a platform/],
    [
      'platforms (several, no buildx)',
      { platforms: 'linux/amd64,linux/arm64' },
      /^Input "platforms": building 2 platforms needs buildx/,
    ],
    [
      'cache-to (gha, no buildx)',
      { 'cache-to': 'type=gha,mode=max' },
      /^Input "cache-to": cache type "gha" .*needs buildx/,
    ],
    [
      'cache-from (local, no buildx)',
      { 'cache-from': 'type=local,src=/tmp/cache' },
      /^Input "cache-from": cache type "local" needs buildx/,
    ],
    [
      'provenance (no buildx)',
      { provenance: 'mode=max' },
      /^Input "provenance": a provenance attestation needs buildx/,
    ],
    ['archive-format', { 'archive-format': 'zip' }, /^Input "archive-format": "zip" is not one of the choices/],
    [
      'archive-format oci without output-archive',
      { 'archive-format': 'oci' },
      /^Input "archive-format": is oci but no "output-archive" is set/,
    ],
    [
      'output-archive',
      { 'output-archive': 'no/such/dir/image.tar' },
      /^Input "output-archive": the directory of no\/such\/dir\/image.tar does not exist/,
    ],
    ['network', { network: 'bad net!' }, /^Input "network": "bad net!" is not a network name/],
    ['no-cache', { 'no-cache': 'maybe' }, /^Input "no-cache": "maybe" is not a boolean/],
  ])('%s', async (_, inputs, message) => {
    const result = await runAction('build-image', {
      inputs: { ...good, ...inputs },
      workspace,
      secrets: ['hunter2-no-id'],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(result.log).not.toMatch(/#\d+ \[internal\]|should-not-run/);
    expect(result.outputs).toEqual({});
  });

  test('nothing was built by the failing runs', () => {
    expect(docker('image', 'ls', '--quiet', name)).toBe('');
  });
});
