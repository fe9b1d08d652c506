import { readFileSync } from 'node:fs';
import {
  ContinueServiceDeploymentCommand,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  awsErrorName,
  type CountedClient,
  ecsClient,
  isServerError,
  isThrottling,
  serviceConsoleUrl,
} from '@deploy-actions/aws/ecs';
import { type Clock, formatDuration, type Logger, realClock, retry, TimeoutError, UserError } from './toolkit';
import { type GateResult, gateUrl, probe } from './health';
import type { DeployInputs, HealthGate, Inputs, MaintenanceInputs, Rollout, ScaleInputs, Target } from './inputs';
import { shortName, withChanges } from './task-definition';
import { type DeploymentView, follow, TERMINAL } from './wait';

/**
 * The deploy: read the service, register the new task definition revision, UpdateService, find the service
 * deployment that call started and follow it by its ARN to its end, running the health gate at the PAUSE
 * hooks (blue/green, canary, linear) or after completion (rolling), and roll back when asked. Also the two
 * other things the step can do: scale (desired-count, 0 = stop and wait until no task runs) and switch
 * maintenance on the production listener rule. Everything it learns goes into the report.
 */

// biome-ignore lint/suspicious/noExplicitAny: task definition JSON from a file or the SDK
type Json = Record<string, any>;

export interface Report {
  cluster: string;
  service: string;
  region: string;
  startedAt: number;
  action: 'deploy' | 'scale' | 'maintenance';
  timeline: { at: number; what: string }[];
  taskDefinitionArn?: string;
  previousTaskDefinitionArn?: string;
  deploymentArn?: string;
  status?: string;
  statusReason?: string;
  previousDesiredCount?: number;
  desiredCount?: number;
  url?: string;
  changes: string[];
  gates: GateResult[];
  rolledBack?: string;
  failure?: string;
  calls: () => number;
  events: { at: number; message: string }[];
  maintenanceRule?: string;
  previousRule?: string;
  consoleUrl?: string;
}

export interface Context<I extends Target = Inputs> {
  inputs: I;
  report: Report;
  signal: AbortSignal;
  /** The lifecycle's logger (redacted workflow commands; a recording one in unit tests). */
  log: Logger;
  clock?: Clock;
}

const note = (report: Report, what: string) => {
  report.timeline.push({ at: Date.now(), what });
};

/** Reads and idempotent updates: retried on throttling and 5xx with backoff. */
function safely<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return retry(
    async () => {
      signal.throwIfAborted();
      return fn();
    },
    { attempts: 6, baseMs: 1000, maxMs: 20_000, retryable: (e) => isThrottling(e) || isServerError(e) },
  );
}

function explain(error: unknown, what: string): never {
  if (error instanceof UserError || (error as Error).name === 'AbortError') throw error;
  const name = awsErrorName(error);
  const message = (error as Error).message;
  const hint =
    name === 'AccessDeniedException' || /not authorized/i.test(message)
      ? '; give the job the IAM permissions listed in the deploy-ecs README'
      : name === 'ClusterNotFoundException'
        ? '; check the cluster input and the region'
        : '';
  throw new UserError(`${what} failed (${name}): ${message}${hint}`);
}

export async function run(ctx: Context): Promise<void> {
  const { inputs, report, signal } = ctx;
  const ecs = ecsClient(inputs.region);
  report.calls = () => ecs.total() + extraCalls.count;
  const service = await describeService(ecs.client, inputs, signal);
  report.consoleUrl = serviceConsoleUrl(inputs.region, inputs.cluster, service.serviceName ?? inputs.service);
  report.previousDesiredCount = service.desiredCount;
  report.previousTaskDefinitionArn = service.taskDefinition;
  report.taskDefinitionArn = service.taskDefinition;
  report.url = await serviceUrl(inputs.region, service).catch((error) => {
    ctx.log.warning(`Could not read the load balancer's address: ${(error as Error).message}`);
    return undefined;
  });

  switch (inputs.operation) {
    case 'maintenance':
      return maintenance({ ...ctx, inputs }, service);
    case 'scale':
      return scale({ ...ctx, inputs }, ecs.client, service);
    case 'deploy':
      return deploy({ ...ctx, inputs }, ecs, service);
  }
}

const extraCalls = { count: 0 };

