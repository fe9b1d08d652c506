import * as core from '@actions/core';
import { codeBlock, elapsedSeconds, factsTable, formatDuration, table, writeSummary } from '@deploy-actions/toolkit';
import type { Outcome, Run } from './outcome';

/** Outputs and the job summary: what was made, how to restore it, and what retention did. */

const TITLES = {
  rds: 'RDS snapshot',
  aurora: 'Aurora cluster snapshot',
  cloudsql: 'Cloud SQL backup',
  postgres: 'pg_dump',
};

export async function writeReport(run: Run, outcome: Outcome, started: number): Promise<void> {
  const seconds = elapsedSeconds(started);
  const pruned = outcome.pruned;
  core.setOutput('snapshot-id', outcome.id);
  core.setOutput('snapshot-arn', outcome.ref);
  core.setOutput('status', outcome.status);
  core.setOutput('created-at', outcome.createdAt?.toISOString() ?? '');
  core.setOutput('size', outcome.sizeBytes ?? '');
  core.setOutput('duration-seconds', seconds);
  core.setOutput('deleted', pruned?.deleted.join(',') ?? '');
  core.setOutput('restore-command', outcome.restore);

  const summary = core.summary.addHeading(`${TITLES[run.inputs.provider]}: ${outcome.id}`, 3);
  summary.addRaw(
    factsTable([
      ['Status', outcome.status],
      ['Snapshot', outcome.ref],
      ['Created', outcome.createdAt?.toISOString()],
      ['Size', outcome.sizeBytes === undefined ? undefined : `${outcome.sizeBytes} bytes`],
      ...outcome.facts,
      ['Took', formatDuration(seconds * 1000)],
      ['API calls', outcome.apiCalls],
    ]),
  );
  if (run.inputs.provider === 'postgres' && run.inputs.uploadArtifact && !run.inputs.artifactKey) {
    summary.addRaw(
      '\n> ⚠️ **The artifact is not encrypted** (artifact-unencrypted: true): anyone who can read this repository can download the database dump until it expires. Set `artifact-passphrase` from a secret instead.\n',
    );
  }
  summary.addRaw('\n**Restore it**\n').addRaw(codeBlock(outcome.restore));

  if (pruned && (pruned.deleted.length || pruned.wouldDelete.length || pruned.kept.length || pruned.skipped.length)) {
    const rows = [
      ...pruned.deleted.map((id) => [id, 'deleted']),
      ...pruned.wouldDelete.map((id) => [id, 'would be deleted (dry run)']),
      ...pruned.failed.map(({ id, reason }) => [id, `not deleted: ${reason}`]),
      ...pruned.skipped.map(({ id, reason }) => [id, `skipped: ${reason}`]),
      ...pruned.kept.map((id) => [id, 'kept']),
    ];
    const rules = [
      run.inputs.keepLast !== undefined ? `keep-last ${run.inputs.keepLast}` : '',
      run.inputs.maxAgeMs !== undefined ? `max-age ${formatDuration(run.inputs.maxAgeMs)}` : '',
    ].filter(Boolean);
    summary.addRaw(`\n**Retention** (${rules.join(', ')}; only snapshots this action made of this database)\n\n`);
    summary.addRaw(table(['snapshot', 'outcome'], rows));
  }
  await writeSummary();
}
