import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type RunTaskCommandInput,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { awsErrorName, ecsClient, isServerError, isThrottling, taskConsoleUrl } from '@deploy-actions/aws/ecs';
import { followStream, type LogFollower, logsClient } from '@deploy-actions/aws/logs';
import { redact, registerSecret, UserError } from '@deploy-actions/toolkit';
import { createHash } from 'node:crypto';
import type { EcsTaskInputs } from './ecs-task-inputs';
import { TASK_DEFINITION_READ_ONLY_FIELDS } from '@deploy-actions/aws/task-definition';

/**
 * run-migrations `mode: ecs-task` (seed 003's one-off migration task): RunTask with the service's task
 * definition (or the one given; with `image`, a `<family>-migrate` revision of it with that image, since
 * RunTask cannot override an image), the service's network configuration and launch type or capacity
 * provider strategy, the command as a container override. Exactly once: a client token makes a re-sent
 * RunTask return the same task, and `started-by` marks it, so a racing run finds the running migration
 * (ListTasks startedBy) and waits for it instead of starting a second alongside. The awslogs stream is
 * followed live into the job log (GetLogEvents, nextForwardToken), redacted; the task is waited for to
 * STOPPED and the container's exit code decides, with stopCode/stoppedReason named on failure. Cancellation
 * and the timeout stop the task (StopTask).
 */

export interface EcsTaskOptions {
  region: string;
  cluster: string;
  service?: string;
  taskDefinition?: string;
  image?: string;
  /** The container to run the command in (default: the task definition's only or first essential one). */
  container?: string;
  /** A shell command, run by the image's /bin/sh -c. Empty: the image's own command. */
  command?: string;
  env: Record<string, string>;
  subnets?: string[];
  securityGroups?: string[];
  assignPublicIp?: boolean;
  startedBy: string;
  clientToken: string;
  log: (line: string) => void;
  redact: (text: string) => string;
  pollMs?: number;
}

export interface EcsTaskOutcome {
  taskArn: string;
  exitCode?: number;
  stopCode?: string;
  stoppedReason?: string;
  consoleUrl: string;
  logLines: number;
  /** The migration task of another run this one waited for first. */
  waitedFor?: string;
}

export class EcsTaskFailed extends UserError {
  override name = 'EcsTaskFailed';
  constructor(
    message: string,
    readonly outcome: Partial<EcsTaskOutcome>,
  ) {
    super(message);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: task definition JSON from the SDK
type Json = Record<string, any>;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

async function transient<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 5 || !(isThrottling(error) || isServerError(error))) throw error;
      await sleep(Math.min(20_000, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2), signal);
    }
  }
}

function pickContainer(defs: Json[], name: string | undefined): Json {
  if (name) {
    const found = defs.find((c) => c.name === name);
    if (!found)
      throw new EcsTaskFailed(
        `The task definition has no container "${name}" (it has ${defs.map((c) => c.name).join(', ')})`,
        {},
      );
    return found;
  }
  return defs.length === 1 ? defs[0] : (defs.find((c) => c.essential !== false) ?? defs[0]);
}