/** A service as DescribeServices returns it, with the task definition it runs (every ACTIVE service has one). */
type RunningService = Service & { taskDefinition: string };

async function describeService(ecs: ECSClient, inputs: Target, signal: AbortSignal): Promise<RunningService> {
  const out = await safely(
    () =>
      ecs.send(new DescribeServicesCommand({ cluster: inputs.cluster, services: [inputs.service], include: ['TAGS'] })),
    signal,
  ).catch((error) => explain(error, `DescribeServices ${inputs.service} in ${inputs.cluster}`));
  const service = out.services?.[0];
  if (!service)
    throw new UserError(
      `Service "${inputs.service}" was not found in cluster "${inputs.cluster}" (${inputs.region}): ${out.failures?.[0]?.reason ?? 'MISSING'}; check service, cluster and region`,
    );
  if (service.status !== 'ACTIVE')
    throw new UserError(`Service "${inputs.service}" is ${service.status}, not ACTIVE; it cannot be deployed`);
  const { taskDefinition } = service;
  if (!taskDefinition)
    throw new UserError(`Service "${inputs.service}" has no task definition; DescribeServices returned none`);
  return { ...service, taskDefinition };
}

/** The load balancer's address for the `url` output (ELBv2 loaded only for services behind one). */
async function serviceUrl(region: string, service: Service): Promise<string | undefined> {
  const lb = service.loadBalancers?.[0];
  if (!lb?.targetGroupArn) return undefined;
  const { elbv2Client, listenerOfRule, listenerUrl } = await import('@deploy-actions/aws/elbv2');
  const { DescribeTargetGroupsCommand, DescribeLoadBalancersCommand, DescribeListenersCommand } = await import(
    '@aws-sdk/client-elastic-load-balancing-v2'
  );
  const elb = await elbv2Client(region);
  try {
    const rule = lb.advancedConfiguration?.productionListenerRule;
    let listener: { LoadBalancerArn?: string; Protocol?: string; Port?: number } | undefined;
    if (rule) {
      listener = (await elb.client.send(new DescribeListenersCommand({ ListenerArns: [listenerOfRule(rule)] })))
        .Listeners?.[0];
    }
    const lbArn =
      listener?.LoadBalancerArn ??
      (await elb.client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [lb.targetGroupArn] })))
        .TargetGroups?.[0]?.LoadBalancerArns?.[0];
    if (!lbArn) return undefined;
    const dns = (await elb.client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] })))
      .LoadBalancers?.[0]?.DNSName;
    if (!dns) return undefined;
    listener ??= (await elb.client.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }))).Listeners?.[0];
    return listenerUrl(dns, listener?.Protocol, listener?.Port);
  } finally {
    extraCalls.count += elb.total();
  }
}

async function testListenerUrl(region: string, service: Service): Promise<string | undefined> {
  const rule = service.loadBalancers?.[0]?.advancedConfiguration?.testListenerRule;
  if (!rule) return undefined;
  const { elbv2Client, listenerOfRule, listenerUrl } = await import('@deploy-actions/aws/elbv2');
  const { DescribeLoadBalancersCommand, DescribeListenersCommand } = await import(
    '@aws-sdk/client-elastic-load-balancing-v2'
  );
  const elb = await elbv2Client(region);
  try {
    const listener = (await elb.client.send(new DescribeListenersCommand({ ListenerArns: [listenerOfRule(rule)] })))
      .Listeners?.[0];
    if (!listener?.LoadBalancerArn) return undefined;
    const dns = (
      await elb.client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener.LoadBalancerArn] }))
    ).LoadBalancers?.[0]?.DNSName;
    return dns ? listenerUrl(dns, listener.Protocol, listener.Port) : undefined;
  } finally {
    extraCalls.count += elb.total();
  }
}

