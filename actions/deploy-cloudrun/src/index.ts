import * as core from '@actions/core';
import { CloudRunClient, googleCredentials } from '@deploy-actions/gcp';
import { InputError, UserError, run } from '@deploy-actions/toolkit';
import { type JobResult, deployJobRegion } from './deploy-job';
import { type DeployContext, deployService } from './deploy-service';
import { type Inputs, type JobInputs, getInputs } from './inputs';
import { DeployFailed, type RegionResult } from './rollout';
import { jobSummary, serviceSummary } from './summary';
import { moveTraffic } from './traffic-only';

/**
 * deploy-cloudrun: deploys a Cloud Run service (or job) over the Admin API v2, region by region, with the
 * chosen rollout strategy behind a health gate, and rolls back to the previous traffic split on failure;
 * or, with revision-traffic / tag-traffic, only moves traffic. Reads every input first, then acts, then
 * reports (outputs and job summary) whether it succeeded or not.
 */

run(async () => {
  const inputs = getInputs();
  const credentials = await googleCredentials({ accessToken: inputs.accessToken, project: inputs.project });
  const project = credentials.project;
  if (!project)
    throw new InputError(
      'project-id',
      'is empty and the credentials name no project',
      'set project-id, or the project_id of google-github-actions/auth',
    );
  core.info(`Google credentials: ${credentials.source}; project ${project}`);
  const client = new CloudRunClient({ credentials, endpoint: inputs.apiEndpoint });
  const ctx: DeployContext = { client, project, sha: process.env.GITHUB_SHA ?? 'unknown' };
  if (inputs.target === 'job') return jobs(ctx, inputs);
  await services(ctx, inputs);
});

async function services(ctx: DeployContext, inputs: Exclude<Inputs, JobInputs>): Promise<void> {
  const results: RegionResult[] = [];
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
  if (failure) {
    // Every region serves the same version or none does: those already deployed go back too.
    for (const done of results.filter((r) => r.rollback && !r.failure)) {
      try {
        await done.rollback?.();
        core.info(`${done.service} in ${done.region}: rolled back because a later region failed`);
      } catch (error) {
        core.warning(`${done.service} in ${done.region}: rollback failed: ${(error as Error).message}`);
      }
    }
  }
  setOutputs(results, failure);
  await serviceSummary(inputs, results, failure?.message);
  if (failure) throw failure;
}

async function jobs(ctx: DeployContext, inputs: JobInputs): Promise<void> {
  const results: JobResult[] = [];
  try {
    for (const region of inputs.regions) results.push(await deployJobRegion(ctx, inputs, region));
  } catch (error) {
    core.setOutput('status', 'failed');
    await jobSummary(inputs, results, (error as Error).message);
    throw error;
  }
  const first = results[0];
  core.setOutput('execution', first?.execution ?? '');
  core.setOutput(
    'regions',
    JSON.stringify(
      Object.fromEntries(
        results.map((r) => [
          r.region,
          { job: r.job, execution: r.execution, succeeded: r.result?.succeeded, logUri: r.result?.logUri },
        ]),
      ),
    ),
  );
  const failedRun = results.find((r) => r.result && !r.result.succeeded);
  core.setOutput('status', failedRun ? 'failed' : 'deployed');
  const why = failedRun?.result
    ? `Execution ${failedRun.execution} of job ${failedRun.job} in ${failedRun.region} failed: ${failedRun.result.reason}${failedRun.result.logUri ? ` (logs: ${failedRun.result.logUri})` : ''}`
    : undefined;
  await jobSummary(
    inputs,
    results,
    why && failedRun?.result ? `Execution ${failedRun.execution} failed: ${failedRun.result.reason}` : undefined,
  );
  if (why) throw new DeployJobFailed(why);
}

class DeployJobFailed extends UserError {}

/** Outputs of the first region, and all of them in `regions`: written on failure too, so a later step can act. */
function setOutputs(results: RegionResult[], failure: Error | undefined): void {
  const view = (r: RegionResult) => ({
    url: r.url,
    revision: r.revision,
    previousRevision: r.previousRevision,
    tagUrl: r.tagUrl,
    traffic: r.trafficAfter,
    status: r.status,
    ok: !r.failure,
  });
  const first = results[0];
  core.setOutput(
    'status',
    failure
      ? first?.status === 'deployed'
        ? 'rolled-back'
        : (first?.status ?? 'failed')
      : (first?.status ?? 'failed'),
  );
  if (!first) return;
  core.setOutput('url', first.url ?? '');
  core.setOutput('revision', first.revision ?? '');
  core.setOutput('previous-revision', first.previousRevision ?? '');
  core.setOutput('tag-url', first.tagUrl ?? '');
  core.setOutput('traffic', JSON.stringify(first.trafficAfter));
  core.setOutput('regions', JSON.stringify(Object.fromEntries(results.map((r) => [r.region, view(r)]))));
}
