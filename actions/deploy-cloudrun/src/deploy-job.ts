import { workflow as core } from '@deploy-actions/toolkit';
import {
  type ExecutionResult,
  type JobSpec,
  defaultLabels,
  deployJob,
  jobPath,
  runJob,
  shortName,
  waitForExecution,
} from '@deploy-actions/gcp';
import { realClock } from '@deploy-actions/toolkit';
import type { DeployContext } from './deploy-service';
import type { JobInputs } from './inputs';

/** A Cloud Run job in one region: created or updated with the shared jobs code (its body from the gcp spec module), then optionally executed and followed. */

export interface JobResult {
  region: string;
  job: string;
  created: boolean;
  execution?: string;
  result?: ExecutionResult;
  totalMs: number;
}

export async function deployJobRegion(ctx: DeployContext, inputs: JobInputs, region: string): Promise<JobResult> {
  const { client, project, sha } = ctx;
  const started = realClock.now();
  const jobId = inputs.job;
  const s = inputs.settings;
  const spec: JobSpec = {
    project,
    region,
    job: jobId,
    image: inputs.image,
    env: inputs.env,
    secretEnv: inputs.secretEnv,
    envStrategy: inputs.envStrategy,
    command: s.command,
    args: s.args,
    labels: { ...(inputs.skipDefaultLabels ? {} : defaultLabels(sha)), ...inputs.labels },
    serviceAccount: s.serviceAccount,
    cpu: s.cpu,
    memory: s.memory,
    cpuIdle: s.cpuIdle,
    cloudsqlInstances: s.cloudsqlInstances,
    vpcConnector: s.vpcConnector,
    vpcEgress: s.vpcEgress,
  };
  const { created } = await deployJob(client, spec, { timeoutMs: inputs.timeoutMs });
  core.info(`Job ${jobId} in ${region}: ${created ? 'created' : 'updated'}`);
  const out: JobResult = { region, job: jobId, created, totalMs: 0 };
  if (inputs.execute) {
    const execution = await runJob(
      client,
      jobPath(project, region, jobId),
      inputs.executeArgs ? { args: inputs.executeArgs } : undefined,
    );
    out.execution = shortName(execution.name);
    core.info(`Job ${jobId} in ${region}: started execution ${out.execution}`);
    if (inputs.wait) {
      out.result = await waitForExecution(client, execution.name, { timeoutMs: inputs.timeoutMs });
      const r = out.result;
      core.info(
        `Execution ${out.execution}: ${r.succeeded ? 'succeeded' : 'FAILED'} (${r.succeededCount}/${r.taskCount} tasks succeeded, ${r.failedCount} failed)`,
      );
    }
  }
  out.totalMs = realClock.now() - started;
  return out;
}
