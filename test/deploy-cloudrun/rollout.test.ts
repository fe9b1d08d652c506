import { CloudRunClient, googleCredentials, servicePath } from '../../packages/gcp/src';
import {
  type Cloud,
  PROJECT,
  REGION,
  buildExampleApp,
  deploy,
  removeImage,
  service,
  split,
  startCloud,
} from './fixture';

// Every rollout strategy with real containers of examples/app behind the emulator's traffic-splitting
// proxy. Its /cgi-bin/health answers HEALTH_STATUS (default 200), so a revision deployed with
// HEALTH_STATUS=500 is a bad release the gate must catch.

const gate = {
  'health-path': '/cgi-bin/health',
  'health-probes': 3,
  'health-interval': '20ms',
  'health-max-latency': '5s',
};

describe('deploy-cloudrun rollouts with real containers', () => {
  let cloud: Cloud;
  let image: string;
  beforeAll(() => {
    image = buildExampleApp();
  });
  afterAll(() => removeImage(image));
  beforeEach(async () => {
    cloud = await startCloud({ containers: true, startupTimeoutMs: 8000 });
  });
  afterEach(() => cloud.close());

  it('all-at-once: creates, then updates behind the gate on the service URL', async () => {
    const first = await deploy(cloud, { service: 'app', image, ...gate, 'env-vars': 'APP_VERSION=1' });
    expect(first.errors).toEqual([]);
    const second = await deploy(cloud, { service: 'app', image, ...gate, 'env-vars': 'APP_VERSION=2' });
    expect(second.errors).toEqual([]);
    expect(second.outputs['previous-revision']).toBe(first.outputs.revision);
    expect(split(service(cloud, 'app'))).toEqual({ [second.outputs.revision]: 100 });
    const body = await (await fetch(`${second.outputs.url}/cgi-bin/health`)).json();
    expect(body).toEqual({ status: 'OK', revision: second.outputs.revision, version: '2' });
    expect(second.summary).toMatch(/<td>100%<\/td><td>service<\/td><td>200×3<\/td><td>0%<\/td>/);
  });

  it('canary: 10% → 50% → 100%, each step gated on the new revision, candidate tag gone at the end', async () => {
    const first = await deploy(cloud, { service: 'app', image });
    const result = await deploy(cloud, {
      service: 'app',
      image,
      'env-vars': 'APP_VERSION=2',
      strategy: 'canary',
      'canary-steps': '10,50,100',
      'canary-pause': '50ms',
      ...gate,
    });
    expect(result.errors).toEqual([]);
    const lines = result.log.split('\n');
    const moves = lines.filter((l) => /now serving/.test(l));
    expect(moves).toHaveLength(3);
    expect(moves[0]).toContain(`${first.outputs.revision} 90%, ${result.outputs.revision} 10%`);
    expect(moves[1]).toContain(`${first.outputs.revision} 50%, ${result.outputs.revision} 50%`);
    expect(moves[2]).toContain(`${result.outputs.revision} 100%`);
    expect(lines.filter((l) => /Health revision .*candidate|Health revision http/.test(l))).toHaveLength(2);
    const svc = service(cloud, 'app');
    expect(split(svc)).toEqual({ [result.outputs.revision]: 100 });
    expect(svc.trafficStatuses.some((t: { tag?: string }) => t.tag)).toBe(false);
    expect(result.summary).toMatch(/10%[\s\S]*50%[\s\S]*100%/);
  });

  it('blue-green: new revision under its tag, checked there, then 100%', async () => {
    const first = await deploy(cloud, { service: 'app', image });
    const result = await deploy(cloud, {
      service: 'app',
      image,
      strategy: 'blue-green',
      tag: 'green',
      'env-vars': 'APP_VERSION=green',
      ...gate,
    });
    expect(result.errors).toEqual([]);
    expect(result.log).toMatch(
      new RegExp(`now serving ${first.outputs.revision} 100%; tags green→${result.outputs.revision}`),
    );
    expect(split(service(cloud, 'app'))).toEqual({ [result.outputs.revision]: 100 });
    const tagged = (await (await fetch(`${result.outputs['tag-url']}/cgi-bin/health`)).json()) as { version: string };
    expect(tagged.version).toBe('green');
  });

  it('no-traffic: a preview under its tag, the live split untouched', async () => {
    const first = await deploy(cloud, { service: 'app', image });
    const result = await deploy(cloud, { service: 'app', image, strategy: 'no-traffic', tag: 'pr-42', ...gate });
    expect(result.errors).toEqual([]);
    expect(split(service(cloud, 'app'))).toEqual({ [first.outputs.revision]: 100 });
    expect((await fetch(`${result.outputs['tag-url']}/cgi-bin/health`)).status).toBe(200);
  });

  it('canary whose new revision answers 500: rolled back to the previous split exactly', async () => {
    const v1 = await deploy(cloud, { service: 'app', image });
    const v2 = await deploy(cloud, { service: 'app', image, strategy: 'no-traffic', tag: 'beta' });
    // A hand-made split: 70/30 between two revisions, with a tag.
    const client = new CloudRunClient({
      credentials: await googleCredentials({ env: { GOOGLE_APPLICATION_CREDENTIALS: cloud.keyPath } }),
      endpoint: cloud.run.url,
    });
    const name = servicePath(PROJECT, REGION, 'app');
    const current = (await client.getService(name))!;
    const traffic = [
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const, revision: v1.outputs.revision, percent: 70 },
      {
        type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const,
        revision: v2.outputs.revision,
        percent: 30,
        tag: 'beta',
      },
    ];
    const op = await client.patchService(name, { template: current.template, labels: current.labels, traffic });
    await client.waitOperation(op, { what: 'split', timeoutMs: 30_000 });
    const before = service(cloud, 'app');

    const result = await deploy(cloud, {
      service: 'app',
      image,
      strategy: 'canary',
      'canary-steps': '20,100',
      'env-vars': 'HEALTH_STATUS=500',
      ...gate,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(
      /health gate failed at 20%: 3 of 3 probes of the new revision failed \(3× 500; expected 200 within 5\.0s\)/,
    );
    expect(result.errors[0]).toContain(
      `Rolled back: traffic restored: ${v1.outputs.revision} 70%, ${v2.outputs.revision} 30%; tags beta→${v2.outputs.revision}`,
    );
    const after = service(cloud, 'app');
    expect(after.traffic).toEqual(before.traffic);
    expect(after.trafficStatuses).toEqual(before.trafficStatuses);
    expect(JSON.parse(result.outputs.traffic)).toEqual([
      expect.objectContaining({ revision: v1.outputs.revision, percent: 70 }),
      expect.objectContaining({ revision: v2.outputs.revision, percent: 30, tag: 'beta' }),
    ]);
    expect(result.summary).toMatch(/Traffic before[\s\S]*70%[\s\S]*Traffic after[\s\S]*70%/);
    expect(result.summary).toMatch(/500×3/);
  });

  it('blue-green whose new revision answers 500: the previous revision keeps serving', async () => {
    const v1 = await deploy(cloud, { service: 'app', image });
    const result = await deploy(cloud, {
      service: 'app',
      image,
      strategy: 'blue-green',
      'env-vars': 'HEALTH_STATUS=500',
      ...gate,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(/health gate failed at no traffic \(tag\)/);
    const svc = service(cloud, 'app');
    expect(split(svc)).toEqual({ [v1.outputs.revision]: 100 });
    expect((await fetch(`${svc.uri}/cgi-bin/health`)).status).toBe(200);
  });

  it('a revision that never starts listening: timed out, rolled back, the pending conditions named', async () => {
    const v1 = await deploy(cloud, { service: 'app', image });
    const result = await deploy(cloud, { service: 'app', image, command: '["sleep", "600"]', 'deploy-wait': '3s' });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(
      /Timed out after 3\.0s waiting for deploy of app in europe-west1 .*Raise the "deploy-wait" input.*\(revision app-\S+: Ready is CONDITION_RECONCILING/,
    );
    expect(result.errors[0]).toContain(`Rolled back: traffic restored: ${v1.outputs.revision} 100%`);
    expect(split(service(cloud, 'app'))).toEqual({ [v1.outputs.revision]: 100 });
    expect((await fetch(`${v1.outputs.url}/cgi-bin/health`)).status).toBe(200);
  });
});
