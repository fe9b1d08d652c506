import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { loadModel } from './ecs-model';
import { docker, removeContainer, type RunningContainer, startContainer } from './ecs-runtime';
import { Elbv2 } from './elbv2';
import { LogStore, LogsError } from './logs';
import { EmulatedClock, type EmulatorRequest, type EmulatorResponse, EmulatorServer } from './server';

/**
 * Amazon ECS (with CloudWatch Logs and ELBv2 on the same endpoint), driven by the real @aws-sdk clients through
 * AWS_ENDPOINT_URL_ECS / _CLOUDWATCH_LOGS / _ELASTIC_LOAD_BALANCING_V2. JSON 1.1 for ECS
 * (`AmazonEC2ContainerServiceV20141113.<Op>`) and Logs (`Logs_20140328.<Op>`), Query for ELBv2; every request
 * is checked against the SDK's own model (unknown members, missing required ones, bad enums refused with
 * ClientException / InvalidParameterException as ECS does) and must be SigV4-signed.
 *
 * Tasks are real containers (ecs-runtime). Services keep desiredCount tasks of their task definition
 * running; UpdateService starts a service deployment that walks the lifecycle stages (RECONCILE_SERVICE …
 * SCALE_UP … TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT (canary/linear steps),
 * BAKE_TIME, CLEAN_UP) on an emulated clock, with the circuit breaker (failed tasks ≥ threshold → rollback),
 * CloudWatch alarms (set by the test) that roll back, PAUSE lifecycle hooks answered by
 * ContinueServiceDeployment, StopServiceDeployment, and service events. Faults: throttling and 5xx per
 * operation, slow task starts, and whatever the images do (exit non-zero, never answer healthy).
 */

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113.';
const LOGS_TARGET = 'Logs_20140328.';
const TICK_MS = 100;

// biome-ignore lint/suspicious/noExplicitAny: request bodies are checked against the SDK model before use
type Json = Record<string, any>;

export class EcsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  body: Json;
  tags: { key: string; value: string }[];
  registeredAt: number;
}

export interface EmuTask {
  arn: string;
  id: string;
  clusterArn: string;
  taskDefinitionArn: string;
  /** The service revision it belongs to (tasks of a forced redeploy share the task definition). */
  revision?: string;
  group: string;
  startedBy?: string;
  serviceName?: string;
  deploymentArn?: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  stopCode?: string;
  stoppedReason?: string;
  containers: { name: string; exitCode?: number; reason?: string; lastStatus: string; running?: RunningContainer }[];
  createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  port?: number;
  launchType?: string;
  capacityProviderName?: string;
  overrides?: Json;
  networkConfiguration?: Json;
  healthFails: number;
  /** Emulated instant the task may leave PROVISIONING (slow starts). */
  startAt: number;
  clientToken?: string;
  starting?: boolean;
  tg?: string;
}

interface HookDetail {
  hookId: string;
  targetType: string;
  targetArn?: string;
  status: string;
  expiresAt?: number;
  timeoutAction?: string;
  stage: string;
}

export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  status: string;
  statusReason?: string;
  stage: string;
  stageSince: number;
  target: { revisionArn: string; taskDefinition: string };
  source?: { revisionArn: string; taskDefinition: string };
  config: Json;
  hooks: HookDetail[];
  answeredHooks: Set<string>;
  failures: number;
  threshold: number;
  alarmStatus: string;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  shiftStep: number;
  /** Target group the new tasks go to (blue/green family); the old ones stay in the other. */
  greenTg?: string;
  ecsId: string;
}

export interface EmuService {
  arn: string;
  name: string;
  clusterArn: string;
  status: string;
  taskDefinition: string;
  desiredCount: number;
  launchType?: string;
  capacityProviderStrategy?: Json[];
  networkConfiguration?: Json;
  deploymentConfiguration: Json;
  deploymentController: { type: string };
  loadBalancers: Json[];
  events: { id: string; createdAt: number; message: string }[];
  tags: { key: string; value: string }[];
  createdAt: number;
  revisionArn: string;
  deployments: string[];
  /** Target group serving production (switches on each blue/green success). */
  blueTg?: string;
  /** Emulated delay before each new task leaves PROVISIONING. */
  startDelayMs: number;
}

export interface ServiceOptions {
  cluster?: string;
  name: string;
  taskDefinition: Json;
  desiredCount?: number;
  deploymentConfiguration?: Json;
  controller?: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
  /** Put it behind a load balancer with production and test listeners (a primary and an alternate target group). */
  loadBalancer?: { containerPort?: number; healthCheckPath?: string };
  launchType?: string;
  capacityProviderStrategy?: Json[];
  networkConfiguration?: Json;
  tags?: { key: string; value: string }[];
  startDelayMs?: number;
  /** Wait until its tasks run (default true). */
  wait?: boolean;
}

export interface LoadBalancerInfo {
  lbArn: string;
  productionUrl: string;
  testUrl: string;
  productionRuleArn: string;
  testRuleArn: string;
  productionListenerArn: string;
  primaryTg: string;
  alternateTg: string;
}

export interface EcsEmulatorOptions {
  scale?: number;
  region?: string;
  account?: string;
  accessKeyId?: string;
  /** Emulated time each lifecycle stage lasts at least (default 0). */
  stageMs?: number;
  /** Health checks an unhealthy target needs before ECS replaces it (ELB: 2 consecutive by default). */
  unhealthyThreshold?: number;
  /** Emulated time a new task has to pass its first health check. */
  healthGraceMs?: number;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sec = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export class EcsEmulator {
  readonly server = new EmulatorServer();
  readonly clock: EmulatedClock;
  readonly model = loadModel('@aws-sdk/client-ecs');
  readonly logsModel = loadModel('@aws-sdk/client-cloudwatch-logs');
  readonly logs: LogStore;
  readonly elb: Elbv2;
  readonly region: string;
  readonly account: string;
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord>();
  readonly services = new Map<string, EmuService>();
  readonly deployments = new Map<string, ServiceDeploymentRecord>();
  readonly tasks = new Map<string, EmuTask>();
  readonly alarms = new Map<string, 'OK' | 'ALARM'>();
  readonly revisions = new Map<
    string,
    { arn: string; serviceArn: string; taskDefinition: string; createdAt: number }
  >();
  readonly lbInfo = new Map<string, LoadBalancerInfo>();
  /** Operations handled, in order ("ecs:DescribeServices", "logs:GetLogEvents", "elbv2:ModifyRule"). */
  readonly calls: { op: string; at: number }[] = [];
  /** Secrets Manager / SSM values a task's `secrets` resolve to; unknown ones resolve to a placeholder. */
  readonly secretValues = new Map<string, string>();
  private readonly faults: { op: string; kind: 'throttle' | 'server'; left: number }[] = [];
  private readonly options: Required<Omit<EcsEmulatorOptions, 'accessKeyId' | 'region' | 'account' | 'scale'>> & {
    accessKeyId?: string;
  };
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: EcsEmulatorOptions = {}) {
    this.clock = new EmulatedClock(options.scale ?? 1);
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    this.options = {
      stageMs: options.stageMs ?? 0,
      unhealthyThreshold: options.unhealthyThreshold ?? 2,
      healthGraceMs: options.healthGraceMs ?? 30_000,
      accessKeyId: options.accessKeyId,
    };
    this.logs = new LogStore(this.clock);
    this.elb = new Elbv2(this.region, this.account);
    this.server.route('POST', /^\/$/, (req) => this.handle(req));
  }