async function maintenance(ctx: Context<MaintenanceInputs>, service: Service): Promise<void> {
  const { inputs, report } = ctx;
  report.action = 'maintenance';
  const lb = service.loadBalancers?.[0];
  const ruleArn = lb?.advancedConfiguration?.productionListenerRule;
  if (!ruleArn)
    throw new UserError(
      `Service "${inputs.service}" has no production listener rule (loadBalancers[].advancedConfiguration.productionListenerRule), so maintenance has nothing to switch; give the service a listener rule (the ECS blue/green load balancer configuration)`,
    );
  const { elbv2Client } = await import('@deploy-actions/aws/elbv2');
  const { switchMaintenance } = await import('./maintenance');
  const elb = await elbv2Client(inputs.region);
  try {
    const switched = await switchMaintenance(elb.client, ruleArn, inputs.maintenance);
    report.maintenanceRule = ruleArn;
    report.previousRule = switched.previous;
    report.status = `maintenance-${switched.state}`;
    const what = switched.changed
      ? `Maintenance ${switched.state}: the production listener rule ${switched.state === 'on' ? 'now answers 503 with the maintenance page' : 'forwards as before again'}`
      : `Maintenance was already ${switched.state}; nothing changed`;
    ctx.log.info(what);
    note(report, what);
  } catch (error) {
    explain(error, `Switching maintenance ${inputs.maintenance}`);
  } finally {
    extraCalls.count += elb.total();
  }
}

/** desired-count alone: scale and (with wait) wait until the running tasks match; 0 waits until none runs. */
async function scale(ctx: Context<ScaleInputs>, ecs: ECSClient, service: Service): Promise<void> {
  const { inputs, report, signal } = ctx;
  const desired = inputs.desiredCount;
  const clock = ctx.clock ?? realClock;
  report.action = 'scale';
  report.desiredCount = desired;
  ctx.log.info(`Scaling ${inputs.service} from ${service.desiredCount} to ${desired} tasks`);
  await safely(
    () =>
      ecs.send(new UpdateServiceCommand({ cluster: inputs.cluster, service: inputs.service, desiredCount: desired })),
    signal,
  ).catch((error) => explain(error, 'UpdateService'));
  note(report, `desired count ${service.desiredCount} → ${desired}`);
  if (!inputs.wait) {
    report.status = 'scaled';
    return;
  }
  const started = clock.now();
  let lastLine = '';
  for (;;) {
    signal.throwIfAborted();
    const s = (
      await safely(
        () => ecs.send(new DescribeServicesCommand({ cluster: inputs.cluster, services: [inputs.service] })),
        signal,
      )
    ).services?.[0];
    let stopping = 0;
    if (desired === 0) {
      const listed = await safely(
        () =>
          ecs.send(
            new ListTasksCommand({
              cluster: inputs.cluster,
              serviceName: inputs.service,
              desiredStatus: 'STOPPED',
              maxResults: 100,
            }),
          ),
        signal,
      );
      if (listed.taskArns?.length) {
        const tasks = await safely(
          () => ecs.send(new DescribeTasksCommand({ cluster: inputs.cluster, tasks: listed.taskArns })),
          signal,
        );
        stopping = (tasks.tasks ?? []).filter((t) => t.lastStatus !== 'STOPPED').length;
      }
    }
    const line = `running ${s?.runningCount}/${desired} · pending ${s?.pendingCount}${desired === 0 ? ` · stopping ${stopping}` : ''}`;
    if (line !== lastLine) ctx.log.info(`${line} (${formatDuration(clock.now() - started)})`);
    lastLine = line;
    const done =
      s?.runningCount === desired &&
      s?.pendingCount === 0 &&
      stopping === 0 &&
      (desired > 0 || (s?.runningCount ?? 0) === 0);
    if (done) break;
    if (clock.now() - started > inputs.timeoutMs)
      throw new TimeoutError(`Timed out after ${formatDuration(inputs.timeoutMs)} waiting for ${line}; raise timeout`);
    await clock.sleep(2000);
  }
  report.status = desired === 0 ? 'stopped' : 'scaled';
  note(report, desired === 0 ? 'no task runs' : `${desired} tasks running`);
}

