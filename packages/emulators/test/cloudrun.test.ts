import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleAuth } from 'google-auth-library';
import { CloudRunEmulator } from '../src/cloudrun';
import { CLOUD_PLATFORM_SCOPE, GoogleTokenEmulator } from '../src/google-oauth';

// Simulated revisions and tasks (no containers): the API contract, hooks and routing. Time runs 100x.
// biome-ignore lint/suspicious/noExplicitAny: API responses are read loosely in assertions
type Json = Record<string, any>;

const tokens = new GoogleTokenEmulator();
let run: CloudRunEmulator;
let token: string;
let dir: string;
let roll = 0;
const base = '/v2/projects/acme/locations/us-central1';

async function call(
  method: string,
  path: string,
  body?: unknown,
  bearer = token,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${run.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

async function wait(op: Json): Promise<Json> {
  expect(op.name).toMatch(/^projects\/acme\/locations\/us-central1\/operations\//);
  for (;;) {
    const { json } = await call('POST', `/v2/${op.name}:wait`, { timeout: '30s' });
    if (json.done) return json;
  }
}

const service = (image: string, revision?: string) => ({
  template: { revision, containers: [{ image, env: [{ name: 'APP_VERSION', value: image.split(':')[1] }] }] },
});

beforeAll(async () => {
  await tokens.start();
  dir = mkdtempSync(join(tmpdir(), 'cloudrun-'));
  const keyFilename = tokens.writeServiceAccountKey(dir, { project: 'acme' });
  const auth = new GoogleAuth({ keyFilename, scopes: [CLOUD_PLATFORM_SCOPE] });
  const tokenUri = JSON.parse(readFileSync(keyFilename, 'utf8')).token_uri;
  (await auth.getClient()).transporter.interceptors.request.add({
    resolved: async (config) => {
      if (String(config.url) === 'https://oauth2.googleapis.com/token') config.url = new URL(tokenUri);
      return config;
    },
  });
  token = (await auth.getAccessToken())!;
  // Routing randomness steps through tenths, so a 90/10 split sends exactly 1 request in 10 to the 10%.
  run = new CloudRunEmulator({ tokens, scale: 100, containers: false, random: () => ((roll++ % 10) + 0.5) / 10 });
  await run.start();
});

afterAll(async () => {
  await run.close();
  await tokens.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CloudRunEmulator (simulated revisions)', () => {
  it('answers 401 in Google error format without a valid token, 403 without the scope', async () => {
    const none = await fetch(`${run.url}${base}/services/x`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as Json).error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
    expect((await call('GET', `${base}/services/x`, undefined, 'ya29.forged')).status).toBe(401);
    const keyFilename = tokens.writeServiceAccountKey(dir, {
      project: 'acme',
      email: 'narrow@acme.iam.gserviceaccount.com',
    });
    const narrow = new GoogleAuth({ keyFilename, scopes: ['https://www.googleapis.com/auth/sqlservice.admin'] });
    narrow.useJWTAccessWithScope = true;
    const headers = await narrow.getRequestHeaders(run.url);
    const denied = await call('GET', `${base}/services/x`, undefined, headers.get('authorization')!.slice(7));
    expect(denied).toMatchObject({ status: 403, json: { error: { status: 'PERMISSION_DENIED' } } });
    expect(await call('GET', `${base}/services/missing`)).toMatchObject({
      status: 404,
      json: { error: { code: 404, status: 'NOT_FOUND' } },
    });
  });

  it('validates serviceId, reserved label namespaces, reserved env names and traffic', async () => {
    const bad = async (query: string, body: Json) => (await call('POST', `${base}/services?${query}`, body)).json.error;
    expect(await bad('serviceId=1api', service('app:v1'))).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(await bad('serviceId=api-', service('app:v1'))).toMatchObject({ code: 400 });
    expect(await bad(`serviceId=${'a'.repeat(50)}`, service('app:v1'))).toMatchObject({ code: 400 });
    expect(await bad('serviceId=Api', service('app:v1'))).toMatchObject({ code: 400 });
    const label = await bad('serviceId=api', { ...service('app:v1'), labels: { 'run.googleapis.com/x': 'y' } });
    expect(label.message).toMatch(/reserved namespace/);
    expect(label.details[0].fieldViolations[0].field).toBe('service.labels');
    const annotation = await bad('serviceId=api', {
      template: { containers: [{ image: 'a' }], annotations: { 'autoscaling.knative.dev/maxScale': '3' } },
    });
    expect(annotation.code).toBe(400);
    expect(
      (await bad('serviceId=api', { template: { containers: [{ image: 'a', env: [{ name: 'PORT', value: '1' }] }] } }))
        .message,
    ).toMatch(/reserved env/);
    expect(
      (
        await bad('serviceId=api', {
          ...service('app:v1'),
          traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 90 }],
        })
      ).message,
    ).toMatch(/add up to 100/);
    expect((await bad('serviceId=api', { template: {} })).code).toBe(400);
  });

  let first: string;
  it('creates a service through an operation that finishes Ready, with int64 strings and a serving URL', async () => {
    const { status, json: op } = await call('POST', `${base}/services?serviceId=api`, service('app:v1'));
    expect(status).toBe(200);
    expect(op.done).toBeUndefined();
    expect(op.metadata['@type']).toBe('type.googleapis.com/google.cloud.run.v2.Service');
    const during = op.metadata; // the service as the request left it (a GET may already see it Ready under load)
    expect(during).toMatchObject({
      generation: '1',
      reconciling: true,
      terminalCondition: { type: 'Ready', state: 'CONDITION_RECONCILING' },
    });
    expect((await call('POST', `${base}/services?serviceId=api`, service('app:v1'))).json.error.status).toBe(
      'ALREADY_EXISTS',
    );
    const done = await wait(op);
    expect(done.error).toBeUndefined();
    const svc = done.response;
    expect(svc).toMatchObject({
      '@type': 'type.googleapis.com/google.cloud.run.v2.Service',
      generation: '1',
      observedGeneration: '1',
    });
    expect(svc.reconciling).toBeUndefined();
    expect(svc.latestReadyRevision).toBe(svc.latestCreatedRevision);
    first = svc.latestReadyRevision.split('/').pop();
    expect(svc.latestReadyRevision).toMatch(
      /^projects\/acme\/locations\/us-central1\/services\/api\/revisions\/api-00001-[a-z0-9]{3}$/,
    );
    expect(svc.terminalCondition).toMatchObject({ type: 'Ready', state: 'CONDITION_SUCCEEDED' });
    expect(svc.conditions.map((c: Json) => [c.type, c.state])).toEqual([
      ['RoutesReady', 'CONDITION_SUCCEEDED'],
      ['ConfigurationsReady', 'CONDITION_SUCCEEDED'],
    ]);
    expect(svc.traffic).toEqual([{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }]);
    expect(svc.trafficStatuses).toEqual([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', revision: first, percent: 100 },
    ]);
    const page = await fetch(`${svc.uri}/health`);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ revision: first, version: 'v1' });
    expect((await call('GET', `${base}/operations/${op.name.split('/').pop()}`)).json.done).toBe(true);
  });

  let green: string;
  it('rolls a named revision out with a 90/10 split and a tag URL; traffic-only updates create no revision', async () => {
    green = 'api-green';
    const body = {
      ...service('app:v2', green),
      traffic: [
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: first, percent: 90 },
        { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 10, tag: 'canary' },
      ],
    };
    const svc = (await wait((await call('PATCH', `${base}/services/api?updateMask=template,traffic`, body)).json))
      .response;
    expect(svc).toMatchObject({ generation: '2', observedGeneration: '2' });
    expect(svc.latestReadyRevision.endsWith('/api-green')).toBe(true);
    const canary = svc.trafficStatuses.find((t: Json) => t.tag === 'canary');
    expect(canary).toMatchObject({
      revision: green,
      percent: 10,
      uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(run.serviceUrls('acme', 'us-central1', 'api').tags.canary).toBe(canary.uri);
    expect(await (await fetch(`${canary.uri}/health`)).json()).toMatchObject({ revision: green, version: 'v2' });
    const served: Record<string, number> = {};
    for (let i = 0; i < 20; i++) {
      const { revision } = (await (await fetch(svc.uri)).json()) as Json;
      served[revision] = (served[revision] ?? 0) + 1;
    }
    expect(served).toEqual({ [first]: 18, [green]: 2 });

    const all = { traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100, tag: 'canary' }] };
    const moved = (await wait((await call('PATCH', `${base}/services/api?updateMask=traffic`, all)).json)).response;
    expect(moved.trafficStatuses).toEqual([
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', revision: green, percent: 100, tag: 'canary', uri: canary.uri },
    ]);
    const revisions = (await call('GET', `${base}/services/api/revisions`)).json.revisions;
    expect(revisions.map((r: Json) => r.name.split('/').pop())).toEqual([green, first]);
    const paged = (await call('GET', `${base}/services/api/revisions?pageSize=1`)).json;
    expect(paged.revisions).toHaveLength(1);
    expect(
      (await call('GET', `${base}/services/api/revisions?pageSize=1&pageToken=${paged.nextPageToken}`)).json
        .revisions[0].name,
    ).toMatch(first);
    const rev = (await call('GET', `${base}/services/api/revisions/${green}`)).json;
    expect(rev).toMatchObject({
      service: `projects/acme/locations/us-central1/services/api`,
      generation: '1',
      conditions: [{ type: 'Ready', state: 'CONDITION_SUCCEEDED' }, {}, {}],
    });
    expect(rev.logUri).toMatch(/^http:\/\/127\.0\.0\.1/);
    expect(
      (
        await call('PATCH', `${base}/services/api?updateMask=traffic`, {
          traffic: [{ revision: 'api-nope', percent: 100 }],
        })
      ).json.error.message,
    ).toMatch(/not found/);
    expect(
      (
        await call('PATCH', `${base}/services/api?updateMask=template`, {
          template: { revision: green, containers: [{ image: 'app:v9' }] },
        })
      ).status,
    ).toBe(409);
  });

  it('fails the next revision on demand and keeps serving the last ready one', async () => {
    run.failNextRevision('HEALTH_CHECK_CONTAINER_ERROR');
    const op = await wait((await call('PATCH', `${base}/services/api?updateMask=template`, service('app:v3'))).json);
    expect(op.error).toMatchObject({
      code: 9,
      message: expect.stringMatching(/is not ready and cannot serve traffic/),
    });
    const svc = (await call('GET', `${base}/services/api`)).json;
    expect(svc.terminalCondition).toMatchObject({ state: 'CONDITION_FAILED', reason: 'REVISION_FAILED' });
    expect(svc.latestCreatedRevision).toMatch(/api-00003-/);
    expect(svc.latestReadyRevision.endsWith('/api-green')).toBe(true);
    expect(svc.trafficStatuses[0].revision).toBe(green);
    // A failed reconciliation keeps the last serving generation (service.proto, `reconciling`).
    expect(Number(svc.observedGeneration)).toBe(Number(svc.generation) - 1);
    const failed = (await call('GET', `/v2/${svc.latestCreatedRevision}`)).json;
    expect(failed.conditions[0]).toMatchObject({
      type: 'Ready',
      state: 'CONDITION_FAILED',
      revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
    });
    expect(((await (await fetch(svc.uri)).json()) as Json).revision).toBe(green);

    run.failNextRevision('CONTAINER_MISSING');
    await wait((await call('PATCH', `${base}/services/api?updateMask=template`, service('app:missing'))).json);
    expect((await call('GET', `${base}/services/api`)).json.terminalCondition).toMatchObject({
      state: 'CONDITION_FAILED',
      reason: 'CONTAINER_MISSING',
    });

    run.failNextOperation('boom');
    const broken = await wait(
      (await call('PATCH', `${base}/services/api?updateMask=labels`, { labels: { team: 'core' } })).json,
    );
    expect(broken.error).toEqual({ code: 13, message: 'boom' });
  });

  it('fails a revision whose secret cannot be read, and resolves one that was set', async () => {
    const withSecret = {
      template: {
        containers: [
          {
            image: 'app:v4',
            env: [{ name: 'DB', valueSource: { secretKeyRef: { secret: 'db-url', version: 'latest' } } }],
          },
        ],
      },
    };
    const denied = await wait((await call('POST', `${base}/services?serviceId=secretive`, withSecret)).json);
    expect(denied.error.message).toMatch(/Permission denied on secret/);
    run.setSecret('db-url', 'postgres://x');
    const ok = await wait(
      (
        await call('PATCH', `${base}/services/secretive`, {
          template: { ...withSecret.template, labels: { try: '2' } },
        })
      ).json,
    );
    expect(ok.response.terminalCondition.state).toBe('CONDITION_SUCCEEDED');
  });

  it('creates on PATCH with allowMissing, checks etags, lists services, sets IAM policy with etag', async () => {
    const dry = (await call('POST', `${base}/services?serviceId=dry&validateOnly=true`, service('app:v1'))).json;
    expect(dry).toMatchObject({ done: true, response: { name: `projects/acme/locations/us-central1/services/dry` } });
    expect((await call('GET', `${base}/services/dry`)).status).toBe(404);
    expect((await call('PATCH', `${base}/services/fresh`, service('app:v1'))).status).toBe(404);
    const created = await wait(
      (await call('PATCH', `${base}/services/fresh?allowMissing=true`, service('app:v1'))).json,
    );
    expect(created.response.generation).toBe('1');
    expect(
      (await call('PATCH', `${base}/services/fresh`, { ...service('app:v2'), etag: '"stale"' })).json.error.status,
    ).toBe('ABORTED');
    const list = (await call('GET', `${base}/services`)).json.services.map((s: Json) => s.name.split('/').pop());
    expect(list).toEqual(expect.arrayContaining(['api', 'fresh']));
    expect((await call('POST', `${base}/services/fresh:getIamPolicy`)).status).toBe(404); // GET only (service.proto)
    const policy = (await call('GET', `${base}/services/fresh:getIamPolicy?options.requestedPolicyVersion=3`)).json;
    const bindings = [{ role: 'roles/run.invoker', members: ['allUsers'] }];
    const set = (await call('POST', `${base}/services/fresh:setIamPolicy`, { policy: { bindings, etag: policy.etag } }))
      .json;
    expect(set.bindings).toEqual(bindings);
    expect(set.etag).not.toBe(policy.etag);
    expect(
      (await call('POST', `${base}/services/fresh:setIamPolicy`, { policy: { bindings, etag: policy.etag } })).json
        .error,
    ).toMatchObject({ code: 409, status: 'ABORTED' });
    expect((await call('DELETE', `${base}/services/fresh`)).json.done).toBe(true);
  });

  it('passes injected 429s and 5xx through', async () => {
    run.server.inject({ method: 'GET', path: /services\/api$/, status: 429, headers: { 'retry-after': '1' } });
    expect((await call('GET', `${base}/services/api`)).status).toBe(429);
    expect((await call('GET', `${base}/services/api`)).status).toBe(200);
  });

  it('runs jobs with overrides; executions succeed, fail with NON_ZERO_EXIT_CODE, or take longer on demand', async () => {
    const job = {
      template: {
        taskCount: 2,
        template: { maxRetries: 0, containers: [{ name: 'migrate', image: 'app:v1', args: ['up'] }] },
      },
    };
    expect(
      (await call('POST', `${base}/jobs?jobId=migrate`, { template: { template: { containers: [{}] } } })).status,
    ).toBe(400);
    const created = await wait((await call('POST', `${base}/jobs?jobId=migrate`, job)).json);
    expect(created.response).toMatchObject({ generation: '1', terminalCondition: { state: 'CONDITION_SUCCEEDED' } });

    const overrides = {
      containerOverrides: [{ name: 'migrate', args: ['status'], env: [{ name: 'DRY', value: '1' }] }],
      taskCount: 1,
    };
    const runOp = (await call('POST', `${base}/jobs/migrate:run`, { overrides })).json;
    expect(runOp.metadata['@type']).toBe('type.googleapis.com/google.cloud.run.v2.Execution');
    const done = await wait(runOp);
    expect(done.response).toMatchObject({ taskCount: 1, succeededCount: 1, job: 'migrate' });
    expect(done.response.template.containers[0]).toMatchObject({
      args: ['status'],
      env: [{ name: 'DRY', value: '1' }],
    });
    expect(done.response.conditions.find((c: Json) => c.type === 'Completed').state).toBe('CONDITION_SUCCEEDED');
    expect(await (await fetch(done.response.logUri)).text()).toMatch(/task 0/);

    run.nextExecution({ exitCode: 1 });
    const failed = await wait((await call('POST', `${base}/jobs/migrate:run`, {})).json);
    expect(failed.error.message).toMatch(/exit code of 1/);
    const execution = (await call('GET', `/v2/${failed.metadata.name}`)).json;
    expect(execution).toMatchObject({ taskCount: 2, failedCount: 2 });
    expect(execution.conditions.find((c: Json) => c.type === 'Completed')).toMatchObject({
      state: 'CONDITION_FAILED',
      executionReason: 'NON_ZERO_EXIT_CODE',
    });

    run.nextExecution({ durationSeconds: 200 });
    const slow = (await call('POST', `${base}/jobs/migrate:run`, { overrides: { taskCount: 1 } })).json;
    const early = (await call('POST', `/v2/${slow.name}:wait`, { timeout: '5s' })).json;
    expect(early.done).toBeUndefined();
    expect((await wait(slow)).response.succeededCount).toBe(1);
    const executions = (await call('GET', `${base}/jobs/migrate/executions`)).json.executions;
    expect(executions).toHaveLength(3);
    expect((await call('GET', `${base}/jobs/migrate`)).json).toMatchObject({
      executionCount: 3,
      latestCreatedExecution: { completionStatus: 'EXECUTION_SUCCEEDED' },
    });
    expect(
      (await call('POST', `${base}/jobs/migrate:run`, { overrides: { containerOverrides: [{ name: 'nope' }] } }))
        .status,
    ).toBe(400);
  });

  it('cancels a running execution and times out tasks that outlast their timeout', async () => {
    const job = { template: { template: { maxRetries: 0, containers: [{ image: 'app:v1' }] } } };
    await wait((await call('POST', `${base}/jobs?jobId=long`, job)).json);
    run.nextExecution({ durationSeconds: 3000 });
    const started = (await call('POST', `${base}/jobs/long:run`, {})).json;
    const name = started.metadata.name;
    const cancel = (await call('POST', `/v2/${name}:cancel`, {})).json;
    const cancelled = await wait(cancel);
    expect(cancelled.response).toMatchObject({ cancelledCount: 1 });
    expect(cancelled.response.conditions.at(-1)).toMatchObject({
      state: 'CONDITION_FAILED',
      executionReason: 'CANCELLED',
    });
    expect((await wait(started)).error.code).toBe(1);
    expect((await call('POST', `/v2/${name}:cancel`, {})).json.error.status).toBe('FAILED_PRECONDITION');

    run.nextExecution({ durationSeconds: 120 });
    const timedOut = await wait((await call('POST', `${base}/jobs/long:run`, { overrides: { timeout: '30s' } })).json);
    expect(timedOut.error.message).toMatch(/timeout was reached/);
    const completed = timedOut.metadata.conditions.at(-1);
    expect(completed.state).toBe('CONDITION_FAILED');
    expect(completed.executionReason).toBeUndefined();
    expect((await call('POST', `${base}/jobs/long:run`, { overrides: { timeout: 'soon' } })).status).toBe(400);

    const secretEnv = [
      { name: 'DATABASE_URL', valueSource: { secretKeyRef: { secret: 'jobs-db', version: 'latest' } } },
    ];
    const withSecret = { template: { template: { maxRetries: 0, containers: [{ image: 'app:v1', env: secretEnv }] } } };
    await wait((await call('POST', `${base}/jobs?jobId=secretive`, withSecret)).json);
    const denied = await wait((await call('POST', `${base}/jobs/secretive:run`, {})).json);
    expect(denied.error.message).toMatch(
      /Permission denied on secret: projects\/acme\/secrets\/jobs-db\/versions\/latest/,
    );
  });

  it('with requireInvoker, answers 403 on service URLs until allUsers holds roles/run.invoker', async () => {
    const secured = new CloudRunEmulator({ tokens, scale: 100, containers: false, requireInvoker: true });
    await secured.start();
    try {
      const api = async (method: string, path: string, body?: unknown) =>
        (await fetch(`${secured.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}` },
          body: body && JSON.stringify(body),
        }).then((r) => r.json())) as Json;
      const op = await api('POST', `${base}/services?serviceId=private`, service('app:v1'));
      let svc = await api('POST', `/v2/${op.name}:wait`, { timeout: '60s' });
      while (!svc.done) svc = await api('POST', `/v2/${op.name}:wait`, { timeout: '60s' });
      const uri = svc.response.uri;
      expect((await fetch(uri)).status).toBe(403);
      expect((await fetch(uri, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const bindings = [{ role: 'roles/run.invoker', members: ['allUsers'] }];
      await api('POST', `${base}/services/private:setIamPolicy`, { policy: { bindings } });
      expect((await fetch(uri)).status).toBe(200);
    } finally {
      await secured.close();
    }
  });
});
