import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudRunClient, googleCredentials, jobPath, locationPath, servicePath } from '../../packages/gcp/src';
import { type Cloud, PROJECT, REGION, type View, deploy, service, split, startCloud } from './fixture';

// The Cloud Run defects of issue 10, each through the built action against the emulator (which checks every
// request against the v2 protos): each of these failed with the client before the fix.

const IMAGE = 'europe-docker.pkg.dev/acme-prod/app/api:1.0.0';
const DIGEST = `europe-docker.pkg.dev/acme-prod/app/api@sha256:${'a'.repeat(64)}`;

async function api(cloud: Cloud): Promise<CloudRunClient> {
  const credentials = await googleCredentials({ env: { GOOGLE_APPLICATION_CREDENTIALS: cloud.keyPath } });
  return new CloudRunClient({ credentials, endpoint: cloud.run.url });
}

function policy(
  cloud: Cloud,
  name = 'api',
  region = REGION,
): Promise<{ bindings?: { role: string; members: string[] }[] }> {
  return api(cloud).then((client) => client.getIamPolicy(servicePath(PROJECT, region, name)));
}

/**
 * A proxy in front of the emulator that answers services.get as Cloud Run does once the latest created
 * revision has failed: the service's reconciliation stays failed whatever traffic-only change follows, so
 * `observedGeneration` stays behind `generation` and `terminalCondition` is CONDITION_FAILED (service.proto,
 * `reconciling`). The emulator itself settles a traffic-only patch as a success.
 */