  get url(): string {
    return this.server.url;
  }

  /** What a process needs in its environment for the SDKs to talk to this emulator. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_ECS: this.url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: this.url,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: this.url,
      AWS_ACCESS_KEY_ID: this.options.accessKeyId ?? 'AKIDEMULATOR',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret-key',
      AWS_REGION: this.region,
      AWS_EC2_METADATA_DISABLED: 'true',
      // Tests run on Node 20; the runner's node24 never sees this warning.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  async listen(): Promise<string> {
    await this.server.listen();
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    return this.url;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    while (this.ticking) await new Promise((r) => setTimeout(r, 20));
    const names = [...this.tasks.values()].flatMap((t) => t.containers.map((c) => c.running?.name).filter(Boolean));
    if (names.length) await docker(['rm', '-f', ...(names as string[])]);
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 5000))]);
    await this.elb.close();
    await this.server.close();
  }

  /** Answers the next `times` calls of an operation with ThrottlingException ('throttle') or ServerException 500. */
  fault(op: string, kind: 'throttle' | 'server', times = 1): void {
    this.faults.push({ op, kind, left: times });
  }

  setAlarm(name: string, state: 'OK' | 'ALARM'): void {
    this.alarms.set(name, state);
  }

  count(op?: string): number {
    return op ? this.calls.filter((c) => c.op === op).length : this.calls.length;
  }

  clusterArn(cluster = 'default'): string {
    return cluster.startsWith('arn:') ? cluster : `arn:aws:ecs:${this.region}:${this.account}:cluster/${cluster}`;
  }

  // ---- setup helpers for tests and the demo ----

  registerTaskDefinition(input: Json): TaskDefinitionRecord {
    const { tags, ...body } = structuredClone(input);
    const family = String(body.family);
    const revision = [...this.taskDefinitions.values()].filter((t) => t.family === family).length + 1;
    const arn = `arn:aws:ecs:${this.region}:${this.account}:task-definition/${family}:${revision}`;
    const record: TaskDefinitionRecord = {
      arn,
      family,
      revision,
      body,
      tags: tags ?? [],
      registeredAt: this.clock.now(),
    };
    this.taskDefinitions.set(arn, record);
    return record;
  }

