import { workflow as core } from '@deploy-actions/toolkit';
import {
  type Connection,
  cancelSession,
  type MigrationFile,
  MigrationFailed,
  MigrationHistory,
  type MigrationPlan,
  planMigrations,
} from '@deploy-actions/db';
import { formatDuration, UserError } from '@deploy-actions/toolkit';
import type { SqlInputs } from './inputs';

/**
 * SQL mode: the files of `migrations-dir`, applied in order under the lock by the runner in
 * @deploy-actions/db. Before anything runs, the plan is checked: a changed file (checksum drift) or a
 * file a previous run left half-applied (dirty) stops the run with what to do about it.
 */

export interface SqlOutcome {
  applied: { name: string; durationMs: number }[];
  pending: string[];
}

const quoteSqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Reads the history and checks it against the files; throws a UserError on drift or dirt. */
export async function checkedPlan(connection: Connection, inputs: SqlInputs): Promise<MigrationPlan> {
  const history = new MigrationHistory(connection, inputs.historyTable);
  const plan = planMigrations(inputs.files, await history.rows());
  const table = inputs.historyTable;
  if (plan.dirty.length) {
    const row = plan.dirty[0];
    throw new UserError(
      `${row.name} was started by ${row.applied_by} at ${new Date(row.applied_at).toISOString()} outside a transaction and did not finish, so the database may be half-migrated. ` +
        `Check which of its statements took effect, complete or undo them by hand, then run DELETE FROM ${table} WHERE name = ${quoteSqlString(row.name)}; and run again`,
    );
  }
  if (plan.changed.length) {
    const { file, row } = plan.changed[0];
    const others = plan.changed.length > 1 ? ` (and ${plan.changed.length - 1} more)` : '';
    throw new UserError(
      `${file.name}${others} changed after it was applied at ${new Date(row.applied_at).toISOString()} (checksum ${row.checksum.slice(0, 12)}... recorded, ${file.checksum.slice(0, 12)}... now). ` +
        `Applied migrations must not change: restore the file and put the change in a new migration; if the edit is harmless (a comment), accept it with UPDATE ${table} SET checksum = '${file.checksum}' WHERE name = ${quoteSqlString(file.name)};`,
    );
  }
  for (const row of plan.missing)
    core.warning(`${row.name} is recorded as applied in ${table} but is not in migrations-dir any more`);
  return plan;
}

/** Applies what is pending, one file at a time, filling `outcome` as it goes (so a failure still reports what was applied); a cancellation cancels the running statement. */
export async function applySql(
  inputs: SqlInputs,
  connection: Connection,
  lockConnection: Connection,
  signal: AbortSignal,
  appliedBy: string,
  outcome: SqlOutcome,
): Promise<void> {
  const history = new MigrationHistory(connection, inputs.historyTable);
  await history.ensure();
  const plan = await checkedPlan(connection, inputs);
  outcome.pending.push(...plan.pending.map((f) => f.name));
  if (!plan.pending.length) {
    core.info(`Nothing to apply: all ${inputs.files.length} migrations are in ${inputs.historyTable}`);
    return;
  }
  core.info(`${plan.pending.length} pending: ${plan.pending.map((f) => f.name).join(', ')}`);

  // The statement runs on `connection`; the lock connection is free to cancel it. Cancelling again until
  // the file returns covers a cancellation that lands between two statements (BEGIN, the file, the insert).
  let canceller: NodeJS.Timeout | undefined;
  const cancel = () => void cancelSession(lockConnection, connection.sessionId).catch(() => undefined);
  const onAbort = () => {
    cancel();
    canceller = setInterval(cancel, 250);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (const file of plan.pending) {
      if (signal.aborted) throw signal.reason;
      outcome.applied.push({ name: file.name, durationMs: await applyOne(history, file, appliedBy, signal) });
      outcome.pending.shift();
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    clearInterval(canceller);
  }
}

async function applyOne(history: MigrationHistory, file: MigrationFile, appliedBy: string, signal: AbortSignal) {
  const how = file.transactional ? '' : ' (no transaction: recorded dirty until it completes)';
  core.info(`Applying ${file.name}${how}`);
  try {
    const ms = await history.apply(file, appliedBy);
    core.info(`Applied ${file.name} in ${formatDuration(ms)}`);
    return ms;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof MigrationFailed) {
      const after = error.leftDirty
        ? ` It ran outside a transaction, so it is recorded dirty in ${history.tableName}: check what it changed before running again.`
        : ' Its transaction was rolled back: nothing of it was applied.';
      throw new UserError(`Migration ${error.message}.${after}`);
    }
    throw error;
  }
}
