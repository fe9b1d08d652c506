import { type Clock, type RetryOptions, UserError, poll, realClock } from '@deploy-actions/toolkit';
import type { GoogleCredentials } from './auth';
import type { Execution, Job, JobOverrides, Operation, Policy, Revision, Service } from './cloudrun-types';
import { GoogleApi } from './google-api';

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
 */

export const CLOUD_RUN_ENDPOINT = 'https://run.googleapis.com';

export function servicePath(project: string, region: string, service: string): string {
  return `projects/${project}/locations/${region}/services/${service}`;
}
export function jobPath(project: string, region: string, job: string): string {
  return `projects/${project}/locations/${region}/jobs/${job}`;
}
export function locationPath(project: string, region: string): string {
  return `projects/${project}/locations/${region}`;
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

  createService(
    parent: string,
    serviceId: string,
    service: Service,
    validateOnly = false,
  ): Promise<Operation<Service>> {
    return this.api.call(`/v2/${parent}/services`, {
      method: 'POST',
      query: { serviceId, validateOnly: validateOnly || undefined },
      body: service,
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

  getIamPolicy(resource: string): Promise<Policy> {
    return this.api.call<Policy>(`/v2/${resource}:getIamPolicy`, { method: 'GET' });
  }

  setIamPolicy(resource: string, policy: Policy): Promise<Policy> {
    return this.api.call<Policy>(`/v2/${resource}:setIamPolicy`, { method: 'POST', body: { policy } });
  }

  /** Adds `member` to `role` unless already there; returns whether the policy changed. */
  async addIamMember(resource: string, role: string, member: string): Promise<boolean> {
    const policy = await this.getIamPolicy(resource);
    const bindings = policy.bindings ?? [];
    const binding = bindings.find((b) => b.role === role && !b.condition);
    if (binding?.members.includes(member)) return false;
    if (binding) binding.members.push(member);
    else bindings.push({ role, members: [member] });
    await this.setIamPolicy(resource, { ...policy, bindings });
    return true;
  }

  // Jobs

  getJob(name: string): Promise<Job | undefined> {
    return this.api.find<Job>(`/v2/${name}`);
  }

  createJob(parent: string, jobId: string, job: Job): Promise<Operation<Job>> {
    return this.api.call(`/v2/${parent}/jobs`, { method: 'POST', query: { jobId }, body: job });
  }

  patchJob(name: string, job: Job, options: { allowMissing?: boolean } = {}): Promise<Operation<Job>> {
    return this.api.call(`/v2/${name}`, {
      method: 'PATCH',
      query: { allowMissing: options.allowMissing || undefined },
      body: job,
      idempotent: true,
    });
  }

  /** Starts an execution; the operation's metadata is the Execution, and it is done when the execution is. */
  runJob(name: string, overrides?: JobOverrides): Promise<Operation<Execution>> {
    return this.api.call(`/v2/${name}:run`, { method: 'POST', body: overrides ? { overrides } : {} });
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
    if (operation.error && (operation.error.code ?? 0) !== 0) throw new OperationError(operation, what);
    return operation;
  }
}
