import { SERVICE_OUTPUT_ONLY } from '../src/cloudrun-output-only';
import { applyResources, patchProblem, resourcesProblem, writable } from '../src/cloudrun-spec';
import type { Container } from '../src/cloudrun-types';
import { createOnce } from '../src/create-once';
import { describeCondition } from '../src/cloudrun-jobs';
import { checkSegment, segmentProblem } from '../src/names';
import { HttpError, NetworkError } from '@deploy-actions/toolkit';

describe('the Cloud Run spec module', () => {
  it('strips every output-only field of the one generated list, nested ones too, and keeps the rest', () => {
    const service: Record<string, unknown> = Object.fromEntries(SERVICE_OUTPUT_ONLY.map((f) => [f, 'x']));
    Object.assign(service, {
      etag: '"e1"',
      labels: { a: 'b' },
      template: { containers: [{ image: 'i', buildInfo: { functionTarget: 'f' } }] },
    });
    expect(writable(service, 'Service')).toEqual({
      etag: '"e1"',
      labels: { a: 'b' },
      template: { containers: [{ image: 'i' }] },
    });
  });

  it('checks a patch against the Service schema from the protos, naming the key', () => {
    expect(
      patchProblem({ template: { executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2' } }, 'Service'),
    ).toBeUndefined();
    expect(
      patchProblem({ annotations: { owner: 'me' }, template: { scaling: { minInstanceCount: 1 } } }, 'Service'),
    ).toBeUndefined();
    expect(patchProblem(JSON.parse('{"__proto__": {"method": "DELETE"}}'), 'Service')).toBe(
      '`__proto__` is a prototype key, which is never merged',
    );
    expect(patchProblem({ template: { constructor: {} } }, 'Service')).toMatch(
      /`template.constructor` is a prototype key/,
    );
    expect(patchProblem({ uri: 'https://x' }, 'Service')).toBe(
      '`uri` is output only: Cloud Run sets it, a request cannot',
    );
    expect(patchProblem({ template: { containers: [{ image: 'i', buildInfo: {} }] } }, 'Service')).toMatch(
      /`template.containers\[0\].buildInfo` is output only/,
    );
    expect(patchProblem({ method: 'DELETE' }, 'Service')).toBe(
      '`method` is not a field of Service (Cloud Run Admin API v2)',
    );
    expect(patchProblem({ template: { containers: {} } }, 'Service')).toBe('`template.containers` must be a list');
    expect(patchProblem({ ingress: 'PUBLIC' }, 'Service')).toMatch(
      /^`ingress` must be one of INGRESS_TRAFFIC_UNSPECIFIED, INGRESS_TRAFFIC_ALL/,
    );
    expect(patchProblem({ invokerIamDisabled: 'yes' }, 'Service')).toBe('`invokerIamDisabled` must be true or false');
  });

  it("applies Cloud Run's CPU and memory pairing rules", () => {
    expect(resourcesProblem({ cpu: '2', memory: '8Gi' })).toBeUndefined();
    expect(resourcesProblem({ cpu: '0.08', memory: '512Mi', concurrency: 1 })).toBeUndefined();
    expect(resourcesProblem({ cpu: '500m', memory: '1Gi', concurrency: 1 })).toBeUndefined();
    expect(resourcesProblem({ cpu: '0.07', concurrency: 1 })?.input).toBe('cpu');
    expect(resourcesProblem({ cpu: '0.4', memory: '1Gi', concurrency: 1 })?.problem).toMatch(/needs at least 0.5 CPU/);
    expect(resourcesProblem({ cpu: '6', memory: '2Gi' })?.problem).toMatch(/less than 6 CPU needs \(4Gi\)/);
    expect(resourcesProblem({ memory: '64Mi' })?.problem).toMatch(/outside Cloud Run's 128Mi to 32Gi/);
    expect(resourcesProblem({ cpu: '5' })?.fix).toBe('above 1, use 2, 4, 6 or 8');
  });

  it('sends cpuIdle: true unless asked otherwise, and keeps what an existing container had', () => {
    const fresh: Container = { image: 'i' };
    applyResources(fresh, { memory: '1Gi' });
    expect(fresh.resources).toEqual({ limits: { memory: '1Gi' }, cpuIdle: true });
    const always: Container = { image: 'i', resources: { limits: { cpu: '1' } } }; // proto3 JSON: false is left out
    applyResources(always, { memory: '1Gi' });
    expect(always.resources).toEqual({ limits: { cpu: '1', memory: '1Gi' } });
    const asked: Container = { image: 'i', resources: { limits: { cpu: '1' }, cpuIdle: true } };
    applyResources(asked, { cpuIdle: false });
    expect(asked.resources?.cpuIdle).toBe(false);
  });

  it("filters the protos' *_UNDEFINED default reasons", () => {
    expect(
      describeCondition({
        type: 'Ready',
        state: 'CONDITION_FAILED',
        reason: 'COMMON_REASON_UNDEFINED',
        revisionReason: 'HEALTH_CHECK_CONTAINER_ERROR',
        message: 'm',
      }),
    ).toBe('HEALTH_CHECK_CONTAINER_ERROR: m');
    expect(
      describeCondition({
        type: 'Completed',
        state: 'CONDITION_FAILED',
        executionReason: 'EXECUTION_REASON_UNDEFINED',
        message: 'm',
      }),
    ).toBe('m');
  });

  it("checks every path segment against Google's naming rules", () => {
    expect(checkSegment('project', 'acme-prod')).toBe('acme-prod');
    expect(checkSegment('project', 'example.com:acme-prod')).toBe('example.com:acme-prod');
    expect(() => checkSegment('project', 'acme/../../../v1/projects/victim')).toThrow(
      /is not a Google Cloud project ID/,
    );
    expect(segmentProblem('region', 'europe-west1\n')).toBeDefined();
    expect(segmentProblem('service', `a${'b'.repeat(49)}`)).toBeDefined();
    expect(segmentProblem('job', `a${'b'.repeat(62)}`)).toBeUndefined();
  });
});

describe('createOnce', () => {
  const quiet = { log: () => {}, clock: { now: () => 0, sleep: async () => {} } };
  it('adopts what a lost answer created instead of sending again', async () => {
    let sent = 0;
    const value = await createOnce({
      what: 'create',
      send: async () => {
        sent++;
        throw new NetworkError('POST x failed: ECONNRESET');
      },
      reconcile: async () => 'found',
      ...quiet,
    });
    expect(value).toBe('found');
    expect(sent).toBe(1);
  });

  it('sends again only when the state shows nothing was created, and never after a clear refusal', async () => {
    let sent = 0;
    const value = await createOnce({
      what: 'create',
      send: async () => {
        if (++sent === 1) throw new HttpError('POST', 'x', 503, '', new Headers(), false);
        return 'created';
      },
      reconcile: async () => undefined,
      ...quiet,
    });
    expect([value, sent]).toEqual(['created', 2]);
    await expect(
      createOnce({
        what: 'create',
        send: async () => {
          throw new HttpError('POST', 'x', 400, 'bad', new Headers(), false);
        },
        reconcile: async () => 'never asked',
        ...quiet,
      }),
    ).rejects.toThrow(/answered 400/);
  });
});
