import { type Cloud, PROJECT, REGION, deploy, envOf, service, split, startCloud } from './fixture';

// Services against the emulator without containers (a stub answers for each revision): create, update,
// env and secret strategies, tags, failures and rollbacks, API faults, several regions.

describe('deploy-cloudrun services', () => {
  let cloud: Cloud;
  beforeEach(async () => {
    cloud = await startCloud();
  });
  afterEach(() => cloud.close());

  it('creates a service, labels it, makes it public, and reports url, revision and traffic', async () => {
    const result = await deploy(cloud, {
      service: 'api',
      image: 'europe-docker.pkg.dev/acme-prod/app/api:1.0.0',
      'env-vars': 'NODE_ENV=production\nGREETING=hello, world=1',
      labels: 'team=backend',
      cpu: '1',
      memory: '512Mi',
      concurrency: 40,
      'max-instances': 3,
      'allow-unauthenticated': true,
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const svc = service(cloud, 'api');
    expect(result.outputs.url).toBe(svc.uri);
    expect(result.outputs.revision).toMatch(/^api-a1b2c3d-[a-z0-9]{4}$/);
    expect(svc.latestReadyRevision).toBe(`${svc.name}/revisions/${result.outputs.revision}`);
    expect(result.outputs['previous-revision']).toBe('');
    expect(JSON.parse(result.outputs.traffic)).toEqual([
      expect.objectContaining({ revision: result.outputs.revision, percent: 100, latest: true }),
    ]);
    expect(envOf(svc)).toEqual({ NODE_ENV: 'production', GREETING: 'hello, world=1' });
    expect(svc.labels).toEqual({
      'managed-by': 'github-actions',
      'commit-sha': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      team: 'backend',
    });
    expect(svc.template.containers[0].resources.limits).toEqual({ cpu: '1', memory: '512Mi' });
    expect(svc.template.maxInstanceRequestConcurrency).toBe(40);
    expect(svc.template.scaling).toEqual({ maxInstanceCount: 3 });
    expect(cloud.run.server.count('POST', /:setIamPolicy$/)).toBe(1);
    expect(result.summary).toContain('Traffic after');
    expect(result.summary).toContain(result.outputs.revision);
    expect(result.summary).toContain('granted to allUsers');
  });

  it('updates: merges env vars, switches a variable between plain and secret both ways, moves pinned traffic', async () => {
    cloud.run.setSecret('db-url', 'postgres://secret-value');
    cloud.run.setSecret('api-key', 'k-123', '3');
    const first = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:1',
      'env-vars': 'A=1\nDATABASE_URL=postgres://plain\nKEEP=yes',
      secrets: 'API_KEY=api-key:3',
    });
    expect(first.exitCode).toBe(0);
    // Someone pinned traffic by hand: the next deploy must still take 100%.
    const pinnedTo = first.outputs.revision;
    const second = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:2',
      'env-vars': 'A=2\nAPI_KEY=now-plain',
      secrets: 'DATABASE_URL=db-url',
    });
    expect(second.errors).toEqual([]);
    const svc = service(cloud, 'api');
    expect(envOf(svc)).toEqual({
      A: '2',
      KEEP: 'yes',
      API_KEY: 'now-plain',
      DATABASE_URL: { secret: 'db-url', version: 'latest' },
    });
    expect(second.outputs['previous-revision']).toBe(pinnedTo);
    expect(split(svc)).toEqual({ [second.outputs.revision]: 100 });

    const third = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:3',
      'env-vars': 'ONLY=this',
      'env-vars-update-strategy': 'overwrite',
      secrets: 'API_KEY=api-key:3',
      'secrets-update-strategy': 'overwrite',
    });
    expect(third.exitCode).toBe(0);
    expect(envOf(service(cloud, 'api'))).toEqual({ ONLY: 'this', API_KEY: { secret: 'api-key', version: '3' } });
  });

  it('gives pinned traffic to the new revision (peer issues #168/#202/#479)', async () => {
    const first = await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
    const second = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:2',
      strategy: 'no-traffic',
      tag: 'next',
    });
    expect(second.exitCode).toBe(0);
    // Traffic is now pinned to the first revision (no-traffic pins it).
    expect(split(service(cloud, 'api'))).toEqual({ [first.outputs.revision]: 100 });
    expect(service(cloud, 'api').traffic).toContainEqual(
      expect.objectContaining({
        type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
        revision: first.outputs.revision,
        percent: 100,
      }),
    );
    const third = await deploy(cloud, { service: 'api', image: 'example.com/api:3' });
    expect(third.exitCode).toBe(0);
    expect(split(service(cloud, 'api'))).toEqual({ [third.outputs.revision]: 100 });
    // The preview tag stays on its revision.
    expect(service(cloud, 'api').trafficStatuses).toContainEqual(
      expect.objectContaining({ tag: 'next', revision: second.outputs.revision }),
    );
  });

  it('no-traffic deploys a tagged preview and outputs its URL', async () => {
    const first = await deploy(cloud, { service: 'web', image: 'example.com/web:1' });
    const preview = await deploy(cloud, {
      service: 'web',
      image: 'example.com/web:pr-7',
      strategy: 'no-traffic',
      tag: 'pr-7',
      'health-path': '/health',
      'health-probes': 2,
      'health-interval': '10ms',
    });
    expect(preview.errors).toEqual([]);
    const urls = cloud.run.serviceUrls(PROJECT, REGION, 'web');
    expect(preview.outputs['tag-url']).toBe(urls.tags['pr-7']);
    expect(split(service(cloud, 'web'))).toEqual({ [first.outputs.revision]: 100 });
    const answer = await fetch(`${urls.tags['pr-7']}/health`);
    expect(answer.status).toBe(200);
    expect(preview.summary).toMatch(/no traffic \(tag\)[\s\S]*revision/);
  });

  it('a revision that never becomes ready: rolled back, failed with the revision condition', async () => {
    const first = await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
    const before = service(cloud, 'api').trafficStatuses;
    cloud.run.failNextRevision('HEALTH_CHECK_CONTAINER_ERROR');
    const result = await deploy(cloud, { service: 'api', image: 'example.com/api:broken', strategy: 'canary' });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /revision api-a1b2c3d-\w+ failed: HEALTH_CHECK_CONTAINER_ERROR: The user-provided container failed to start/,
    );
    expect(result.errors[0]).toContain('Rolled back');
    const svc = service(cloud, 'api');
    expect(svc.trafficStatuses).toEqual(before);
    expect(split(svc)).toEqual({ [first.outputs.revision]: 100 });
    expect(result.summary).toMatch(/HEALTH_CHECK_CONTAINER_ERROR/);
    expect(result.summary).toMatch(/CONDITION_FAILED/);
    // Issue 13: the revision is reported even when the rollout failed, next to the status.
    expect(result.outputs.revision).toMatch(/^api-a1b2c3d-\w+$/);
    expect(result.outputs.status).toBe('rolled-back');
  });

  it('an operation that ends in an error fails the step with its message, and traffic is restored', async () => {
    const first = await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
    cloud.run.failNextOperation('Quota exceeded for total allowable CPU per project per region.', 8);
    const result = await deploy(cloud, { service: 'api', image: 'example.com/api:2' });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(/Quota exceeded for total allowable CPU/);
    expect(split(service(cloud, 'api'))).toEqual({ [first.outputs.revision]: 100 });
  });

  it('survives 429 and 5xx answers from the API', async () => {
    cloud.run.server.inject({
      method: 'GET',
      path: /services\/api$/,
      status: 429,
      headers: { 'retry-after': '0' },
      times: 2,
    });
    cloud.run.server.inject({ method: 'PATCH', status: 503, times: 1 });
    cloud.run.server.inject({ method: 'POST', path: /:wait$/, status: 500, times: 1 });
    cloud.run.server.inject({ method: 'POST', path: /\/services$/, status: 502, times: 1 });
    const result = await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(cloud.run.server.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(cloud.run.server.requests.filter((r) => r.status >= 500)).toHaveLength(2);
    expect(result.log).toMatch(/answered 429.*retry 1/);
  });

  it('re-reads and retries when the service changed meanwhile (409 ABORTED on the etag)', async () => {
    await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
    cloud.run.server.inject({
      method: 'PATCH',
      status: 409,
      body: {
        error: { code: 409, status: 'ABORTED', message: 'The etag does not match the current version of the service.' },
      },
    });
    const result = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:2',
      strategy: 'canary',
      'canary-steps': '50,100',
    });
    expect(result.errors).toEqual([]);
    expect(result.log).toContain('api: changed meanwhile (etag); reading it again');
    expect(split(service(cloud, 'api'))).toEqual({ [result.outputs.revision]: 100 });
  });

  it('deploys to several regions one after the other and reports each', async () => {
    const result = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:1',
      region: 'europe-west1,us-central1',
    });
    expect(result.errors).toEqual([]);
    const regions = JSON.parse(result.outputs.regions);
    expect(Object.keys(regions)).toEqual(['europe-west1', 'us-central1']);
    expect(regions['us-central1'].url).toBe(service(cloud, 'api', 'us-central1').uri);
    expect(regions['europe-west1'].url).toBe(result.outputs.url);
    expect(result.summary).toContain('us-central1');
  });

  it('rolls back regions already deployed when a later region fails', async () => {
    const first = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:1',
      region: 'europe-west1,us-central1',
    });
    const regions = JSON.parse(first.outputs.regions);
    // The second region refuses the update after the first one has deployed.
    cloud.run.server.inject({
      method: 'PATCH',
      path: /us-central1\/services\/api$/,
      status: 400,
      body: {
        error: {
          code: 400,
          status: 'FAILED_PRECONDITION',
          message: 'Cloud Run Admin API has not been used in this region.',
        },
      },
    });
    const result = await deploy(cloud, {
      service: 'api',
      image: 'example.com/api:2',
      region: 'europe-west1,us-central1',
      'service-patch': 'template: {executionEnvironment: EXECUTION_ENVIRONMENT_GEN2}\nannotations: {owner: team-a}',
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(
      /PATCH .*us-central1\/services\/api answered 400 FAILED_PRECONDITION: Cloud Run Admin API has not been used/,
    );
    // The patch reached the first region before it was rolled back.
    expect(service(cloud, 'api', 'europe-west1').template.executionEnvironment).toBe('EXECUTION_ENVIRONMENT_GEN2');
    expect(service(cloud, 'api', 'europe-west1').annotations).toEqual({ owner: 'team-a' });
    expect(split(service(cloud, 'api', 'europe-west1'))).toEqual({ [regions['europe-west1'].revision]: 100 });
    expect(split(service(cloud, 'api', 'us-central1'))).toEqual({ [regions['us-central1'].revision]: 100 });
    expect(result.log).toMatch(/api in europe-west1: rolled back because a later region failed/);
  });
});
