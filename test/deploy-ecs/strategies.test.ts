/**
 * deploy-ecs with ECS's own blue/green and canary behind our health gate (PAUSE hooks answered by
 * ContinueServiceDeployment), and the maintenance switch on the production listener rule.
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

describe('deploy-ecs strategies', () => {
  it('blue-green: gates the test listener at POST_TEST_TRAFFIC_SHIFT and the service after the shift, then succeeds', async () => {
    const svc = await addApi(ecs, image, { name: 'bg', desiredCount: 1 });
    const result = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'bg',
      strategy: 'blue-green',
      'env-vars': 'APP_VERSION=green',
      'health-path': '/health',
      'health-probes': 3,
      'health-interval': '50ms',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('SUCCESSFUL');
    const lb = ecs.lbInfo.get(svc.arn)!;
    expect(result.log).toContain(`Health gate on the test listener ${lb.testUrl}/health: passed`);
    expect(result.log).toContain(`Health gate on the service ${lb.productionUrl}/health: passed`);
    expect(result.log).toMatch(/Answered the POST_TEST_TRAFFIC_SHIFT hook: CONTINUE/);
    expect(result.log).toMatch(/Answered the POST_PRODUCTION_TRAFFIC_SHIFT hook: CONTINUE/);
    const d = ecs.deployments.get(result.outputs['deployment-arn'])!;
    expect(d.config.strategy).toBe('BLUE_GREEN');
    expect(await (await fetch(`${lb.productionUrl}/`)).text()).toContain('version green');
  });

  it('canary: a failing gate at the test listener answers ROLLBACK and the step fails saying so', async () => {
    const svc = await addApi(ecs, image, { name: 'canary', desiredCount: 1 });
    const before = ecs.service('canary', 'prod').taskDefinition;
    const result = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'canary',
      strategy: 'canary',
      'canary-percent': '20%',
      'env-vars': 'APP_VERSION=bad',
      'health-path': '/missing',
      'health-probes': 2,
      'health-interval': '50ms',
    });
    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(/Answered the POST_TEST_TRAFFIC_SHIFT hook: ROLLBACK/);
    expect(result.errors[0]).toMatch(
      /ECS rolled the deployment back \(ROLLBACK_SUCCESSFUL\): the health gate failed: 2 of 2 probes of the test listener .*404/,
    );
    expect(ecs.service('canary', 'prod').taskDefinition).toBe(before);
    expect(await (await fetch(`${ecs.lbInfo.get(svc.arn)!.productionUrl}/`)).text()).toContain('version v1');
  });

  it('linear: shifts in steps and succeeds; an alarm going off in the bake rolls back and the step names it', async () => {
    await addApi(ecs, image, {
      name: 'linear',
      desiredCount: 1,
      deploymentConfiguration: { alarms: { alarmNames: ['linear-5xx'], enable: true, rollback: true } },
    });
    const ok = await deployEcs(ecs, {
      cluster: 'prod',
      service: 'linear',
      strategy: 'linear',
      'linear-step-percent': '50%',
      'env-vars': 'APP_VERSION=lin',
    });
    expect(ok.errors).toEqual([]);
    expect(ecs.deployments.get(ok.outputs['deployment-arn'])!.config.linearConfiguration.stepPercent).toBe(50);

    const before = ecs.service('linear', 'prod').taskDefinition;
    const failed = await deployEcs(
      ecs,
      { cluster: 'prod', service: 'linear', strategy: 'linear', 'bake-time': '30m', 'env-vars': 'APP_VERSION=alarm' },
      { onLine: (line) => line.includes('BAKE_TIME') && ecs.setAlarm('linear-5xx', 'ALARM') },
    );
    ecs.setAlarm('linear-5xx', 'OK');
    expect(failed.exitCode).toBe(1);
    expect(failed.errors[0]).toMatch(
      /ECS rolled the deployment back \(ROLLBACK_SUCCESSFUL\): .*CloudWatch alarm\(s\) linear-5xx went into ALARM/,
    );
    expect(ecs.service('linear', 'prod').taskDefinition).toBe(before);
  });

  it('maintenance on answers 503, is idempotent, keeps the previous rule in a tag and output, and off restores it', async () => {
    const svc = await addApi(ecs, image, { name: 'maint', desiredCount: 1 });
    const lb = ecs.lbInfo.get(svc.arn)!;
    const original = structuredClone(ecs.elb.rule(lb.productionRuleArn)!.Actions);
    const on = await deployEcs(ecs, { cluster: 'prod', service: 'maint', maintenance: 'on' });
    expect(on.errors).toEqual([]);
    expect(on.outputs.status).toBe('maintenance-on');
    expect(on.outputs['previous-rule']).toMatch(/^forward\|maint-blue\/\w+:1$/);
    const page = await fetch(`${lb.productionUrl}/`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Down for maintenance');
    expect(ecs.elb.tags.get(lb.productionRuleArn)?.get('deploy-actions:maintenance-previous-actions')).toBe(
      on.outputs['previous-rule'],
    );
    const again = await deployEcs(ecs, { cluster: 'prod', service: 'maint', maintenance: 'on' });
    expect(again.log).toContain('Maintenance was already on; nothing changed');
    expect(again.outputs['previous-rule']).toBe(on.outputs['previous-rule']);
    const off = await deployEcs(ecs, { cluster: 'prod', service: 'maint', maintenance: 'off' });
    expect(off.outputs.status).toBe('maintenance-off');
    expect(ecs.elb.rule(lb.productionRuleArn)!.Actions).toEqual(original);
    expect((await fetch(`${lb.productionUrl}/health`)).status).toBe(200);
    expect(ecs.elb.tags.get(lb.productionRuleArn)?.has('deploy-actions:maintenance-previous-actions')).toBe(false);
    const offAgain = await deployEcs(ecs, { cluster: 'prod', service: 'maint', maintenance: 'off' });
    expect(offAgain.log).toContain('Maintenance was already off; nothing changed');
  });
});
