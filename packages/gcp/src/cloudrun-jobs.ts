import { workflow as core } from '@deploy-actions/toolkit';
import { type Clock, TimeoutError, UserError, poll, realClock } from '@deploy-actions/toolkit';
import { type CloudRunClient, jobPath, locationPath, shortName } from './cloudrun-client';
import { type JobSpec, jobBody } from './cloudrun-spec';
import type { Condition, Execution, Job, JobOverrides, Operation } from './cloudrun-types';
import { createOnce } from './create-once';

/**
 * Cloud Run jobs as deploy-cloudrun and run-migrations use them: put a job in the wanted shape, start an
 * execution, and follow it to the end.
 *
 *   deployJob(client, spec, { timeoutMs }) → { job, created }          create, or update keeping what spec leaves out
 *   runJob(client, name, overrides?) → Execution                       started, not finished
 *   waitForExecution(client, executionName, { timeoutMs }) → ExecutionResult   progress logged, TimeoutError at the deadline
 *
 * `name` is the full job name (`jobPath(project, region, job)`). The body comes from the Cloud Run spec module
 * (`jobBody` in cloudrun-job-spec.ts, re-exported here for code that imported it from this file).
 */

export { type JobSpec, jobBody } from './cloudrun-spec';

export interface DeployJobOptions {
  timeoutMs?: number;
  log?: (line: string) => void;
}

export async function deployJob(
  client: CloudRunClient,
  spec: JobSpec,
  options: DeployJobOptions = {},
): Promise<{ job: Job; created: boolean }> {
  const name = jobPath(spec.project, spec.region, spec.job);
  const existing = await client.getJob(name);
  const job = jobBody(spec, existing);
  const what = `${existing ? 'update' : 'creation'} of job ${spec.job} in ${spec.region}`;
  const operation = existing
    ? await client.patchJob(name, job)
    : await client.createJob(locationPath(spec.project, spec.region), spec.job, job);
  const done = await client.waitOperation(operation, {
    what,
    timeoutMs: options.timeoutMs ?? 300_000,
    log: options.log,
  });
  const result = (done.response as Job | undefined)?.name ? (done.response as Job) : await client.getJob(name);
  if (!result) throw new UserError(`The ${what} finished but the job cannot be read back`);
  const failed = result.terminalCondition?.state === 'CONDITION_FAILED' ? result.terminalCondition : undefined;
  if (failed) throw new UserError(`The ${what} failed: ${describeCondition(failed)}`);
  return { job: result, created: !existing };
}

export interface RunJobOverrides {
  args?: string[];
  env?: Record<string, string>;
  taskCount?: number;
  /** Per-task timeout, e.g. "600s". */
  timeout?: string;
}

