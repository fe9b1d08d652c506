import { workflow as core } from '@deploy-actions/toolkit';
import { AdvisoryLock, acquireLock, type Connection, connect, type DatabaseUrl } from '@deploy-actions/db';
import { type Context, formatDuration, redact, UserError } from '@deploy-actions/toolkit';
import { type Cancellation, cancellationFrom } from './cancellation';
import { type Inputs, validate } from './inputs';
import type { manifest } from './manifest';
import type { Report } from './report';
import { applySql, checkedPlan, type SqlOutcome } from './sql-mode';
import { newlyApplied, readToolHistory, type ToolHistory } from './tool-history';
import { runTool, ToolFailed } from './tool-mode';

/**
 * The migration run, loaded by index.ts once the lifecycle has started (so the step starts without the
 * database drivers and modes). Runs a deploy's database migrations exactly once. The run holds a session-scoped
 * advisory lock on a dedicated connection (a second deploy waits, then finds nothing to do), and the
 * migrations run in the mode asked for: any tool on the runner, the tool inside the image just built,
 * a Cloud Run job, or a folder of plain .sql files. Cancellation stops the tool and releases the lock.
 */

const applicationName = () =>
  `run-migrations ${process.env.GITHUB_REPOSITORY ?? ''} run ${process.env.GITHUB_RUN_ID ?? ''}`.slice(0, 63);

const appliedBy = () => {
  const env = process.env;
  const sha = env.GITHUB_SHA ? `@${env.GITHUB_SHA.slice(0, 7)}` : '';
  return `${env.GITHUB_REPOSITORY ?? 'local'}${sha} run ${env.GITHUB_RUN_ID ?? '?'} (${env.GITHUB_ACTOR ?? 'unknown'})`;
};

/** The step's work: read and check the inputs, then migrate (under the lock when the runner reaches the database). */
export async function main(ctx: Context<typeof manifest, Report>): Promise<Report> {
  const inputs = validate(ctx.inputs);
  const report = ctx.progress;
  report.mode = inputs.mode;
  report.database = inputs.database;
  const cancellation = cancellationFrom(ctx.signal, (line) => core.info(line));
  const target =
    inputs.database?.describe ?? `reached by the ${inputs.mode === 'ecs-task' ? 'ECS task' : 'Cloud Run job'} only`;
  core.info(`Database: ${target} (${inputs.mode} mode${inputs.dryRun ? ', dry run' : ''})`);
  try {
    if (inputs.dryRun) await dryRun(inputs, report, cancellation.signal);
    else if (!inputs.database) {
      // cloudrun-job with database-url-secret only (or ecs-task): the job (the started-by mark) serialises the runs.
      await migrate(inputs, report, undefined, cancellation);
    } else {
      const database = inputs.database;
      await withLock(inputs, database, report, cancellation, (lockConnection) =>
        migrate(inputs, report, lockConnection, cancellation),
      );
    }
  } catch (error) {
    report.status = 'failed';
    const cause = cancellation.signal.aborted ? cancellation.signal.reason : error;
    report.error = cause instanceof Error ? cause.message : String(cause);
    if (error instanceof ToolFailed) report.tail = error.tail;
    throw cause;
  } finally {
    cancellation.dispose();
  }
  return report;
}

/** Takes the lock on its own connection, runs `fn`, and releases the lock whatever happens. */
async function withLock(
  inputs: Inputs,
  database: DatabaseUrl,
  report: Report,
  cancellation: Cancellation,
  fn: (lockConnection: Connection) => Promise<void>,
): Promise<void> {
  const connection = await connectOrExplain(database, applicationName());
  const lock = new AdvisoryLock(connection, `${inputs.lockKey}/${database.database}`);
  report.lockKey = lock.identity.key;
  try {
    core.info(
      `Taking the migration lock "${lock.identity.key}" (waiting up to ${formatDuration(inputs.lockTimeoutMs)})`,
    );
    const waitStarted = Date.now();
    const acquired = await acquireLock(lock, {
      timeoutMs: inputs.lockTimeoutMs,
      signal: cancellation.signal,
      progressEveryMs: Math.min(15_000, Math.max(1000, inputs.lockTimeoutMs / 6)),
      log: (line) => core.info(redact(line)),
    }).catch((error) => {
      // A run that gave up (or was cancelled) waiting still reports how long it waited.
      report.lockWaitMs = Date.now() - waitStarted;
      throw error;
    });
    report.lockWaitMs = acquired.waitedMs;
    report.waitedFor = acquired.waitedFor;
    core.info(
      acquired.waitedFor
        ? `Lock taken after waiting ${formatDuration(acquired.waitedMs)} for ${acquired.waitedFor}`
        : 'Lock taken',
    );
    connection.onLost((error) =>
      cancellation.abort(
        new UserError(
          `The connection holding the lock was lost (${error.message}); stopped, since another run may now start`,
        ),
      ),
    );
    await fn(connection);
  } finally {
    if (lock.isHeld) {
      try {
        await lock.release();
        core.info('Lock released');
      } catch (error) {
        core.warning(`Could not release the lock (${redact((error as Error).message)}); it ends with the session, now`);
      }
    }
    await connection.close();
  }
}