function deploymentConfiguration(
  rollout: Rollout,
  gate: boolean,
  service: Service,
): DeploymentConfiguration | undefined {
  const current = service.deploymentConfiguration ?? {};
  // PAUSE hooks this action manages: only those at the two gate stages, so a service's own hooks stay.
  const gateStages = ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'];
  const others = (current.lifecycleHooks ?? []).filter(
    (h) => !(h.targetType === 'PAUSE' && h.lifecycleStages?.every((s) => gateStages.includes(s))),
  );
  const hooks: DeploymentLifecycleHook[] = gate
    ? [
        ...others,
        { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'] },
      ]
    : others;
  switch (rollout.strategy) {
    case 'service':
      return undefined;
    case 'rolling':
      return { ...current, strategy: 'ROLLING', lifecycleHooks: others };
    case 'blue-green':
      return {
        ...current,
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: rollout.bakeTimeMinutes ?? current.bakeTimeInMinutes,
        lifecycleHooks: hooks,
      };
    case 'canary':
      return {
        ...current,
        strategy: 'CANARY',
        bakeTimeInMinutes: rollout.bakeTimeMinutes ?? current.bakeTimeInMinutes,
        canaryConfiguration: {
          canaryPercent: rollout.canaryPercent ?? current.canaryConfiguration?.canaryPercent ?? 10,
          canaryBakeTimeInMinutes: current.canaryConfiguration?.canaryBakeTimeInMinutes ?? rollout.bakeTimeMinutes ?? 0,
        },
        lifecycleHooks: hooks,
      };
    case 'linear':
      return {
        ...current,
        strategy: 'LINEAR',
        bakeTimeInMinutes: rollout.bakeTimeMinutes ?? current.bakeTimeInMinutes,
        linearConfiguration: {
          stepPercent: rollout.linearStepPercent ?? current.linearConfiguration?.stepPercent ?? 10,
          stepBakeTimeInMinutes: current.linearConfiguration?.stepBakeTimeInMinutes ?? rollout.bakeTimeMinutes ?? 0,
        },
        lifecycleHooks: hooks,
      };
  }
}

async function registerRevision(ecs: ECSClient, input: Json, signal: AbortSignal): Promise<string> {
  const started = new Date();
  try {
    const out = await ecs.send(new RegisterTaskDefinitionCommand(input as never));
    return registeredArn(out.taskDefinition?.taskDefinitionArn);
  } catch (error) {
    if (!isThrottling(error) && !isServerError(error)) explain(error, 'RegisterTaskDefinition');
    // The answer was lost or refused for load: look before registering again (a revision may exist already).
    const latest = await safely(
      () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: input.family })),
      signal,
    ).catch(() => undefined);
    const td = latest?.taskDefinition;
    if (
      td?.registeredAt &&
      td.registeredAt >= new Date(started.getTime() - 5000) &&
      JSON.stringify(td.containerDefinitions) === JSON.stringify(input.containerDefinitions)
    )
      return registeredArn(td.taskDefinitionArn);
    const out = await safely(() => ecs.send(new RegisterTaskDefinitionCommand(input as never)), signal).catch((e) =>
      explain(e, 'RegisterTaskDefinition'),
    );
    return registeredArn(out.taskDefinition?.taskDefinitionArn);
  }
}

function registeredArn(arn: string | undefined): string {
  if (!arn) throw new UserError('RegisterTaskDefinition answered without a task definition ARN; run the step again');
  return arn;
}

/** The service deployment our UpdateService started: the newest one since then whose target is our revision. */
async function findDeployment(
  ecs: ECSClient,
  inputs: Target,
  taskDefinitionArn: string,
  since: Date,
  signal: AbortSignal,
): Promise<string> {
  for (let attempt = 0; attempt < 15; attempt++) {
    const listed = await safely(
      () =>
        ecs.send(
          new ListServiceDeploymentsCommand({
            cluster: inputs.cluster,
            service: inputs.service,
            createdAt: { after: new Date(since.getTime() - 60_000) },
          }),
        ),
      signal,
    );
    const candidates = listed.serviceDeployments ?? [];
    const revisions = candidates.flatMap((c) => (c.targetServiceRevisionArn ? [c.targetServiceRevisionArn] : []));
    if (revisions.length) {
      const described = await safely(
        () => ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisions.slice(0, 20) })),
        signal,
      );
      const ours = new Set(
        (described.serviceRevisions ?? [])
          .filter((r) => r.taskDefinition === taskDefinitionArn)
          .map((r) => r.serviceRevisionArn),
      );
      const found = candidates.find((c) => ours.has(c.targetServiceRevisionArn));
      if (found?.serviceDeploymentArn) return found.serviceDeploymentArn;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new UserError(
    `UpdateService was accepted but no service deployment to ${shortName(taskDefinitionArn)} appeared; check the service's events in the console`,
  );
}

