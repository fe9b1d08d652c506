import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  dockerAvailable,
  imageExists,
  type RevisionInstance,
  removeContainers,
  runTask,
  ServiceProxy,
  StartupError,
  startContainer,
  startStub,
} from './cloudrun-runtime';
import {
  ApiError,
  applyMask,
  type Condition,
  type Container,
  checkContainers,
  checkId,
  checkResources,
  checkMetadata,
  checkTraffic,
  condition,
  envOf,
  etag,
  invalid,
  type Json,
  LATEST,
  notFound,
  page,
  parseDuration,
  payloadError,
  randomName,
  type TrafficTarget,
} from './cloudrun-model';
import { cloudRunSchema } from './google/cloudrun-schema';
import { behaviours, lowerCamel, ProtoJsonError } from './google/proto-json';
import { bearerOf, CLOUD_PLATFORM_SCOPE, type GoogleTokenEmulator, googleError } from './google-oauth';
import { EmulatedClock, type EmulatorRequest, type EmulatorResponse, EmulatorServer, type Fault } from './server';

/**
 * Cloud Run Admin API v2 on 127.0.0.1, held to Google's own definitions: every /v2 request is bound to its rpc by
 * the `google.api.http` rules of the v2 protos shipped in @google-cloud/run, and its body and query parameters
 * are read as proto3 JSON of the request message (./google/proto-json.ts): unknown names and bad enum values
 * are refused with the front end's 400 `Invalid JSON payload received. Unknown name "x" at 'service.template':
 * Cannot find field.`, output-only fields are ignored, and answers are checked against the response message
 * too (an emulator bug that emits a field or enum value Google does not have fails loudly with a 500). On top
 * of the definitions, the rules their comments and Cloud Run's documentation state:
 *   - a failed reconciliation keeps `observedGeneration`, `trafficStatuses` and `latestReadyRevision` at the
 *     last serving state (service.proto, `reconciling`); only `terminalCondition` shows the failure;
 *   - a revision is created only when `template` changes;
 *   - a traffic tag and the service name together have at most 46 characters;
 *   - CPU below 1 needs `cpuIdle: true` and concurrency 1, and memory fits the CPU (cloudrun-model.ts);
 *   - port names are `http1` or `h2c`;
 *   - IAM: getIamPolicy is GET with `options.requestedPolicyVersion`, setIamPolicy a POST whose stale etag is
 *     409 ABORTED; with `domainRestrictedSharing` an `allUsers`/`allAuthenticatedUsers` member is 400
 *     FAILED_PRECONDITION (the iam.allowedPolicyMemberDomains org policy); `invokerIamDisabled` on the service
 *     makes it public without a binding;
 *   - `ingress` is honoured by the service URLs: INGRESS_TRAFFIC_INTERNAL_ONLY and _INTERNAL_LOAD_BALANCER answer
 *     404 to callers from outside (any request without `x-emulator-ingress: internal`, or `load-balancer` for
 *     the latter);
 *   - a job update replaces the whole job (UpdateJobRequest has no update mask): fields not sent are cleared.
 * Lost answers: `loseAnswer('services.create' | 'services.patch' | 'jobs.create' | 'jobs.run' | 'setIamPolicy',
 * 'reset' | 'timeout')` performs the next such call and then resets the connection or never answers.
 *
 * Surface (the REST reference, https://cloud.google.com/run/docs/reference/rest/v2): services
 * (get/list/create/patch with updateMask, allowMissing, validateOnly, etag; delete; get/setIamPolicy with etag),
 * revisions (get/list, paged), long-running operations (get, :wait), jobs (get/list/create/patch/delete, :run with
 * overrides) and executions (get/list, :cancel). Errors are Google's `{error:{code,message,status,details}}`;
 * every /v2 call needs `Authorization: Bearer` with a token the GoogleTokenEmulator accepts for the
 * cloud-platform scope (401/403 otherwise). JSON is proto3's: int64 fields are strings, and fields at their
 * default (false, 0, empty list) are left out, so `reconciling` is absent once a deploy settles and an operation
 * in progress has no `done`. Generated revision names are `<service>-<5-digit template generation>-<3 random>`.
 *
 * Behind it, revisions really run: with Docker (default when a docker client is on PATH and the daemon's socket exists)
 * each revision's image runs as a container (`--network host`, PORT = a free loopback port, whatever
 * `containerPort` says; env from the revision plus K_SERVICE/K_REVISION/K_CONFIGURATION) and is Ready only when
 * its startup probe passes (TCP connect, or `startupProbe.httpGet.path` answering 2xx); a container that exits or
 * never listens fails the revision with HEALTH_CHECK_CONTAINER_ERROR, an image that is neither in the engine nor
 * pullable from a loopback registry (127.0.0.1:5000) with CONTAINER_MISSING. Only the ingress container runs.
 * Without Docker (`containers: false`) a stub answers instead (paths containing "health" answer the revision's
 * HEALTH_STATUS env, default 200; bodies are `{"status","revision","version"}` like the example app's health).
 * Each service gets a proxy on 127.0.0.1 whose URL is the service `uri`: every request goes to a revision picked
 * at random by the traffic split; each traffic tag gets a port of its own, its `trafficStatuses[].uri`. With
 * `requireInvoker`, service URLs answer 403 unless allUsers holds roles/run.invoker or the caller sends a bearer
 * token the GoogleTokenEmulator accepts (standing in for an ID token). Job tasks run their image with the overrides as containers to
 * exit (exit 0 succeeds, else NON_ZERO_EXIT_CODE after `maxRetries`, default 3); their output is at the
 * execution's `logUri` (plain text, this server), as a revision's container output is at the revision's.
 * A failed execution ends its :run operation with an `error` (metadata still holds the Execution).
 *
 * Time: delays are emulated milliseconds on an EmulatedClock (`scale` emulated ms per real ms); containers run
 * in real time (a task's timeout applies to it unscaled). A deploy's operation finishes after `readyDelayMs`
 * and the startup probe, whichever is later.
 *
 * API:
 *   const run = new CloudRunEmulator({ tokens, scale: 100, readyDelayMs: 10_000, containers: false });
 *   await run.start();            // base URL for the client (instead of https://run.googleapis.com)
 *   run.serviceUrls('proj', 'us-central1', 'api') // { url, tags: { canary: 'http://127.0.0.1:…' } }
 *   run.getService('proj', 'us-central1', 'api')  // what services.get answers, for assertions
 *   run.failNextRevision('HEALTH_CHECK_CONTAINER_ERROR' | 'CONTAINER_MISSING' | …, message?)
 *   run.failNextOperation(message?, code?)            // next operation ends with `error` (default 13 INTERNAL)
 *   run.nextExecution({ exitCode?, durationSeconds? }) // next job execution is simulated: each task attempt
 *                                  // takes durationSeconds (emulated; past the task timeout it times out) and exits with exitCode
 *   run.setSecret('db-password', 'value', version?)   // for env valueSource.secretKeyRef (unknown ones fail the revision)
 *   run.server.inject({ status: 429, headers: { 'retry-after': '1' } }) // faults, request log, counts
 *   run.containerLabel             // `key=value` docker label on each of its containers
 *   await run.close();             // stops every container and proxy it started
 */

export interface CloudRunEmulatorOptions {
  /** Checks bearer tokens; without it any bearer token passes (a missing one is still 401). */
  tokens?: GoogleTokenEmulator;
  /** Emulated ms per real ms (ignored when `clock` is given). Default 1. */
  scale?: number;
  clock?: EmulatedClock;
  /** Emulated ms from a deploy request to a Ready revision (at least; a container must also pass its probe). Default 10 000. */
  readyDelayMs?: number;
  /** Run revisions and job tasks as Docker containers. Default: when Docker is present. */
  containers?: boolean;
  /** Real ms a container has to start listening. Default 20 000. */
  startupTimeoutMs?: number;
  /** Emulated ms a simulated (containerless) job task takes. Default 5 000. */
  taskDurationMs?: number;
  /** Service URLs answer 403 unless allUsers has roles/run.invoker or the caller sends a valid bearer token. Default false. */
  requireInvoker?: boolean;
  /** Source of randomness for traffic routing and name suffixes (default Math.random). */
  random?: () => number;
  /**
   * The Domain Restricted Sharing org policy (constraints/iam.allowedPolicyMemberDomains) is in force:
   * setIamPolicy refuses `allUsers` and `allAuthenticatedUsers`.
   */
  domainRestrictedSharing?: boolean;
  /**
   * Print the reason of a condition that has none as its enum default, `COMMON_REASON_UNDEFINED` (valid proto3
   * JSON, which may print defaults), so a client that filters `*_UNSPECIFIED` instead of the protos'
   * `*_UNDEFINED` defaults shows up. Default false (defaults left out).
   */
  printDefaultReasons?: boolean;
}

