/**
 * The ECS emulator's self-tests, through the real SDK clients: the model refuses what ECS refuses, tasks
 * are real containers whose output reaches the log stream, deployments walk their stages, the circuit
 * breaker and alarms roll back, PAUSE hooks hold until answered, faults are injected per operation.
 */
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EcsEmulator } from '../src/ecs';
import { addApi, buildTestImage, removeImage, startEcs, taskDefinition } from '../../../test/deploy-ecs/fixture';

let image: string;
beforeAll(() => {
  image = buildTestImage();
});
afterAll(() => removeImage(image));

function clients(ecs: EcsEmulator) {
  const config = {
    region: 'us-east-1',
    endpoint: ecs.url,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'x' },
    maxAttempts: 1,
  };
  return {
    ecs: new ECSClient(config),
    logs: new CloudWatchLogsClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function deploymentOf(c: ReturnType<typeof clients>, service = 'api') {
  const list = await c.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service }));
  return list.serviceDeployments![0].serviceDeploymentArn!;
}

async function describe1(c: ReturnType<typeof clients>, arn: string) {
  const out = await c.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments![0];
}

describe('ECS emulator', () => {
  let ecs: EcsEmulator;
  let c: ReturnType<typeof clients>;
  beforeAll(async () => {
    ecs = await startEcs({ stageMs: 0 });
    c = clients(ecs);
  });
  afterAll(() => ecs.close());

  it('refuses unknown members, missing required members and bad enums from the SDK model', async () => {
    await expect(
      c.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'], include: ['BOGUS' as never] })),
    ).rejects.toThrow(/ServiceField/);
    await expect(
      c.ecs.send(
        new UpdateServiceCommand({ service: 'x', deploymentConfiguration: { strategy: 'SIDEWAYS' as never } }),
      ),
    ).rejects.toThrow(/DeploymentStrategy/);
    // The SDK drops members its model lacks, so an unknown one is sent by hand (signed-looking, as the check wants).
    const raw = await fetch(ecs.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20260101/us-east-1/ecs/aws4_request, Signature=x',
      },
      body: JSON.stringify({ family: 'x', containerDefinitions: [{ name: 'a', image: 'b', bogus: 1 }] }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      __type: 'ClientException',
      message: 'Unknown member containerDefinitions[0].bogus',
    });
    const missing = await c.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['nope'] }));
    expect(missing.failures?.[0].reason).toBe('MISSING');
    await expect(
      c.elb.send(new ModifyRuleCommand({ RuleArn: 'arn:x', Actions: [{ Type: 'teleport' as never }] })),
    ).rejects.toThrow(/ActionTypeEnum/);
  });

  it('runs a service as real containers behind the load balancer and rolls a new task definition out', async () => {
    const svc = await addApi(ecs, image);
    const lb = ecs.lbInfo.get(svc.arn)!;
    expect(await (await fetch(`${lb.productionUrl}/`)).text()).toContain('version v1');
    const td = await c.ecs.send(
      new RegisterTaskDefinitionCommand(
        taskDefinition(image, 'api', {
          containerDefinitions: [
            { ...taskDefinition(image).containerDefinitions[0], environment: [{ name: 'APP_VERSION', value: 'v2' }] },
          ],
        }) as never,
      ),
    );
    await c.ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'api',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    const arn = await deploymentOf(c);
    const done = await until('the deployment', async () => {
      const d = await describe1(c, arn);
      return d.status === 'IN_PROGRESS' ? undefined : d;
    });
    expect(done.status).toBe('SUCCESSFUL');
    expect(await (await fetch(`${lb.productionUrl}/`)).text()).toContain('version v2');
    const stream = ecs.logs.groups.get('/ecs/api');
    expect([...stream!.values()].flat().some((e) => e.message.includes('version v2'))).toBe(true);
  });

  it('rolls back through the circuit breaker when new tasks never get healthy', async () => {
    const base = taskDefinition(image).containerDefinitions[0];
    const td = await c.ecs.send(
      new RegisterTaskDefinitionCommand(
        taskDefinition(image, 'api', {
          containerDefinitions: [{ ...base, environment: [{ name: 'EXIT_CODE', value: '3' }] }],
        }) as never,
      ),
    );
    await c.ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'api',
        taskDefinition: td.taskDefinition!.taskDefinitionArn,
      }),
    );
    const arn = await deploymentOf(c);
    const done = await until(
      'the rollback',
      async () => {
        const d = await describe1(c, arn);
        return d.status?.startsWith('ROLLBACK_SUCCESSFUL') ? d : undefined;
      },
      90_000,
    );
    expect(done.statusReason).toMatch(/circuit breaker/);
    expect(done.deploymentCircuitBreaker?.failureCount).toBeGreaterThanOrEqual(3);
    const svc = await c.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }));
    expect(svc.services![0].taskDefinition).not.toBe(td.taskDefinition!.taskDefinitionArn);
  });

  it('holds a blue/green deployment at a PAUSE hook until ContinueServiceDeployment', async () => {
    const svc = await addApi(ecs, image, {
      name: 'web',
      desiredCount: 1,
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
      },
    });
    const lb = ecs.lbInfo.get(svc.arn)!;
    await c.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }));
    const arn = await deploymentOf(c, 'web');
    const held = await until('the hook', async () => {
      const d = await describe1(c, arn);
      return d.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' ? d : undefined;
    });
    expect(held.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect((await fetch(`${lb.testUrl}/health`)).status).toBe(200);
    await c.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: arn,
        hookId: held.lifecycleHookDetails![0].hookId!,
        action: 'CONTINUE',
      }),
    );
    const done = await until('success', async () => {
      const d = await describe1(c, arn);
      return d.status === 'SUCCESSFUL' ? d : undefined;
    });
    expect(done.lifecycleStage).toBe('CLEAN_UP');
    await expect(c.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn }))).rejects.toThrow(
      /cannot be stopped/,
    );
  });

  it('rolls back when a deployment alarm goes into ALARM, and on StopServiceDeployment ROLLBACK', async () => {
    await addApi(ecs, image, {
      name: 'alarmed',
      desiredCount: 1,
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 60,
        alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true },
      },
    });
    await c.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'alarmed', forceNewDeployment: true }));
    const arn = await deploymentOf(c, 'alarmed');
    await until('the bake', async () => ((await describe1(c, arn)).lifecycleStage === 'BAKE_TIME' ? true : undefined));
    ecs.setAlarm('api-5xx', 'ALARM');
    const rolled = await until('the alarm rollback', async () => {
      const d = await describe1(c, arn);
      return d.status === 'ROLLBACK_SUCCESSFUL' ? d : undefined;
    });
    expect(rolled.alarms?.status).toBe('TRIGGERED');
    expect(rolled.statusReason).toMatch(/CloudWatch alarm\(s\) api-5xx went into ALARM/);
    ecs.setAlarm('api-5xx', 'OK');

    await c.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'alarmed', forceNewDeployment: true }));
    const second = await deploymentOf(c, 'alarmed');
    await c.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: second, stopType: 'ROLLBACK' }));
    const stopped = await until('the requested rollback', async () => {
      const d = await describe1(c, second);
      return d.status === 'ROLLBACK_SUCCESSFUL' ? d : undefined;
    });
    expect(stopped.rollback?.reason).toMatch(/Stopped with a rollback/);
  });

  it('runs a one-off task to its exit with its output in the log stream, idempotent by client token', async () => {
    const input = {
      cluster: 'prod',
      taskDefinition: 'api',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'] } },
      overrides: { containerOverrides: [{ name: 'api', command: ['sh', '-c', 'echo migrating; echo done; exit 4'] }] },
      startedBy: 'migrate',
      clientToken: 'token-1',
    };
    const first = await c.ecs.send(new RunTaskCommand(input));
    const again = await c.ecs.send(new RunTaskCommand(input));
    expect(again.tasks![0].taskArn).toBe(first.tasks![0].taskArn);
    const task = await until('STOPPED', async () => {
      const out = await c.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [first.tasks![0].taskArn!] }));
      return out.tasks![0].lastStatus === 'STOPPED' ? out.tasks![0] : undefined;
    });
    expect(task.stopCode).toBe('EssentialContainerExited');
    expect(task.containers![0].exitCode).toBe(4);
    const id = task.taskArn!.split('/').pop();
    const events = await c.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/api', logStreamName: `ecs/api/${id}`, startFromHead: true }),
    );
    expect(events.events!.map((e) => e.message)).toEqual(['migrating', 'done']);
    const none = await c.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/api',
        logStreamName: `ecs/api/${id}`,
        nextToken: events.nextForwardToken,
      }),
    );
    expect(none.events).toEqual([]);
    expect(none.nextForwardToken).toBe(events.nextForwardToken);
    const failed = await c.ecs.send(
      new RunTaskCommand({
        ...input,
        clientToken: 'token-2',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-00000000'] } },
      }),
    );
    expect(failed.failures?.[0].reason).toBe('RESOURCE:ENI');
  });

  it('answers injected throttling and 5xx for one operation, and ELBv2 rules through the query protocol', async () => {
    ecs.fault('DescribeServices', 'throttle');
    await expect(c.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }))).rejects.toMatchObject(
      { name: 'ThrottlingException' },
    );
    ecs.fault('DescribeServices', 'server');
    await expect(c.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }))).rejects.toMatchObject(
      { name: 'ServerException' },
    );
    const svc = ecs.service('api', 'prod');
    const lb = ecs.lbInfo.get(svc.arn)!;
    const rules = await c.elb.send(new DescribeRulesCommand({ RuleArns: [lb.productionRuleArn] }));
    expect(rules.Rules![0].Actions![0].Type).toBe('forward');
    await c.elb.send(
      new ModifyRuleCommand({
        RuleArn: lb.productionRuleArn,
        Actions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: { StatusCode: '503', ContentType: 'text/html', MessageBody: 'maintenance' },
          },
        ],
      }),
    );
    const answer = await fetch(`${lb.productionUrl}/`);
    expect(answer.status).toBe(503);
    expect(await answer.text()).toBe('maintenance');
  });
});
