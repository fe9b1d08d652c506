import * as core from '@actions/core';
import { registerSecret, run } from '@deploy-actions/toolkit';
import { templateValues } from './identifier';
import { readInputs } from './inputs';
import type { Outcome, Run } from './outcome';
import { writeReport } from './report';

/**
 * snapshot-db: a snapshot of the database before a deploy touches it. Reads every input first, then
 * hands over to the provider (RDS, Aurora, Cloud SQL or pg_dump), and reports outputs and a job summary
 * with the command that restores what it made.
 */

run(async () => {
  // The AWS SDK reads these from the environment itself; mask them before anything could print them.
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
    const value = process.env[name];
    if (value) registerSecret(value);
  }
  const inputs = readInputs();
  const started = Date.now();
  const env = process.env;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const sha = env.GITHUB_SHA ?? '';
  const runUrl = `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
  const values = templateValues({
    db: inputs.database ?? inputs.databaseUrl?.database ?? '',
    ref: env.GITHUB_REF ?? '',
    sha,
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    now: new Date(started),
  });
  const context: Run = { inputs, values, repository, sha, runUrl, deadline: started + inputs.timeoutMs };

  // Each provider's SDK or driver is loaded only when that provider runs: the step starts fast.
  let outcome: Outcome;
  if (inputs.provider === 'postgres') outcome = await (await import('./provider-postgres')).snapshotPostgres(context);
  else if (inputs.provider === 'cloudsql')
    outcome = await (await import('./provider-cloudsql')).snapshotCloudSql(context);
  else outcome = await (await import('./provider-rds')).snapshotRds(context);

  await writeReport(context, outcome, started);
  core.info(`Snapshot ${outcome.id}: ${outcome.status}`);
});
