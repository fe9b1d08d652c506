import { type Cloud, PROJECT, REGION, deploy, startCloud } from './fixture';

// Jobs: created or updated, executed and followed to the end with the shared packages/gcp jobs code.

describe('deploy-cloudrun jobs', () => {
  let cloud: Cloud;
  beforeEach(async () => {
    cloud = await startCloud({ taskDurationMs: 300 });
  });
  afterEach(() => cloud.close());

  it('creates a job, updates it, executes it and waits for success', async () => {
    const created = await deploy(cloud, {
      job: 'migrate',
      image: 'example.com/api:1',
      'env-vars': 'MODE=migrate',
      args: '["up"]',
    });
    expect(created.errors).toEqual([]);
    expect(created.log).toContain('Job migrate in europe-west1: created');
    const result = await deploy(cloud, {
      job: 'migrate',
      image: 'example.com/api:2',
      execute: true,
      'execute-args': '["up", "--to", "latest"]',
    });
    expect(result.errors).toEqual([]);
    expect(result.log).toContain('Job migrate in europe-west1: updated');
    expect(result.outputs.execution).toMatch(/^migrate-\w+/);
    expect(JSON.parse(result.outputs.regions)[REGION]).toMatchObject({ job: 'migrate', succeeded: true });
    expect(result.log).toMatch(/Execution migrate-\w+: succeeded \(1\/1 tasks succeeded, 0 failed\)/);
    expect(result.summary).toMatch(/1\/1 succeeded/);
    const job = (await (
      await fetch(`${cloud.run.url}/v2/projects/${PROJECT}/locations/${REGION}/jobs/migrate`, {
        headers: { authorization: `Bearer ${cloud.tokens.issued.at(-1)!.token}` },
      })
    ).json()) as { template: { template: { containers: unknown[] } } };
    expect(job.template.template.containers[0]).toMatchObject({
      image: 'example.com/api:2',
      env: [{ name: 'MODE', value: 'migrate' }],
      args: ['up'],
    });
  });

  it('fails with the execution failure reason and its logs link', async () => {
    cloud.run.nextExecution({ exitCode: 3 });
    const result = await deploy(cloud, { job: 'migrate', image: 'example.com/api:1', execute: true });
    expect(result.exitCode).not.toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /Execution migrate-\w+ of job migrate in europe-west1 failed: NON_ZERO_EXIT_CODE: 1\/1 tasks failed.*exit code of 3.*\(logs: http/,
    );
    expect(result.summary).toMatch(/❌ NON_ZERO_EXIT_CODE/);
  });
});