async function migrate(
  inputs: Inputs,
  report: Report,
  lockConnection: Connection | undefined,
  cancellation: Cancellation,
) {
  const signal = cancellation.signal;
  if (inputs.mode === 'sql') {
    if (!lockConnection) throw new UserError('sql mode runs only under the lock');
    const connection = await connectOrExplain(inputs.database, `${applicationName().slice(0, 50)} migrate`);
    try {
      const outcome: SqlOutcome = { applied: [], pending: [] };
      report.applied = outcome.applied;
      report.pending = outcome.pending;
      await applySql(inputs, connection, lockConnection, signal, appliedBy(), outcome);
      report.status = outcome.applied.length ? 'applied' : 'up-to-date';
    } finally {
      await connection.close();
    }
    return;
  }

  const before = lockConnection && (await toolHistory(lockConnection));
  if (inputs.mode === 'cloudrun-job') {
    // Loaded only in this mode: the Google client stays out of the other modes' start.
    const { runCloudRunJob } = await import('./cloudrun-mode');
    const execution = await runCloudRunJob(inputs, signal, !lockConnection);
    report.execution = execution.name;
    report.logUrl = execution.logUri;
    if (!lockConnection) {
      report.lockKey = `one execution of job ${inputs.cloudRun.job} at a time`;
      report.lockWaitMs = execution.waitedMs;
      report.waitedFor = execution.waitedFor;
    }
  } else if (inputs.mode === 'ecs-task') {
    // Loaded only in this mode: the ECS and Logs clients stay out of the other modes' start.
    const { runEcsTaskMode } = await import('./mode-ecs-task');
    const outcome = await runEcsTaskMode(inputs, signal, (line) => core.info(line));
    report.execution = outcome.taskArn;
    report.logUrl = outcome.consoleUrl;
    if (!lockConnection) {
      report.lockKey = `one task started by "${inputs.ecs.startedBy}" at a time`;
      report.waitedFor = outcome.waitedFor;
    }
  } else {
    await runTool(inputs, inputs.command, signal);
  }
  const after = lockConnection && (await toolHistory(lockConnection));
  const names = newlyApplied(before, after);
  report.historyFrom = after?.tool;
  if (names) {
    report.applied = names.map((name) => ({ name }));
    report.status = names.length ? 'applied' : 'up-to-date';
    core.info(
      names.length
        ? `Applied ${names.length} (from the ${report.historyFrom ?? 'tool'}'s history): ${names.join(', ')}`
        : 'The tool applied nothing: the database was up to date',
    );
  } else {
    report.status = 'applied';
    core.info('The migration tool succeeded (its history table is not one this action reads, so the count is unknown)');
  }
}

/** The tool's own history, if we recognise it; a failure to read it only costs the counts. */
async function toolHistory(connection: Connection): Promise<ToolHistory | undefined> {
  try {
    return await readToolHistory(connection);
  } catch (error) {
    core.debug(`Could not read the tool's history: ${redact((error as Error).message)}`);
    return undefined;
  }
}

/** Lists what would run, without the lock (nothing is written), and applies nothing. */
async function dryRun(inputs: Inputs, report: Report, signal: AbortSignal): Promise<void> {
  if (inputs.mode === 'sql') {
    const connection = await connectOrExplain(inputs.database, applicationName());
    try {
      const plan = await checkedPlan(connection, inputs);
      report.pending = plan.pending.map((f) => f.name);
      report.applied = [];
      core.info(
        plan.pending.length
          ? `Would apply ${plan.pending.length}: ${report.pending.join(', ')}`
          : `Nothing pending: all ${inputs.files.length} migrations are applied`,
      );
    } finally {
      await connection.close();
    }
  } else if (inputs.mode === 'command' || inputs.mode === 'image') {
    await runTool(inputs, inputs.dryRunCommand, signal);
  }
  report.status = 'dry-run';
}

async function connectOrExplain(database: DatabaseUrl, name: string): Promise<Connection> {
  try {
    return await connect(database, { applicationName: name });
  } catch (error) {
    throw new UserError(
      `Could not connect to ${database.describe}: ${redact((error as Error).message)}. Check database-url and that the runner can reach the database`,
    );
  }
}
