import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runAction } from '@deploy-actions/harness';

/**
 * Hostile inputs (issue 12): each fails the step cleanly, with one error line naming the input, no stack
 * trace, no request to the GitHub API (a loopback listener counts connections), no docker call (a
 * stand-in docker on PATH records every call), and no connection anywhere but loopback (the harness's
 * network guard, preloaded into every run, records each connection and refuses any other).
 */

const K100 = 'a'.repeat(100 * 1024);
let workspace: string;
let dockerLog: string;
let fakeBin: string;
let api: Server;
let apiUrl: string;
let apiConnections = 0;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'build-image-hostile-'));
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM localhost/busybox:latest\n');
  const dir = mkdtempSync(join(tmpdir(), 'build-image-hostile-bin-'));
  fakeBin = join(dir, 'bin');
  dockerLog = join(dir, 'docker-calls');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, 'docker'), `#!/bin/sh\necho "$@" >> "${dockerLog}"\nexit 1\n`);
  chmodSync(join(fakeBin, 'docker'), 0o755);
  api = createServer((_, res) => res.end('{}'));
  api.on('connection', () => apiConnections++);
  api.listen(0, '127.0.0.1');
  await new Promise((resolve) => api.once('listening', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => {
  api.close();
});

const token = `ghp_${'Z'.repeat(36)}`;

describe('build-image refuses hostile input before any side effect', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    // wrong types
    ['push not a boolean', { push: 'yes please' }, /^Input "push": /],
    ['no-cache a number', { 'no-cache': '2' }, /^Input "no-cache": /],
    ['timeout not a duration', { timeout: 'forever' }, /^Input "timeout": /],
    ['pr-head-sha not a boolean', { 'pr-head-sha': 'sometimes' }, /^Input "pr-head-sha": /],
    // unknown enums
    ['archive-format', { 'archive-format': 'zip' }, /^Input "archive-format": /],
    ['tag type', { tags: 'type=semvar,pattern={{version}}' }, /^Input "tags": rule .* unknown type/],
    ['flavor latest', { flavor: 'latest=always' }, /^Input "flavor": latest=always is not a choice/],
    ['sha format', { tags: 'type=sha,format=medium' }, /^Input "tags": rule "type=sha,format=medium" has format/],
    // path traversal
    ['context outside', { context: '../../../../no/such/dir' }, /^Input "context": .* is not a directory/],
    ['file traversal', { file: '../../../../etc/passwd/Dockerfile' }, /^Input "file": there is no Dockerfile/],
    [
      'secret-files traversal',
      { 'secret-files': 'x=../../../../no/such/key' },
      /^Input "secret-files": the file for "x"/,
    ],
    ['image name traversal', { images: 'ghcr.io/acme/../../api' }, /^Input "images": .* is not a valid image name/],
    // metadata and link-local endpoints
    [
      'context on the metadata address',
      { context: 'http://169.254.169.254/latest/meta-data/' },
      /^Input "context": points at 169\.254\.169\.254, a link-local address/,
    ],
    [
      'context on metadata.google.internal',
      { context: 'https://metadata.google.internal/computeMetadata/v1/' },
      /^Input "context": points at metadata\.google\.internal/,
    ],
    [
      'context git on AWS IPv6 metadata',
      { context: 'https://[fd00:ec2::254]/repo.git' },
      /^Input "context": points at/,
    ],
    [
      'context scp-style on link-local',
      { context: 'git@169.254.10.1:org/repo.git' },
      /^Input "context": points at 169\.254\.10\.1/,
    ],
    // shell metacharacters and newlines
    [
      'image with shell characters',
      { images: 'ghcr.io/acme/api;rm -rf /' },
      /^Input "images": .* is not a valid image name/,
    ],
    ['target with $(...)', { target: 'final$(id)' }, /^Input "target": /],
    ['network with ;', { network: 'host;reboot' }, /^Input "network": /],
    ['platform with |', { platforms: 'linux/amd64|sh' }, /^Input "platforms": /],
    ['add-hosts with backticks', { 'add-hosts': 'db:`id`' }, /^Input "add-hosts": /],
    ['build-arg key with ;', { 'build-args': 'A;B=1' }, /^Input "build-args": /],
    ['target with a newline', { target: 'final\nother' }, /^Input "target": has a line break/],
    ['file with a newline', { file: 'Dockerfile\n--privileged' }, /^Input "file": has a line break/],
    // 100 KB values
    ['100 KB images', { images: K100 }, /^Input "images": is 102400 characters long/],
    ['100 KB tag value', { tags: `type=raw,value=${K100}` }, /^Input "tags": is \d+ characters long/],
    ['100 KB context', { context: K100 }, /^Input "context": is 102400 characters long/],
    [
      'too long a computed tag',
      { tags: `type=raw,value=${'t'.repeat(200)}` },
      /^Input "tags": the rules give the tag "t+\.\.\. \(200 characters\)", which is not a valid tag/,
    ],
    ['a tag starting with .', { tags: 'type=raw,value=.hidden' }, /^Input "tags": the rules give the tag "\.hidden"/],
    [
      'catastrophic match pattern',
      { tags: 'type=match,pattern=^(a+)+$,value=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' },
      /^Input "tags": rule .* ran for more than 1000 ms/,
    ],
    [
      'a build-arg key with - (the message says what keys may hold)',
      { 'build-args': 'A-B=1' },
      /^Input "build-args": "A-B" is not a valid key; use letters, digits and "_", not starting with a digit$/,
    ],
    // prototype keys
    ['build-arg __proto__', { 'build-args': '__proto__=1' }, /^Input "build-args": has the key "__proto__"/],
    ['secret id constructor', { secrets: 'constructor=x' }, /^Input "secrets": has the key "constructor"/],
    [
      'tag attribute __proto__',
      { tags: 'type=raw,value=x,__proto__=y' },
      /^Input "tags": rule .* has an attribute "__proto__"/,
    ],
    // secrets placed in non-secret inputs
    [
      'a token in build-args',
      { 'build-args': `NPM_AUTH=${token}` },
      /^Input "build-args": holds what looks like a credential/,
    ],
    ['a token alone in build-args', { 'build-args': token }, /^Input "build-args": "\*\*\*" is not KEY=VALUE/],
    ['a token as a boolean', { push: token }, /^Input "push": /],
    ['a token in labels', { labels: `note=${token}` }, /^Input "labels": holds what looks like a credential/],
    [
      'a private key in tags',
      { tags: 'type=raw,value=-----BEGIN RSA PRIVATE KEY-----' },
      /^Input "tags": holds what looks like a credential/,
    ],
    [
      'a secret-named build arg',
      { 'build-args': 'DB_PASSWORD=hunter2' },
      /^Input "build-args": "DB_PASSWORD" looks like a secret/,
    ],
    [
      'an AWS key id in images',
      { images: 'ghcr.io/acme/AKIAABCDEFGHIJKLMNOP' },
      /^Input "images": holds what looks like a credential/,
    ],
  ])('%s', async (_, inputs, message) => {
    const before = apiConnections;
    const result = await runAction('build-image', {
      inputs: {
        images: 'ghcr.io/acme/api',
        tags: 'type=raw,value=x',
        'github-token': 'gh-api-token-for-the-test',
        ...inputs,
      },
      workspace,
      github: { event: {} },
      env: {
        PATH: `${fakeBin}:${process.env.PATH}`,
        GITHUB_API_URL: apiUrl,
      },
      secrets: [token, 'gh-api-token-for-the-test'],
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(result.errors[0]).not.toMatch(/\n/);
    expect(result.log).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m);
    expect(apiConnections).toBe(before);
    expect(existsSync(dockerLog) ? readFileSync(dockerLog, 'utf8') : '').toBe('');
    expect(result.connections.filter((c) => c.blocked)).toEqual([]);
  });
});