export async function runEcsTask(o: EcsTaskOptions, signal: AbortSignal): Promise<EcsTaskOutcome> {
  const ecs = ecsClient(o.region).client;
  const say = (line: string) => o.log(o.redact(line));
  let launch: Pick<
    RunTaskCommandInput,
    'launchType' | 'capacityProviderStrategy' | 'networkConfiguration' | 'platformVersion'
  > = {};
  let taskDefinition = o.taskDefinition;
  if (o.service) {
    const out = await transient(
      () => ecs.send(new DescribeServicesCommand({ cluster: o.cluster, services: [o.service!] })),
      signal,
    );
    const s = out.services?.[0];
    if (!s) throw new EcsTaskFailed(`Service "${o.service}" was not found in cluster "${o.cluster}" (${o.region})`, {});
    taskDefinition ??= s.taskDefinition;
    launch = s.capacityProviderStrategy?.length
      ? { capacityProviderStrategy: s.capacityProviderStrategy }
      : { launchType: s.launchType, platformVersion: s.platformVersion };
    launch.networkConfiguration = s.networkConfiguration;
  }
  if (o.subnets?.length || o.securityGroups?.length || o.assignPublicIp !== undefined) {
    const base = launch.networkConfiguration?.awsvpcConfiguration;
    launch.networkConfiguration = {
      awsvpcConfiguration: {
        subnets: o.subnets?.length ? o.subnets : (base?.subnets ?? []),
        securityGroups: o.securityGroups?.length ? o.securityGroups : base?.securityGroups,
        assignPublicIp:
          o.assignPublicIp === undefined ? base?.assignPublicIp : o.assignPublicIp ? 'ENABLED' : 'DISABLED',
      },
    };
  }
  if (!taskDefinition) throw new EcsTaskFailed('No task definition: give service or task-definition', {});
  const described = await transient(() => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition })), signal);
  let td = described.taskDefinition as Json;
  const container = pickContainer(td.containerDefinitions ?? [], o.container);
  if (o.image && o.image !== container.image) {
    const input: Json = structuredClone(td);
    for (const field of TASK_DEFINITION_READ_ONLY_FIELDS) delete input[field];
    input.family = `${td.family}-migrate`.slice(0, 255);
    pickContainer(input.containerDefinitions, container.name).image = o.image;
    // Creating call: not re-sent blindly (a lost answer only costs one more revision of the -migrate family).
    td = (await ecs.send(new RegisterTaskDefinitionCommand(input as never))).taskDefinition as Json;
    say(`Registered ${td.family}:${td.revision} with ${o.image} for the migration`);
  }

  // Exactly once: another run's migration task still running is waited for, not joined by a second one.
  let waitedFor: string | undefined;
  const running = await transient(
    () => ecs.send(new ListTasksCommand({ cluster: o.cluster, startedBy: o.startedBy, desiredStatus: 'RUNNING' })),
    signal,
  );
  for (const arn of running.taskArns ?? []) {
    const info = (
      await transient(() => ecs.send(new DescribeTasksCommand({ cluster: o.cluster, tasks: [arn] })), signal)
    ).tasks?.[0];
    if (info?.startedBy !== o.startedBy) continue;
    waitedFor = arn;
    say(
      `A migration task started by "${o.startedBy}" is running (${arn.split('/').pop()}); waiting for it to stop first`,
    );
    await waitStopped(ecs, o.cluster, arn, signal, o.pollMs ?? 2000);
    say('That migration task stopped; running this one (the tool finds what is left to do)');
  }

  const env = Object.entries(o.env).map(([name, value]) => ({ name, value }));
  const out = await transient(
    () =>
      ecs.send(
        new RunTaskCommand({
          cluster: o.cluster,
          taskDefinition: td.taskDefinitionArn,
          count: 1,
          startedBy: o.startedBy,
          clientToken: o.clientToken,
          ...launch,
          overrides: {
            containerOverrides: [
              {
                name: container.name,
                ...(o.command ? { command: ['/bin/sh', '-c', o.command] } : {}),
                ...(env.length ? { environment: env } : {}),
              },
            ],
          },
        }),
      ),
    signal,
  );
  if (out.failures?.length || !out.tasks?.length) {
    const f = out.failures?.[0];
    throw new EcsTaskFailed(
      `RunTask started no task: ${f?.reason ?? 'no reason given'}${f?.detail ? ` (${f.detail})` : ''}${f?.arn ? ` for ${f.arn}` : ''}; check the subnets, security groups and capacity`,
      { waitedFor },
    );
  }
  const task = out.tasks[0];
  const taskArn = task.taskArn!;
  const taskId = taskArn.split('/').pop()!;
  const consoleUrl = taskConsoleUrl(o.region, o.cluster, taskId);
  say(`Migration task ${taskId} started (${td.family}:${td.revision}); console: ${consoleUrl}`);

  const awslogs = container.logConfiguration?.logDriver === 'awslogs' ? container.logConfiguration.options : undefined;
  let follower: LogFollower | undefined;
  if (awslogs?.['awslogs-group'] && awslogs['awslogs-stream-prefix']) {
    const logs = await logsClient(awslogs['awslogs-region'] ?? o.region);
    follower = followStream(
      logs,
      awslogs['awslogs-group'],
      `${awslogs['awslogs-stream-prefix']}/${container.name}/${taskId}`,
    );
  } else say('The container has no awslogs configuration with a stream prefix, so its output cannot be followed here');
  let logLines = 0;
  const drain = async () => {
    if (!follower) return;
    try {
      for (const line of await follower.poll()) {
        logLines++;
        o.log(`│ ${o.redact(line)}`);
      }
    } catch (error) {
      say(`Could not read the task's log (${awsErrorName(error)}: ${(error as Error).message})`);
      follower = undefined;
    }
  };

  let last: Task | undefined;
  let status = '';
  try {
    for (;;) {
      const described = await transient(
        () => ecs.send(new DescribeTasksCommand({ cluster: o.cluster, tasks: [taskArn] })),
        signal,
      ).catch((error) => {
        if (signal.aborted) throw error;
        say(`DescribeTasks failed (${awsErrorName(error)}); trying again`);
        return undefined;
      });
      last = described?.tasks?.[0] ?? last;
      if (last?.lastStatus && last.lastStatus !== status) {
        status = last.lastStatus;
        say(`Task ${taskId}: ${status}`);
      }
      await drain();
      if (last?.lastStatus === 'STOPPED') break;
      await sleep(o.pollMs ?? 2000, signal);
    }
  } catch (error) {
    if (signal.aborted) {
      const reason = `run-migrations: ${(signal.reason as Error)?.message ?? 'cancelled'}`.slice(0, 255);
      await ecs
        .send(new StopTaskCommand({ cluster: o.cluster, task: taskArn, reason }))
        .then(() => say(`Stopped the migration task ${taskId} (StopTask)`))
        .catch((e) => say(`Could not stop the task ${taskId}: ${(e as Error).message}; stop it in the console`));
    }
    throw error;
  }
  // awslogs delivers the last lines shortly after the container exits.
  await sleep(Math.min(1000, o.pollMs ?? 1000), signal);
  await drain();

  const c = last!.containers?.find((x) => x.name === container.name) ?? last!.containers?.[0];
  const outcome: EcsTaskOutcome = {
    taskArn,
    exitCode: c?.exitCode,
    stopCode: last!.stopCode,
    stoppedReason: last!.stoppedReason,
    consoleUrl,
    logLines,
    waitedFor,
  };
  if (c?.exitCode === 0) return outcome;
  const why =
    c?.exitCode !== undefined
      ? `the container ${container.name} exited with code ${c.exitCode}`
      : `the container ${container.name} never ran${c?.reason ? ` (${c.reason})` : ''}`;
  throw new EcsTaskFailed(
    o.redact(
      `The migration task failed: ${why}; stopCode ${last!.stopCode ?? 'unknown'}: ${last!.stoppedReason ?? 'no reason given'}. Logs: ${consoleUrl}`,
    ),
    outcome,
  );
}