  async addService(options: ServiceOptions): Promise<EmuService> {
    const td = this.registerTaskDefinition(options.taskDefinition);
    const clusterArn = this.clusterArn(options.cluster);
    const clusterName = clusterArn.split('/').pop()!;
    const arn = `arn:aws:ecs:${this.region}:${this.account}:service/${clusterName}/${options.name}`;
    const loadBalancers: Json[] = [];
    let blueTg: string | undefined;
    if (options.loadBalancer) {
      const lbArn = this.elb.addLoadBalancer(`${options.name}-alb`);
      const primaryTg = this.elb.addTargetGroup(`${options.name}-blue`, options.loadBalancer.healthCheckPath ?? '/');
      const alternateTg = this.elb.addTargetGroup(`${options.name}-green`, options.loadBalancer.healthCheckPath ?? '/');
      const prod = await this.elb.addListener(lbArn, primaryTg);
      const test = await this.elb.addListener(lbArn, primaryTg);
      const container = td.body.containerDefinitions[0];
      loadBalancers.push({
        targetGroupArn: primaryTg,
        containerName: container.name,
        containerPort: options.loadBalancer.containerPort ?? container.portMappings?.[0]?.containerPort ?? 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: alternateTg,
          productionListenerRule: prod.ruleArn,
          testListenerRule: test.ruleArn,
          roleArn: `arn:aws:iam::${this.account}:role/ecsInfrastructureRole`,
        },
      });
      blueTg = primaryTg;
      this.lbInfo.set(arn, {
        lbArn,
        productionUrl: this.elb.listenerUrl(prod.listenerArn),
        testUrl: this.elb.listenerUrl(test.listenerArn),
        productionRuleArn: prod.ruleArn,
        testRuleArn: test.ruleArn,
        productionListenerArn: prod.listenerArn,
        primaryTg,
        alternateTg,
      });
    }
    const revisionArn = this.newRevision(arn, td.arn);
    const service: EmuService = {
      arn,
      name: options.name,
      clusterArn,
      status: 'ACTIVE',
      taskDefinition: td.arn,
      desiredCount: options.desiredCount ?? 1,
      launchType: options.capacityProviderStrategy ? undefined : (options.launchType ?? 'FARGATE'),
      capacityProviderStrategy: options.capacityProviderStrategy,
      networkConfiguration: options.networkConfiguration ?? {
        awsvpcConfiguration: {
          subnets: ['subnet-0a1b2c3d'],
          securityGroups: ['sg-0a1b2c3d'],
          assignPublicIp: 'DISABLED',
        },
      },
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        strategy: 'ROLLING',
        deploymentCircuitBreaker: { enable: true, rollback: true },
        ...options.deploymentConfiguration,
      },
      deploymentController: { type: options.controller ?? 'ECS' },
      loadBalancers,
      events: [],
      tags: options.tags ?? [],
      createdAt: this.clock.now(),
      revisionArn,
      deployments: [],
      blueTg,
      startDelayMs: options.startDelayMs ?? 0,
    };
    this.services.set(arn, service);
    // The service's first deployment, already finished, so there is something to roll back to.
    const first = this.newDeployment(service, { revisionArn, taskDefinition: td.arn }, undefined);
    first.status = 'SUCCESSFUL';
    first.stage = 'CLEAN_UP';
    first.finishedAt = this.clock.now();
    if (options.wait !== false) {
      const deadline = Date.now() + 60_000;
      // Started and, behind a load balancer, healthy and routed: a caller's first request is answered.
      const routed = () =>
        blueTg ? (this.elb.targetGroups.get(blueTg)?.targets.length ?? 0) : Number.POSITIVE_INFINITY;
      while (this.running(service, revisionArn) < service.desiredCount || routed() < service.desiredCount) {
        if (Date.now() > deadline) throw new Error(`emulator: ${options.name}'s first tasks did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return service;
  }

  service(name: string, cluster?: string): EmuService {
    const clusterName = this.clusterArn(cluster).split('/').pop();
    const found = [...this.services.values()].find(
      (s) => (s.name === name || s.arn === name) && s.clusterArn.endsWith(`/${clusterName}`),
    );
    if (!found) throw new Error(`emulator: no service ${name}`);
    return found;
  }

  deploymentsOf(service: EmuService): ServiceDeploymentRecord[] {
    return service.deployments.map((arn) => this.deployments.get(arn)!);
  }

  tasksOf(service: EmuService, alive = true): EmuTask[] {
    return [...this.tasks.values()].filter(
      (t) =>
        t.serviceName === service.name &&
        t.clusterArn === service.clusterArn &&
        (!alive || t.desiredStatus === 'RUNNING'),
    );
  }

  // ---- the wire ----

  private async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    const contentType = String(req.headers['content-type'] ?? '');
    const auth = String(req.headers.authorization ?? '');
    const credential = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    if (!credential)
      return this.error(
        new EcsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token', 403),
      );
    if (this.options.accessKeyId && credential[1] !== this.options.accessKeyId)
      return this.error(
        new EcsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403),
      );
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = req.form();
      const op = `elbv2:${form.get('Action')}`;
      const fault = this.takeFault(op);
      this.calls.push({ op, at: this.clock.now() });
      if (fault === 'throttle')
        return {
          status: 400,
          headers: { 'content-type': 'text/xml' },
          body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>',
        };
      const answer = this.elb.handle(form);
      return { status: answer.status, headers: { 'content-type': 'text/xml' }, body: answer.body };
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const isLogs = target.startsWith(LOGS_TARGET);
    if (!isLogs && !target.startsWith(ECS_TARGET))
      return this.error(new EcsError('UnknownOperationException', `Unknown target ${target}`));
    const operation = target.slice((isLogs ? LOGS_TARGET : ECS_TARGET).length);
    const op = `${isLogs ? 'logs' : 'ecs'}:${operation}`;
    this.calls.push({ op, at: this.clock.now() });
    const fault = this.takeFault(op);
    if (fault === 'throttle') return this.error(new EcsError('ThrottlingException', 'Rate exceeded'));
    if (fault === 'server')
      return this.error(new EcsError('ServerException', 'Service unavailable. Try again later.', 500));
    let body: Json;
    try {
      body = req.json();
    } catch {
      return this.error(new EcsError('SerializationException', 'Unable to parse the request body'));
    }
    const problem = (isLogs ? this.logsModel : this.model).validate(operation, body);
    if (problem) {
      const type = isLogs
        ? 'InvalidParameterException'
        : problem.startsWith('Unknown operation')
          ? 'UnknownOperationException'
          : 'ClientException';
      return this.error(new EcsError(type, problem));
    }
    try {
      const result = isLogs ? this.logs.handle(operation, body) : this.operation(operation, body);
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: result ?? {} };
    } catch (error) {
      if (error instanceof EcsError) return this.error(error);
      if (error instanceof LogsError) return this.error(new EcsError(error.type, error.message));
      return this.error(new EcsError('ServerException', (error as Error).message, 500));
    }
  }

  private takeFault(op: string): string | undefined {
    const fault = this.faults.find((f) => f.left > 0 && (f.op === op || f.op === op.split(':')[1]));
    if (!fault) return undefined;
    fault.left--;
    return fault.kind;
  }

  private error(error: EcsError): EmulatorResponse {
    return {
      status: error.status,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': error.type },
      body: { __type: error.type, message: error.message },
    };
  }

  private findService(cluster: string | undefined, name: string): EmuService | undefined {
    const clusterArn = this.clusterArn(cluster);
    return [...this.services.values()].find((s) => s.clusterArn === clusterArn && (s.name === name || s.arn === name));
  }

  private findTaskDefinition(ref: string): TaskDefinitionRecord {
    if (this.taskDefinitions.has(ref)) return this.taskDefinitions.get(ref)!;
    const short = ref.includes('task-definition/') ? ref.split('task-definition/')[1] : ref;
    const [family, revision] = short.split(':');
    const matching = [...this.taskDefinitions.values()].filter((t) => t.family === family);
    const found = revision ? matching.find((t) => t.revision === Number(revision)) : matching.at(-1);
    if (!found) throw new EcsError('ClientException', 'Unable to describe task definition.');
    return found;
  }

  private operation(op: string, b: Json): unknown {
    switch (op) {
      case 'DescribeServices': {
        const services: Json[] = [];
        const failures: Json[] = [];
        for (const name of b.services as string[]) {
          const s = this.findService(b.cluster, name);
          if (s) services.push(this.serviceView(s, (b.include ?? []).includes('TAGS')));
          else failures.push({ arn: `arn:aws:ecs:${this.region}:${this.account}:service/${name}`, reason: 'MISSING' });
        }
        return { services, failures };
      }
      case 'DescribeTaskDefinition': {
        const td = this.findTaskDefinition(b.taskDefinition);
        return {
          taskDefinition: this.taskDefinitionView(td),
          tags: (b.include ?? []).includes('TAGS') ? td.tags : undefined,
        };
      }
      case 'RegisterTaskDefinition': {
        if (!Array.isArray(b.containerDefinitions) || b.containerDefinitions.length === 0)
          throw new EcsError('ClientException', 'Container list cannot be empty.');
        for (const c of b.containerDefinitions) {
          if (!c.name || !c.image)
            throw new EcsError('ClientException', 'Container.name and Container.image should not be null or empty.');
        }
        if (!/^[A-Za-z0-9_-]{1,255}$/.test(b.family))
          throw new EcsError('ClientException', 'Family contains invalid characters.');
        const td = this.registerTaskDefinition(b);
        return { taskDefinition: this.taskDefinitionView(td), tags: td.tags };
      }
      case 'UpdateService':
        return this.updateService(b);
      case 'ListServiceDeployments': {
        const s = this.findService(b.cluster, b.service);
        if (!s) throw new EcsError('ServiceNotFoundException', 'Service not found.');
        const after = b.createdAt?.after === undefined ? -Infinity : Number(b.createdAt.after) * 1000;
        const list = this.deploymentsOf(s)
          .filter((d) => d.createdAt >= after && (!b.status || b.status.includes(d.status)))
          .reverse()
          .map((d) => ({
            serviceDeploymentArn: d.arn,
            serviceArn: d.serviceArn,
            clusterArn: d.clusterArn,
            createdAt: sec(d.createdAt),
            startedAt: sec(d.startedAt),
            finishedAt: sec(d.finishedAt),
            targetServiceRevisionArn: d.target.revisionArn,
            status: d.status,
            statusReason: d.statusReason,
          }));
        return { serviceDeployments: list.slice(0, b.maxResults ?? 20) };
      }
      case 'DescribeServiceDeployments': {
        const serviceDeployments: Json[] = [];
        const failures: Json[] = [];
        for (const arn of b.serviceDeploymentArns as string[]) {
          const d = this.deployments.get(arn);
          if (d) serviceDeployments.push(this.deploymentView(d));
          else failures.push({ arn, reason: 'MISSING' });
        }
        return { serviceDeployments, failures };
      }
      case 'DescribeServiceRevisions': {
        const serviceRevisions: Json[] = [];
        const failures: Json[] = [];
        for (const arn of b.serviceRevisionArns as string[]) {
          const r = this.revisions.get(arn);
          if (!r) failures.push({ arn, reason: 'MISSING' });
          else {
            const s = this.services.get(r.serviceArn)!;
            serviceRevisions.push({
              serviceRevisionArn: arn,
              serviceArn: r.serviceArn,
              clusterArn: s.clusterArn,
              taskDefinition: r.taskDefinition,
              createdAt: sec(r.createdAt),
              loadBalancers: s.loadBalancers,
            });
          }
        }
        return { serviceRevisions, failures };
      }
      case 'ContinueServiceDeployment': {
        const d = this.deployments.get(b.serviceDeploymentArn);
        if (!d) throw new EcsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
        const hook = d.hooks.find((h) => h.hookId === b.hookId);
        if (hook?.status !== 'AWAITING_ACTION')
          throw new EcsError('InvalidParameterException', `No lifecycle hook ${b.hookId} is awaiting action.`);
        hook.status = 'SUCCEEDED';
        d.answeredHooks.add(hook.stage);
        d.hooks = d.hooks.filter((h) => h !== hook);
        if ((b.action ?? 'CONTINUE') === 'ROLLBACK') this.startRollback(d, 'Rollback requested by a lifecycle hook.');
        d.updatedAt = this.clock.now();
        return { serviceDeploymentArn: d.arn };
      }
      case 'StopServiceDeployment': {
        const d = this.deployments.get(b.serviceDeploymentArn);
        if (!d) throw new EcsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
        if (!['PENDING', 'IN_PROGRESS'].includes(d.status))
          throw new EcsError('ConflictException', `The service deployment is ${d.status} and cannot be stopped.`);
        if ((b.stopType ?? 'ROLLBACK') === 'ROLLBACK') this.startRollback(d, 'Stopped with a rollback by the user.');
        else {
          d.status = 'STOPPED';
          d.statusReason = 'Stopped (ABORT) by the user.';
          d.stoppedAt = this.clock.now();
        }
        return { serviceDeploymentArn: d.arn };
      }
      case 'RunTask':
        return this.runTask(b);
      case 'DescribeTasks': {
        const tasks: Json[] = [];
        const failures: Json[] = [];
        for (const ref of b.tasks as string[]) {
          const t = [...this.tasks.values()].find((x) => x.arn === ref || x.id === ref);
          if (t) tasks.push(this.taskView(t));
          else failures.push({ arn: ref, reason: 'MISSING' });
        }
        return { tasks, failures };
      }
      case 'ListTasks': {
        const clusterArn = this.clusterArn(b.cluster);
        const desired = b.desiredStatus ?? 'RUNNING';
        const arns = [...this.tasks.values()]
          .filter(
            (t) =>
              t.clusterArn === clusterArn &&
              (!b.startedBy || t.startedBy === b.startedBy) &&
              (!b.serviceName || t.serviceName === b.serviceName) &&
              (!b.family || t.taskDefinitionArn.includes(`/${b.family}:`)) &&
              t.desiredStatus === desired,
          )
          .map((t) => t.arn);
        return { taskArns: arns };
      }
      case 'StopTask': {
        const t = [...this.tasks.values()].find((x) => x.arn === b.task || x.id === b.task);
        if (!t) throw new EcsError('InvalidParameterException', 'The referenced task was not found.');
        this.stopTask(t, 'UserInitiated', b.reason ?? 'Task stopped by user');
        return { task: this.taskView(t) };
      }
      default:
        throw new EcsError('UnknownOperationException', `${op} is not emulated`);
    }
  }

  private newRevision(serviceArn: string, taskDefinition: string): string {
    const [, , , , , path] = serviceArn.split(':');
    const arn = `arn:aws:ecs:${this.region}:${this.account}:service-revision/${path.replace(/^service\//, '')}/${Date.now()}${randomBytes(3).toString('hex')}`;
    this.revisions.set(arn, { arn, serviceArn, taskDefinition, createdAt: this.clock.now() });
    return arn;
  }

  private newDeployment(
    s: EmuService,
    target: ServiceDeploymentRecord['target'],
    source: ServiceDeploymentRecord['source'],
  ): ServiceDeploymentRecord {
    const now = this.clock.now();
    const path = s.arn.split(':service/')[1];
    const config = structuredClone(s.deploymentConfiguration);
    const d: ServiceDeploymentRecord = {
      arn: `arn:aws:ecs:${this.region}:${this.account}:service-deployment/${path}/${randomBytes(10).toString('hex')}`,
      serviceArn: s.arn,
      clusterArn: s.clusterArn,
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      status: 'IN_PROGRESS',
      stage: 'RECONCILE_SERVICE',
      stageSince: now,
      target,
      source,
      config,
      hooks: [],
      answeredHooks: new Set(),
      failures: 0,
      threshold: Math.min(200, Math.max(3, Math.ceil(s.desiredCount * 0.5))),
      alarmStatus: config.alarms?.enable ? 'MONITORING' : 'DISABLED',
      shiftStep: 0,
      ecsId: `ecs-svc/${String(Date.now()).slice(-10)}${Math.floor(Math.random() * 1e9)}`,
    };
    this.deployments.set(d.arn, d);
    s.deployments.push(d.arn);
    return d;
  }

  private updateService(b: Json): unknown {
    const s = this.findService(b.cluster, b.service);
    if (!s) throw new EcsError('ServiceNotFoundException', 'Service not found.');
    if (s.status !== 'ACTIVE') throw new EcsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if (s.deploymentController.type !== 'ECS' && b.taskDefinition)
      throw new EcsError(
        'InvalidParameterException',
        `Unable to update task definition on services with a ${s.deploymentController.type} deployment controller.`,
      );
    if (b.desiredCount !== undefined) {
      if (b.desiredCount < 0) throw new EcsError('InvalidParameterException', 'desiredCount must be >= 0');
      s.desiredCount = b.desiredCount;
      this.event(s, `(service ${s.name}) desired count set to ${b.desiredCount}.`);
    }
    if (b.deploymentConfiguration)
      s.deploymentConfiguration = { ...s.deploymentConfiguration, ...b.deploymentConfiguration };
    const strategy = s.deploymentConfiguration.strategy ?? 'ROLLING';
    if (strategy !== 'ROLLING' && !s.loadBalancers[0]?.advancedConfiguration)
      throw new EcsError(
        'InvalidParameterException',
        `The ${strategy} deployment strategy needs a load balancer with advancedConfiguration.`,
      );
    if (b.taskDefinition || b.forceNewDeployment) {
      const td = b.taskDefinition
        ? this.findTaskDefinition(b.taskDefinition)
        : this.findTaskDefinition(s.taskDefinition);
      for (const old of this.deploymentsOf(s).filter((d) => d.status === 'IN_PROGRESS' || d.status === 'PENDING')) {
        old.status = 'STOPPED';
        old.statusReason = 'Service deployment stopped because a newer deployment started.';
        old.stoppedAt = this.clock.now();
      }
      const source = { revisionArn: s.revisionArn, taskDefinition: s.taskDefinition };
      const revisionArn = this.newRevision(s.arn, td.arn);
      const d = this.newDeployment(s, { revisionArn, taskDefinition: td.arn }, source);
      if (strategy !== 'ROLLING') {
        const lb = s.loadBalancers[0];
        d.greenTg =
          s.blueTg === lb.targetGroupArn ? lb.advancedConfiguration.alternateTargetGroupArn : lb.targetGroupArn;
      }
      this.event(
        s,
        `(service ${s.name}) has started a service deployment (${d.arn.split('/').pop()}) to ${td.family}:${td.revision}.`,
      );
    }
    return { service: this.serviceView(s, false) };
  }

  private runTask(b: Json): unknown {
    const clusterArn = this.clusterArn(b.cluster);
    if (b.clientToken) {
      const existing = [...this.tasks.values()].filter(
        (t) => t.clientToken === b.clientToken && t.clusterArn === clusterArn,
      );
      if (existing.length) return { tasks: existing.map((t) => this.taskView(t)), failures: [] };
    }
    if (b.launchType && b.capacityProviderStrategy)
      throw new EcsError(
        'InvalidParameterException',
        'Specifying both a launch type and capacity provider strategy is not supported.',
      );
    const td = this.findTaskDefinition(b.taskDefinition);
    const subnets: string[] = b.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    if (td.body.networkMode === 'awsvpc' && !b.networkConfiguration)
      throw new EcsError(
        'InvalidParameterException',
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    const bad = subnets.find((s) => !/^subnet-[0-9a-f]{8,17}$/.test(s));
    if (bad)
      throw new EcsError(
        'InvalidParameterException',
        `Error retrieving subnet information for [${bad}]: The subnet ID '${bad}' does not exist`,
      );
    const failures: Json[] = [];
    const tasks: Json[] = [];
    for (const c of td.body.containerDefinitions) {
      for (const o of b.overrides?.containerOverrides ?? [])
        if (!td.body.containerDefinitions.some((x: Json) => x.name === o.name))
          throw new EcsError(
            'InvalidParameterException',
            `Override for container named ${o.name} is not a container in the TaskDefinition.`,
          );
      void c;
    }
    if (subnets.includes('subnet-00000000'))
      failures.push({
        arn: `arn:aws:ecs:${this.region}:${this.account}:container-instance/x`,
        reason: 'RESOURCE:ENI',
        detail: 'No free ENI in subnet-00000000',
      });
    else
      for (let i = 0; i < (b.count ?? 1); i++) {
        const t = this.launch(td, clusterArn, {
          group: b.group ?? `family:${td.family}`,
          startedBy: b.startedBy,
          overrides: b.overrides,
          launchType: b.capacityProviderStrategy ? undefined : (b.launchType ?? 'FARGATE'),
          capacityProviderName: b.capacityProviderStrategy?.[0]?.capacityProvider,
          networkConfiguration: b.networkConfiguration,
          clientToken: b.clientToken,
          startDelayMs: 0,
        });
        tasks.push(this.taskView(t));
      }
    return { tasks, failures };
  }

  private launch(
    td: TaskDefinitionRecord,
    clusterArn: string,
    o: {
      group: string;
      startedBy?: string;
      serviceName?: string;
      deploymentArn?: string;
      revision?: string;
      overrides?: Json;
      launchType?: string;
      capacityProviderName?: string;
      networkConfiguration?: Json;
      clientToken?: string;
      startDelayMs: number;
      tg?: string;
    },
  ): EmuTask {
    const id = randomUUID().replace(/-/g, '');
    const clusterName = clusterArn.split('/').pop();
    const t: EmuTask = {
      arn: `arn:aws:ecs:${this.region}:${this.account}:task/${clusterName}/${id}`,
      id,
      clusterArn,
      taskDefinitionArn: td.arn,
      group: o.group,
      startedBy: o.startedBy,
      serviceName: o.serviceName,
      deploymentArn: o.deploymentArn,
      revision: o.revision,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      containers: td.body.containerDefinitions.map((c: Json) => ({ name: c.name, lastStatus: 'PENDING' })),
      createdAt: this.clock.now(),
      launchType: o.launchType,
      capacityProviderName: o.capacityProviderName,
      overrides: o.overrides,
      networkConfiguration: o.networkConfiguration,
      healthFails: 0,
      startAt: this.clock.now() + o.startDelayMs,
      clientToken: o.clientToken,
      tg: o.tg,
    };
    this.tasks.set(t.arn, t);
    return t;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
    return promise;
  }

  /** PROVISIONING → PENDING → RUNNING: starts each container; the first essential exit stops the task. */
  private async start(t: EmuTask): Promise<void> {
    t.starting = true;
    t.lastStatus = 'PENDING';
    const td = this.taskDefinitions.get(t.taskDefinitionArn)!;
    t.port = await freePort();
    for (const def of td.body.containerDefinitions as Json[]) {
      const override = (t.overrides?.containerOverrides ?? []).find((o: Json) => o.name === def.name) ?? {};
      const env: Record<string, string> = { PORT: String(t.port) };
      for (const e of def.environment ?? []) env[e.name] = e.value;
      for (const e of override.environment ?? []) env[e.name] = e.value;
      for (const s of def.secrets ?? []) env[s.name] = this.secretValues.get(s.valueFrom) ?? `resolved:${s.valueFrom}`;
      env.ECS_CONTAINER_METADATA_URI_V4 = `http://169.254.170.2/v4/${t.id}`;
      const log = def.logConfiguration?.logDriver === 'awslogs' ? def.logConfiguration.options : undefined;
      const stream = log ? `${log['awslogs-stream-prefix']}/${def.name}/${t.id}` : undefined;
      if (log && log['awslogs-create-group'] === 'true') this.logs.createGroup(log['awslogs-group']);
      const container = t.containers.find((c) => c.name === def.name)!;
      if (this.closed || t.desiredStatus === 'STOPPED') return;
      const started = await startContainer({
        image: def.image,
        entryPoint: def.entryPoint,
        command: override.command ?? def.command,
        env,
        healthCheck: def.healthCheck
          ? {
              command: def.healthCheck.command,
              intervalMs: Math.max(200, ((def.healthCheck.interval ?? 30) * 1000) / this.clock.scale),
              retries: def.healthCheck.retries ?? 3,
            }
          : undefined,
        onLine: (line) => {
          if (log && stream) this.logs.put(log['awslogs-group'], stream, line);
        },
      });
      if ('failure' in started) {
        container.reason = started.failure;
        container.lastStatus = 'STOPPED';
        this.stopTask(t, 'TaskFailedToStart', started.failure);
        this.failed(t);
        return;
      }
      container.running = started;
      container.lastStatus = 'RUNNING';
      void this.track(
        started.exited.then(async ({ exitCode, reason }) => {
          container.exitCode = exitCode;
          container.reason = reason;
          container.lastStatus = 'STOPPED';
          if (t.lastStatus !== 'STOPPED' && def.essential !== false) {
            const wasStopping = t.desiredStatus === 'STOPPED';
            if (!wasStopping) {
              this.stopTask(t, 'EssentialContainerExited', `Essential container in task exited`);
              if (t.serviceName) this.failed(t);
            }
            this.finishStop(t);
          }
          await removeContainer(started.name);
        }),
      );
    }
    if (t.desiredStatus === 'RUNNING') {
      t.lastStatus = 'RUNNING';
      t.startedAt = this.clock.now();
      if (t.serviceName) {
        const s = [...this.services.values()].find((x) => x.name === t.serviceName && x.clusterArn === t.clusterArn);
        if (s) this.event(s, `(service ${s.name}) has started 1 tasks: (task ${t.id}).`);
      }
    }
  }

  private stopTask(t: EmuTask, code: string, reason: string): void {
    if (t.desiredStatus === 'STOPPED') return;
    t.desiredStatus = 'STOPPED';
    t.stopCode = code;
    t.stoppedReason = reason;
    t.stoppingAt = this.clock.now();
    const running = t.containers.filter((c) => c.running && c.lastStatus === 'RUNNING');
    if (!running.length) {
      this.finishStop(t);
      return;
    }
    t.lastStatus = 'DEACTIVATING';
    void this.track(Promise.all(running.map((c) => c.running!.stop())).then(() => this.finishStop(t)));
  }

  private finishStop(t: EmuTask): void {
    if (t.lastStatus === 'STOPPED') return;
    t.lastStatus = 'STOPPED';
    t.stoppedAt = this.clock.now();
  }

  /** A failed task of a deployment counts toward its circuit breaker. */
  private failed(t: EmuTask): void {
    const d = t.deploymentArn ? this.deployments.get(t.deploymentArn) : undefined;
    if (d && d.status === 'IN_PROGRESS' && d.target.revisionArn === t.revision) d.failures++;
    const s = [...this.services.values()].find((x) => x.name === t.serviceName && x.clusterArn === t.clusterArn);
    if (s) this.event(s, `(service ${s.name}) has stopped 1 running tasks: (task ${t.id}). Reason: ${t.stoppedReason}`);
  }

  private event(s: EmuService, message: string): void {
    s.events.unshift({ id: randomUUID(), createdAt: this.clock.now(), message });
    s.events.length = Math.min(s.events.length, 100);
  }

  private running(s: EmuService, revision: string, healthyOnly = false): number {
    return this.tasksOf(s).filter(
      (t) => t.revision === revision && t.lastStatus === 'RUNNING' && (!healthyOnly || t.healthStatus === 'HEALTHY'),
    ).length;
  }

  // ---- the scheduler ----

  private async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      for (const t of this.tasks.values())
        if (
          t.lastStatus === 'PROVISIONING' &&
          t.desiredStatus === 'RUNNING' &&
          !t.starting &&
          this.clock.now() >= t.startAt
        )
          void this.track(this.start(t));
      await this.checkHealth();
      for (const s of this.services.values()) this.reconcile(s);
      this.routeTraffic();
    } finally {
      this.ticking = false;
    }
  }

  private async checkHealth(): Promise<void> {
    const checks: Promise<void>[] = [];
    for (const t of this.tasks.values()) {
      if (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING') continue;
      const s = t.serviceName
        ? [...this.services.values()].find((x) => x.name === t.serviceName && x.clusterArn === t.clusterArn)
        : undefined;
      const withCheck = t.containers.find((c) => c.running);
      const td = this.taskDefinitions.get(t.taskDefinitionArn)!;
      const hasContainerCheck = td.body.containerDefinitions.some((c: Json) => c.healthCheck);
      const tg = s?.loadBalancers[0] ? this.elb.targetGroups.get(t.tg ?? s.loadBalancers[0].targetGroupArn) : undefined;
      checks.push(
        (async () => {
          let healthy: boolean | undefined;
          if (hasContainerCheck && withCheck?.running) {
            const status = await withCheck.running.health();
            healthy = status === 'healthy' ? true : status === 'unhealthy' ? false : undefined;
          } else if (tg && t.port) {
            healthy = await httpOk(t.port, tg.healthCheckPath);
            if (
              !healthy &&
              this.clock.now() - (t.startedAt ?? 0) < Math.min(this.options.healthGraceMs, 2000 * this.clock.scale) &&
              t.healthStatus === 'UNKNOWN'
            )
              healthy = undefined;
          } else healthy = true;
          if (healthy === true) {
            t.healthStatus = 'HEALTHY';
            t.healthFails = 0;
          } else if (healthy === false) {
            t.healthFails++;
            if (t.healthFails >= this.options.unhealthyThreshold) {
              t.healthStatus = 'UNHEALTHY';
              if (s) {
                this.stopTask(
                  t,
                  'ServiceSchedulerInitiated',
                  tg
                    ? `Task failed ELB health checks in (target-group ${tg.arn})`
                    : 'Task failed container health checks',
                );
                this.failed(t);
              }
            }
          } else if (
            t.healthStatus === 'UNKNOWN' &&
            this.clock.now() - (t.startedAt ?? 0) > this.options.healthGraceMs * 4 &&
            tg
          ) {
            // never answered at all
          }
        })(),
      );
    }
    await Promise.all(checks);
  }

  private active(s: EmuService): ServiceDeploymentRecord | undefined {
    return this.deploymentsOf(s)
      .reverse()
      .find((d) => ['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_REQUESTED', 'STOP_REQUESTED'].includes(d.status));
  }

  /** Keeps `count` tasks of a service revision alive, replacing stopped ones. */
  private keep(
    s: EmuService,
    rev: { revisionArn: string; taskDefinition: string },
    count: number,
    d: ServiceDeploymentRecord | undefined,
    tg?: string,
  ): void {
    const alive = this.tasksOf(s).filter((t) => t.revision === rev.revisionArn);
    for (let i = alive.length; i < count; i++) {
      const td = this.taskDefinitions.get(rev.taskDefinition)!;
      this.launch(td, s.clusterArn, {
        group: `service:${s.name}`,
        startedBy: d?.ecsId ?? 'ecs-svc/0',
        serviceName: s.name,
        deploymentArn: d?.arn,
        revision: rev.revisionArn,
        launchType: s.launchType,
        capacityProviderName: s.capacityProviderStrategy?.[0]?.capacityProvider,
        networkConfiguration: s.networkConfiguration,
        startDelayMs: s.startDelayMs,
        tg,
      });
    }
    for (const t of alive.slice(count))
      this.stopTask(t, 'ServiceSchedulerInitiated', 'Scaling activity initiated by (deployment)');
  }

  private stopOthers(s: EmuService, keep: string): void {
    for (const t of this.tasksOf(s).filter((x) => x.revision !== keep))
      this.stopTask(t, 'ServiceSchedulerInitiated', 'Scaling activity initiated by (deployment)');
  }

  private reconcile(s: EmuService): void {
    const d = this.active(s);
    const now = this.clock.now();
    if (!d) {
      this.keep(
        s,
        { revisionArn: s.revisionArn, taskDefinition: s.taskDefinition },
        s.desiredCount,
        undefined,
        s.blueTg,
      );
      this.stopOthers(s, s.revisionArn);
      return;
    }
    d.updatedAt = now;
    const blueGreen = (d.config.strategy ?? 'ROLLING') !== 'ROLLING';
    if (d.status === 'ROLLBACK_REQUESTED') d.status = 'ROLLBACK_IN_PROGRESS';
    if (d.status === 'ROLLBACK_IN_PROGRESS') {
      const source = d.source!;
      this.keep(s, source, s.desiredCount, d, s.blueTg);
      this.stopOthers(s, source.revisionArn);
      if (blueGreen) this.setProduction(s, s.blueTg!, 100);
      if (
        this.running(s, source.revisionArn, true) >= s.desiredCount &&
        this.tasksOf(s).every((t) => t.revision === source.revisionArn)
      ) {
        d.status = 'ROLLBACK_SUCCESSFUL';
        d.finishedAt = now;
        s.taskDefinition = source.taskDefinition;
        s.revisionArn = source.revisionArn;
        this.event(s, `(service ${s.name}) has reached a steady state.`);
      }
      return;
    }
    // Alarms and the circuit breaker, at any stage before clean-up.
    const alarmNames: string[] = d.config.alarms?.alarmNames ?? [];
    if (d.config.alarms?.enable && alarmNames.some((n) => this.alarms.get(n) === 'ALARM')) {
      d.alarmStatus = 'TRIGGERED';
      const fired = alarmNames.filter((n) => this.alarms.get(n) === 'ALARM');
      if (d.config.alarms.rollback) {
        this.startRollback(
          d,
          `Service deployment rolled back because the CloudWatch alarm(s) ${fired.join(', ')} went into ALARM.`,
        );
        return;
      }
      d.status = 'STOPPED';
      d.statusReason = `CloudWatch alarm(s) ${fired.join(', ')} went into ALARM.`;
      return;
    }
    const breaker = d.config.deploymentCircuitBreaker;
    if (breaker?.enable && d.failures >= d.threshold) {
      const reason = `Service deployment rolled back because the circuit breaker threshold was exceeded (${d.failures} tasks failed, threshold ${d.threshold}).`;
      this.event(s, `(service ${s.name}) (deployment ${d.ecsId}) deployment failed: tasks failed to start.`);
      if (breaker.rollback && d.source) {
        this.startRollback(d, reason);
        return;
      }
      d.status = 'STOPPED';
      d.statusReason = `Service deployment stopped because the circuit breaker threshold was exceeded (${d.failures} tasks failed).`;
      d.finishedAt = now;
      return;
    }
    // Lifecycle hooks: hold at a stage until ContinueServiceDeployment (or the hook's timeout).
    const held = d.hooks.find((h) => h.status === 'AWAITING_ACTION');
    if (held) {
      if (held.expiresAt !== undefined && now >= held.expiresAt) {
        held.status = 'TIMED_OUT';
        d.hooks = [];
        d.answeredHooks.add(held.stage);
        if (held.timeoutAction !== 'CONTINUE') {
          this.startRollback(d, `The lifecycle hook at ${held.stage} timed out.`);
          return;
        }
      }
      return;
    }
    const dwell = now - d.stageSince >= this.options.stageMs;
    const advance = (stage: string) => {
      d.stage = stage;
      d.stageSince = now;
      const hook = (d.config.lifecycleHooks ?? []).find(
        (h: Json) => (h.lifecycleStages ?? []).includes(stage) && !d.answeredHooks.has(stage),
      );
      if (hook) {
        const timeout = hook.timeoutConfiguration?.timeoutInMinutes;
        d.hooks = [
          {
            hookId: randomUUID(),
            targetType: hook.targetType,
            targetArn: hook.hookTargetArn,
            status: hook.targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'SUCCEEDED',
            expiresAt: timeout ? now + timeout * 60_000 : undefined,
            timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
            stage,
          },
        ];
        if (hook.targetType !== 'PAUSE') d.answeredHooks.add(stage);
      }
    };
    const target = d.target;
    const greenTg = d.greenTg;
    switch (d.stage) {
      case 'RECONCILE_SERVICE':
        if (dwell) advance('PRE_SCALE_UP');
        return;
      case 'PRE_SCALE_UP':
        if (dwell) advance('SCALE_UP');
        return;
      case 'SCALE_UP':
        this.keep(s, target, s.desiredCount, d, greenTg ?? s.blueTg);
        if (dwell && this.running(s, target.revisionArn, true) >= s.desiredCount) advance('POST_SCALE_UP');
        return;
      case 'POST_SCALE_UP':
        this.keep(s, target, s.desiredCount, d, greenTg ?? s.blueTg);
        if (dwell) advance(blueGreen ? 'TEST_TRAFFIC_SHIFT' : 'CLEAN_UP');
        return;
      case 'TEST_TRAFFIC_SHIFT':
        this.keep(s, target, s.desiredCount, d, greenTg);
        this.elb.setWeights(s.loadBalancers[0].advancedConfiguration.testListenerRule, [
          { TargetGroupArn: greenTg!, Weight: 1 },
        ]);
        if (dwell) advance('POST_TEST_TRAFFIC_SHIFT');
        return;
      case 'POST_TEST_TRAFFIC_SHIFT':
        this.keep(s, target, s.desiredCount, d, greenTg);
        if (dwell) advance('PRODUCTION_TRAFFIC_SHIFT');
        return;
      case 'PRODUCTION_TRAFFIC_SHIFT': {
        this.keep(s, target, s.desiredCount, d, greenTg);
        const strategy = d.config.strategy;
        const steps =
          strategy === 'CANARY'
            ? [d.config.canaryConfiguration?.canaryPercent ?? 10, 100]
            : strategy === 'LINEAR'
              ? linearSteps(d.config.linearConfiguration?.stepPercent ?? 10)
              : [100];
        const bakeMs =
          (strategy === 'CANARY'
            ? (d.config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 0)
            : strategy === 'LINEAR'
              ? (d.config.linearConfiguration?.stepBakeTimeInMinutes ?? 0)
              : 0) * 60_000;
        const percent = steps[Math.min(d.shiftStep, steps.length - 1)];
        this.setProduction(s, greenTg!, percent);
        if (now - d.stageSince >= Math.max(this.options.stageMs, percent < 100 ? bakeMs : 0) * (d.shiftStep + 1)) {
          if (percent >= 100) advance('POST_PRODUCTION_TRAFFIC_SHIFT');
          else d.shiftStep++;
        }
        return;
      }
      case 'POST_PRODUCTION_TRAFFIC_SHIFT':
        if (dwell) advance('BAKE_TIME');
        return;
      case 'BAKE_TIME':
        if (now - d.stageSince >= Math.max(this.options.stageMs, (d.config.bakeTimeInMinutes ?? 0) * 60_000))
          advance('CLEAN_UP');
        return;
      case 'CLEAN_UP':
        this.keep(s, target, s.desiredCount, d, greenTg ?? s.blueTg);
        this.stopOthers(s, target.revisionArn);
        if (dwell) {
          d.status = 'SUCCESSFUL';
          d.finishedAt = now;
          d.alarmStatus = d.alarmStatus === 'MONITORING' ? 'MONITORING_COMPLETE' : d.alarmStatus;
          s.taskDefinition = target.taskDefinition;
          s.revisionArn = d.target.revisionArn;
          if (greenTg) {
            s.blueTg = greenTg;
            this.elb.setWeights(s.loadBalancers[0].advancedConfiguration.testListenerRule, [
              { TargetGroupArn: greenTg, Weight: 1 },
            ]);
          }
          this.event(s, `(service ${s.name}) (deployment ${d.ecsId}) deployment completed.`);
          this.event(s, `(service ${s.name}) has reached a steady state.`);
        }
        return;
    }
  }

  private setProduction(s: EmuService, tg: string, percent: number): void {
    const adv = s.loadBalancers[0]?.advancedConfiguration;
    if (!adv) return;
    const other =
      tg === s.loadBalancers[0].targetGroupArn ? adv.alternateTargetGroupArn : s.loadBalancers[0].targetGroupArn;
    const rule = this.elb.rule(adv.productionListenerRule);
    // A rule switched to a fixed response (maintenance) is left alone, as ECS only rewrites forward actions.
    if (!rule?.Actions.some((a) => a.Type === 'forward')) return;
    this.elb.setWeights(adv.productionListenerRule, [
      { TargetGroupArn: tg, Weight: percent },
      { TargetGroupArn: other, Weight: 100 - percent },
    ]);
  }

  private startRollback(d: ServiceDeploymentRecord, reason: string): void {
    const s = this.services.get(d.serviceArn)!;
    if (!d.source) {
      d.status = 'STOPPED';
      d.statusReason = reason;
      return;
    }
    d.status = 'ROLLBACK_REQUESTED';
    d.statusReason = reason;
    d.hooks = [];
    d.rollback = { reason, startedAt: this.clock.now(), serviceRevisionArn: d.source.revisionArn };
    this.event(
      s,
      `(service ${s.name}) (deployment ${d.ecsId}) deployment failed: ${reason} Rolling back to ${d.source.taskDefinition.split('/').pop()}.`,
    );
  }

  /** Each target group gets the ports of its healthy tasks. */
  private routeTraffic(): void {
    for (const tg of this.elb.targetGroups.values()) tg.targets = [];
    for (const s of this.services.values()) {
      if (!s.loadBalancers[0]) continue;
      for (const t of this.tasksOf(s)) {
        if (t.lastStatus !== 'RUNNING' || t.healthStatus !== 'HEALTHY' || !t.port) continue;
        this.elb.targetGroups.get(t.tg ?? s.loadBalancers[0].targetGroupArn)?.targets.push(t.port);
      }
    }
  }

  // ---- views ----

  private taskDefinitionView(td: TaskDefinitionRecord): Json {
    return {
      ...td.body,
      taskDefinitionArn: td.arn,
      revision: td.revision,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: sec(td.registeredAt),
      registeredBy: `arn:aws:iam::${this.account}:role/deployer`,
    };
  }

  private serviceView(s: EmuService, tags: boolean): Json {
    const tasks = this.tasksOf(s);
    const deployments = this.deploymentsOf(s)
      .filter((d) => d.status !== 'SUCCESSFUL' || d.target.taskDefinition === s.taskDefinition)
      .slice(-2)
      .reverse()
      .map((d, i) => ({
        id: d.ecsId,
        status: i === 0 ? 'PRIMARY' : 'ACTIVE',
        taskDefinition: d.target.taskDefinition,
        desiredCount: s.desiredCount,
        runningCount: tasks.filter((t) => t.revision === d.target.revisionArn && t.lastStatus === 'RUNNING').length,
        pendingCount: tasks.filter((t) => t.revision === d.target.revisionArn && t.lastStatus !== 'RUNNING').length,
        failedTasks: d.failures,
        createdAt: sec(d.createdAt),
        updatedAt: sec(d.updatedAt),
        launchType: s.launchType,
        rolloutState: d.status === 'SUCCESSFUL' ? 'COMPLETED' : d.status === 'IN_PROGRESS' ? 'IN_PROGRESS' : 'FAILED',
        rolloutStateReason: d.statusReason,
      }));
    return {
      serviceArn: s.arn,
      serviceName: s.name,
      clusterArn: s.clusterArn,
      status: s.status,
      taskDefinition: s.taskDefinition,
      desiredCount: s.desiredCount,
      runningCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingCount: tasks.filter((t) => t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING').length,
      launchType: s.launchType,
      capacityProviderStrategy: s.capacityProviderStrategy,
      networkConfiguration: s.networkConfiguration,
      deploymentConfiguration: s.deploymentConfiguration,
      deploymentController: s.deploymentController,
      loadBalancers: s.loadBalancers,
      deployments,
      events: s.events.slice(0, 100).map((e) => ({ ...e, createdAt: sec(e.createdAt) })),
      createdAt: sec(s.createdAt),
      tags: tags ? s.tags : undefined,
    };
  }

  private deploymentView(d: ServiceDeploymentRecord): Json {
    const s = this.services.get(d.serviceArn)!;
    const tasks = this.tasksOf(s);
    const summary = (rev: { revisionArn: string; taskDefinition: string }) => ({
      arn: rev.revisionArn,
      requestedTaskCount: s.desiredCount,
      runningTaskCount: tasks.filter((t) => t.revision === rev.revisionArn && t.lastStatus === 'RUNNING').length,
      pendingTaskCount: tasks.filter((t) => t.revision === rev.revisionArn && t.lastStatus !== 'RUNNING').length,
    });
    return {
      serviceDeploymentArn: d.arn,
      serviceArn: d.serviceArn,
      clusterArn: d.clusterArn,
      createdAt: sec(d.createdAt),
      startedAt: sec(d.startedAt),
      finishedAt: sec(d.finishedAt),
      stoppedAt: sec(d.stoppedAt),
      updatedAt: sec(d.updatedAt),
      sourceServiceRevisions: d.source ? [summary(d.source)] : [],
      targetServiceRevision: summary(d.target),
      status: d.status,
      statusReason: d.statusReason,
      lifecycleStage: d.stage,
      lifecycleHookDetails: d.hooks.map((h) => ({
        hookId: h.hookId,
        targetType: h.targetType,
        targetArn: h.targetArn,
        status: h.status,
        expiresAt: sec(h.expiresAt),
        timeoutAction: h.timeoutAction,
      })),
      deploymentConfiguration: d.config,
      rollback: d.rollback
        ? {
            reason: d.rollback.reason,
            startedAt: sec(d.rollback.startedAt),
            serviceRevisionArn: d.rollback.serviceRevisionArn,
          }
        : undefined,
      deploymentCircuitBreaker: d.config.deploymentCircuitBreaker?.enable
        ? {
            status: d.failures >= d.threshold ? 'TRIGGERED' : 'MONITORING',
            failureCount: d.failures,
            threshold: d.threshold,
          }
        : { status: 'DISABLED', failureCount: d.failures, threshold: d.threshold },
      alarms: d.config.alarms?.enable
        ? {
            status: d.alarmStatus,
            alarmNames: d.config.alarms.alarmNames,
            triggeredAlarmNames: (d.config.alarms.alarmNames as string[]).filter((n) => this.alarms.get(n) === 'ALARM'),
          }
        : { status: 'DISABLED' },
    };
  }

  private taskView(t: EmuTask): Json {
    return {
      taskArn: t.arn,
      clusterArn: t.clusterArn,
      taskDefinitionArn: t.taskDefinitionArn,
      group: t.group,
      startedBy: t.startedBy,
      lastStatus: t.lastStatus,
      desiredStatus: t.desiredStatus,
      healthStatus: t.healthStatus,
      stopCode: t.stopCode,
      stoppedReason: t.stoppedReason,
      launchType: t.launchType,
      capacityProviderName: t.capacityProviderName,
      createdAt: sec(t.createdAt),
      startedAt: sec(t.startedAt),
      stoppingAt: sec(t.stoppingAt),
      stoppedAt: sec(t.stoppedAt),
      overrides: t.overrides ?? { containerOverrides: [] },
      containers: t.containers.map((c) => ({
        name: c.name,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        taskArn: t.arn,
      })),
    };
  }
}

function linearSteps(step: number): number[] {
  const steps: number[] = [];
  for (let p = step; p < 100; p += step) steps.push(p);
  steps.push(100);
  return steps;
}

async function httpOk(port: number, path: string): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      signal: AbortSignal.timeout(1500),
      redirect: 'manual',
    });
    await res.arrayBuffer();
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}
