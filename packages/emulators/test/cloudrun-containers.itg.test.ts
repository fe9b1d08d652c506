import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServices } from '@deploy-actions/harness';
import { GoogleAuth } from 'google-auth-library';
import { CloudRunEmulator } from '../src/cloudrun';
import { GoogleTokenEmulator } from '../src/google-oauth';

// Real containers: revisions and job tasks run the example app image on the local Docker engine (host network).
// biome-ignore lint/suspicious/noExplicitAny: API responses are read loosely in assertions
type Json = Record<string, any>;

const IMAGE = 'localhost/cloudrun-emu-app:test';
// The test builds its image: the client and daemon the local services found for builds (services.env).
const services = readServices();
const DOCKER_ENV = { ...process.env, DOCKER_HOST: services.dockerHost, DOCKER_BUILDKIT: '1' };
const docker = (...args: string[]) => execFileSync(services.dockerClient, args, { env: DOCKER_ENV, encoding: 'utf8' });
const base = '/v2/projects/acme/locations/europe-west1';
const tokens = new GoogleTokenEmulator();
let run: CloudRunEmulator;
let token: string;
let dir: string;

async function call(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${run.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as Json;
}

async function wait(op: Json): Promise<Json> {
  for (;;) {
    const done = await call('POST', `/v2/${op.name}:wait`, { timeout: '30s' });
    if (done.done) return done;
  }
}

const ours = () => docker('ps', '-aq', '--filter', `label=${run.containerLabel}`).trim();

beforeAll(async () => {
  docker(
    'build',
    '--network',
    'host',
    '-q',
    '-t',
    IMAGE,
    join(import.meta.dirname, '..', '..', '..', 'examples', 'app'),
  );
  await tokens.start();
  // A self-signed JWT is a token Google APIs accept without a token endpoint round trip.
  dir = mkdtempSync(join(tmpdir(), 'cloudrun-containers-'));
  const auth = new GoogleAuth({
    keyFilename: tokens.writeServiceAccountKey(dir, { project: 'acme' }),
    scopes: ['https://www.googleapis.com/auth/cloud-platform'],
  });
  auth.useJWTAccessWithScope = true;
  token = (await auth.getRequestHeaders('https://run.googleapis.com/')).get('authorization')!.slice(7);
  run = new CloudRunEmulator({ tokens, scale: 100, containers: true, startupTimeoutMs: 3000 });
  await run.start();
});

afterAll(async () => {
  await run.close();
  await tokens.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CloudRunEmulator (real containers)', () => {
  it('serves each ready revision from its container and routes tags to the right one', async () => {
    const v1 = { template: { containers: [{ image: IMAGE, env: [{ name: 'APP_VERSION', value: 'v1' }] }] } };
    const created = await wait(await call('POST', `${base}/services?serviceId=web`, v1));
    expect(created.response.terminalCondition.state).toBe('CONDITION_SUCCEEDED');
    const first = created.response.latestReadyRevision.split('/').pop();
    const health = await fetch(`${created.response.uri}/cgi-bin/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'OK', revision: first, version: 'v1' });

    const v2 = {
      template: { containers: [{ image: IMAGE, env: [{ name: 'APP_VERSION', value: 'v2' }] }] },
      traffic: [
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: first, percent: 100, tag: 'stable' },
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', tag: 'next' },
      ],
    };
    const svc = (await wait(await call('PATCH', `${base}/services/web`, v2))).response;
    const tags = run.serviceUrls('acme', 'europe-west1', 'web').tags;
    expect(((await (await fetch(`${tags.next}/cgi-bin/health`)).json()) as Json).version).toBe('v2');
    expect(((await (await fetch(`${tags.stable}/cgi-bin/health`)).json()) as Json).version).toBe('v1');
    expect(((await (await fetch(`${svc.uri}/cgi-bin/health`)).json()) as Json).version).toBe('v1');
    expect(ours().split('\n')).toHaveLength(2);
  });

  it('fails revisions whose container never answers its probe, exits, or whose image is missing', async () => {
    const unhealthy = {
      template: {
        containers: [
          {
            image: IMAGE,
            env: [{ name: 'HEALTH_STATUS', value: '500' }],
            startupProbe: { httpGet: { path: '/cgi-bin/health' } },
          },
        ],
      },
    };
    const probe = await wait(await call('PATCH', `${base}/services/web?updateMask=template`, unhealthy));
    expect(probe.error.message).toMatch(/failed to start and listen/);
    const svc = await call('GET', `${base}/services/web`);
    expect(svc.latestReadyRevision).not.toBe(svc.latestCreatedRevision);
    const failed = await call('GET', `/v2/${svc.latestCreatedRevision}`);
    expect(failed.conditions[0]).toMatchObject({
      state: 'CONDITION_FAILED',
      revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
    });
    expect(await (await fetch(failed.logUri)).text()).toMatch(/listening on \d+/);

    const exits = {
      template: { containers: [{ image: IMAGE, command: ['/bin/sh', '-c', 'echo bad config; exit 3'] }] },
    };
    const exited = await wait(await call('PATCH', `${base}/services/web?updateMask=template`, exits));
    expect(exited.error.message).toMatch(/exited with code 3/);

    const missing = { template: { containers: [{ image: 'localhost/does-not-exist:1' }] } };
    await wait(await call('PATCH', `${base}/services/web?updateMask=template`, missing));
    const after = await call('GET', `${base}/services/web`);
    expect(after.terminalCondition).toMatchObject({ state: 'CONDITION_FAILED', reason: 'CONTAINER_MISSING' });
    expect(after.terminalCondition.message).toMatch(/Image 'localhost\/does-not-exist:1' not found/);
    expect(((await (await fetch(`${after.uri}/cgi-bin/health`)).json()) as Json).version).toBe('v1');
  });

  it('runs job executions as containers: exit 0 succeeds with logs, exit 1 fails with NON_ZERO_EXIT_CODE', async () => {
    const job = {
      template: {
        template: {
          maxRetries: 0,
          containers: [{ name: 'migrate', image: IMAGE, command: ['/bin/sh', '-c'], args: ['exit 0'] }],
        },
      },
    };
    await wait(await call('POST', `${base}/jobs?jobId=migrate`, job));
    const script = 'echo "applied $(ls /migrations | wc -l) migrations in task $CLOUD_RUN_TASK_INDEX for $TARGET"';
    const overrides = {
      containerOverrides: [{ name: 'migrate', args: [script], env: [{ name: 'TARGET', value: 'prod' }] }],
    };
    const ok = await wait(await call('POST', `${base}/jobs/migrate:run`, { overrides }));
    expect(ok.response).toMatchObject({ succeededCount: 1, taskCount: 1 });
    expect(await (await fetch(ok.response.logUri)).text()).toMatch(/applied \d+ migrations in task 0 for prod/);

    const failing = { containerOverrides: [{ name: 'migrate', args: ['echo "relation exists" >&2; exit 1'] }] };
    const bad = await wait(await call('POST', `${base}/jobs/migrate:run`, { overrides: failing }));
    expect(bad.error.message).toMatch(/exit code of 1/);
    const execution = await call('GET', `/v2/${bad.metadata.name}`);
    expect(execution).toMatchObject({ failedCount: 1 });
    expect(execution.conditions.at(-1)).toMatchObject({
      type: 'Completed',
      state: 'CONDITION_FAILED',
      executionReason: 'NON_ZERO_EXIT_CODE',
    });
    expect(await (await fetch(execution.logUri)).text()).toMatch(/relation exists/);
  });

  it('pulls images from the loopback registry, as Cloud Run pulls from Artifact Registry', async () => {
    const pushed = '127.0.0.1:5000/cloudrun-emu-app:test';
    docker('tag', IMAGE, pushed);
    docker('push', '-q', pushed);
    docker('rmi', pushed);
    const op = await wait(
      await call('POST', `${base}/services?serviceId=pulled`, { template: { containers: [{ image: pushed }] } }),
    );
    expect(op.response.terminalCondition.state).toBe('CONDITION_SUCCEEDED');
    expect((await fetch(`${op.response.uri}/cgi-bin/health`)).status).toBe(200);
    const never = '127.0.0.1:5000/cloudrun-emu-never-pushed:test';
    const missing = await wait(
      await call('POST', `${base}/services?serviceId=unpushed`, { template: { containers: [{ image: never }] } }),
    );
    expect(missing.error.message).toMatch(/not found/);
  });

  it('stops every container it started when it closes', async () => {
    expect(ours()).not.toBe('');
    await run.close();
    expect(ours()).toBe('');
  });
});
