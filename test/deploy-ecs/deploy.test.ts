/**
 * deploy-ecs through the harness against the ECS emulator with real containers: a rolling deploy with only
 * what was asked changed, a rollback ECS reports failing the step, stopping to 0 and restoring, the
 * controllers it refuses, blue/green behind the PAUSE-hook gate, and maintenance on/off.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EcsEmulator } from '../../packages/emulators/src/ecs';
import { addApi, buildTestImage, deployEcs, removeImage, startEcs } from './fixture';

let image: string;
let ecs: EcsEmulator;
beforeAll(async () => {
  image = buildTestImage();
  ecs = await startEcs();
});
afterAll(async () => {
  await ecs.close();
  removeImage(image);
});

const current = (name: string) => {
  const svc = ecs.service(name, 'prod');
  return ecs.taskDefinitions.get(svc.taskDefinition)!;
};

describe('deploy-ecs rolling', () => {
  it('registers a revision with only the env change, follows its deployment to SUCCESSFUL and reports it', async () => {
    const svc = await addApi(ecs, image, { name: 'roll' });
    const before = current('roll');
    const result = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'roll',
      'env-vars': 'APP_VERSION=v2\nFEATURE=on',
      'health-path': '/health',
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const after = current('roll');
    expect(after.revision).toBe(before.revision + 1);
    expect(result.outputs['task-definition-arn']).toBe(after.arn);
    expect(result.outputs['previous-task-definition-arn']).toBe(before.arn);
    expect(result.outputs.status).toBe('SUCCESSFUL');
    expect(result.outputs['previous-desired-count']).toBe('2');
    expect(result.outputs['deployment-arn']).toBe(svc.deployments.at(-1));
    expect(result.outputs.url).toBe(ecs.lbInfo.get(svc.arn)!.productionUrl);
    // Only what was asked: env merged in place, secrets, tags, roles and the rest untouched.
    const container = after.body.containerDefinitions[0];
    expect(container.environment).toEqual([
      { name: 'NODE_ENV', value: 'production' },
      { name: 'APP_VERSION', value: 'v2' },
      { name: 'FEATURE', value: 'on' },
    ]);
    expect(container.secrets).toEqual(before.body.containerDefinitions[0].secrets);
    expect(after.tags).toEqual([{ key: 'team', value: 'backend' }]);
    expect(after.body.executionRoleArn).toBe(before.body.executionRoleArn);
    expect(after.body).not.toHaveProperty('revision');
    expect(after.body).not.toHaveProperty('registeredAt');
    expect(await (await fetch(`${result.outputs.url}/`)).text()).toContain('version v2');
    expect(result.log).toMatch(/SUCCESSFUL at CLEAN_UP · running 2\/2/);
    expect(result.log).toMatch(/Health gate on the service .*passed/);
    expect(result.summary).toContain('Deploy to Amazon ECS: roll (deploy) SUCCESSFUL');
    expect(result.summary).toContain('Health gate');
  });

  it('fails the step with the reason when the circuit breaker rolls back, and the old revision keeps serving', async () => {
    const svc = await addApi(ecs, image, { name: 'breaker' });
    const before = current('breaker');
    const result = await deployEcs(ecs, { cluster: 'prod', service: 'breaker', 'env-vars': 'EXIT_CODE=1' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /ECS rolled the deployment back \(ROLLBACK_SUCCESSFUL\): .*circuit breaker.*runs api:\d+ again/,
    );
    expect(result.outputs.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('breaker', 'prod').taskDefinition).toBe(before.arn);
    expect(result.summary).toContain('Rolled back');
    expect(await (await fetch(`${ecs.lbInfo.get(svc.arn)!.productionUrl}/`)).text()).toContain('version v1');
  });

  it('redeploys the previous revision when the rolling gate fails after completion', async () => {
    await addApi(ecs, image, { name: 'gated', desiredCount: 1 });
    const before = current('gated');
    const result = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'gated',
      'env-vars': 'APP_VERSION=v3',
      'health-path': '/ready',
      'health-probes': 2,
      'health-interval': '100ms',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /health gate failed after the deployment: 2 of 2 probes .*404.*Rolled back to api:\d+ \(SUCCESSFUL\)/,
    );
    expect(result.outputs.status).toBe('ROLLED_BACK');
    expect(ecs.service('gated', 'prod').taskDefinition).toBe(before.arn);
  });

  it('stops the service with desired-count 0, waits until no task runs, and restores the count', async () => {
    await addApi(ecs, image, { name: 'stopper', desiredCount: 2 });
    const stop = await deployEcs(ecs, { cluster: 'prod', service: 'stopper', 'desired-count': 0 });
    expect(stop.errors).toEqual([]);
    expect(stop.outputs['previous-desired-count']).toBe('2');
    expect(stop.outputs.status).toBe('stopped');
    const svc = ecs.service('stopper', 'prod');
    expect(ecs.tasksOf(svc, false).every((t) => t.lastStatus === 'STOPPED')).toBe(true);
    const restore = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'stopper',
      'desired-count': stop.outputs['previous-desired-count'],
    });
    expect(restore.outputs.status).toBe('scaled');
    expect(ecs.tasksOf(svc).filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);
  });

  it('rides out throttling, 5xx and slow task starts, and still ends SUCCESSFUL', async () => {
    await addApi(ecs, image, { name: 'faulty', desiredCount: 1, startDelayMs: 120_000 });
    ecs.fault('DescribeServiceDeployments', 'throttle', 3);
    ecs.fault('DescribeServices', 'server', 1);
    ecs.fault('UpdateService', 'throttle', 1);
    const result = await deployEcs(ecs, { cluster: 'prod', service: 'faulty', 'env-vars': 'APP_VERSION=slow' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('SUCCESSFUL');
    expect(result.log).toMatch(/ECS answered ThrottlingException \(Rate exceeded\); next check in/);
    // The new task waited its slow start (2 emulated minutes) before it ran.
    const svc = ecs.service('faulty', 'prod');
    const task = ecs.tasksOf(svc).find((t) => t.taskDefinitionArn === result.outputs['task-definition-arn'])!;
    expect(task.startedAt! - task.createdAt).toBeGreaterThanOrEqual(120_000);
  });

  it('refuses CODE_DEPLOY and EXTERNAL services with why, before registering anything', async () => {
    for (const controller of ['CODE_DEPLOY', 'EXTERNAL'] as const) {
      await addApi(ecs, image, {
        name: `ctl-${controller.toLowerCase()}`,
        controller,
        desiredCount: 1,
        loadBalancer: undefined,
      });
      const count = ecs.taskDefinitions.size;
      const result = await deployEcs(ecs, { cluster: 'prod', service: `ctl-${controller.toLowerCase()}`, image });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toMatch(
        controller === 'CODE_DEPLOY'
          ? /CODE_DEPLOY deployment controller.*CodeDeploy/
          : /EXTERNAL deployment controller/,
      );
      expect(ecs.taskDefinitions.size).toBe(count);
    }
  });
});