function view(d: Json): DeploymentView {
  const target = d.targetServiceRevision ?? {};
  const hook = (d.lifecycleHookDetails ?? []).find(
    (h: Json) => h.status === 'AWAITING_ACTION' && h.targetType === 'PAUSE',
  );
  return {
    status: d.status,
    statusReason: d.statusReason,
    stage: d.lifecycleStage,
    running: target.runningTaskCount ?? 0,
    desired: target.requestedTaskCount ?? 0,
    pending: target.pendingTaskCount ?? 0,
    failures: d.deploymentCircuitBreaker?.failureCount,
    threshold: d.deploymentCircuitBreaker?.status === 'DISABLED' ? undefined : d.deploymentCircuitBreaker?.threshold,
    hook: hook ? { hookId: hook.hookId, stage: d.lifecycleStage } : undefined,
    rollbackReason: d.rollback?.reason,
    alarms: d.alarms?.triggeredAlarmNames,
  };
}

type Hook = NonNullable<DeploymentView['hook']>;

async function followDeployment(
  ctx: Context<Target>,
  ecs: ECSClient,
  arn: string,
  taskDefinitionArn: string,
  onHook?: (hook: Hook) => Promise<void>,
) {
  const { inputs, report, signal } = ctx;
  const seenHooks = new Set<string>();
  return follow(
    {
      deployment: async () => {
        const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
        const d = out.serviceDeployments?.[0];
        if (!d) throw new UserError(`The service deployment ${arn} disappeared (${out.failures?.[0]?.reason})`);
        return view(d as Json);
      },
      service: async () => {
        const out = await ecs.send(
          new DescribeServicesCommand({ cluster: inputs.cluster, services: [inputs.service] }),
        );
        const s = out.services?.[0];
        const ours = s?.deployments?.find((d) => d.taskDefinition === taskDefinitionArn);
        return {
          events: (s?.events ?? [])
            .slice(0, 10)
            .map((e) => ({ at: e.createdAt?.getTime() ?? 0, message: e.message ?? '' })),
          ended: !ours || (ours.rolloutState !== undefined && ours.rolloutState !== 'IN_PROGRESS'),
        };
      },
    },
    {
      timeoutMs: Math.max(1000, inputs.timeoutMs - (Date.now() - report.startedAt)),
      signal,
      clock: ctx.clock,
      log: (line) => ctx.log.info(line),
      onChange: (v) => note(report, `${v.status}${v.stage ? ` · ${v.stage}` : ''} · ${v.running}/${v.desired} running`),
      onHook: async (v) => {
        if (!v.hook || seenHooks.has(v.hook.hookId)) return;
        seenHooks.add(v.hook.hookId);
        if (onHook) await onHook(v.hook);
        else ctx.log.info(`A PAUSE lifecycle hook at ${v.hook.stage} awaits action from someone else; following on`);
      },
    },
  );
}

