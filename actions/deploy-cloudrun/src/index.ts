import * as core from '@actions/core';
import { CloudRunClient, googleCredentials } from '@deploy-actions/gcp';
import { InputError, UserError, run } from '@deploy-actions/toolkit';
import { type JobResult, deployJobRegion } from './deploy-job';
import { DeployFailed, type RegionResult, deployService } from './deploy-service';
import { getInputs } from './inputs';
import { jobSummary, serviceSummary } from './summary';

/**
 * deploy-cloudrun: deploys a Cloud Run service (or job) over the Admin API v2, region by region, with the
 * chosen rollout strategy behind a health gate, and rolls back to the previous traffic split on failure.
 * Reads every input first, then acts, then reports (outputs and job summary) whether it succeeded or not.
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
  const sha = process.env.GITHUB_SHA ?? 'unknown';

  if (inputs.job) {
    const results: JobResult[] = [];
    try {
      for (const region of inputs.regions) results.push(await deployJobRegion(client, inputs, project, region, sha));
    } catch (error) {
      await jobSummary(inputs, results, (error as Error).message);
      throw error;
    }
    const first = results[0];
    core.setOutput('execution', first.execution ?? '');
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
    await jobSummary(
      inputs,
      results,
      failedRun ? `Execution ${failedRun.execution} failed: ${failedRun.result!.reason}` : undefined,
    );
    if (failedRun)
      throw new DeployJobFailed(
        `Execution ${failedRun.execution} of job ${failedRun.job} in ${failedRun.region} failed: ${failedRun.result!.reason}${failedRun.result!.logUri ? ` (logs: ${failedRun.result!.logUri})` : ''}`,
      );
    return;
  }

  const results: RegionResult[] = [];
  let failure: Error | undefined;
  for (const region of inputs.regions) {
    try {
      results.push(await deployService({ client, inputs, project, sha }, region));
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
        await done.rollback!();
        core.info(`${done.service} in ${done.region}: rolled back because a later region failed`);
      } catch (error) {
        core.warning(`${done.service} in ${done.region}: rollback failed: ${(error as Error).message}`);
      }
    }
  }
  setOutputs(results);
  await serviceSummary(inputs, results, failure?.message);
  if (failure) throw failure;
});

class DeployJobFailed extends UserError {}

function setOutputs(results: RegionResult[]): void {
  const view = (r: RegionResult) => ({
    url: r.url,
    revision: r.revision,
    previousRevision: r.previousRevision,
    tagUrl: r.tagUrl,
    traffic: r.trafficAfter,
    ok: !r.failure,
  });
  const first = results[0];
  if (!first) return;
  core.setOutput('url', first.url ?? '');
  core.setOutput('revision', first.failure ? '' : (first.revision ?? ''));
  core.setOutput('previous-revision', first.previousRevision ?? '');
  core.setOutput('tag-url', first.tagUrl ?? '');
  core.setOutput('traffic', JSON.stringify(first.trafficAfter));
  core.setOutput('regions', JSON.stringify(Object.fromEntries(results.map((r) => [r.region, view(r)]))));
}
