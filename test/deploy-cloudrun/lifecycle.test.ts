import { type Cloud, deploy, service, split, startCloud } from './fixture';

// The lifecycle through the built action: a cancelled rollout is rolled back before the step ends, and the
// report (outputs, summary under the shared header) is written for it.

describe('deploy-cloudrun cancellation', () => {
  let cloud: Cloud;
  beforeEach(async () => {
    cloud = await startCloud();
  });
  afterEach(() => cloud.close());

  it('cancelled during a canary pause: traffic put back, status rolled-back, the summary says so', async () => {
    const v1 = await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
    const result = await deploy(
      cloud,
      {
        service: 'api',
        image: 'example.com/api:2',
        strategy: 'canary',
        'canary-steps': '20,100',
        'canary-pause': '10m',
      },
      { cancelOnLine: /pausing 10m/ },
    );
    expect(result.cancelled).toBe(true);
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /The run was cancelled \(SIGINT\).*Rolled back: traffic restored: api-\w+-\w+ 100%/,
    );
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.outputs.revision).toMatch(/^api-a1b2c3d-\w+$/);
    expect(split(service(cloud, 'api'))).toEqual({ [v1.outputs.revision]: 100 });
    expect(result.summary).toMatch(/^## 🛑 deploy-actions: Cloud Run deploy: api/);
    expect(result.summary).toContain('Traffic after');
  });

  it('cancelled during a health gate: the probes stop at once, traffic put back, status rolled-back', async () => {
    const v1 = await deploy(cloud, { service: 'api', image: 'example.com/api:1' });
    // 1000 probes 10 minutes apart: only a gate that stops on the step's signal lets the run end in time.
    const result = await deploy(
      cloud,
      {
        service: 'api',
        image: 'example.com/api:2',
        strategy: 'canary',
        'canary-steps': '20,100',
        'health-path': '/health',
        'health-probes': 1000,
        'health-interval': '10m',
      },
      { cancelOnLine: /now serving .*20%/ },
    );
    expect(result.cancelled).toBe(true);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /The run was cancelled \(SIGINT\).*Rolled back: traffic restored: api-\w+-\w+ 100%/,
    );
    expect(result.outputs.status).toBe('rolled-back');
    expect(split(service(cloud, 'api'))).toEqual({ [v1.outputs.revision]: 100 });
  });
});