async function deploy(
  ctx: Context<DeployInputs>,
  ecs: CountedClient<ECSClient>,
  service: RunningService,
): Promise<void> {
  const { inputs, report, signal } = ctx;
  const { strategy } = inputs.rollout;
  report.action = 'deploy';
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS')
    throw new UserError(
      controller === 'CODE_DEPLOY'
        ? `Service "${inputs.service}" uses the CODE_DEPLOY deployment controller: its deployments go through CodeDeploy (CreateDeployment with an AppSpec), which UpdateService cannot start; move the service to ECS's own blue/green (deploymentController ECS, strategy BLUE_GREEN) or keep deploying it with CodeDeploy`
        : `Service "${inputs.service}" uses the EXTERNAL deployment controller: task sets are managed by another tool, and UpdateService cannot deploy it; deploy with that tool`,
    );
  const strategyNeedsLb = strategy === 'blue-green' || strategy === 'canary' || strategy === 'linear';
  if (strategyNeedsLb && !service.loadBalancers?.[0]?.advancedConfiguration)
    throw new UserError(
      `strategy: ${strategy} needs the service's load balancer with an alternate target group and listener rules (loadBalancers[].advancedConfiguration); add them to the service, or use strategy: rolling`,
    );

  // The base: the file, or the service's current task definition (with its tags).
  let base: Json;
  let tags: { key?: string; value?: string }[] | undefined;
  if (inputs.taskDefinitionFile) {
    base = JSON.parse(readFileSync(inputs.taskDefinitionFile, 'utf8'));
    tags = base.tags;
  } else {
    const current = await safely(
      () =>
        ecs.client.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition, include: ['TAGS'] }),
        ),
      signal,
    ).catch((error) => explain(error, `DescribeTaskDefinition ${shortName(service.taskDefinition)}`));
    base = current.taskDefinition as Json;
    tags = current.tags;
  }
  const changed = withChanges(base, tags, { images: inputs.images, env: inputs.env, secrets: inputs.secrets });
  report.changes = changed.changes;
  for (const line of changed.changes) ctx.log.info(`Change: ${line}`);
  const taskDefinitionArn = await registerRevision(ecs.client, changed.input, signal);
  report.taskDefinitionArn = taskDefinitionArn;
  ctx.log.info(
    `Registered ${shortName(taskDefinitionArn)} (from ${inputs.taskDefinitionFile ? 'the file' : shortName(service.taskDefinition)})`,
  );
  note(report, `registered ${shortName(taskDefinitionArn)}`);

  const since = new Date();
  const config = deploymentConfiguration(inputs.rollout, inputs.health !== undefined, service);
  await safely(
    () =>
      ecs.client.send(
        new UpdateServiceCommand({
          cluster: inputs.cluster,
          service: inputs.service,
          taskDefinition: taskDefinitionArn,
          desiredCount: inputs.desiredCount,
          deploymentConfiguration: config,
        }),
      ),
    signal,
  ).catch((error) => explain(error, 'UpdateService'));
  if (inputs.desiredCount !== undefined) report.desiredCount = inputs.desiredCount;
  const arn = await findDeployment(ecs.client, inputs, taskDefinitionArn, since, signal);
  report.deploymentArn = arn;
  ctx.log.info(
    `Service deployment ${arn.split('/').pop()} started (${strategy}${config?.strategy ? ` → ${config.strategy}` : ''})`,
  );
  note(report, `UpdateService → deployment ${arn.split('/').pop()}`);
  if (!inputs.wait) {
    report.status = 'IN_PROGRESS';
    return;
  }

  const gate = inputs.health && (await gateUrls(inputs.health, inputs, report, service));

  let gateFailure: string | undefined;
  const onHook = gate
    ? async (hook: Hook) => {
        const { stage } = hook;
        const { testUrl, prodUrl } = gate;
        const url = stage === 'POST_TEST_TRAFFIC_SHIFT' ? testUrl : prodUrl;
        let decision: 'CONTINUE' | 'ROLLBACK' = 'CONTINUE';
        if (url && (stage === 'POST_TEST_TRAFFIC_SHIFT' || stage === 'POST_PRODUCTION_TRAFFIC_SHIFT')) {
          const result = await probe(
            gate.gate,
            stage === 'POST_TEST_TRAFFIC_SHIFT' ? 'test listener' : 'service',
            url,
            ctx.log,
            signal,
          );
          report.gates.push(result);
          note(report, `health gate at ${stage}: ${result.passed ? 'passed' : 'failed'}`);
          if (!result.passed) {
            gateFailure = result.reason;
            decision = 'ROLLBACK';
          }
        }
        await safely(
          () =>
            ecs.client.send(
              new ContinueServiceDeploymentCommand({
                serviceDeploymentArn: arn,
                hookId: hook.hookId,
                action: decision,
              }),
            ),
          signal,
        ).catch((error) => explain(error, 'ContinueServiceDeployment'));
        ctx.log.info(`Answered the ${stage} hook: ${decision}`);
      }
    : undefined;

  let followed: Awaited<ReturnType<typeof follow>>;
  try {
    followed = await followDeployment(ctx, ecs.client, arn, taskDefinitionArn, onHook);
  } catch (error) {
    if (inputs.rollbackOnFailure && (error instanceof TimeoutError || signal.aborted)) {
      await ecs.client
        .send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }))
        .then(() => {
          report.rolledBack = `the deployment was stopped with a rollback (${signal.aborted ? 'the job was cancelled' : 'timeout'})`;
          ctx.log.warning(`Stopped the deployment with a rollback to ${shortName(service.taskDefinition)}`);
        })
        .catch((e) => ctx.log.warning(`Could not stop the deployment: ${(e as Error).message}`));
    }
    throw error;
  }
  report.events = followed.events;
  const end = followed.view;
  report.status = end.status;
  report.statusReason = end.statusReason;
  if (end.status !== 'SUCCESSFUL') {
    if (end.status.startsWith('ROLLBACK')) {
      report.rolledBack = `ECS rolled back to ${shortName(service.taskDefinition)}`;
      const why = gateFailure
        ? `the health gate failed: ${gateFailure}`
        : (end.rollbackReason ?? end.statusReason ?? 'no reason given');
      throw new UserError(
        `ECS rolled the deployment back (${end.status}): ${why.replace(/\.$/, '')}. The service runs ${shortName(service.taskDefinition)} again`,
      );
    }
    throw new UserError(`The deployment ended ${end.status}: ${end.statusReason ?? 'no reason given'}`);
  }
  ctx.log.info(`Deployment SUCCESSFUL: ${shortName(taskDefinitionArn)} serves ${inputs.service}`);

  // Rolling deploys gate after completion; a failure redeploys the previous task definition.
  if (gate && !onHookApplies(strategy, service)) {
    const result = await probe(gate.gate, 'service', gate.prodUrl, ctx.log, signal);
    report.gates.push(result);
    note(report, `health gate after the deployment: ${result.passed ? 'passed' : 'failed'}`);
    if (!result.passed) {
      if (!inputs.rollbackOnFailure)
        throw new UserError(
          `The health gate failed after the deployment: ${result.reason}; rollback-on-failure is false, so it stays`,
        );
      ctx.log.warning(`Health gate failed; redeploying ${shortName(service.taskDefinition)}`);
      const back = new Date();
      await safely(
        () =>
          ecs.client.send(
            new UpdateServiceCommand({
              cluster: inputs.cluster,
              service: inputs.service,
              taskDefinition: service.taskDefinition,
            }),
          ),
        signal,
      ).catch((error) => explain(error, 'UpdateService (rollback)'));
      const backArn = await findDeployment(ecs.client, inputs, service.taskDefinition, back, signal);
      const rolled = await followDeployment(ctx, ecs.client, backArn, service.taskDefinition);
      report.rolledBack = `redeployed ${shortName(service.taskDefinition)} (${rolled.view.status})`;
      report.status = 'ROLLED_BACK';
      throw new UserError(
        `The health gate failed after the deployment: ${result.reason}. Rolled back to ${shortName(service.taskDefinition)} (${rolled.view.status})`,
      );
    }
  }
}

