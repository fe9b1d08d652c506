import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FaultProxy } from '@deploy-actions/emulators/fault-proxy';
import { readServices, runAction } from '@deploy-actions/harness';
import { makeLayout } from './fixtures';

// Every destination goes through this proxy, which counts requests: a bad input must send none.
const local = readServices().registry;
let proxy: FaultProxy;
let layoutDir: string;
const notTar = join(mkdtempSync(join(tmpdir(), 'bad-')), 'image.tar');
writeFileSync(notTar, 'this is not an image archive, just text long enough to matter '.repeat(20));

beforeAll(async () => {
  proxy = new FaultProxy(local);
  await proxy.listen();
  layoutDir = makeLayout({ layerSizes: [100] }).dir;
});
afterAll(async () => {
  await proxy.close();
  rmSync(layoutDir, { recursive: true, force: true });
  rmSync(dirname(notTar), { recursive: true, force: true });
});

type Case = [string, () => Record<string, string>, string, RegExp, Record<string, string | undefined>?];
const dest = () => `${proxy.host}/app/api:1`;
const layout = () => ({ 'source-archive': layoutDir });

const cases: Case[] = [
  ['no destinations', () => ({ ...layout() }), 'destinations', /is required/],
  [
    'a destination without a tag',
    () => ({ ...layout(), destinations: `${proxy.host}/app/api` }),
    'destinations',
    /has no tag/,
  ],
  [
    'an uppercase repository',
    () => ({ ...layout(), destinations: `${proxy.host}/App/api:1` }),
    'destinations',
    /lowercase/,
  ],
  [
    'a URL instead of a reference',
    () => ({ ...layout(), destinations: `https://${proxy.host}/app:1` }),
    'destinations',
    /URL scheme/,
  ],
  [
    'a digest destination',
    () => ({ ...layout(), destinations: `${proxy.host}/app@sha256:${'a'.repeat(64)}` }),
    'destinations',
    /names a digest/,
  ],
  [
    'a destination listed twice',
    () => ({ ...layout(), destinations: `${dest()}\n${dest()}` }),
    'destinations',
    /listed twice/,
  ],
  [
    'a destination without a registry host',
    () => ({ ...layout(), destinations: `${dest()}\napp:1` }),
    'destinations',
    /no registry host/,
  ],
  ['no source at all', () => ({ destinations: dest() }), 'source', /is missing/],
  [
    'an archive that does not exist',
    () => ({ 'source-archive': '/nope/image.tar', destinations: dest() }),
    'source-archive',
    /does not exist/,
  ],
  [
    'an archive that is not an image',
    () => ({ 'source-archive': notTar, destinations: dest() }),
    'source-archive',
    /not a tar/,
  ],
  [
    'a source with an unknown scheme',
    () => ({ source: 'oci://thing', destinations: dest() }),
    'source',
    /unknown scheme/,
  ],
  ['docker:// without an image', () => ({ source: 'docker://', destinations: dest() }), 'source', /names no image/],
  [
    'a local image the engine does not have',
    () => ({ source: 'docker://no-such-image-here:1', destinations: dest() }),
    'source',
    /has no image/,
  ],
  [
    'archive and docker:// together',
    () => ({ ...layout(), source: 'docker://app:1', destinations: dest() }),
    'source-archive',
    /cannot be combined/,
  ],
  [
    'credentials without a password',
    () => ({ ...layout(), destinations: dest(), credentials: `${proxy.host}=onlyuser` }),
    'credentials',
    /not USERNAME:PASSWORD/,
  ],
  [
    'credentials for something that is not a host',
    () => ({ ...layout(), destinations: dest(), credentials: 'no host!=u:p' }),
    'credentials',
    /not a registry host/,
  ],
  [
    'an unknown auth method',
    () => ({ ...layout(), destinations: dest(), 'registry-auth': `${proxy.host}=kerberos` }),
    'registry-auth',
    /not a method/,
  ],
  [
    'basic auth without credentials',
    () => ({ ...layout(), destinations: dest(), 'registry-auth': `${proxy.host}=basic` }),
    'credentials',
    /has no entry/,
  ],
  [
    'GitHub auth with an empty token',
    () => ({ ...layout(), destinations: dest(), 'registry-auth': `${proxy.host}=github`, 'github-token': '' }),
    'github-token',
    /is empty/,
  ],
  [
    'Google auth without any Google credentials',
    () => ({ ...layout(), destinations: dest(), 'registry-auth': `${proxy.host}=google` }),
    'google-access-token',
    /no Google credentials/i,
    {
      GOOGLE_APPLICATION_CREDENTIALS: undefined,
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: undefined,
      GOOGLE_GHA_CREDS_PATH: undefined,
    },
  ],
  [
    'ECR auth without a region',
    () => ({ ...layout(), destinations: dest(), 'registry-auth': `${proxy.host}=ecr` }),
    'aws-region',
    /does not name an ECR region/,
    { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined },
  ],
  [
    'a made-up AWS region',
    () => ({ ...layout(), destinations: dest(), 'aws-region': 'mars' }),
    'aws-region',
    /not an AWS region/,
  ],
  [
    'an insecure registry given as a URL',
    () => ({ ...layout(), destinations: dest(), 'insecure-registries': 'http://registry:5000' }),
    'insecure-registries',
    /not a registry host/,
  ],
  ['zero concurrency', () => ({ ...layout(), destinations: dest(), concurrency: '0' }), 'concurrency', /out of range/],
  [
    'retries that are not a number',
    () => ({ ...layout(), destinations: dest(), retries: 'many' }),
    'retries',
    /not a whole number/,
  ],
  [
    'a timeout that is not a duration',
    () => ({ ...layout(), destinations: dest(), timeout: 'soon' }),
    'timeout',
    /not a duration/,
  ],
];

for (const [name, inputs, input, problem, env] of cases)
  test(`fails before any request on ${name}, naming the input`, async () => {
    const before = proxy.requests.length;
    const run = await runAction('push-registry', { inputs: inputs(), env, secrets: ['onlyuser'] });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(new RegExp(`^Input "${input}": `));
    expect(run.errors[0]).toMatch(problem);
    expect(run.errors[0]).not.toMatch(/\n|at .*\.js:\d+/);
    expect(proxy.requests.length).toBe(before);
    expect(run.state['temp-dir']).toBeUndefined();
  });
