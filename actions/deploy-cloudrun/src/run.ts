import { CloudRunClient, googleCredentials } from '@deploy-actions/gcp';
import { InputError, type Logger, UserError, workflow as core } from '@deploy-actions/toolkit';
import { type JobResult, deployJobRegion } from './deploy-job';
import { type DeployContext, deployService } from './deploy-service';
import { type Given, type Inputs, type JobInputs, checkInputs } from './inputs';
import { DeployFailed, type RegionResult } from './rollout';
import { moveTraffic } from './traffic-only';

/**
 * The deploy itself, loaded by index.ts only once the lifecycle has started, so the step starts without
 * the Google client, the YAML parser and the rollout code (issue 9's start-up budget).
 */

export { jobSummary, serviceSummary } from './summary';

class DeployJobFailed extends UserError {}

export interface Progress {
  inputs?: Inputs;
  services: RegionResult[];
  jobs: JobResult[];
}

/** What main hands over from the lifecycle's context. */
export interface Step {
  inputs: Given;
  progress: Progress;
  signal: AbortSignal;
  log: Logger;
}

/** Checks the inputs the manifest's reader gave (every Cloud Run rule, before any request), then deploys each region. */
export async function deploy({ inputs: given, progress, signal, log }: Step): Promise<void> {
  const inputs = checkInputs(given, log);
  progress.inputs = inputs;
  const credentials = await googleCredentials({ accessToken: inputs.accessToken, project: inputs.project });
  const project = credentials.project;
  if (!project)
    throw new InputError(
      'project-id',
      'is empty and the credentials name no project',
      'set project-id, or the project_id of google-github-actions/auth',
    );
  log.info(`Google credentials: ${credentials.source}; project ${project}`);
  const client = new CloudRunClient({ credentials, endpoint: inputs.apiEndpoint });
  const context: DeployContext = { client, project, sha: process.env.GITHUB_SHA ?? 'unknown', signal };
  if (inputs.target === 'job') return jobs(context, inputs, progress.jobs);
  return services(context, inputs, progress.services);
}

async function services(
  ctx: DeployContext,
  inputs: Exclude<Inputs, JobInputs>,
  results: RegionResult[],
): Promise<void> {
  let failure: Error | undefined;
  for (const region of inputs.regions) {
    try {
      results.push(
        inputs.target === 'traffic' ? await moveTraffic(ctx, inputs, region) : await deployService(ctx, inputs, region),
      );
    } catch (error) {
      failure = error as Error;
      if (error instanceof DeployFailed) results.push(error.result);
      break;
    }
  }
  if (!failure) return;
  // Every region serves the same version or none does: those already deployed go back too.
  for (const done of results.filter((r) => r.rollback && !r.failure)) {
    try {
      await done.rollback?.();
      core.info(`${done.service} in ${done.region}: rolled back because a later region failed`);
    } catch (error) {
      core.warning(`${done.service} in ${done.region}: rollback failed: ${(error as Error).message}`);
    }
  }
  throw failure;
}

async function jobs(ctx: DeployContext, inputs: JobInputs, results: JobResult[]): Promise<void> {
  for (const region of inputs.regions) results.push(await deployJobRegion(ctx, inputs, region));
  const failedRun = results.find((r) => r.result && !r.result.succeeded);
  if (failedRun?.result)
    throw new DeployJobFailed(
      `Execution ${failedRun.execution} of job ${failedRun.job} in ${failedRun.region} failed: ${failedRun.result.reason}${failedRun.result.logUri ? ` (logs: ${failedRun.result.logUri})` : ''}`,
    );
}