/** The URLs the gate probes: the production one (always), the test listener's (blue/green family). */
async function gateUrls(
  gate: HealthGate,
  inputs: DeployInputs,
  report: Report,
  service: Service,
): Promise<{ gate: HealthGate; prodUrl: string; testUrl?: string }> {
  const prodUrl = gate.url ?? gateUrl(report.url, gate.path);
  if (!prodUrl)
    throw new UserError(
      'The health gate has no URL: the service has no load balancer with a DNS name; give health-url (and health-test-url)',
    );
  const { strategy } = inputs.rollout;
  const testUrl =
    gate.testUrl ??
    (strategy === 'blue-green' || strategy === 'canary' || strategy === 'linear' || strategy === 'service'
      ? gateUrl(await testListenerUrl(inputs.region, service), gate.path)
      : undefined);
  return { gate, prodUrl, testUrl };
}

/** Whether the gate ran at the PAUSE hooks (blue/green family) rather than after completion. */
function onHookApplies(strategy: Rollout['strategy'], service: Service): boolean {
  if (strategy === 'blue-green' || strategy === 'canary' || strategy === 'linear') return true;
  if (strategy !== 'service') return false;
  // The service's own configuration: gated at hooks only if it has PAUSE hooks at the gate stages.
  return (service.deploymentConfiguration?.lifecycleHooks ?? []).some(
    (h) =>
      h.targetType === 'PAUSE' &&
      h.lifecycleStages?.some((s) => s === 'POST_TEST_TRAFFIC_SHIFT' || s === 'POST_PRODUCTION_TRAFFIC_SHIFT'),
  );
}

export { TERMINAL };
