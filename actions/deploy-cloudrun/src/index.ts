import { errorMessage, runAction } from '@deploy-actions/toolkit';
import { manifest } from './manifest';
import type { RegionResult } from './rollout';
import type { Progress } from './run';

/**
 * deploy-cloudrun: deploys a Cloud Run service (or job) over the Admin API v2, region by region, with the
 * chosen rollout strategy behind a health gate, and rolls back to the previous traffic split on failure;
 * or, with revision-traffic / tag-traffic, only moves traffic. On the suite's lifecycle: the manifest's
 * inputs are read (ctx.inputs) and every rule of Cloud Run's checked (inputs.ts) before any request, and the report
 * (outputs and job summary) is written on success, failure, timeout and cancellation alike.
 */

runAction<typeof manifest, void, Progress>({
  manifest,
  // A cancelled rollout is rolled back before the step ends: the runner sends SIGTERM 7.5 s after SIGINT and
  // kills 2.5 s later, and putting traffic back takes Cloud Run a few seconds.
  cancelGraceMs: 9_000,
  progress: () => ({ services: [], jobs: [] }),
  async main(ctx) {
    const { deploy } = await import('./run');
    await deploy({ inputs: ctx.inputs, progress: ctx.progress, signal: ctx.signal, log: ctx.log });
  },
  async report(ctx, outcome) {
    const { inputs, services: results, jobs: ran } = ctx.progress;
    const failure = outcome.status === 'success' ? undefined : errorMessage(outcome.error);
    if (!inputs) {
      ctx.output('status', 'failed');
      ctx.summary.headline('nothing deployed: an input was refused');
      return;
    }
    const { jobSummary, serviceSummary } = await import('./run');
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