async function stuckReconciliation(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>,
      body: body.length ? body : undefined,
    });
    let text = await answer.text();
    if (req.method === 'GET' && /\/services\/[^/:]+$/.test(req.url ?? '') && answer.ok) {
      const svc = JSON.parse(text) as View;
      if (svc.latestCreatedRevision && svc.latestCreatedRevision !== svc.latestReadyRevision) {
        svc.observedGeneration = String(Number(svc.generation) - 1);
        svc.terminalCondition = {
          type: 'Ready',
          state: 'CONDITION_FAILED',
          reason: 'REVISION_FAILED',
          message: 'Revision is not ready.',
        };
        text = JSON.stringify(svc);
      }
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('deploy-cloudrun: Cloud Run defects (issue 10)', () => {
  let cloud: Cloud;
  afterEach(() => cloud.close());

  describe('with the default emulator', () => {
    beforeEach(async () => {
      cloud = await startCloud();
    });

    it('1. sends ingress: internal makes the service internal', async () => {
      const result = await deploy(cloud, { service: 'api', image: IMAGE, ingress: 'internal' });
      expect(result.errors).toEqual([]);
      expect(service(cloud, 'api').ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
      expect((await fetch(result.outputs.url)).status).toBe(404);
    });

    it('2. a rollback after a revision that never becomes ready settles on traffic, not observedGeneration', async () => {
      const first = await deploy(cloud, { service: 'api', image: IMAGE });
      const proxy = await stuckReconciliation(cloud.run.url);
      try {
        cloud.run.failNextRevision('HEALTH_CHECK_CONTAINER_ERROR');
        // A waiter on observedGeneration == generation would hang here until the 10-minute timeout, past the
        // harness limit below.
        const result = await deploy(
          cloud,
          {
            service: 'api',
            image: 'europe-docker.pkg.dev/acme-prod/app/api:broken',
            strategy: 'canary',
            'deploy-wait': '10m',
            'api-endpoint': proxy.url,
          },
          { timeoutMs: 45_000 },
        );
        expect(result.exitCode).not.toBe(0);
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]).toMatch(/revision api-a1b2c3d-\w+ failed: HEALTH_CHECK_CONTAINER_ERROR/);
        expect(result.errors[0]).toContain(`Rolled back: traffic restored: ${first.outputs.revision} 100%`);
        expect(result.outputs.status).toBe('rolled-back');
        expect(split(service(cloud, 'api'))).toEqual({ [first.outputs.revision]: 100 });
      } finally {
        await proxy.close();
      }
    });

    it('3a. allow-unauthenticated reads the policy with version 3 and re-reads after a 409', async () => {
      const versions: (string | null)[] = [];
      cloud.run.server.inject({
        method: 'GET',
        path: /:getIamPolicy$/,
        times: Number.POSITIVE_INFINITY,
        match: (req) => {
          versions.push(req.query.get('options.requestedPolicyVersion'));
          return false;
        },
      });
      await deploy(cloud, { service: 'api', image: IMAGE });
      cloud.run.server.inject({
        method: 'POST',
        path: /:setIamPolicy$/,
        status: 409,
        body: { error: { code: 409, status: 'ABORTED', message: 'There were concurrent policy changes.' } },
      });
      const result = await deploy(cloud, { service: 'api', image: IMAGE, 'allow-unauthenticated': true });
      expect(result.errors).toEqual([]);
      expect(versions.length).toBeGreaterThanOrEqual(2);
      expect(new Set(versions)).toEqual(new Set(['3']));
      expect(cloud.run.server.count('POST', /:setIamPolicy$/)).toBe(2);
      expect((await policy(cloud)).bindings).toContainEqual({ role: 'roles/run.invoker', members: ['allUsers'] });
    });

    it('3b. public access is granted before traffic moves; a refusal in a later region rolls back the earlier one, binding included', async () => {
      const regions = 'europe-west1,us-central1';
      const v1 = await deploy(cloud, { service: 'api', image: IMAGE, region: regions });
      const before = JSON.parse(v1.outputs.regions);
      cloud.run.server.inject({
        method: 'POST',
        path: /us-central1\/services\/api:setIamPolicy$/,
        status: 400,
        body: {
          error: {
            code: 400,
            status: 'FAILED_PRECONDITION',
            message: 'One or more users named in the policy do not belong to a permitted customer.',
          },
        },
      });
      const patchesBefore = cloud.run.server.count('PATCH', /us-central1\/services\/api$/);
      const result = await deploy(cloud, {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:2',
        region: regions,
        strategy: 'canary',
        'allow-unauthenticated': true,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/Domain Restricted Sharing.*invoker-iam-disabled: true/);
      // Refused before anything moved in us-central1 ...
      expect(cloud.run.server.count('PATCH', /us-central1\/services\/api$/)).toBe(patchesBefore);
      expect(split(service(cloud, 'api', 'us-central1'))).toEqual({ [before['us-central1'].revision]: 100 });
      // ... and europe-west1, already deployed and made public, is back as it was.
      expect(split(service(cloud, 'api', 'europe-west1'))).toEqual({ [before['europe-west1'].revision]: 100 });
      expect((await policy(cloud, 'api', 'europe-west1')).bindings ?? []).not.toContainEqual(
        expect.objectContaining({ members: expect.arrayContaining(['allUsers']) }),
      );
      expect(result.log).toMatch(/api in europe-west1: rolled back because a later region failed/);
    });

    it('4. tag + service name over 46 characters is refused before any request; the probe tag fits', async () => {
      const long = `api-${'x'.repeat(36)}`; // 40 characters
      const refused = await deploy(cloud, { service: long, image: IMAGE, tag: 'preview-long' });
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors[0]).toMatch(
        /^Input "tag": "preview-long" and the service name .* are 52 characters together; Cloud Run allows 46/,
      );
      expect(cloud.run.server.requests).toEqual([]);

      const first = await deploy(cloud, { service: long, image: IMAGE });
      expect(first.errors).toEqual([]);
      const canary = await deploy(cloud, {
        service: long,
        image: 'europe-docker.pkg.dev/acme-prod/app/api:2',
        strategy: 'canary',
        'canary-steps': '50,100',
        'health-path': '/health',
        'health-probes': 1,
        'health-interval': '0s',
      });
      expect(canary.errors).toEqual([]);
      expect(canary.log).toMatch(/Health revision http:\/\/127\.0\.0\.1:\d+\/health: passed/);
      expect(canary.log).toMatch(new RegExp(`tags canary→${canary.outputs.revision}`));
    });

    it('5. cpuIdle: true is sent by default; CPU and memory are checked before any request', async () => {
      const cases: [Record<string, string | number | boolean>, RegExp][] = [
        [{ cpu: '3' }, /^Input "cpu": 3 is not a CPU count Cloud Run accepts; above 1, use 2, 4, 6 or 8/],
        [{ cpu: '0.5' }, /^Input "concurrency": must be 1 with cpu 0\.5 \(below 1\)/],
        [{ cpu: '0.5', concurrency: 1, memory: '2Gi' }, /^Input "memory": 2Gi needs at least 1 CPU/],
        [{ cpu: '1', memory: '8Gi' }, /^Input "memory": 8Gi is more than 1 CPU allows \(4Gi\)/],
        [{ cpu: '4', memory: '1Gi' }, /^Input "memory": 1Gi is less than 4 CPU needs \(2Gi\)/],
        [
          { cpu: '0.5', concurrency: 1, 'cpu-throttling': false },
          /^Input "cpu": 0\.5 \(below 1\) needs CPU allocated only during requests/,
        ],
      ];
      for (const [inputs, message] of cases) {
        const result = await deploy(cloud, { service: 'api', image: IMAGE, ...inputs });
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0]).toMatch(message);
      }
      expect(cloud.run.server.requests).toEqual([]);

      const small = await deploy(cloud, { service: 'api', image: IMAGE, cpu: '0.5', memory: '512Mi', concurrency: 1 });
      expect(small.errors).toEqual([]);
      expect(service(cloud, 'api').template.containers[0].resources).toEqual({
        limits: { cpu: '0.5', memory: '512Mi' },
        cpuIdle: true,
      });
      await deploy(cloud, { service: 'web', image: IMAGE, memory: '1Gi' });
      expect(service(cloud, 'web').template.containers[0].resources.cpuIdle).toBe(true);
    });

    it('6a. a lost answer to services.create: the service is read, one service results', async () => {
      cloud.run.loseAnswer('services.create');
      const result = await deploy(cloud, { service: 'api', image: IMAGE });
      expect(result.errors).toEqual([]);
      expect(cloud.run.server.count('POST', /\/services$/)).toBe(1);
      expect(result.log).toMatch(/services\.create api: no clear answer .*reading the state before deciding/);
      const listed = (
        await (await api(cloud)).api.call<{ services?: View[] }>(`/v2/${locationPath(PROJECT, REGION)}/services`)
      ).services;
      expect(listed).toHaveLength(1);
      expect(split(service(cloud, 'api'))).toEqual({ [result.outputs.revision]: 100 });
    });

    it('6b. a lost answer to setIamPolicy: the policy is read again, one binding results', async () => {
      await deploy(cloud, { service: 'api', image: IMAGE });
      cloud.run.loseAnswer('setIamPolicy');
      const result = await deploy(cloud, { service: 'api', image: IMAGE, 'allow-unauthenticated': true });
      expect(result.errors).toEqual([]);
      expect(cloud.run.server.count('POST', /:setIamPolicy$/)).toBe(1);
      expect((await policy(cloud)).bindings).toEqual([{ role: 'roles/run.invoker', members: ['allUsers'] }]);
    });

    it('6f. a lost answer to services.patch: the etag-guarded retry is rebuilt from the service, one new revision', async () => {
      const v1 = await deploy(cloud, { service: 'api', image: IMAGE });
      cloud.run.loseAnswer('services.patch');
      const v2 = await deploy(cloud, { service: 'api', image: 'europe-docker.pkg.dev/acme-prod/app/api:2' });
      expect(v2.errors).toEqual([]);
      const revisions = await (await api(cloud)).listRevisions(servicePath(PROJECT, REGION, 'api'));
      expect(revisions.map((r) => r.name.split('/').pop()).sort()).toEqual(
        [v1.outputs.revision, v2.outputs.revision].sort(),
      );
      expect(split(service(cloud, 'api'))).toEqual({ [v2.outputs.revision]: 100 });
    });

    it('6c. a 502 to services.create that created nothing: sent again after reading, one service', async () => {
      cloud.run.server.inject({ method: 'POST', path: /\/services$/, status: 502 });
      const result = await deploy(cloud, { service: 'api', image: IMAGE });
      expect(result.errors).toEqual([]);
      expect(result.log).toMatch(/services\.create api: nothing was created; sending it again/);
      expect(cloud.run.server.count('POST', /\/services$/)).toBe(2);
    });

    it('8. port keeps an existing h2c name, and port-name offers the choice', async () => {
      const client = await api(cloud);
      const op = await client.createService(locationPath(PROJECT, REGION), 'grpc', {
        template: { containers: [{ image: IMAGE, ports: [{ name: 'h2c', containerPort: 8080 }] }] },
      });
      await client.waitOperation(op, { what: 'create', timeoutMs: 30_000 });
      const kept = await deploy(cloud, { service: 'grpc', image: IMAGE, port: 9090 });
      expect(kept.errors).toEqual([]);
      expect(service(cloud, 'grpc').template.containers[0].ports).toEqual([{ name: 'h2c', containerPort: 9090 }]);
      const changed = await deploy(cloud, { service: 'grpc', image: IMAGE, 'port-name': 'http1' });
      expect(changed.errors).toEqual([]);
      expect(service(cloud, 'grpc').template.containers[0].ports).toEqual([{ name: 'http1', containerPort: 9090 }]);
    });

    it('9. a fixed revision-suffix on an unchanged template is detected: refused for a tag, "unchanged" for a digest', async () => {
      const first = await deploy(cloud, { service: 'api', image: IMAGE, 'revision-suffix': 'v1' });
      expect(first.outputs.revision).toBe('api-v1');
      const patches = cloud.run.server.count('PATCH');
      const again = await deploy(cloud, { service: 'api', image: IMAGE, 'revision-suffix': 'v1' });
      expect(again.exitCode).not.toBe(0);
      expect(again.errors[0]).toMatch(
        /^Input "revision-suffix": names revision api-v1, which already runs this exact template: Cloud Run would create no revision/,
      );
      const other = await deploy(cloud, {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:2',
        'revision-suffix': 'v1',
      });
      expect(other.errors[0]).toMatch(
        /^Input "revision-suffix": names revision api-v1, which already exists with another template/,
      );
      expect(cloud.run.server.count('PATCH')).toBe(patches);

      await deploy(cloud, { service: 'web', image: DIGEST, 'revision-suffix': 'd1' });
      const same = await deploy(cloud, { service: 'web', image: DIGEST, 'revision-suffix': 'd1' });
      expect(same.errors).toEqual([]);
      expect(same.outputs.status).toBe('unchanged');
      expect(same.outputs.revision).toBe('web-d1');
    });

    it('10. previous-revision names the revision that served, not a no-traffic preview', async () => {
      const v1 = await deploy(cloud, { service: 'api', image: IMAGE });
      const preview = await deploy(cloud, {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:pr',
        strategy: 'no-traffic',
        tag: 'pr-1',
      });
      expect(preview.errors).toEqual([]);
      const v3 = await deploy(cloud, { service: 'api', image: 'europe-docker.pkg.dev/acme-prod/app/api:3' });
      expect(v3.errors).toEqual([]);
      expect(v3.outputs['previous-revision']).toBe(v1.outputs.revision);
    });
  });

  describe('jobs', () => {
    beforeEach(async () => {
      cloud = await startCloud({ taskDurationMs: 300 });
    });

    it('6d. a lost answer to jobs.run: the executions are read, one execution results', async () => {
      await deploy(cloud, { job: 'migrate', image: IMAGE });
      cloud.run.loseAnswer('jobs.run');
      const result = await deploy(cloud, { job: 'migrate', image: IMAGE, execute: true });
      expect(result.errors).toEqual([]);
      expect(cloud.run.server.count('POST', /:run$/)).toBe(1);
      expect(result.log).toMatch(
        /jobs\.run migrate: no clear answer [\s\S]*jobs\.run migrate: it had gone through; using what it created\nJob migrate in europe-west1: started execution migrate-\w+/,
      );
      const executions = await (await api(cloud)).listExecutions(jobPath(PROJECT, REGION, 'migrate'));
      expect(executions).toHaveLength(1);
    });

    it('6e. a lost answer to jobs.create: the job is read, one job results', async () => {
      cloud.run.loseAnswer('jobs.create');
      const result = await deploy(cloud, { job: 'migrate', image: IMAGE });
      expect(result.errors).toEqual([]);
      expect(cloud.run.server.count('POST', /\/jobs$/)).toBe(1);
    });

    it('7. job updates keep annotations, launchStage and binaryAuthorization', async () => {
      const client = await api(cloud);
      const op = await client.createJob(locationPath(PROJECT, REGION), 'migrate', {
        annotations: { owner: 'team-a' },
        launchStage: 'BETA',
        binaryAuthorization: { useDefault: true },
        template: { template: { containers: [{ image: IMAGE }] } },
      });
      await client.waitOperation(op, { what: 'create', timeoutMs: 30_000 });
      const result = await deploy(cloud, { job: 'migrate', image: 'europe-docker.pkg.dev/acme-prod/app/api:2' });
      expect(result.errors).toEqual([]);
      const job = (await client.getJob(jobPath(PROJECT, REGION, 'migrate'))) as View;
      expect(job.annotations).toEqual({ owner: 'team-a' });
      expect(job.launchStage).toBe('BETA');
      expect(job.binaryAuthorization).toEqual({ useDefault: true });
      expect(job.template.template.containers[0].image).toBe('europe-docker.pkg.dev/acme-prod/app/api:2');
    });
  });

  describe('with Domain Restricted Sharing', () => {
    beforeEach(async () => {
      cloud = await startCloud({ domainRestrictedSharing: true, requireInvoker: true });
    });

    it('3c. recognises the refusal, changes nothing, and invoker-iam-disabled makes the service public instead', async () => {
      const v1 = await deploy(cloud, { service: 'api', image: IMAGE });
      const refused = await deploy(cloud, {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:2',
        'allow-unauthenticated': true,
      });
      expect(refused.exitCode).not.toBe(0);
      expect(refused.errors[0]).toMatch(
        /refuses public access through IAM \(Domain Restricted Sharing.*\); set invoker-iam-disabled: true instead of allow-unauthenticated/,
      );
      expect(refused.errors[0]).toContain('Nothing was changed');
      expect(refused.outputs.status).toBe('failed');
      expect(split(service(cloud, 'api'))).toEqual({ [v1.outputs.revision]: 100 });

      const open = await deploy(cloud, {
        service: 'api',
        image: 'europe-docker.pkg.dev/acme-prod/app/api:2',
        'invoker-iam-disabled': true,
      });
      expect(open.errors).toEqual([]);
      expect(service(cloud, 'api').invokerIamDisabled).toBe(true);
      expect((await fetch(open.outputs.url)).status).toBe(200);
    });
  });
});