/** Calls that create something, whose answer `loseAnswer` can drop after they took effect. */
export type CreateLikeCall = 'services.create' | 'services.patch' | 'jobs.create' | 'jobs.run' | 'setIamPolicy';
const CREATE_LIKE: Record<CreateLikeCall, Pick<Fault, 'method' | 'path'>> = {
  'services.create': { method: 'POST', path: /\/services$/ },
  'services.patch': { method: 'PATCH', path: /\/services\/[^/:]+$/ },
  'jobs.create': { method: 'POST', path: /\/jobs$/ },
  'jobs.run': { method: 'POST', path: /\/jobs\/[^/:]+:run$/ },
  setIamPolicy: { method: 'POST', path: /:setIamPolicy$/ },
};
const SERVICE_MESSAGE = 'google.cloud.run.v2.Service';
const conditionEnum = (name: string) => cloudRunSchema().root.lookupEnum(`google.cloud.run.v2.Condition.${name}`);
/** A reason that goes in a revision condition's `revisionReason` (else it is a CommonReason, in `reason`). */
const isRevisionReason = (reason: string) => reason in conditionEnum('RevisionReason').values;
const JOB_MESSAGE = 'google.cloud.run.v2.Job';

interface Operation {
  name: string;
  metadata: Json;
  done: boolean;
  error?: { code: number; message: string };
  response?: Json;
  waiters: (() => void)[];
  forcedError?: { code: number; message: string };
}

interface ServiceRecord {
  name: string;
  id: string;
  project: string;
  location: string;
  uid: string;
  spec: Json;
  generation: number;
  /** Template changes so far: the number in generated revision names (Knative's configuration generation). */
  configGeneration: number;
  observedGeneration: number;
  createTime: string;
  updateTime: string;
  etag: string;
  conditions: Condition[];
  terminalCondition: Condition;
  latestReadyRevision?: string;
  latestCreatedRevision?: string;
  trafficStatuses: Json[];
  reconciling: boolean;
  proxy: ServiceProxy;
  policy: { version: number; etag: string; bindings: Json[] };
  revisions: RevisionRecord[];
}

interface RevisionRecord {
  id: string;
  name: string;
  uid: string;
  service: ServiceRecord;
  template: Json;
  createTime: string;
  updateTime: string;
  conditions: Condition[];
  reconciling: boolean;
  etag: string;
  state: 'pending' | 'ready' | 'failed';
  instance?: RevisionInstance;
  /** Output of a container that failed, kept after it is removed. */
  savedLogs?: string;
}

interface JobRecord {
  name: string;
  id: string;
  uid: string;
  spec: Json;
  generation: number;
  observedGeneration: number;
  createTime: string;
  updateTime: string;
  etag: string;
  conditions: Condition[];
  terminalCondition: Condition;
  reconciling: boolean;
  executions: ExecutionRecord[];
  latestCreatedExecution?: Json;
}

interface ExecutionRecord {
  name: string;
  id: string;
  uid: string;
  job: JobRecord;
  template: Json;
  taskCount: number;
  parallelism: number;
  createTime: string;
  startTime?: string;
  completionTime?: string;
  updateTime: string;
  conditions: Condition[];
  reconciling: boolean;
  runningCount: number;
  succeededCount: number;
  failedCount: number;
  retriedCount: number;
  cancelledCount: number;
  logs: string;
  etag: string;
  abort: AbortController;
  /** Task containers running now. */
  containers: Set<string>;
  cancelOperations: Operation[];
}

interface ExecutionHook {
  exitCode?: number;
  durationSeconds?: number;
}

const P = '^/v2/projects/([^/]+)/locations/([^/]+)';
const SERVICE_TYPE = 'type.googleapis.com/google.cloud.run.v2.Service';
const JOB_TYPE = 'type.googleapis.com/google.cloud.run.v2.Job';
const EXECUTION_TYPE = 'type.googleapis.com/google.cloud.run.v2.Execution';
const EMULATOR_ACCOUNT = 'deployer@emulated.iam.gserviceaccount.com';

export class CloudRunEmulator {
  readonly server = new EmulatorServer();
  readonly clock: EmulatedClock;
  /** Docker label (`key=value`) on every container this emulator starts: `docker ps --filter label=…`. */
  readonly containerLabel = `deploy-actions.cloudrun-emulator=${randomUUID()}`;
  private readonly services = new Map<string, ServiceRecord>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly operations = new Map<string, Operation>();
  private readonly secrets = new Map<string, string>();
  /** Every revision container or stub started, deleted services' included, for close(). */
  private readonly instances = new Set<RevisionInstance>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly containers: boolean;
  private readonly readyDelayMs: number;
  private readonly startupTimeoutMs: number;
  private readonly taskDurationMs: number;
  private readonly random: () => number;
  private revisionFailure?: { reason: string; message?: string };
  private operationFailure?: { code: number; message: string };
  private executionHook?: ExecutionHook;
  private closed = false;

  constructor(private readonly options: CloudRunEmulatorOptions = {}) {
    this.clock = options.clock ?? new EmulatedClock(options.scale ?? 1);
    this.containers = options.containers ?? dockerAvailable();
    this.readyDelayMs = options.readyDelayMs ?? 10_000;
    this.startupTimeoutMs = options.startupTimeoutMs ?? 20_000;
    this.taskDurationMs = options.taskDurationMs ?? 5_000;
    this.random = options.random ?? Math.random;
    const id = '([^/:]+)';
    this.api('GET', `${P}/services$`, (r, p, l) => this.listServices(r, p, l));
    this.api('POST', `${P}/services$`, (r, p, l) => this.createService(r, p, l));
    this.api('GET', `${P}/services/${id}$`, (_, p, l, s) => this.serviceJson(this.service(p, l, s)));
    this.api('PATCH', `${P}/services/${id}$`, (r, p, l, s) => this.patchService(r, p, l, s));
    this.api('DELETE', `${P}/services/${id}$`, (_, p, l, s) => this.deleteService(p, l, s));
    this.api('GET', `${P}/services/${id}:getIamPolicy$`, (_, p, l, s) => this.service(p, l, s).policy);
    this.api('POST', `${P}/services/${id}:setIamPolicy$`, (r, p, l, s) => this.setIamPolicy(r, this.service(p, l, s)));
    this.api('GET', `${P}/services/${id}/revisions$`, (r, p, l, s) => {
      const { items, nextPageToken } = page([...this.service(p, l, s).revisions].reverse(), r.query);
      return { revisions: items.map((rev) => this.revisionJson(rev)), nextPageToken };
    });
    this.api('GET', `${P}/services/${id}/revisions/${id}$`, (_, p, l, s, rev) =>
      this.revisionJson(this.revision(p, l, s, rev)),
    );
    this.api('GET', `${P}/operations/${id}$`, (_, p, l, o) => this.operationJson(this.operation(p, l, o)));
    this.api('POST', `${P}/operations/${id}:wait$`, (r, p, l, o) => this.waitOperation(r, this.operation(p, l, o)));
    this.api('GET', `${P}/jobs$`, (r, p, l) => {
      const { items, nextPageToken } = page(this.listOf(this.jobs, p, l), r.query);
      return { jobs: items.map((j) => this.jobJson(j)), nextPageToken };
    });
    this.api('POST', `${P}/jobs$`, (r, p, l) => this.createJob(r, p, l));
    this.api('GET', `${P}/jobs/${id}$`, (_, p, l, j) => this.jobJson(this.job(p, l, j)));
    this.api('PATCH', `${P}/jobs/${id}$`, (r, p, l, j) => this.patchJob(r, p, l, j));
    this.api('DELETE', `${P}/jobs/${id}$`, (_, p, l, j) => this.deleteJob(p, l, j));
    this.api('POST', `${P}/jobs/${id}:run$`, (r, p, l, j) => this.runJob(r, this.job(p, l, j)));
    this.api('GET', `${P}/jobs/${id}/executions$`, (r, p, l, j) => {
      const { items, nextPageToken } = page([...this.job(p, l, j).executions].reverse(), r.query);
      return { executions: items.map((e) => this.executionJson(e)), nextPageToken };
    });
    this.api('POST', `${P}/jobs/${id}/executions/${id}:cancel$`, (_, p, l, j, e) =>
      this.cancelExecution(this.execution(p, l, j, e)),
    );
    this.api('GET', `${P}/jobs/${id}/executions/${id}$`, (_, p, l, j, e) =>
      this.executionJson(this.execution(p, l, j, e)),
    );
    this.server.route('GET', /^\/logs\/(.+)$/, (req) => this.logs(req.params[0]));
  }

