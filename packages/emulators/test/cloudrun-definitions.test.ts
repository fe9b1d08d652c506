import { CloudRunEmulator } from '../src/cloudrun';
import { cloudRunSchema } from '../src/google/cloudrun-schema';

// The Cloud Run emulator against Google's own definitions (the v2 protos in @google-cloud/run) and the rules
// their comments and Cloud Run's documentation state. Simulated revisions, time 100x.
// biome-ignore lint/suspicious/noExplicitAny: API responses are read loosely in assertions
type Json = Record<string, any>;

let run: CloudRunEmulator;
const base = '/v2/projects/acme/locations/us-central1';

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${run.url}${path}`, {
    method,
    headers: { authorization: 'Bearer ya29.test', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

async function wait(op: Json): Promise<Json> {
  for (;;) {
    const { json } = await call('POST', `/v2/${op.name}:wait`, { timeout: '30s' });
    if (json.done) return json;
  }
}

const template = (image: string, extra: Json = {}) => ({ template: { containers: [{ image }], ...extra } });

async function create(id: string, body: Json = template('app:v1')): Promise<Json> {
  const { status, json } = await call('POST', `${base}/services?serviceId=${id}`, body);
  expect(status).toBe(200);
  return wait(json);
}

beforeAll(async () => {
  run = new CloudRunEmulator({ scale: 100, containers: false, requireInvoker: true });
  await run.start();
});

afterAll(() => run.close());

describe('Cloud Run emulator: the v2 protos decide what a request may say', () => {
  it('refuses an unknown field with Google’s 400 and names where it is', async () => {
    const { status, json } = await call('POST', `${base}/services?serviceId=unknown`, {
      template: { containers: [{ image: 'app:v1' }], cpuThrottling: false },
    });
    expect(status).toBe(400);
    expect(json.error).toEqual({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: `Invalid JSON payload received. Unknown name "cpuThrottling" at 'service.template': Cannot find field.`,
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [
            {
              field: 'service.template',
              description: `Invalid JSON payload received. Unknown name "cpuThrottling" at 'service.template': Cannot find field.`,
            },
          ],
        },
      ],
    });
    // deep inside a list, with the path in proto field names as Google prints it
    const deep = await call('POST', `${base}/services?serviceId=unknown`, {
      template: { containers: [{ image: 'a', resources: { limits: { cpu: '1' }, cpuBoost: true } }] },
    });
    expect(deep.json.error.message).toBe(
      `Invalid JSON payload received. Unknown name "cpuBoost" at 'service.template.containers[0].resources': Cannot find field.`,
    );
    expect((await call('GET', `${base}/services/unknown`)).status).toBe(404);
  });

  it('refuses a wrong enum value, a malformed Duration, two members of a oneof and a list where one value goes', async () => {
    const bad = await call('POST', `${base}/services?serviceId=enum`, { ...template('a'), ingress: 'INTERNAL' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe(
      `Invalid value at 'service.ingress' (type.googleapis.com/google.cloud.run.v2.IngressTraffic), "INTERNAL"`,
    );
    const traffic = await call('POST', `${base}/services?serviceId=enum`, {
      ...template('a'),
      traffic: [{ type: 'LATEST', percent: 100 }],
    });
    expect(traffic.json.error.message).toBe(
      `Invalid value at 'service.traffic[0].type' (type.googleapis.com/google.cloud.run.v2.TrafficTargetAllocationType), "LATEST"`,
    );
    const duration = await call('POST', `${base}/services?serviceId=enum`, template('a', { timeout: '300' }));
    expect(duration.json.error.message).toBe(
      `Invalid value at 'service.template.timeout' (type.googleapis.com/google.protobuf.Duration), "300"`,
    );
    const both = await call('POST', `${base}/services?serviceId=enum`, {
      template: {
        containers: [{ image: 'a', env: [{ name: 'DB', value: 'x', valueSource: { secretKeyRef: { secret: 's' } } }] }],
      },
    });
    expect(both.json.error.message).toBe(
      `Invalid value at 'service.template.containers[0].env[0]' (oneof), oneof field 'values' is already set. Cannot set 'valueSource'`,
    );
    const list = await call('POST', `${base}/services?serviceId=enum`, { ...template('a'), description: ['x'] });
    expect(list.json.error.message).toMatch(/Unknown name "description" at 'service': Proto field is not repeating/);
    const query = await call('POST', `${base}/services?serviceId=enum&dryRun=true`, template('a'));
    expect(query.json.error.message).toBe(
      `Invalid JSON payload received. Unknown name "dryRun": Cannot bind query parameter. Field 'dryRun' could not be found in request message.`,
    );
    expect((await call('GET', `${base}/services/enum`)).status).toBe(404);
  });

  it('ignores output-only fields and reads proto spellings, Duration "3.5s" and enums by number', async () => {
    const done = await create('outputs', {
      ...template('app:v1', { timeout: '3.5s', max_instance_request_concurrency: 10 }),
      uri: 'https://forged.example',
      observedGeneration: '41',
      reconciling: true,
      terminalCondition: { type: 'Ready', state: 'CONDITION_FAILED' },
      ingress: 1,
    });
    const svc = done.response;
    expect(svc.uri).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(svc.observedGeneration).toBe('1');
    expect(svc.terminalCondition.state).toBe('CONDITION_SUCCEEDED');
    expect(svc.ingress).toBe('INGRESS_TRAFFIC_ALL');
    expect(svc.template).toMatchObject({ timeout: '3.5s', maxInstanceRequestConcurrency: 10 });
    expect(svc.template.max_instance_request_concurrency).toBeUndefined();
  });

  it('is the one source of the output-only lists (the generated packages/gcp file matches the protos)', async () => {
    const generated = await import('../../gcp/src/cloudrun-output-only');
    const schema = cloudRunSchema();
    const top = (m: string) => schema.outputOnly(`google.cloud.run.v2.${m}`).filter((p) => !p.includes('.'));
    const nested = (m: string) => schema.outputOnly(`google.cloud.run.v2.${m}`).filter((p) => p.includes('.'));
    for (const [message, prefix] of [
      ['Service', 'SERVICE'],
      ['Job', 'JOB'],
      ['Revision', 'REVISION'],
      ['Execution', 'EXECUTION'],
    ] as const) {
      expect(generated[`${prefix}_OUTPUT_ONLY`]).toEqual(top(message));
      expect(generated[`${prefix}_NESTED_OUTPUT_ONLY`]).toEqual(nested(message));
    }
    expect(generated.SERVICE_OUTPUT_ONLY).toEqual(
      expect.arrayContaining(['observedGeneration', 'trafficStatuses', 'latestReadyRevision', 'reconciling', 'uri']),
    );
    expect(generated.SERVICE_OUTPUT_ONLY).not.toContain('etag');
  });

  it('answers only what the response messages define (reasons are proto enum values; defaults are *_UNDEFINED)', () => {
    const reasons = cloudRunSchema().root.lookupEnum('google.cloud.run.v2.Condition.CommonReason');
    expect(reasons.valuesById[0]).toBe('COMMON_REASON_UNDEFINED');
    expect(() => run.failNextRevision('REVISION_REASON_UNSPECIFIED')).toThrow(/neither a RevisionReason/);
    expect(() => run.failNextRevision('HEALTH_CHECK_FAILED')).toThrow(/neither a RevisionReason/);
  });

  it('can print a missing reason as its default, COMMON_REASON_UNDEFINED (printDefaultReasons)', async () => {
    const loud = new CloudRunEmulator({ scale: 100, containers: false, printDefaultReasons: true });
    await loud.start();
    try {
      const headers = { authorization: 'Bearer ya29.test', 'content-type': 'application/json' };
      let op = (await (
        await fetch(`${loud.url}${base}/services?serviceId=loud`, {
          method: 'POST',
          headers,
          body: JSON.stringify(template('a')),
        })
      ).json()) as Json;
      while (!op.done)
        op = (await (
          await fetch(`${loud.url}/v2/${op.name}:wait`, { method: 'POST', headers, body: '{"timeout":"30s"}' })
        ).json()) as Json;
      expect(op.response.terminalCondition).toMatchObject({
        state: 'CONDITION_SUCCEEDED',
        reason: 'COMMON_REASON_UNDEFINED',
      });
      expect(loud.getService('acme', 'us-central1', 'loud').terminalCondition.reason).toBeUndefined();
    } finally {
      await loud.close();
    }
  });
});

describe('Cloud Run emulator: semantics stated by the protos and the documentation', () => {
  it('when a revision fails, keeps observedGeneration, trafficStatuses and latestReadyRevision at the last serving state', async () => {
    const first = (await create('keeps')).response;
    run.failNextRevision('HEALTH_CHECK_CONTAINER_ERROR');
    const op = await wait((await call('PATCH', `${base}/services/keeps`, template('app:v2'))).json);
    expect(op.error.code).toBe(9);
    const svc = (await call('GET', `${base}/services/keeps`)).json;
    expect(svc.generation).toBe('2');
    expect(svc.observedGeneration).toBe('1');
    expect(svc.latestReadyRevision).toBe(first.latestReadyRevision);
    expect(svc.latestCreatedRevision).not.toBe(first.latestReadyRevision);
    expect(svc.trafficStatuses).toEqual(first.trafficStatuses);
    expect(svc.terminalCondition).toMatchObject({ state: 'CONDITION_FAILED', reason: 'REVISION_FAILED' });
    expect(svc.reconciling).toBeUndefined();
  });

  it('creates a revision only when the template changes, a fixed revision name included', async () => {
    const body = template('app:v1', { revision: 'same-v1' });
    await create('same', body);
    const count = async () => (await call('GET', `${base}/services/same/revisions`)).json.revisions.length;
    expect(await count()).toBe(1);
    const again = await wait((await call('PATCH', `${base}/services/same`, body)).json);
    expect(again.response.generation).toBe('2');
    expect(again.response.latestCreatedRevision).toMatch(/\/same-v1$/);
    expect(await count()).toBe(1);
    await wait((await call('PATCH', `${base}/services/same`, { ...body, labels: { team: 'a' } })).json);
    expect(await count()).toBe(1);
    await wait((await call('PATCH', `${base}/services/same`, template('app:v2'))).json);
    expect(await count()).toBe(2);
  });

  it('refuses a tag that, with the service name, is over 46 characters', async () => {
    const id = 'a-service-named-thirty-one-char'; // 31
    expect(id).toHaveLength(31);
    const traffic = (tag: string) => ({
      ...template('a'),
      traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100, tag }],
    });
    const long = await call('POST', `${base}/services?serviceId=${id}`, traffic('candidate-123456')); // 16: 47
    expect(long.status).toBe(400);
    expect(long.json.error.details[0].fieldViolations[0].field).toBe('service.traffic[0].tag');
    expect(long.json.error.message).toMatch(/together have 47 characters; the limit is 46/);
    expect((await create(id, traffic('candidate-12345'))).error).toBeUndefined(); // 15: 46
  });

  it('CPU below 1 needs cpuIdle and concurrency 1; memory must fit the CPU', async () => {
    const resources = (limits: Json, cpuIdle?: boolean, concurrency?: number) => ({
      template: {
        maxInstanceRequestConcurrency: concurrency,
        containers: [{ image: 'a', resources: { limits, cpuIdle } }],
      },
    });
    const refused = async (body: Json) => {
      const { status, json } = await call('POST', `${base}/services?serviceId=cpu`, body);
      expect(status).toBe(400);
      return json.error.message as string;
    };
    expect(await refused(resources({ cpu: '0.5' }, true))).toMatch(/cpu < 1 is not supported with concurrency > 1/);
    expect(await refused(resources({ cpu: '0.5' }, undefined, 1))).toMatch(/CPU allocated only during request/);
    expect(await refused(resources({ cpu: '0.5' }, false, 1))).toMatch(/cpuIdle: true/);
    expect(await refused(resources({ cpu: '0.5', memory: '2Gi' }, true, 1))).toMatch(/at most 1Gi/);
    expect(await refused(resources({ cpu: '0.25', memory: '768Mi' }, true, 1))).toMatch(/at most 512Mi/);
    expect(await refused(resources({ cpu: '0.05' }, true, 1))).toMatch(/between 0.08 and 1/);
    expect(await refused(resources({ cpu: '3' }))).toMatch(/1, 2, 4, 6 or 8/);
    expect(await refused(resources({ cpu: '4', memory: '1Gi' }))).toMatch(
      /For 4.0 CPU, memory must be between 2Gi and 16Gi inclusive/,
    );
    expect(await refused(resources({ cpu: '1', memory: '8Gi' }))).toMatch(/between 128Mi and 4Gi/);
    const ok = await create('cpu', resources({ cpu: '0.5', memory: '1Gi' }, true, 1));
    expect(ok.response.template.containers[0].resources).toEqual({
      limits: { cpu: '0.5', memory: '1Gi' },
      cpuIdle: true,
    });
    expect((await create('cpu-4', resources({ cpu: '4', memory: '4Gi' }))).error).toBeUndefined();
  });

  it('takes port names http1 and h2c only', async () => {
    const port = (name: string) =>
      template('a', { containers: [{ image: 'a', ports: [{ name, containerPort: 8080 }] }] });
    const bad = await call('POST', `${base}/services?serviceId=ports`, port('http2'));
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/must be "http1" or "h2c"/);
    const ok = await create('ports', port('h2c'));
    expect(ok.response.template.containers[0].ports).toEqual([{ name: 'h2c', containerPort: 8080 }]);
  });

  it('IAM: getIamPolicy is a GET with requestedPolicyVersion; a stale etag is 409 ABORTED', async () => {
    await create('iam');
    const path = `${base}/services/iam`;
    expect((await call('POST', `${path}:getIamPolicy`)).status).toBe(404);
    const bad = await call('GET', `${path}:getIamPolicy?options.requestedPolicyVersion=three`);
    expect(bad.json.error.message).toBe(`Invalid value at 'options.requested_policy_version' (TYPE_INT32), "three"`);
    const policy = (await call('GET', `${path}:getIamPolicy?options.requestedPolicyVersion=3`)).json;
    expect(policy.etag).toEqual(expect.any(String));
    const bindings = [{ role: 'roles/run.invoker', members: ['user:dev@acme.example'] }];
    const set = await call('POST', `${path}:setIamPolicy`, { policy: { bindings, etag: policy.etag } });
    expect(set.json.bindings).toEqual(bindings);
    const stale = await call('POST', `${path}:setIamPolicy`, { policy: { bindings, etag: policy.etag } });
    expect(stale).toMatchObject({ status: 409, json: { error: { code: 409, status: 'ABORTED' } } });
    const unknown = await call('POST', `${path}:setIamPolicy`, {
      policy: { bindings, etag: set.json.etag, audit: [] },
    });
    expect(unknown.json.error.message).toMatch(/Unknown name "audit" at 'policy': Cannot find field/);
  });

  it('Domain Restricted Sharing refuses allUsers with 400 FAILED_PRECONDITION; invokerIamDisabled makes a service public', async () => {
    const drs = new CloudRunEmulator({
      scale: 100,
      containers: false,
      requireInvoker: true,
      domainRestrictedSharing: true,
    });
    await drs.start();
    try {
      const at = (path: string, method: string, body?: unknown) =>
        fetch(`${drs.url}${path}`, {
          method,
          headers: { authorization: 'Bearer ya29.test', 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as Json }));
      let op = (await at(`${base}/services?serviceId=public`, 'POST', template('a'))).json;
      while (!op.done) op = (await at(`/v2/${op.name}:wait`, 'POST', { timeout: '30s' })).json;
      const refused = await at(`${base}/services/public:setIamPolicy`, 'POST', {
        policy: { bindings: [{ role: 'roles/run.invoker', members: ['allUsers'] }] },
      });
      expect(refused.status).toBe(400);
      expect(refused.json.error).toMatchObject({
        code: 400,
        status: 'FAILED_PRECONDITION',
        message:
          'One or more users named in the policy do not belong to a permitted customer, perhaps due to an organization policy.',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
            violations: [expect.objectContaining({ type: 'constraints/iam.allowedPolicyMemberDomains' })],
          },
        ],
      });
      const uri = drs.serviceUrls('acme', 'us-central1', 'public').url;
      expect((await fetch(uri)).status).toBe(403);
      op = (await at(`${base}/services/public?updateMask=invokerIamDisabled`, 'PATCH', { invokerIamDisabled: true }))
        .json;
      while (!op.done) op = (await at(`/v2/${op.name}:wait`, 'POST', { timeout: '30s' })).json;
      expect((await fetch(uri)).status).toBe(200);
    } finally {
      await drs.close();
    }
  });

  it('honours ingress on the service URL and tag URLs: INTERNAL_ONLY refuses outside callers with 404', async () => {
    await create('internal', {
      ...template('a'),
      ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
      invokerIamDisabled: true,
      traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100, tag: 'edge' }],
    });
    const { url, tags } = run.serviceUrls('acme', 'us-central1', 'internal');
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(tags.edge)).status).toBe(404);
    expect((await fetch(url, { headers: { 'x-emulator-ingress': 'load-balancer' } })).status).toBe(404);
    expect((await fetch(url, { headers: { 'x-emulator-ingress': 'internal' } })).status).toBe(200);
    await wait(
      (await call('PATCH', `${base}/services/internal?updateMask=ingress`, { ingress: 'INGRESS_TRAFFIC_ALL' })).json,
    );
    expect((await fetch(url)).status).toBe(200);
  });

  it('a job update replaces the job: annotations, launchStage and binaryAuthorization stay only when sent', async () => {
    const job = {
      annotations: { owner: 'db-team' },
      launchStage: 'BETA',
      binaryAuthorization: { useDefault: true },
      template: { template: { containers: [{ image: 'migrate:v1' }] } },
    };
    const created = await call('POST', `${base}/jobs?jobId=keep`, job);
    await wait(created.json);
    const sparse = { template: { template: { containers: [{ image: 'migrate:v2' }] } } };
    await wait((await call('PATCH', `${base}/jobs/keep`, sparse)).json);
    const cleared = (await call('GET', `${base}/jobs/keep`)).json;
    expect(cleared.annotations).toBeUndefined();
    expect(cleared.binaryAuthorization).toBeUndefined();
    expect(cleared.launchStage).toBe('GA');
    await wait((await call('PATCH', `${base}/jobs/keep`, { ...job, template: sparse.template })).json);
    expect((await call('GET', `${base}/jobs/keep`)).json).toMatchObject({
      annotations: { owner: 'db-team' },
      launchStage: 'BETA',
      binaryAuthorization: { useDefault: true },
    });
    const masked = await call('PATCH', `${base}/jobs/keep?updateMask=template`, sparse);
    expect(masked.json.error.message).toMatch(/Unknown name "updateMask": Cannot bind query parameter/);
  });
});

describe('Cloud Run emulator: lost answers of calls that took effect', () => {
  const fails = (path: string, method: string, body: unknown, signal?: AbortSignal) =>
    fetch(`${run.url}${path}`, {
      method,
      headers: { authorization: 'Bearer ya29.test', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    }).then(
      () => 'answered',
      () => 'lost',
    );

  it('services.create: the connection resets after the service exists; a re-sent create is ALREADY_EXISTS', async () => {
    run.loseAnswer('services.create');
    expect(await fails(`${base}/services?serviceId=lost`, 'POST', template('a'))).toBe('lost');
    const svc = (await call('GET', `${base}/services/lost`)).json;
    expect(svc.generation).toBe('1');
    expect((await call('POST', `${base}/services?serviceId=lost`, template('a'))).json.error.status).toBe(
      'ALREADY_EXISTS',
    );
    const names = (await call('GET', `${base}/services`)).json.services.map((s: Json) => s.name);
    expect(names.filter((n: string) => n.endsWith('/services/lost'))).toHaveLength(1);
  });

  it('services.patch: the revision is created once, and the client can see it by reading', async () => {
    await create('lost-patch');
    run.loseAnswer('services.patch');
    expect(await fails(`${base}/services/lost-patch`, 'PATCH', template('b', { revision: 'lost-patch-b' }))).toBe(
      'lost',
    );
    const svc = (await call('GET', `${base}/services/lost-patch`)).json;
    expect(svc.generation).toBe('2');
    expect(svc.latestCreatedRevision).toMatch(/\/lost-patch-b$/);
    expect((await call('GET', `${base}/services/lost-patch/revisions`)).json.revisions).toHaveLength(2);
  });

  it('jobs.create: the job exists once after a lost answer', async () => {
    run.loseAnswer('jobs.create');
    const job = { template: { template: { containers: [{ image: 'm' }] } } };
    expect(await fails(`${base}/jobs?jobId=lost-job`, 'POST', job)).toBe('lost');
    expect((await call('GET', `${base}/jobs/lost-job`)).json.generation).toBe('1');
    expect((await call('POST', `${base}/jobs?jobId=lost-job`, job)).json.error.status).toBe('ALREADY_EXISTS');
  });

  it('jobs.run: the answer never comes (timeout); exactly one execution started', async () => {
    await wait(
      (await call('POST', `${base}/jobs?jobId=lost-run`, { template: { template: { containers: [{ image: 'm' }] } } }))
        .json,
    );
    run.loseAnswer('jobs.run', 'timeout');
    expect(await fails(`${base}/jobs/lost-run:run`, 'POST', {}, AbortSignal.timeout(300))).toBe('lost');
    const executions = (await call('GET', `${base}/jobs/lost-run/executions`)).json.executions;
    expect(executions).toHaveLength(1);
    expect((await call('GET', `${base}/jobs/lost-run`)).json.executionCount).toBe(1);
  });

  it('setIamPolicy: the policy is set once; its etag moved, so a blind re-send is ABORTED', async () => {
    await create('lost-iam');
    const path = `${base}/services/lost-iam`;
    const before = (await call('GET', `${path}:getIamPolicy?options.requestedPolicyVersion=3`)).json;
    const policy = { bindings: [{ role: 'roles/run.invoker', members: ['allUsers'] }], etag: before.etag };
    run.loseAnswer('setIamPolicy');
    expect(await fails(`${path}:setIamPolicy`, 'POST', { policy })).toBe('lost');
    const after = (await call('GET', `${path}:getIamPolicy?options.requestedPolicyVersion=3`)).json;
    expect(after.bindings).toEqual(policy.bindings);
    expect(after.etag).not.toBe(before.etag);
    expect((await call('POST', `${path}:setIamPolicy`, { policy })).status).toBe(409);
  });
});
