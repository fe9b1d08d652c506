import { workflow as core } from '@deploy-actions/toolkit';
import {
  CloudRunClient,
  deployJob,
  type Execution,
  type JobSpec,
  googleCredentials,
  jobPath,
  runJob,
  shortName,
  waitForExecution,
} from '@deploy-actions/gcp';
import { poll, redact } from '@deploy-actions/toolkit';
import type { CloudRunInputs } from './inputs';
import { ToolFailed } from './tool-mode';

/**
 * Cloud Run job mode, the one-off migration task: the job is created or updated to run the image (with
 * `command` through its shell when given), one execution is started and followed to the end, and its
 * result and log link reported. The task never retries on its own: a migration that failed half-way
 * must be looked at, not run again blindly. The database URL reaches the task through a Secret Manager
 * reference when `database-url-secret` is set; otherwise as an override of this execution only.
 * Without a database URL on the runner there is no advisory lock: the job is the lock instead (one
 * execution at a time), which leaves a short window between the check and the start that a workflow
 * `concurrency` group closes.
 */

export interface CloudRunOutcome {
  name: string;
  logUri?: string;
  /** Time spent waiting for another execution of the job (when the job itself serialises runs). */
  waitedMs?: number;
  waitedFor?: string;
}

/**
 * Runs the job once. `serialise` (when the runner holds no database lock, because only the job can reach
 * the database) first waits, up to lock-timeout, until no other execution of the job is running.
 */
export async function runCloudRunJob(
  inputs: CloudRunInputs,
  signal: AbortSignal,
  serialise: boolean,
): Promise<CloudRunOutcome> {
  const spec = inputs.cloudRun;
  const credentials = await googleCredentials({ project: spec.project });
  const client = new CloudRunClient({ credentials, endpoint: spec.endpoint });
  const log = (line: string) => core.info(redact(line));
  const secret = spec.databaseUrlSecret;

  core.info(`Deploying job ${spec.job} in ${spec.region} with ${inputs.image} (${credentials.source})`);
  // The job's body is built by the one Cloud Run spec module (packages/gcp cloudrun-spec.ts: jobBody).
  const job: JobSpec = {
    project: spec.project,
    region: spec.region,
    job: spec.job,
    image: inputs.image,
    command: inputs.command ? ['/bin/sh', '-c', inputs.command] : undefined,
    env: Object.keys(inputs.env).length ? inputs.env : undefined,
    secretEnv: secret ? { [inputs.databaseUrlEnv]: secret } : undefined,
    envStrategy: 'merge',
    taskCount: 1,
    maxRetries: 0,
    taskTimeout: `${Math.ceil(inputs.timeoutMs / 1000)}s`,
  };
  const { created } = await deployJob(client, job, { log });
  core.info(`Job ${spec.job} ${created ? 'created' : 'updated'}`);
  const name = jobPath(spec.project, spec.region, spec.job);
  const waited = serialise ? await waitForIdleJob(client, name, inputs.lockTimeoutMs, log) : undefined;

  if (!secret)
    core.info(
      `Passing ${inputs.databaseUrlEnv} as an override of this execution (set database-url-secret to keep it in Secret Manager instead)`,
    );
  const execution = await runJob(
    client,
    name,
    secret || !inputs.database ? undefined : { env: { [inputs.databaseUrlEnv]: inputs.database.text } },
    { log },
  );
  const short = shortName(execution.name);
  core.info(`Execution ${short} started${execution.logUri ? `; logs: ${execution.logUri}` : ''}`);

  const onAbort = () => {
    core.info(`Cancelling execution ${short}`);
    void client.api.call(`/v2/${execution.name}:cancel`, { method: 'POST', body: {} }).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await waitForExecution(client, execution.name, { timeoutMs: inputs.timeoutMs, log });
    if (signal.aborted) throw signal.reason;
    const logUri = result.logUri ?? execution.logUri;
    if (!result.succeeded)
      throw new ToolFailed(
        `Cloud Run execution ${short} failed: ${result.reason ?? 'the task did not succeed'}${logUri ? `. Logs: ${logUri}` : ''}`,
        [],
      );
    core.info(`Execution ${short} succeeded in ${Math.round(result.durationMs / 1000)}s`);
    return { name: short, logUri, ...waited };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Waits until the job has no running execution: another deploy's migration finishes first. */
async function waitForIdleJob(
  client: CloudRunClient,
  job: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<{ waitedMs: number; waitedFor?: string }> {
  let waitedFor: string | undefined;
  const { elapsedMs } = await poll({
    what: `job ${shortName(job)}`,
    timeoutMs,
    initialMs: 500,
    maxMs: 10_000,
    progressEveryMs: 15_000,
    log,
    timeoutHint: "Another deploy's migration execution is still running: wait for it, or raise lock-timeout.",
    check: async () => {
      const page = await client.api.call<{ executions?: Execution[] }>(`/v2/${job}/executions`, {
        query: { pageSize: 50 },
      });
      const running = (page.executions ?? []).find((e) => !finished(e));
      if (!running) return { done: true, value: undefined };
      waitedFor ??= `execution ${shortName(running.name)}`;
      return { done: false, status: `waiting for execution ${shortName(running.name)} to finish` };
    },
  });
  return { waitedMs: elapsedMs, waitedFor };
}

function finished(execution: Execution): boolean {
  const state = execution.conditions?.find((c) => c.type === 'Completed')?.state;
  return Boolean(execution.completionTime) || state === 'CONDITION_SUCCEEDED' || state === 'CONDITION_FAILED';
}
