import { registerSecret, runAction } from '@deploy-actions/toolkit';
import { templateValues } from './identifier';
import { validate } from './inputs';
import { manifest } from './manifest';
import type { Outcome, Run } from './outcome';
import { type Progress, writeReport } from './report';

/**
 * snapshot-db: a snapshot of the database before a deploy touches it. The manifest's reader and
 * `validate` check every input first; then the provider (RDS, Aurora, Cloud SQL or pg_dump) runs, loaded
 * only when chosen so the step starts fast; the report writes outputs and a job summary with the command
 * that restores what it made, on failure too.
 */

runAction<typeof manifest, Outcome, Progress>({
  manifest,
  async main(ctx) {
    // The AWS SDK reads these from the environment itself; mask them before anything could print them.
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      const value = process.env[name];
      if (value) registerSecret(value);
    }
    const inputs = validate(ctx.inputs);
    ctx.progress.inputs = inputs;
    const env = process.env;
    const repository = env.GITHUB_REPOSITORY ?? '';
    const sha = env.GITHUB_SHA ?? '';
    const runUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
    const values = templateValues({
      db: inputs.provider === 'postgres' ? inputs.databaseUrl.database : inputs.database,
      ref: env.GITHUB_REF ?? '',
      sha,
      runId: env.GITHUB_RUN_ID ?? '',
      runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
      now: new Date(ctx.startedAt),
    });
    const common = {
      values,
      repository,
      sha,
      runUrl,
      deadline: ctx.deadline ?? ctx.startedAt + inputs.timeoutMs,
      signal: ctx.signal,
      requested: (what: string) => {
        ctx.progress.requested = what;
      },
    };
    let outcome: Outcome;
    if (inputs.provider === 'postgres') {
      const run: Run<typeof inputs> = { ...common, inputs };
      outcome = await (await import('./provider-postgres')).snapshotPostgres(run);
    } else if (inputs.provider === 'cloudsql') {
      const run: Run<typeof inputs> = { ...common, inputs };
      outcome = await (await import('./provider-cloudsql')).snapshotCloudSql(run);
    } else {
      const run: Run<typeof inputs> = { ...common, inputs };
      outcome = await (await import('./provider-rds')).snapshotRds(run);
    }
    ctx.log.info(`Snapshot ${outcome.id}: ${outcome.status}`);
    return outcome;
  },
  report(ctx, result) {
    writeReport(ctx, result.status === 'success' ? result.value : undefined);
  },
});