  get url(): string {
    return this.server.url;
  }

  start(): Promise<string> {
    return this.server.listen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const { resolve } of [...this.timers]) resolve();
    for (const job of this.jobs.values()) for (const exec of job.executions) exec.abort.abort();
    for (const op of this.operations.values()) for (const wake of op.waiters.splice(0)) wake();
    const services = [...this.services.values()];
    await Promise.all([
      ...[...this.instances].map((instance) => instance.stop()),
      ...services.map((s) => s.proxy.close()),
      removeContainers([...this.jobs.values()].flatMap((j) => j.executions.flatMap((e) => [...e.containers]))),
    ]);
    await this.server.close();
  }

  // ---- test hooks ----

  /**
   * The next revision created fails to become ready with this reason: a RevisionReason (HEALTH_CHECK_CONTAINER_ERROR,
   * …, in the condition's `revisionReason`) or a CommonReason (CONTAINER_MISSING, …, in `reason`) of condition.proto.
   */
  failNextRevision(reason = 'HEALTH_CHECK_CONTAINER_ERROR', message?: string): void {
    if (!isRevisionReason(reason) && !(reason in conditionEnum('CommonReason').values))
      throw new Error(`${reason} is neither a RevisionReason nor a CommonReason of google.cloud.run.v2.Condition`);
    this.revisionFailure = { reason, message };
  }

  /** The next long-running operation started ends with this error (google.rpc.Status code; default 13 INTERNAL). */
  failNextOperation(message = 'Internal error encountered.', code = 13): void {
    this.operationFailure = { code, message };
  }

  /** The next job execution: every task exits with `exitCode` (no container runs), and/or takes `durationSeconds` longer. */
  nextExecution(hook: ExecutionHook): void {
    this.executionHook = hook;
  }

  /**
   * The next call of this kind takes effect and then loses its answer: the connection is reset, or never
   * answered ('timeout', until the client gives up), so a client's reconcile-by-reading path can be tested.
   */
  loseAnswer(call: CreateLikeCall, how: 'reset' | 'timeout' = 'reset'): void {
    this.server.inject({ ...CREATE_LIKE[call], lostAnswer: how });
  }

  /** A Secret Manager value for env `valueSource.secretKeyRef` (unknown secrets fail the revision). */
  setSecret(secret: string, value: string, version = 'latest'): void {
    this.secrets.set(`${secret.split('/').pop()}@${version}`, value);
  }

  /** The service URL and each tag's URL as they route now. */
  serviceUrls(project: string, location: string, service: string): { url: string; tags: Record<string, string> } {
    const svc = this.service(project, location, service);
    const tags = Object.fromEntries(svc.trafficStatuses.filter((t) => t.tag && t.uri).map((t) => [t.tag, t.uri]));
    return { url: svc.proxy.url, tags };
  }

  /** The API's view of a service (what services.get returns), for assertions. */
  getService(project: string, location: string, service: string): Json {
    return this.serviceJson(this.service(project, location, service));
  }

  // ---- plumbing ----

  private api(
    method: string,
    pattern: string,
    handler: (req: EmulatorRequest, ...params: string[]) => unknown | Promise<unknown>,
  ): void {
    this.server.route(method, new RegExp(pattern), async (req) => {
      const denied = this.authenticate(req);
      if (denied) return denied;
      try {
        const { request, check } = this.bindRequest(req);
        let body = await handler(request, ...req.params);
        if (this.options.printDefaultReasons) {
          body = structuredClone(body); // the answer may share objects with the emulator's state
          withDefaultReasons(body);
        }
        check(body);
        return { status: 200, body };
      } catch (error) {
        if (error instanceof ApiError) return error.response();
        throw error;
      }
    });
  }

  /**
   * Binds a request to its rpc and reads it as the protos define it: the canonical body replaces the raw one
   * (output-only fields dropped, one spelling of names). `check` holds an answer to the response message.
   */
  private bindRequest(req: EmulatorRequest): { request: EmulatorRequest; check: (body: unknown) => void } {
    const schema = cloudRunSchema();
    const binding = schema.bind(req.method, req.path);
    if (!binding) throw new ApiError(404, 'NOT_FOUND', `The requested URL ${req.path} was not found on this server.`);
    let raw: unknown;
    try {
      raw = req.body.length ? JSON.parse(req.body.toString('utf8')) : undefined;
    } catch {
      throw payloadError([{ field: '', description: 'Invalid JSON payload received. Unexpected token.' }]);
    }
    let body: Json;
    try {
      body = schema.checkRequest(binding, raw, req.query);
    } catch (error) {
      if (error instanceof ProtoJsonError) throw payloadError(error.violations);
      throw error;
    }
    const response = binding.method.responseType;
    const check = (answer: unknown) => {
      try {
        schema.parse(response, answer);
      } catch (error) {
        if (!(error instanceof ProtoJsonError)) throw error;
        throw new Error(`emulator answer is not a valid ${response}: ${error.message}`);
      }
    };
    return { request: { ...req, json: <T>() => structuredClone(body) as T }, check };
  }

  /** Top-level fields of a resource that a client sets (not output only, not the name or etag). */
  private static settable(message: string): string[] {
    return cloudRunSchema()
      .root.lookupType(message)
      .fieldsArray.filter((f) => !behaviours(f).includes('OUTPUT_ONLY') && f.name !== 'name' && f.name !== 'etag')
      .map((f) => lowerCamel(f.name));
  }

  private authenticate(req: EmulatorRequest): EmulatorResponse | undefined {
    const token = bearerOf(req);
    const { tokens } = this.options;
    if (!token || (tokens && !tokens.isValid(token)))
      return googleError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
      );
    if (tokens && !tokens.isValid(token, CLOUD_PLATFORM_SCOPE))
      return googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.');
    return undefined;
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Waits emulated milliseconds; resolves early when the emulator closes or `signal` aborts. */
  private sleep(emulatedMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(entry.timer);
        this.timers.delete(entry);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const entry = { timer: setTimeout(done, emulatedMs / this.clock.scale), resolve: done };
      this.timers.add(entry);
      signal?.addEventListener('abort', done);
    });
  }

  private listOf<T extends { name: string }>(map: Map<string, T>, project: string, location: string): T[] {
    const prefix = `projects/${project}/locations/${location}/`;
    return [...map.values()].filter((item) => item.name.startsWith(prefix));
  }

  private service(project: string, location: string, id: string): ServiceRecord {
    const name = `projects/${project}/locations/${location}/services/${id}`;
    const svc = this.services.get(name);
    if (!svc) throw notFound('SERVICE', name);
    return svc;
  }

  private revision(project: string, location: string, service: string, id: string): RevisionRecord {
    const svc = this.service(project, location, service);
    const rev = svc.revisions.find((r) => r.id === id);
    if (!rev) throw notFound('REVISION', `${svc.name}/revisions/${id}`);
    return rev;
  }

  private job(project: string, location: string, id: string): JobRecord {
    const name = `projects/${project}/locations/${location}/jobs/${id}`;
    const job = this.jobs.get(name);
    if (!job) throw notFound('JOB', name);
    return job;
  }

  private execution(project: string, location: string, job: string, id: string): ExecutionRecord {
    const record = this.job(project, location, job).executions.find((e) => e.id === id);
    if (!record) throw notFound('EXECUTION', `projects/${project}/locations/${location}/jobs/${job}/executions/${id}`);
    return record;
  }

  private operation(project: string, location: string, id: string): Operation {
    const name = `projects/${project}/locations/${location}/operations/${id}`;
    const op = this.operations.get(name);
    if (!op) throw notFound('OPERATION', name);
    return op;
  }

  private newOperation(project: string, location: string, metadata: Json): Operation {
    const op: Operation = {
      name: `projects/${project}/locations/${location}/operations/${randomUUID()}`,
      metadata,
      done: false,
      waiters: [],
      forcedError: this.operationFailure,
    };
    this.operationFailure = undefined;
    this.operations.set(op.name, op);
    return op;
  }

  private finish(op: Operation, outcome: { response?: Json; error?: { code: number; message: string } }): void {
    op.done = true;
    if (outcome.error) op.error = outcome.error;
    else op.response = outcome.response;
    for (const wake of op.waiters.splice(0)) wake();
  }

  /** A validateOnly request's answer: a finished operation that nothing stores. */
  private validated(project: string, location: string, response: Json): Json {
    const name = `projects/${project}/locations/${location}/operations/${randomUUID()}`;
    return { name, metadata: { '@type': response['@type'], name: response.name }, done: true, response };
  }

  private operationJson(op: Operation): Json {
    return prune({ name: op.name, metadata: op.metadata, done: op.done, error: op.error, response: op.response });
  }

  private async waitOperation(req: EmulatorRequest, op: Operation): Promise<Json> {
    const timeout = parseDuration(req.json().timeout, 120_000);
    if (!op.done) await Promise.race([new Promise<void>((resolve) => op.waiters.push(resolve)), this.sleep(timeout)]);
    return this.operationJson(op);
  }

  private async logs(name: string): Promise<EmulatorResponse> {
    for (const svc of this.services.values()) {
      const rev = svc.revisions.find((r) => r.name === name);
      if (rev)
        return {
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: rev.savedLogs ?? (await rev.instance?.logs()) ?? '',
        };
    }
    for (const job of this.jobs.values()) {
      const exec = job.executions.find((e) => e.name === name);
      if (exec) return { status: 200, headers: { 'content-type': 'text/plain' }, body: exec.logs };
    }
    return { status: 404, body: 'no logs for that resource\n' };
  }

  // ---- services ----

  private listServices(req: EmulatorRequest, project: string, location: string): Json {
    const { items, nextPageToken } = page(this.listOf(this.services, project, location), req.query);
    return { services: items.map((s) => this.serviceJson(s)), nextPageToken };
  }

  private checkService(spec: Json, serviceId: string, known: (revision: string) => boolean): Json {
    checkMetadata('service.labels', spec.labels);
    checkMetadata('service.annotations', spec.annotations);
    const template = (spec.template ?? {}) as Json;
    checkMetadata('service.template.labels', template.labels);
    checkMetadata('service.template.annotations', template.annotations);
    checkContainers('service.template.containers', template.containers, true);
    checkResources('service.template', template);
    const revision = template.revision as string | undefined;
    if (revision !== undefined && revision !== '') {
      if (
        !revision.startsWith(`${serviceId}-`) ||
        !/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(revision) ||
        revision.length > 63
      )
        throw invalid(
          'service.template.revision',
          `Revision name must be prefixed by the service name '${serviceId}-', lowercase, at most 63 characters.`,
        );
    }
    const traffic = checkTraffic(spec.traffic, (r) => known(r) || r === revision, serviceId);
    return { ...spec, template, traffic: traffic.length ? traffic : [{ type: LATEST, percent: 100 }] };
  }

  private async createService(req: EmulatorRequest, project: string, location: string): Promise<Json> {
    const id = checkId('service_id', req.query.get('serviceId'), 50);
    return this.upsertService(req, project, location, id, true);
  }

  private async patchService(req: EmulatorRequest, project: string, location: string, id: string): Promise<Json> {
    const name = `projects/${project}/locations/${location}/services/${id}`;
    if (!this.services.has(name)) {
      if (req.query.get('allowMissing') !== 'true') throw notFound('SERVICE', name);
      checkId('service.name', id, 50);
      return this.upsertService(req, project, location, id, true);
    }
    return this.upsertService(req, project, location, id, false);
  }

  private async upsertService(
    req: EmulatorRequest,
    project: string,
    location: string,
    id: string,
    create: boolean,
  ): Promise<Json> {
    const name = `projects/${project}/locations/${location}/services/${id}`;
    const body = req.json();
    if (body.name && body.name !== name && create && req.method === 'POST')
      throw invalid('service.name', 'must be empty on create (the name comes from service_id).');
    const existing = this.services.get(name);
    if (create && existing) throw new ApiError(409, 'ALREADY_EXISTS', `Resource '${id}' already exists.`);
    if (existing && body.etag && body.etag !== existing.etag)
      throw new ApiError(
        409,
        'ABORTED',
        'The etag does not match the current version of the service; read it again and retry.',
      );
    const mask = create ? null : req.query.get('updateMask');
    const merged = applyMask(existing?.spec ?? {}, body, mask, CloudRunEmulator.settable(SERVICE_MESSAGE));
    const spec = this.checkService(
      merged,
      id,
      (r) => existing?.revisions.some((x) => x.id === r && x.state !== 'failed') ?? false,
    );
    const template = spec.template as Json;
    const templateChanged = !existing || stable(template) !== stable(existing.spec.template);
    if (templateChanged && template.revision && existing?.revisions.some((r) => r.id === template.revision))
      throw new ApiError(
        409,
        'ALREADY_EXISTS',
        `Revision named '${template.revision}' with different configuration already exists.`,
      );
    const at = this.now();
    if (req.query.get('validateOnly') === 'true') {
      const response = { '@type': SERVICE_TYPE, name, ...spec, generation: String((existing?.generation ?? 0) + 1) };
      return this.validated(project, location, response);
    }

    let svc = existing;
    if (!svc) {
      const proxy = new ServiceProxy(this.random, (request) => this.refusal(name, request.headers));
      await proxy.start();
      svc = {
        name,
        id,
        project,
        location,
        uid: randomUUID(),
        spec,
        generation: 0,
        configGeneration: 0,
        observedGeneration: 0,
        createTime: at,
        updateTime: at,
        etag: etag(),
        conditions: [],
        terminalCondition: condition('Ready', 'CONDITION_RECONCILING', at),
        trafficStatuses: [],
        reconciling: true,
        proxy,
        policy: { version: 1, etag: Buffer.from(randomUUID()).toString('base64').slice(0, 12), bindings: [] },
        revisions: [],
      };
      this.services.set(name, svc);
    }
    svc.spec = spec;
    svc.generation++;
    svc.updateTime = at;
    svc.etag = etag();
    svc.reconciling = true;
    svc.terminalCondition = condition('Ready', 'CONDITION_RECONCILING', at);
    svc.conditions = [
      condition('RoutesReady', 'CONDITION_RECONCILING', at),
      condition('ConfigurationsReady', templateChanged ? 'CONDITION_RECONCILING' : 'CONDITION_SUCCEEDED', at),
    ];
    if (templateChanged) svc.configGeneration++;
    const revision = templateChanged ? this.createRevision(svc, template, at) : undefined;
    const op = this.newOperation(project, location, { '@type': SERVICE_TYPE, ...this.serviceJson(svc) });
    void this.reconcile(svc, svc.generation, op, revision);
    return this.operationJson(op);
  }

  private createRevision(svc: ServiceRecord, template: Json, at: string): RevisionRecord {
    const id =
      (template.revision as string) ||
      `${svc.id}-${String(svc.configGeneration).padStart(5, '0')}-${randomName(3, this.random)}`;
    const rev: RevisionRecord = {
      id,
      name: `${svc.name}/revisions/${id}`,
      uid: randomUUID(),
      service: svc,
      template: structuredClone(template),
      createTime: at,
      updateTime: at,
      conditions: [
        condition('Ready', 'CONDITION_RECONCILING', at),
        condition('ResourcesAvailable', 'CONDITION_RECONCILING', at),
        condition('ContainerHealthy', 'CONDITION_RECONCILING', at),
      ],
      reconciling: true,
      etag: etag(),
      state: 'pending',
    };
    svc.revisions.push(rev);
    svc.latestCreatedRevision = rev.name;
    return rev;
  }

  /** Brings a revision up (container or stub), then routes traffic; finishes the deploy's operation. */
  private async reconcile(svc: ServiceRecord, generation: number, op: Operation, rev?: RevisionRecord): Promise<void> {
    let failure: { reason: string; message: string } | undefined;
    if (rev) {
      const forced = this.revisionFailure;
      this.revisionFailure = undefined;
      failure = await this.bringUp(rev, forced);
    } else await this.sleep(this.readyDelayMs / 10);
    if (this.closed) return;
    const at = this.now();
    if (rev) this.settleRevision(rev, failure, at);
    if (svc.generation !== generation) {
      // A newer deploy took over; this operation ends with what its own revision became, and a settled
      // service sends its LATEST traffic to this revision if it is now the newest ready one.
      if (!failure && !svc.reconciling && svc.terminalCondition.state === 'CONDITION_SUCCEEDED') await this.route(svc);
      this.finish(
        op,
        failure ? { error: { code: 9, message: failure.message } } : { response: this.serviceResponse(svc) },
      );
      return;
    }
    // A failed reconciliation leaves observedGeneration, trafficStatuses and latestReadyRevision at the last
    // serving state (service.proto, `reconciling`); only success moves them.
    svc.reconciling = false;
    svc.updateTime = at;
    svc.etag = etag();
    if (op.forcedError) {
      svc.terminalCondition = condition('Ready', 'CONDITION_FAILED', at, {
        reason: 'INTERNAL',
        message: op.forcedError.message,
        severity: 'ERROR',
      });
      this.finish(op, { error: op.forcedError });
      return;
    }
    if (failure) {
      const message = `Revision '${rev!.id}' is not ready and cannot serve traffic. ${failure.message}`;
      const reason = isRevisionReason(failure.reason) ? 'REVISION_FAILED' : failure.reason;
      svc.conditions = [
        svc.latestReadyRevision
          ? condition('RoutesReady', 'CONDITION_SUCCEEDED', at)
          : condition('RoutesReady', 'CONDITION_FAILED', at, { reason: 'REVISION_FAILED', message, severity: 'ERROR' }),
        condition('ConfigurationsReady', 'CONDITION_FAILED', at, { reason, message, severity: 'ERROR' }),
      ];
      svc.terminalCondition = condition('Ready', 'CONDITION_FAILED', at, { reason, message, severity: 'ERROR' });
      this.finish(op, { error: { code: 9, message } });
      return;
    }
    const unroutable = await this.route(svc);
    const configured = condition('ConfigurationsReady', 'CONDITION_SUCCEEDED', at);
    if (unroutable) {
      const message = `Revision '${unroutable}' is not ready and cannot serve traffic.`;
      svc.conditions = [
        condition('RoutesReady', 'CONDITION_FAILED', at, { reason: 'REVISION_FAILED', message, severity: 'ERROR' }),
        configured,
      ];
      svc.terminalCondition = condition('Ready', 'CONDITION_FAILED', at, {
        reason: 'REVISION_FAILED',
        message,
        severity: 'ERROR',
      });
      this.finish(op, { error: { code: 9, message } });
      return;
    }
    svc.observedGeneration = generation;
    svc.conditions = [condition('RoutesReady', 'CONDITION_SUCCEEDED', at), configured];
    svc.terminalCondition = condition('Ready', 'CONDITION_SUCCEEDED', at);
    this.finish(op, { response: this.serviceResponse(svc) });
  }

  private async bringUp(
    rev: RevisionRecord,
    forced?: { reason: string; message?: string },
  ): Promise<{ reason: string; message: string } | undefined> {
    const delay = this.sleep(this.readyDelayMs);
    const containers = rev.template.containers as Container[];
    const ingress = containers.find((c) => c.ports?.length) ?? containers[0];
    let env: Record<string, string>;
    try {
      env = envOf(ingress, this.secretValue(rev.service.project));
    } catch (error) {
      await delay;
      return { reason: 'SECRETS_ACCESS_CHECK_FAILED', message: (error as Error).message };
    }
    Object.assign(env, { K_SERVICE: rev.service.id, K_REVISION: rev.id, K_CONFIGURATION: rev.service.id });
    if (forced) {
      await delay;
      return {
        reason: forced.reason,
        message:
          forced.message ??
          (forced.reason === 'CONTAINER_MISSING'
            ? `Image '${ingress.image}' not found.`
            : `The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable within the allocated timeout. Logs URL: ${this.url}/logs/${rev.name}`),
      };
    }
    rev.instance = this.containers
      ? await startContainer({
          spec: {
            image: ingress.image!,
            command: ingress.command,
            args: ingress.args,
            env,
            label: this.containerLabel,
          },
          probePath: ingress.startupProbe?.httpGet?.path,
          startupTimeoutMs: this.startupTimeoutMs,
          isClosed: () => this.closed,
        })
      : await startStub(rev.id, env);
    this.instances.add(rev.instance);
    if (this.closed) await rev.instance.stop(); // close() ran while it was starting
    try {
      await Promise.all([delay, rev.instance.ready]);
      return undefined;
    } catch (error) {
      await delay;
      const reason = error instanceof StartupError ? error.reason : 'HEALTH_CHECK_CONTAINER_ERROR';
      rev.savedLogs = await rev.instance.logs();
      await rev.instance.stop();
      return { reason, message: `${(error as Error).message} Logs URL: ${this.url}/logs/${rev.name}` };
    }
  }

  /** Resolves secretKeyRef values; an unknown secret throws the message Cloud Run gives. */
  private secretValue(project: string): (secret: string, version: string) => string {
    return (secret, version) => {
      const value = this.secrets.get(`${secret.split('/').pop()}@${version}`);
      if (value !== undefined) return value;
      const name = `projects/${project}/secrets/${secret.split('/').pop()}/versions/${version}`;
      throw new Error(
        `Permission denied on secret: ${name} for service account ${EMULATOR_ACCOUNT}. The service account used must be granted the 'Secret Manager Secret Accessor' role (roles/secretmanager.secretAccessor) at the secret, project or higher level.`,
      );
    };
  }

  private settleRevision(
    rev: RevisionRecord,
    failure: { reason: string; message: string } | undefined,
    at: string,
  ): void {
    rev.reconciling = false;
    rev.updateTime = at;
    rev.etag = etag();
    if (!failure) {
      rev.state = 'ready';
      rev.conditions = ['Ready', 'ResourcesAvailable', 'ContainerHealthy'].map((type) =>
        condition(type, 'CONDITION_SUCCEEDED', at),
      );
      const current = rev.service.revisions.findIndex((r) => r.name === rev.service.latestReadyRevision);
      if (rev.service.revisions.indexOf(rev) > current) rev.service.latestReadyRevision = rev.name;
      return;
    }
    rev.state = 'failed';
    const cause = isRevisionReason(failure.reason) ? { revisionReason: failure.reason } : { reason: failure.reason };
    const failed = condition('Ready', 'CONDITION_FAILED', at, {
      ...cause,
      message: failure.message,
      severity: 'ERROR',
    });
    const healthy = isRevisionReason(failure.reason)
      ? condition('ContainerHealthy', 'CONDITION_FAILED', at, { ...cause, message: failure.message, severity: 'ERROR' })
      : condition('ContainerHealthy', 'CONDITION_PENDING', at);
    const resources = isRevisionReason(failure.reason)
      ? condition('ResourcesAvailable', 'CONDITION_SUCCEEDED', at)
      : condition('ResourcesAvailable', 'CONDITION_FAILED', at, {
          ...cause,
          message: failure.message,
          severity: 'ERROR',
        });
    rev.conditions = [failed, resources, healthy];
  }

  /** Points the proxy at the traffic split; returns the name of a targeted revision that cannot serve, if any. */
  private async route(svc: ServiceRecord): Promise<string | undefined> {
    const latest = svc.revisions.find((r) => r.name === svc.latestReadyRevision);
    const targets = svc.spec.traffic as TrafficTarget[];
    const resolved = targets.map((t) => ({ ...t, revision: t.type === LATEST ? latest?.id : t.revision }));
    const byId = (id?: string) => svc.revisions.find((r) => r.id === id);
    const broken = resolved.find((t) => ((t.percent ?? 0) > 0 || t.tag) && byId(t.revision)?.state !== 'ready');
    if (broken) return broken.revision ?? '(latest)';
    const split = resolved.map((t) => ({ port: byId(t.revision)!.instance!.port, percent: t.percent ?? 0 }));
    const tagPorts = new Map(resolved.filter((t) => t.tag).map((t) => [t.tag!, byId(t.revision)!.instance!.port]));
    const urls = await svc.proxy.route(split, tagPorts);
    svc.trafficStatuses = resolved.map((t) =>
      prune({
        type: t.type,
        revision: t.revision,
        percent: t.percent || undefined,
        tag: t.tag || undefined,
        uri: t.tag ? urls.get(t.tag) : undefined,
      }),
    );
    return undefined;
  }

  private serviceResponse(svc: ServiceRecord): Json {
    return { '@type': SERVICE_TYPE, ...this.serviceJson(svc) };
  }

  private serviceJson(svc: ServiceRecord): Json {
    return prune({
      name: svc.name,
      uid: svc.uid,
      generation: int64(svc.generation),
      ...svc.spec,
      ingress: svc.spec.ingress ?? 'INGRESS_TRAFFIC_ALL',
      launchStage: svc.spec.launchStage ?? 'GA',
      createTime: svc.createTime,
      updateTime: svc.updateTime,
      creator: EMULATOR_ACCOUNT,
      lastModifier: EMULATOR_ACCOUNT,
      observedGeneration: int64(svc.observedGeneration),
      terminalCondition: svc.terminalCondition,
      conditions: svc.conditions,
      latestReadyRevision: svc.latestReadyRevision,
      latestCreatedRevision: svc.latestCreatedRevision,
      trafficStatuses: svc.trafficStatuses,
      uri: svc.proxy.url,
      urls: [svc.proxy.url],
      reconciling: svc.reconciling,
      etag: svc.etag,
    });
  }

  private revisionJson(rev: RevisionRecord): Json {
    const { revision: _name, labels, annotations, ...template } = rev.template;
    return prune({
      name: rev.name,
      uid: rev.uid,
      generation: '1',
      labels,
      annotations,
      createTime: rev.createTime,
      updateTime: rev.updateTime,
      launchStage: 'GA',
      service: rev.service.name,
      ...template,
      serviceAccount: template.serviceAccount ?? EMULATOR_ACCOUNT,
      reconciling: rev.reconciling,
      conditions: rev.conditions,
      observedGeneration: '1',
      logUri: `${this.url}/logs/${rev.name}`,
      etag: rev.etag,
    });
  }

  private async deleteService(project: string, location: string, id: string): Promise<Json> {
    const svc = this.service(project, location, id);
    this.services.delete(svc.name);
    await Promise.all([...svc.revisions.map((r) => r.instance?.stop()), svc.proxy.close()]);
    const op = this.newOperation(project, location, { '@type': SERVICE_TYPE, ...this.serviceJson(svc) });
    this.finish(op, { response: this.serviceResponse(svc) });
    return this.operationJson(op);
  }

  /**
   * Whether a request may reach a service's URL. Ingress first: INTERNAL_ONLY admits only callers marked
   * `x-emulator-ingress: internal` (standing in for the VPC), INTERNAL_LOAD_BALANCER those and
   * `load-balancer`; others get 404. Then, with `requireInvoker`, the invoker check: passed when the service has
   * `invokerIamDisabled`, allUsers holds roles/run.invoker, or the caller sends a bearer token the token
   * emulator accepts (standing in for the ID token of a principal with the role); 403 otherwise.
   */
  private refusal(name: string, headers: IncomingHttpHeaders): 403 | 404 | undefined {
    const svc = this.services.get(name);
    const ingress = (svc?.spec.ingress as string | undefined) ?? 'INGRESS_TRAFFIC_ALL';
    const source = headers['x-emulator-ingress'];
    const admitted =
      ingress === 'INGRESS_TRAFFIC_ALL' ||
      ingress === 'INGRESS_TRAFFIC_UNSPECIFIED' ||
      (ingress === 'INGRESS_TRAFFIC_INTERNAL_ONLY' && source === 'internal') ||
      (ingress === 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' && (source === 'internal' || source === 'load-balancer'));
    if (!admitted) return 404;
    if (!this.options.requireInvoker || svc?.spec.invokerIamDisabled) return undefined;
    const members = svc?.policy.bindings
      .filter((b) => b.role === 'roles/run.invoker')
      .flatMap((b) => b.members as string[]);
    if (members?.includes('allUsers')) return undefined;
    const authorization = headers.authorization;
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    return token && (!this.options.tokens || this.options.tokens.isValid(token)) ? undefined : 403;
  }

  private setIamPolicy(req: EmulatorRequest, svc: ServiceRecord): Json {
    const { policy } = req.json<{ policy?: { etag?: string; bindings?: Json[] } }>();
    if (!policy) throw invalid('policy', 'is required.');
    if (policy.etag && policy.etag !== svc.policy.etag)
      throw new ApiError(
        409,
        'ABORTED',
        'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.',
      );
    for (const [i, binding] of (policy.bindings ?? []).entries())
      if (typeof binding.role !== 'string' || !Array.isArray(binding.members) || !binding.members.length)
        throw invalid(`policy.bindings[${i}]`, 'needs a role and members.');
    const refused = this.outsideDomains((policy.bindings ?? []).flatMap((b) => b.members as string[]));
    if (refused.length)
      throw new ApiError(
        400,
        'FAILED_PRECONDITION',
        'One or more users named in the policy do not belong to a permitted customer, perhaps due to an organization policy.',
        [],
        [
          {
            '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
            violations: refused.map((member) => ({
              type: 'constraints/iam.allowedPolicyMemberDomains',
              subject: member,
              description: 'User is not in permitted organization.',
            })),
          },
        ],
      );
    svc.policy = {
      version: 1,
      etag: Buffer.from(randomUUID()).toString('base64').slice(0, 12),
      bindings: policy.bindings ?? [],
    };
    return svc.policy;
  }

  /** Members the Domain Restricted Sharing policy refuses (none when it is off): the public principals. */
  private outsideDomains(members: string[]): string[] {
    if (!this.options.domainRestrictedSharing) return [];
    return members.filter((member) => member === 'allUsers' || member === 'allAuthenticatedUsers');
  }

  // ---- jobs ----

  private checkJob(spec: Json): Json {
    checkMetadata('job.labels', spec.labels);
    checkMetadata('job.annotations', spec.annotations);
    const execution = (spec.template ?? {}) as Json;
    checkMetadata('job.template.labels', execution.labels);
    checkMetadata('job.template.annotations', execution.annotations);
    const task = (execution.template ?? {}) as Json;
    checkContainers('job.template.template.containers', task.containers, false);
    const taskCount = execution.taskCount ?? 1;
    if (!Number.isInteger(taskCount) || (taskCount as number) < 1)
      throw invalid('job.template.taskCount', 'must be a positive integer.');
    return {
      ...spec,
      template: {
        ...execution,
        taskCount,
        template: { maxRetries: 3, timeout: '600s', ...task },
      },
    };
  }

  private createJob(req: EmulatorRequest, project: string, location: string): Json {
    const id = checkId('job_id', req.query.get('jobId'), 64);
    return this.upsertJob(req, project, location, id, true);
  }

  private patchJob(req: EmulatorRequest, project: string, location: string, id: string): Json {
    const name = `projects/${project}/locations/${location}/jobs/${id}`;
    if (!this.jobs.has(name)) {
      if (req.query.get('allowMissing') !== 'true') throw notFound('JOB', name);
      checkId('job.name', id, 64);
      return this.upsertJob(req, project, location, id, true);
    }
    return this.upsertJob(req, project, location, id, false);
  }

  private upsertJob(req: EmulatorRequest, project: string, location: string, id: string, create: boolean): Json {
    const name = `projects/${project}/locations/${location}/jobs/${id}`;
    const body = req.json();
    const existing = this.jobs.get(name);
    if (create && existing) throw new ApiError(409, 'ALREADY_EXISTS', `Resource '${id}' already exists.`);
    if (existing && body.etag && body.etag !== existing.etag)
      throw new ApiError(
        409,
        'ABORTED',
        'The etag does not match the current version of the job; read it again and retry.',
      );
    const spec = this.checkJob(applyMask(existing?.spec ?? {}, body, null, CloudRunEmulator.settable(JOB_MESSAGE)));
    if (req.query.get('validateOnly') === 'true') {
      return this.validated(project, location, { '@type': JOB_TYPE, name, ...spec });
    }
    const at = this.now();
    const job: JobRecord = existing ?? {
      name,
      id,
      uid: randomUUID(),
      spec,
      generation: 0,
      observedGeneration: 0,
      createTime: at,
      updateTime: at,
      etag: etag(),
      conditions: [],
      terminalCondition: condition('Ready', 'CONDITION_RECONCILING', at),
      reconciling: true,
      executions: [],
    };
    this.jobs.set(name, job);
    job.spec = spec;
    job.generation++;
    job.updateTime = at;
    job.etag = etag();
    job.reconciling = true;
    job.terminalCondition = condition('Ready', 'CONDITION_RECONCILING', at);
    const op = this.newOperation(project, location, { '@type': JOB_TYPE, ...this.jobJson(job) });
    void this.reconcileJob(job, job.generation, op);
    return this.operationJson(op);
  }

  private async reconcileJob(job: JobRecord, generation: number, op: Operation): Promise<void> {
    await this.sleep(this.readyDelayMs / 5);
    const containers = ((job.spec.template as Json).template as Json).containers as Container[];
    let missing: string | undefined;
    if (this.containers) for (const c of containers) if (!(await imageExists(c.image!))) missing ??= c.image;
    if (this.closed || job.generation !== generation)
      return this.finish(op, { response: { '@type': JOB_TYPE, ...this.jobJson(job) } });
    const at = this.now();
    job.observedGeneration = generation;
    job.reconciling = false;
    job.updateTime = at;
    job.etag = etag();
    const error = op.forcedError ?? (missing ? { code: 9, message: `Image '${missing}' not found.` } : undefined);
    if (error) {
      const reason = missing && !op.forcedError ? 'CONTAINER_MISSING' : 'INTERNAL';
      job.terminalCondition = condition('Ready', 'CONDITION_FAILED', at, {
        reason,
        message: error.message,
        severity: 'ERROR',
      });
      return this.finish(op, { error });
    }
    job.terminalCondition = condition('Ready', 'CONDITION_SUCCEEDED', at);
    this.finish(op, { response: { '@type': JOB_TYPE, ...this.jobJson(job) } });
  }

  private async deleteJob(project: string, location: string, id: string): Promise<Json> {
    const job = this.job(project, location, id);
    this.jobs.delete(job.name);
    for (const exec of job.executions.filter((e) => e.reconciling)) {
      exec.abort.abort();
      await removeContainers(exec.containers);
    }
    const op = this.newOperation(project, location, { '@type': JOB_TYPE, ...this.jobJson(job) });
    this.finish(op, { response: { '@type': JOB_TYPE, ...this.jobJson(job) } });
    return this.operationJson(op);
  }

  private runJob(req: EmulatorRequest, job: JobRecord): Json {
    if (job.terminalCondition.state !== 'CONDITION_SUCCEEDED')
      throw new ApiError(
        400,
        'FAILED_PRECONDITION',
        `Job '${job.id}' is not ready: ${job.terminalCondition.message ?? 'it is still being created or updated'}.`,
      );
    const body = req.json<{ overrides?: Json; etag?: string; validateOnly?: boolean }>();
    if (body.etag && body.etag !== job.etag)
      throw new ApiError(409, 'ABORTED', 'The etag does not match the current version of the job.');
    const overrides = body.overrides ?? {};
    const execution = job.spec.template as Json;
    const template = structuredClone(execution.template as Json);
    const containers = template.containers as Container[];
    for (const [i, o] of ((overrides.containerOverrides ?? []) as Json[]).entries()) {
      const target = o.name
        ? containers.find((c) => c.name === o.name)
        : containers.length === 1
          ? containers[0]
          : undefined;
      if (!target)
        throw invalid(
          `overrides.container_overrides[${i}].name`,
          `no container named '${o.name ?? ''}' in job '${job.id}'.`,
        );
      if (o.clearArgs) target.args = [];
      else if (Array.isArray(o.args) && o.args.length) target.args = o.args as string[];
      for (const env of (o.env ?? []) as { name: string; value?: string }[]) {
        target.env = (target.env ?? []).filter((e) => e.name !== env.name);
        target.env.push(env);
      }
    }
    const taskCount = (overrides.taskCount as number | undefined) ?? (execution.taskCount as number);
    if (!Number.isInteger(taskCount) || taskCount < 0)
      throw invalid('overrides.task_count', 'must be a non-negative integer.');
    if (overrides.timeout !== undefined) {
      if (parseDuration(overrides.timeout, -1) <= 0)
        throw invalid('overrides.timeout', `'${overrides.timeout}' is not a duration like "600s".`);
      template.timeout = overrides.timeout;
    }
    const [project, , location] = job.name.split('/').slice(1);
    const at = this.now();
    const id = `${job.id}-${randomName(5, this.random)}`;
    const exec: ExecutionRecord = {
      name: `${job.name}/executions/${id}`,
      id,
      uid: randomUUID(),
      job,
      template,
      taskCount,
      parallelism: (execution.parallelism as number) || taskCount,
      createTime: at,
      updateTime: at,
      conditions: ['ResourcesAvailable', 'Started', 'Completed'].map((type) =>
        condition(type, 'CONDITION_PENDING', at),
      ),
      reconciling: true,
      runningCount: 0,
      succeededCount: 0,
      failedCount: 0,
      retriedCount: 0,
      cancelledCount: 0,
      logs: '',
      etag: etag(),
      abort: new AbortController(),
      containers: new Set(),
      cancelOperations: [],
    };
    job.executions.push(exec);
    job.latestCreatedExecution = { name: exec.name, createTime: at, completionStatus: 'EXECUTION_RUNNING' };
    const op = this.newOperation(project, location, { '@type': EXECUTION_TYPE, ...this.executionJson(exec) });
    const hook = this.executionHook;
    this.executionHook = undefined;
    void this.execute(exec, op, hook);
    return this.operationJson(op);
  }

  private async execute(exec: ExecutionRecord, op: Operation, hook?: ExecutionHook): Promise<void> {
    const { signal } = exec.abort;
    await this.sleep(1_000, signal); // scheduling
    if (this.closed) return;
    let at = this.now();
    exec.startTime = at;
    exec.runningCount = exec.taskCount;
    exec.conditions = [
      condition('ResourcesAvailable', 'CONDITION_SUCCEEDED', at),
      condition('Started', 'CONDITION_SUCCEEDED', at),
      condition('Completed', 'CONDITION_RECONCILING', at),
    ];
    const failures: { message: string; exitCode: boolean }[] = [];
    const queue = Array.from({ length: exec.taskCount }, (_, i) => i);
    const worker = async () => {
      for (let index = queue.shift(); index !== undefined && !this.closed && !signal.aborted; index = queue.shift()) {
        const failure = await this.runTaskAttempts(exec, index, hook);
        if (signal.aborted) return; // counted as cancelled below
        exec.runningCount--;
        if (failure) {
          exec.failedCount++;
          failures.push(failure);
        } else exec.succeededCount++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(exec.parallelism, exec.taskCount) }, worker));
    if (this.closed) return;
    at = this.now();
    exec.completionTime = at;
    exec.updateTime = at;
    exec.reconciling = false;
    exec.runningCount = 0;
    exec.etag = etag();
    const seconds = Math.round((Date.parse(at) - Date.parse(exec.startTime)) / 1000);
    let completed: Condition;
    let error: { code: number; message: string } | undefined;
    if (signal.aborted) {
      exec.cancelledCount = exec.taskCount - exec.succeededCount - exec.failedCount;
      const message = `The execution was cancelled after ${seconds}s.`;
      completed = condition('Completed', 'CONDITION_FAILED', at, {
        executionReason: 'CANCELLED',
        severity: 'ERROR',
        message,
      });
      error = { code: 1, message: `Execution ${exec.id} was cancelled.` };
    } else if (failures.length) {
      const message = `${failures.length}/${exec.taskCount} tasks failed. ${failures[0].message}`;
      const reason = failures.some((f) => f.exitCode) ? { executionReason: 'NON_ZERO_EXIT_CODE' } : {};
      completed = condition('Completed', 'CONDITION_FAILED', at, { ...reason, severity: 'ERROR', message });
      error = { code: 9, message: `Execution ${exec.id} failed: ${message}` };
    } else
      completed = condition('Completed', 'CONDITION_SUCCEEDED', at, {
        message: `Execution completed successfully in ${seconds}s.`,
      });
    exec.conditions = [...exec.conditions.slice(0, 2), completed];
    const status = signal.aborted
      ? 'EXECUTION_CANCELLED'
      : failures.length
        ? 'EXECUTION_FAILED'
        : 'EXECUTION_SUCCEEDED';
    if (exec.job.latestCreatedExecution?.name === exec.name)
      exec.job.latestCreatedExecution = {
        name: exec.name,
        createTime: exec.createTime,
        completionTime: at,
        completionStatus: status,
      };
    const json = { '@type': EXECUTION_TYPE, ...this.executionJson(exec) };
    op.metadata = json;
    error = op.forcedError ?? error;
    this.finish(op, error ? { error } : { response: json });
    for (const cancel of exec.cancelOperations.splice(0)) this.finish(cancel, { response: json });
  }

  /** Runs one task with its retries; returns why it failed, or undefined when it succeeded. */
  private async runTaskAttempts(
    exec: ExecutionRecord,
    index: number,
    hook?: ExecutionHook,
  ): Promise<{ message: string; exitCode: boolean } | undefined> {
    const { signal } = exec.abort;
    const attempts = Number(exec.template.maxRetries ?? 3) + 1;
    const container = (exec.template.containers as Container[])[0];
    const timeoutMs = parseDuration(exec.template.timeout, 600_000);
    const prefix = (attempt: number) => `[task ${index} attempt ${attempt}] `;
    const task = `Task ${exec.id}-task${index} failed with message:`;
    let env: Record<string, string>;
    try {
      env = envOf(container, this.secretValue(exec.name.split('/')[1]));
    } catch (error) {
      return { message: `${task} ${(error as Error).message}`, exitCode: false };
    }
    let failure: { message: string; exitCode: boolean } | undefined;
    for (let attempt = 0; attempt < attempts && !this.closed && !signal.aborted; attempt++) {
      if (attempt > 0) exec.retriedCount++;
      let exitCode = 0;
      let reason: string | undefined;
      if (hook?.durationSeconds !== undefined || hook?.exitCode !== undefined || !this.containers) {
        // Simulated attempt: it takes its emulated duration (or hits the timeout) and exits as told.
        const duration = hook?.durationSeconds !== undefined ? hook.durationSeconds * 1000 : this.taskDurationMs;
        await this.sleep(Math.min(duration, timeoutMs), signal);
        if (duration > timeoutMs) reason = 'The configured timeout was reached.';
        else exitCode = hook?.exitCode ?? 0;
        exec.logs += `${prefix(attempt)}${reason ?? `simulated task exited with code ${exitCode}`}\n`;
      } else {
        Object.assign(env, {
          CLOUD_RUN_JOB: exec.job.id,
          CLOUD_RUN_EXECUTION: exec.id,
          CLOUD_RUN_TASK_INDEX: String(index),
          CLOUD_RUN_TASK_ATTEMPT: String(attempt),
          CLOUD_RUN_TASK_COUNT: String(exec.taskCount),
        });
        const spec = {
          image: container.image!,
          command: container.command,
          args: container.args,
          env,
          label: this.containerLabel,
        };
        const result = await runTask(spec, timeoutMs, exec.containers, exec.abort.signal);
        exitCode = result.exitCode;
        reason = result.reason;
        exec.logs += result.logs.replace(/^(?=.)/gm, prefix(attempt));
      }
      if (!reason && exitCode === 0) return undefined;
      failure = {
        message: `${task} ${reason ?? `The container exited with an exit code of ${exitCode}.`}`,
        exitCode: !reason,
      };
    }
    return failure;
  }

  private async cancelExecution(exec: ExecutionRecord): Promise<Json> {
    if (!exec.reconciling)
      throw new ApiError(400, 'FAILED_PRECONDITION', `Execution '${exec.id}' has already completed.`);
    const [project, , location] = exec.name.split('/').slice(1);
    const op = this.newOperation(project, location, { '@type': EXECUTION_TYPE, ...this.executionJson(exec) });
    exec.cancelOperations.push(op);
    exec.abort.abort();
    await removeContainers(exec.containers);
    return this.operationJson(op);
  }

  private jobJson(job: JobRecord): Json {
    return prune({
      name: job.name,
      uid: job.uid,
      generation: int64(job.generation),
      ...job.spec,
      launchStage: job.spec.launchStage ?? 'GA',
      createTime: job.createTime,
      updateTime: job.updateTime,
      creator: EMULATOR_ACCOUNT,
      lastModifier: EMULATOR_ACCOUNT,
      observedGeneration: int64(job.observedGeneration),
      terminalCondition: job.terminalCondition,
      conditions: job.conditions,
      executionCount: job.executions.length,
      latestCreatedExecution: job.latestCreatedExecution,
      reconciling: job.reconciling,
      etag: job.etag,
    });
  }

  private executionJson(exec: ExecutionRecord): Json {
    return prune({
      name: exec.name,
      uid: exec.uid,
      generation: '1',
      createTime: exec.createTime,
      startTime: exec.startTime,
      completionTime: exec.completionTime,
      updateTime: exec.updateTime,
      launchStage: 'GA',
      job: exec.job.id,
      parallelism: exec.parallelism,
      taskCount: exec.taskCount,
      template: exec.template,
      reconciling: exec.reconciling,
      conditions: exec.conditions,
      observedGeneration: '1',
      runningCount: exec.runningCount,
      succeededCount: exec.succeededCount,
      failedCount: exec.failedCount,
      cancelledCount: exec.cancelledCount,
      retriedCount: exec.retriedCount,
      logUri: `${this.url}/logs/${exec.name}`,
      etag: exec.etag,
    });
  }
}

/** Gives every Condition in an answer without a reason (`reason` | `revisionReason` | `executionReason`) the default. */
function withDefaultReasons(value: unknown): void {
  if (Array.isArray(value)) for (const item of value) withDefaultReasons(item);
  else if (value && typeof value === 'object') {
    const node = value as Json;
    const isCondition = typeof node.type === 'string' && typeof node.state === 'string' && 'lastTransitionTime' in node;
    if (isCondition && !node.reason && !node.revisionReason && !node.executionReason)
      node.reason = 'COMMON_REASON_UNDEFINED';
    for (const child of Object.values(node)) withDefaultReasons(child);
  }
}

/** proto3 JSON leaves out fields at their defaults: unset, false, 0, empty lists. */
function prune(value: Json): Json {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && v !== false && v !== 0 && !(Array.isArray(v) && !v.length),
    ),
  );
}

/** int64 fields are JSON strings (and, being 0, left out). */
function int64(value: number): string | undefined {
  return value ? String(value) : undefined;
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
