import { type Clock, type RetryOptions, UserError, poll, realClock } from '@deploy-actions/toolkit';
import type { GoogleCredentials } from './auth';
import { NOT_RETRIED, createOnce } from './create-once';
import type { Execution, Job, JobOverrides, Operation, Policy, Revision, Service } from './cloudrun-types';
import { GoogleApi, GoogleApiError } from './google-api';
import { checkSegment } from './names';

/**
 * Cloud Run Admin API v2 over REST: services, revisions, IAM policy, jobs, executions and the long-running
 * operations they return. Resource names are full (`projects/p/locations/l/services/s`); `servicePath()`,
 * `jobPath()` build them.
 *
 *   const run = new CloudRunClient({ credentials, endpoint? })   // endpoint defaults to https://run.googleapis.com
 *   await run.getService(name) → Service | undefined
 *   await run.createService(parent, id, service) / run.patchService(name, service, {updateMask?, allowMissing?}) → Operation
 *   await run.waitOperation(op, { what, timeoutMs }) → Operation (done; throws OperationError on error)
 *   await run.getJob / createJob / patchJob / runJob(name, overrides) / getExecution(name)
 *
 * Operations are awaited with operations.wait (the server holds the request until the operation is done
 * or its timeout passes) inside toolkit poll(), which logs progress and enforces the deadline; a server
 * without :wait is polled with operations.get.
 *
 * Idempotency follows Google's own client config (build/src/v2/*_client_config.json): reads and etag-guarded
 * patches retry on transient failures; services.create, jobs.create, jobs.run and setIamPolicy are never sent
 * twice blindly. After an ambiguous failure of one of those (a lost answer, a 5xx) the state is read and
 * decides: the service or job that now exists, the execution that started, the binding that is there.
 */

export const CLOUD_RUN_ENDPOINT = 'https://run.googleapis.com';

/** Resource names; each segment is checked against Google's naming rules, so no value can change the URL path. */
export function servicePath(project: string, region: string, service: string): string {
  return `${locationPath(project, region)}/services/${checkSegment('service', service)}`;
}
export function jobPath(project: string, region: string, job: string): string {
  return `${locationPath(project, region)}/jobs/${checkSegment('job', job)}`;
}
export function locationPath(project: string, region: string): string {
  return `projects/${checkSegment('project', project)}/locations/${checkSegment('region', region)}`;
}
/** The last segment of a resource name. */
export function shortName(name: string | undefined): string {
  return name ? name.slice(name.lastIndexOf('/') + 1) : '';
}

/** A long-running operation that finished with an error. */
export class OperationError extends UserError {
  override name = 'OperationError';
  constructor(
    readonly operation: Operation,
    what: string,
  ) {
    const code = operation.error?.code;
    super(
      `${what} failed: ${operation.error?.message ?? 'the operation reported an error'}${code ? ` (code ${code})` : ''}`,
    );
  }
}

export interface CloudRunClientOptions {
  credentials: GoogleCredentials;
  endpoint?: string;
  clock?: Clock;
  retry?: RetryOptions;
  /** Longest single :wait request, in ms (default 30 s). */
  waitSliceMs?: number;
}

export interface WaitOptions {
  /** For log lines: "deploy of api in europe-west1". */
  what: string;
  timeoutMs: number;
  log?: (line: string) => void;
  timeoutHint?: string;
}

export class CloudRunClient {
  readonly api: GoogleApi;
  private readonly clock: Clock;
  private waitSupported = true;

  constructor(readonly options: CloudRunClientOptions) {
    this.clock = options.clock ?? realClock;
    this.api = new GoogleApi({
      credentials: options.credentials,
      endpoint: options.endpoint ?? CLOUD_RUN_ENDPOINT,
      api: 'Cloud Run Admin API',
      clock: options.clock,
      retry: options.retry,
    });
  }

  get requests(): number {
    return this.api.requests;
  }

  // Services

  getService(name: string): Promise<Service | undefined> {
    return this.api.find<Service>(`/v2/${name}`);
  }

  /**
   * Creates a service; never sent twice blindly. After an ambiguous failure the service is read: when it
   * exists, the create went through and a finished operation carrying it is returned (the caller then waits
   * on the service itself); when it does not, the create is sent again.
   */
  createService(
    parent: string,
    serviceId: string,
    service: Service,
    validateOnly = false,
  ): Promise<Operation<Service>> {
    const send = () =>
      this.api.call<Operation<Service>>(`/v2/${parent}/services`, {
        method: 'POST',
        query: { serviceId, validateOnly: validateOnly || undefined },
        body: service,
        retry: NOT_RETRIED,
      });
    if (validateOnly) return send();
    return createOnce({
      what: `services.create ${serviceId}`,
      send,
      reconcile: async () => {
        const found = await this.getService(`${parent}/services/${checkSegment('service', serviceId)}`);
        return found ? { name: '', done: true, response: found } : undefined;
      },
      clock: this.clock,
    });
  }