/** Starts an execution of the job and returns it as soon as Cloud Run names it (it is not finished). */
export async function runJob(
  client: CloudRunClient,
  name: string,
  overrides?: RunJobOverrides,
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<Execution> {
  const body: JobOverrides | undefined =
    overrides && Object.values(overrides).some((v) => v !== undefined)
      ? {
          containerOverrides:
            overrides.args || overrides.env
              ? [
                  {
                    args: overrides.args,
                    env: overrides.env && Object.entries(overrides.env).map(([n, value]) => ({ name: n, value })),
                  },
                ]
              : undefined,
          taskCount: overrides.taskCount,
          timeout: overrides.timeout,
        }
      : undefined;
  // jobs.run is not idempotent: a second request starts a second execution (a second migration). After an
  // ambiguous failure the job's newest execution is compared with the one before, and decides.
  const before = (await client.getJob(name))?.latestCreatedExecution?.name;
  let operation = await createOnce<Operation<Execution>>({
    what: `jobs.run ${shortName(name)}`,
    send: () => client.runJob(name, body),
    reconcile: async () => {
      const latest = (await client.getJob(name))?.latestCreatedExecution?.name;
      if (!latest || latest === before) return undefined;
      return { name: '', metadata: await client.getExecution(latest) };
    },
    log: options.log,
  });
  const named = (op: typeof operation) =>
    op.metadata?.name ? (op.metadata as Execution) : op.response?.name ? op.response : undefined;
  const first = named(operation);
  if (first) return first;
  // The execution is usually named in the first answer; otherwise the operation is re-read until it is.
  const { value } = await poll<Execution>({
    what: `start of job ${shortName(name)}`,
    timeoutMs: options.timeoutMs ?? 120_000,
    initialMs: 250,
    log: options.log,
    check: async () => {
      operation = await client.getOperation(operation.name);
      if (operation.error?.code)
        throw new UserError(`Job ${shortName(name)} did not start: ${operation.error.message}`);
      const execution = named(operation);
      return execution ? { done: true, value: execution } : { done: false, status: 'starting' };
    },
  });
  return value;
}

export interface ExecutionResult {
  execution: Execution;
  succeeded: boolean;
  taskCount: number;
  succeededCount: number;
  failedCount: number;
  cancelledCount: number;
  retriedCount: number;
  /** Why it failed, from the Completed condition: "NON_ZERO_EXIT_CODE: Task ... exited with code 1". */
  reason?: string;
  logUri?: string;
  durationMs: number;
}

export interface WaitExecutionOptions {
  timeoutMs: number;
  clock?: Clock;
  log?: (line: string) => void;
  /** Called on each new view of the execution, e.g. for a summary. */
  onProgress?: (execution: Execution) => void;
}

/** Follows an execution until it completes; a failed execution is a result (succeeded false), a timeout throws. */
export async function waitForExecution(
  client: CloudRunClient,
  executionName: string,
  options: WaitExecutionOptions,
): Promise<ExecutionResult> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? ((line: string) => core.info(line));
  const started = clock.now();
  const short = shortName(executionName);
  try {
    const { value } = await poll<Execution>({
      what: `execution ${short}`,
      timeoutMs: options.timeoutMs,
      initialMs: 1000,
      maxMs: 10_000,
      clock,
      log,
      timeoutHint: 'Raise the timeout input if the job needs longer; the execution keeps running in Cloud Run.',
      check: async () => {
        const execution = await client.getExecution(executionName);
        options.onProgress?.(execution);
        if (isFinished(execution)) return { done: true, value: execution };
        const tasks = execution.taskCount ?? 1;
        const detail = `${execution.runningCount ?? 0} running, ${execution.succeededCount ?? 0}/${tasks} succeeded, ${execution.failedCount ?? 0} failed`;
        return { done: false, status: execution.startTime ? 'running' : 'pending', detail };
      },
    });
    return executionResult(value, clock.now() - started);
  } catch (error) {
    if (error instanceof TimeoutError) {
      const last = await client.getExecution(executionName).catch(() => undefined);
      const logs = last?.logUri ? ` Logs: ${last.logUri}` : '';
      throw new TimeoutError(`${error.message}${logs}`);
    }
    throw error;
  }
}

function completed(execution: Execution): Condition | undefined {
  return execution.conditions?.find((c) => c.type === 'Completed');
}

function isFinished(execution: Execution): boolean {
  const state = completed(execution)?.state;
  return Boolean(execution.completionTime) || state === 'CONDITION_SUCCEEDED' || state === 'CONDITION_FAILED';
}

export function executionResult(execution: Execution, durationMs: number): ExecutionResult {
  const condition = completed(execution);
  const taskCount = execution.taskCount ?? 1;
  const succeededCount = execution.succeededCount ?? 0;
  const failedCount = execution.failedCount ?? 0;
  const succeeded =
    condition?.state === 'CONDITION_SUCCEEDED' || (!condition && failedCount === 0 && succeededCount >= taskCount);
  const failing = execution.conditions?.find((c) => c.state === 'CONDITION_FAILED') ?? condition;
  return {
    execution,
    succeeded,
    taskCount,
    succeededCount,
    failedCount,
    cancelledCount: execution.cancelledCount ?? 0,
    retriedCount: execution.retriedCount ?? 0,
    reason: succeeded
      ? undefined
      : failing
        ? describeCondition(failing)
        : `${failedCount} of ${taskCount} tasks failed`,
    logUri: execution.logUri,
    durationMs,
  };
}

/** "REVISION_FAILED / HEALTH_CHECK_CONTAINER_ERROR: The user-provided container failed to start..." */
export function describeCondition(condition: Condition): string {
  const reasons = [condition.reason, condition.revisionReason, condition.executionReason].filter(
    // The protos' defaults are COMMON_REASON_UNDEFINED, REVISION_REASON_UNDEFINED, EXECUTION_REASON_UNDEFINED.
    (r) => r && !r.endsWith('_UNDEFINED') && !r.endsWith('_UNSPECIFIED'),
  );
  const message = condition.message?.trim() || `${condition.type ?? 'condition'} is ${condition.state ?? 'unknown'}`;
  return reasons.length ? `${reasons.join(' / ')}: ${message}` : message;
}