async function waitStopped(
  ecs: ReturnType<typeof ecsClient>['client'],
  cluster: string,
  arn: string,
  signal: AbortSignal,
  pollMs: number,
): Promise<void> {
  for (;;) {
    const t = (await transient(() => ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] })), signal)).tasks?.[0];
    if (!t || t.lastStatus === 'STOPPED') return;
    await sleep(pollMs, signal);
  }
}

/**
 * The action's entry: the client token is this run attempt's (a re-run of the same attempt gets the same
 * task back from RunTask; a new attempt starts a new task), the environment is `env` (the database URL is
 * never put into the overrides, which anyone with ecs:DescribeTasks reads: the task's own secrets carry it).
 */
export function runEcsTaskMode(
  inputs: EcsTaskInputs,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<EcsTaskOutcome> {
  const e = process.env;
  // The AWS SDK reads these from the environment itself: mask them (every form) before an API error that
  // quotes them back could be printed (issue 12's echo test).
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    const value = e[name];
    if (value) registerSecret(value);
  }
  const run = `${e.GITHUB_REPOSITORY ?? 'local'}/${e.GITHUB_RUN_ID ?? Date.now()}/${e.GITHUB_RUN_ATTEMPT ?? '1'}/${e.GITHUB_JOB ?? ''}/${inputs.ecs.startedBy}`;
  return runEcsTask(
    {
      region: inputs.ecs.region,
      cluster: inputs.ecs.cluster,
      service: inputs.ecs.service,
      taskDefinition: inputs.ecs.taskDefinition,
      image: inputs.image,
      container: inputs.ecs.container,
      command: inputs.command,
      env: inputs.env,
      subnets: inputs.ecs.subnets,
      securityGroups: inputs.ecs.securityGroups,
      assignPublicIp: inputs.ecs.assignPublicIp,
      startedBy: inputs.ecs.startedBy,
      clientToken: createHash('sha256').update(run).digest('hex').slice(0, 64),
      log,
      redact,
    },
    signal,
  );
}