  /** Replaces the fields in `updateMask` (all given fields when omitted); the etag in `service` guards concurrent edits. */
  patchService(
    name: string,
    service: Service,
    options: { updateMask?: string[]; allowMissing?: boolean } = {},
  ): Promise<Operation<Service>> {
    return this.api.call(`/v2/${name}`, {
      method: 'PATCH',
      query: { updateMask: options.updateMask?.join(','), allowMissing: options.allowMissing || undefined },
      body: service,
      // A patch that carries the full desired state can be repeated safely.
      idempotent: true,
    });
  }

  getRevision(name: string): Promise<Revision | undefined> {
    return this.api.find<Revision>(`/v2/${name}`);
  }

  async listRevisions(service: string): Promise<Revision[]> {
    const revisions: Revision[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.api.call<{ revisions?: Revision[]; nextPageToken?: string }>(`/v2/${service}/revisions`, {
        query: { pageSize: 100, pageToken },
      });
      revisions.push(...(page.revisions ?? []));
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    return revisions;
  }

  /** Read with version 3, so conditional bindings come back whole and a write keeps them. */
  getIamPolicy(resource: string): Promise<Policy> {
    return this.api.call<Policy>(`/v2/${resource}:getIamPolicy`, {
      method: 'GET',
      query: { 'options.requestedPolicyVersion': 3 },
    });
  }

  /** One write, never retried here: the etag in `policy` guards it, and addIamMember re-reads on doubt. */
  setIamPolicy(resource: string, policy: Policy): Promise<Policy> {
    return this.api.call<Policy>(`/v2/${resource}:setIamPolicy`, {
      method: 'POST',
      body: { policy },
      retry: NOT_RETRIED,
    });
  }

  /**
   * Adds `member` to `role` unless already there; returns whether this call changed the policy. A 409
   * (the policy changed meanwhile) or an ambiguous failure re-reads the policy and decides again: a binding
   * that is now there counts as granted. A Domain Restricted Sharing refusal throws PublicAccessRefused.
   */
  async addIamMember(resource: string, role: string, member: string): Promise<boolean> {
    let sent = false;
    for (let attempt = 1; ; attempt++) {
      const policy = await this.getIamPolicy(resource);
      const bindings = policy.bindings ?? [];
      const binding = bindings.find((b) => b.role === role && !b.condition);
      if (binding?.members.includes(member)) return sent;
      if (binding) binding.members.push(member);
      else bindings.push({ role, members: [member] });
      try {
        sent = true;
        await this.setIamPolicy(resource, { ...policy, version: 3, bindings });
        return true;
      } catch (error) {
        if (error instanceof GoogleApiError && error.status === 400 && error.reason === 'FAILED_PRECONDITION')
          throw new PublicAccessRefused(resource, error.message);
        const conflict = error instanceof GoogleApiError && error.status === 409;
        const ambiguous = !(error instanceof GoogleApiError) || error.status >= 500;
        if ((!conflict && !ambiguous) || attempt >= 4) throw error;
        sent = ambiguous;
        await this.clock.sleep(conflict ? 200 * attempt : 500 * attempt);
      }
    }
  }

  /** Removes `member` from `role` (unconditional binding); returns whether this call changed the policy. */
  async removeIamMember(resource: string, role: string, member: string): Promise<boolean> {
    let sent = false;
    for (let attempt = 1; ; attempt++) {
      const policy = await this.getIamPolicy(resource);
      const bindings = policy.bindings ?? [];
      const binding = bindings.find((b) => b.role === role && !b.condition);
      if (!binding?.members.includes(member)) return sent;
      binding.members = binding.members.filter((m) => m !== member);
      try {
        sent = true;
        await this.setIamPolicy(resource, {
          ...policy,
          version: 3,
          bindings: bindings.filter((b) => b.members.length),
        });
        return true;
      } catch (error) {
        const conflict = error instanceof GoogleApiError && error.status === 409;
        const ambiguous = !(error instanceof GoogleApiError) || error.status >= 500;
        if ((!conflict && !ambiguous) || attempt >= 4) throw error;
        sent = ambiguous;
        await this.clock.sleep(conflict ? 200 * attempt : 500 * attempt);
      }
    }
  }

  // Jobs

  getJob(name: string): Promise<Job | undefined> {
    return this.api.find<Job>(`/v2/${name}`);
  }

  /** Creates a job; after an ambiguous failure the job is read, and the create is sent again only if it is absent. */
  createJob(parent: string, jobId: string, job: Job): Promise<Operation<Job>> {
    return createOnce({
      what: `jobs.create ${jobId}`,
      send: () =>
        this.api.call<Operation<Job>>(`/v2/${parent}/jobs`, {
          method: 'POST',
          query: { jobId },
          body: job,
          retry: NOT_RETRIED,
        }),
      reconcile: async () => {
        const found = await this.getJob(`${parent}/jobs/${checkSegment('job', jobId)}`);
        return found ? { name: '', done: true, response: found } : undefined;
      },
      clock: this.clock,
    });
  }

  patchJob(name: string, job: Job, options: { allowMissing?: boolean } = {}): Promise<Operation<Job>> {
    return this.api.call(`/v2/${name}`, {
      method: 'PATCH',
      query: { allowMissing: options.allowMissing || undefined },
      body: job,
      idempotent: true,
    });
  }

  /**
   * Starts an execution (sent once; see runJob in cloudrun-jobs for the lost-answer rule); the operation's
   * metadata is the Execution, and it is done when the execution is.
   */
  runJob(name: string, overrides?: JobOverrides): Promise<Operation<Execution>> {
    return this.api.call(`/v2/${name}:run`, {
      method: 'POST',
      body: overrides ? { overrides } : {},
      retry: NOT_RETRIED,
    });
  }

  /** The newest executions first (one page). */
  async listExecutions(job: string, pageSize = 20): Promise<Execution[]> {
    const page = await this.api.call<{ executions?: Execution[] }>(`/v2/${job}/executions`, { query: { pageSize } });
    return page.executions ?? [];
  }

  getExecution(name: string): Promise<Execution> {
    return this.api.call<Execution>(`/v2/${name}`);
  }

  // Operations

  getOperation<T>(name: string): Promise<Operation<T>> {
    return this.api.call<Operation<T>>(`/v2/${name}`);
  }

  /**
   * Waits until the operation is done and returns it; an operation that ends in an error throws OperationError.
   * Each check is one operations.wait that the server holds for up to `waitSliceMs` (or the time left).
   */
  async waitOperation<T>(operation: Operation<T>, options: WaitOptions): Promise<Operation<T>> {
    if (operation.done) return this.settled(operation, options.what);
    const slice = this.options.waitSliceMs ?? 30_000;
    const deadline = this.clock.now() + options.timeoutMs;
    const { value } = await poll<Operation<T>>({
      what: options.what,
      timeoutMs: options.timeoutMs,
      initialMs: 250,
      maxMs: 5_000,
      clock: this.clock,
      log: options.log,
      timeoutHint: options.timeoutHint,
      check: async () => {
        const started = this.clock.now();
        const timeout = Math.max(1, Math.min(slice, deadline - started));
        const current = await this.pollOnce<T>(operation.name, timeout);
        if (current.done) return { done: true, value: current };
        // A server that held the request did our waiting; one that answered at once gets the backoff.
        const held = this.clock.now() - started >= timeout / 2;
        return { done: false, status: 'running', delayMs: held ? 0 : undefined };
      },
    });
    return this.settled(value, options.what);
  }

  private async pollOnce<T>(name: string, timeoutMs: number): Promise<Operation<T>> {
    if (this.waitSupported) {
      try {
        return await this.api.call<Operation<T>>(`/v2/${name}:wait`, {
          method: 'POST',
          body: { timeout: `${(timeoutMs / 1000).toFixed(3)}s` },
          timeoutMs: timeoutMs + 30_000,
          idempotent: true,
        });
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status !== 404 && status !== 405 && status !== 501) throw error;
        this.waitSupported = false;
      }
    }
    return this.getOperation<T>(name);
  }

  private settled<T>(operation: Operation<T>, what: string): Operation<T> {
    if (!operation.name) return operation; // adopted after a lost answer: the caller waits on the resource
    if (operation.error && (operation.error.code ?? 0) !== 0) throw new OperationError(operation, what);
    return operation;
  }
}

/** Public access refused by the organisation (Domain Restricted Sharing refuses `allUsers` bindings). */
export class PublicAccessRefused extends UserError {
  override name = 'PublicAccessRefused';
  constructor(resource: string, answer: string) {
    super(
      `${shortName(resource)}: the organisation refuses public access through IAM (Domain Restricted Sharing: ${answer.replace(/^.*?answered 400 FAILED_PRECONDITION: /, '')}); set invoker-iam-disabled: true instead of allow-unauthenticated (the service is then public without an allUsers binding), or ask for an exception to constraints/iam.allowedPolicyMemberDomains`,
    );
  }
}
