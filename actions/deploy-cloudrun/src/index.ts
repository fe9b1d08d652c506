import { workflow as core } from '@deploy-actions/toolkit';
import { CloudRunClient, googleCredentials } from '@deploy-actions/gcp';
import { InputError, UserError, errorMessage, runAction } from '@deploy-actions/toolkit';
import { type JobResult, deployJobRegion } from './deploy-job';
import { type DeployContext, deployService } from './deploy-service';
import { type Inputs, type JobInputs, getInputs } from './inputs';
import { manifest } from './manifest';
import { DeployFailed, type RegionResult } from './rollout';
import { jobSummary, serviceSummary } from './summary';
import { moveTraffic } from './traffic-only';

/**
 * deploy-cloudrun: deploys a Cloud Run service (or job) over the Admin API v2, region by region, with the
 * chosen rollout strategy behind a health gate, and rolls back to the previous traffic split on failure;
 * or, with revision-traffic / tag-traffic, only moves traffic. On the suite's lifecycle: the manifest's
 * inputs are read (and every rule of Cloud Run's checked by getInputs) before any request, and the report
 * (outputs and job summary) is written on success, failure, timeout and cancellation alike.
 */

interface Progress {
  inputs?: Inputs;
  services: RegionResult[];
  jobs: JobResult[];
}

class DeployJobFailed extends UserError {}

runAction<typeof manifest, void, Progress>({
  manifest,
  // A cancelled rollout is rolled back before the step ends: the runner sends SIGTERM 7.5 s after SIGINT and
  // kills 2.5 s later, and putting traffic back takes Cloud Run a few seconds.
  cancelGraceMs: 9_000,
  progress: () => ({ services: [], jobs: [] }),
  async main(ctx) {
    const inputs = getInputs();
    ctx.progress.inputs = inputs;
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
    const deploy: DeployContext = { client, project, sha: process.env.GITHUB_SHA ?? 'unknown', signal: ctx.signal };
    if (inputs.target === 'job') return jobs(deploy, inputs, ctx.progress.jobs);
    return services(deploy, inputs, ctx.progress.services);
  },
  report(ctx, outcome) {
    const { inputs, services: results, jobs: ran } = ctx.progress;
    const failure = outcome.status === 'success' ? undefined : errorMessage(outcome.error);
    if (!inputs) {
      ctx.output('status', 'failed');
      ctx.summary.headline('nothing deployed: an input was refused');
      return;
    }
    if (inputs.target === 'job') {
      const failedRun = ran.find((r) => r.result && !r.result.succeeded);
      ctx.output('status', failure ? 'failed' : 'deployed');
      ctx.output('execution', ran[0]?.execution ?? '');
      ctx.output(
        'regions',
        JSON.stringify(
          Object.fromEntries(
            ran.map((r) => [
              r.region,
              { job: r.job, execution: r.execution, succeeded: r.result?.succeeded, logUri: r.result?.logUri },
            ]),
          ),
        ),
      );
      ctx.summary.headline(`job ${inputs.job}`);
      ctx.summary.raw(
        jobSummary(
          inputs,
          ran,
          failedRun?.result ? `Execution ${failedRun.execution} failed: ${failedRun.result.reason}` : failure,
        ),
      );
      return;
    }
    const first = results[0];
    const view = (r: RegionResult) => ({
      url: r.url,
      revision: r.revision,
      previousRevision: r.previousRevision,
      tagUrl: r.tagUrl,
      traffic: r.trafficAfter,
      status: r.status,
      ok: !r.failure,
    });
    // Written on failure too, so a later step can act on them.
    ctx.output(
      'status',
      failure
        ? first?.status === 'deployed'
          ? 'rolled-back'
          : (first?.status ?? 'failed')
        : (first?.status ?? 'failed'),
    );
    if (first) {
      ctx.output('url', first.url ?? '');
      ctx.output('revision', first.revision ?? '');
      ctx.output('previous-revision', first.previousRevision ?? '');
      ctx.output('tag-url', first.tagUrl ?? '');
      ctx.output('traffic', JSON.stringify(first.trafficAfter));
      ctx.output('regions', JSON.stringify(Object.fromEntries(results.map((r) => [r.region, view(r)]))));
    }
    ctx.summary.headline(`${inputs.target === 'traffic' ? 'traffic of' : ''} ${inputs.service}`.trim());
    ctx.summary.raw(serviceSummary(inputs, results, failure));
  },
});

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
