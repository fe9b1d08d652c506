import type { Service } from '@deploy-actions/gcp';
import type { HealthGate, ServiceInputs } from '../src/inputs';
import { parsePairs } from '../src/pairs';
import { planRollout, probeTagFor, rollbackTraffic, servingRevision } from '../src/plan';

// The rollout as data: the same inputs and service give the same plan, computed without any request.

const LATEST = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' as const;
const REV = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const;
const gate: HealthGate = {
  path: '/health',
  target: 'revision',
  expected: (s) => s === 200,
  expectedText: '200',
  maxErrorRate: 0,
  probes: 1,
  intervalMs: 0,
  timeoutMs: 1000,
  headers: {},
};

function inputs(over: Partial<ServiceInputs> = {}): ServiceInputs {
  return {
    target: 'service',
    service: 'api',
    image: 'example.com/api:2',
    regions: ['europe-west1'],
    apiEndpoint: 'https://run.googleapis.com',
    labels: {},
    skipDefaultLabels: false,
    timeoutMs: 60_000,
    env: {},
    envStrategy: 'merge',
    secretEnv: {},
    secretFiles: [],
    secretsStrategy: 'merge',
    settings: { cloudsqlInstances: [] },
    allowUnauthenticated: false,
    strategy: 'all-at-once',
    canarySteps: [],
    canaryPauseMs: 0,
    ...over,
  };
}

const serving: Service = {
  name: 'projects/p/locations/l/services/api',
  latestReadyRevision: 'projects/p/locations/l/services/api/revisions/api-2',
  traffic: [
    { type: REV, revision: 'api-1', percent: 100 },
    { type: LATEST, percent: 0, tag: 'preview' },
  ],
  trafficStatuses: [
    { type: REV, revision: 'api-1', percent: 100 },
    { type: LATEST, revision: 'api-2', tag: 'preview' },
  ],
};

describe('planRollout', () => {
  it('a canary: each step with its traffic, label, pause and probe targets; the rollback built once from before', () => {
    const plan = planRollout(
      inputs({ strategy: 'canary', canarySteps: [10, 50, 100], canaryPauseMs: 5000, health: gate }),
      serving,
      'api-3',
    );
    expect(plan.steps.map((s) => [s.label, s.pauseMs, s.probe])).toEqual([
      ['10%', 0, { revision: true, service: false }],
      ['50%', 5000, { revision: true, service: false }],
      ['100%', 5000, { revision: false, service: true }],
    ]);
    expect(plan.tag).toBe('candidate');
    expect(plan.steps[0].traffic).toContainEqual({ type: REV, revision: 'api-3', percent: 10, tag: 'candidate' });
    expect(plan.steps[0].traffic).toContainEqual({ type: REV, revision: 'api-1', percent: 90 });
    expect(plan.rollback?.traffic).toEqual(serving.traffic);
    expect(plan.previousRevision).toBe('api-1');
  });

  it('a new service takes all traffic at once in one step, whatever the strategy, and has no rollback', () => {
    const plan = planRollout(inputs({ strategy: 'blue-green', health: gate }), undefined, 'api-1');
    expect(plan.strategy).toBe('all-at-once');
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0].probe).toEqual({ revision: false, service: true });
    expect(plan.rollback).toBeUndefined();
    expect(plan.notes).toEqual(['no revision serves yet, so the first one takes all traffic']);
  });

  it('chooses a probe tag that fits 46 characters with the service name', () => {
    expect(probeTagFor('api')).toBe('candidate');
    expect(probeTagFor('a'.repeat(40))).toBe('canary');
    expect(probeTagFor('a'.repeat(44))).toBe('c');
    expect(probeTagFor('a'.repeat(46))).toBeUndefined();
  });

  it('rolls back to the array as it was, or pinned when "latest" has moved since', () => {
    const plan = planRollout(inputs(), serving, 'api-3');
    const back = plan.rollback;
    if (!back) throw new Error('no rollback');
    expect(rollbackTraffic(back, serving.latestReadyRevision)).toEqual(serving.traffic);
    expect(rollbackTraffic(back, 'projects/p/locations/l/services/api/revisions/api-3')).toEqual([
      { type: REV, revision: 'api-1', percent: 100 },
      { type: REV, revision: 'api-2', percent: 0, tag: 'preview' },
    ]);
  });

  it('previous-revision is the one serving the largest share, not the latest ready preview', () => {
    expect(servingRevision(serving)).toBe('api-1');
  });
});

describe('KEY=VALUE inputs in both forms', () => {
  it('one per line keeps commas in values; a single line with commas is the peer form with \\, escapes', () => {
    expect(parsePairs('env-vars', 'A=1,2\nB=x')).toEqual({
      form: 'lines',
      pairs: [
        { key: 'A', value: '1,2' },
        { key: 'B', value: 'x' },
      ],
    });
    expect(parsePairs('env-vars', 'A=1,B=2\\,3, C="  spaced  "')).toEqual({
      form: 'commas',
      pairs: [
        { key: 'A', value: '1' },
        { key: 'B', value: '2,3' },
        { key: 'C', value: '  spaced  ' },
      ],
    });
    expect(parsePairs('env-vars', '# comment\nA=1')).toEqual({ form: 'lines', pairs: [{ key: 'A', value: '1' }] });
    expect(() => parsePairs('env-vars', 'URLS=https://a,https://b')).toThrow(/escape a comma inside a value as \\,/);
  });
});
