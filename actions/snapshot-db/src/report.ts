import { formatDuration, outputSeconds, type ReportContext } from '@deploy-actions/toolkit';
import type { Inputs } from './inputs';
import type { manifest } from './manifest';
import type { Outcome } from './outcome';

/**
 * Outputs and the job summary: what was made, how to restore it, and what retention did. Written on
 * success and failure alike (the lifecycle runs it either way): a failed step still says what it had
 * done (the snapshot requested, its ID) and what it had not.
 */

const TITLES = {
  rds: 'RDS snapshot',
  aurora: 'Aurora cluster snapshot',
  cloudsql: 'Cloud SQL backup',
  postgres: 'pg_dump',
};

export interface Progress {
  inputs?: Inputs;
  /** Set once the provider has asked for the snapshot. */
  requested?: string;
}

type Ctx = ReportContext<typeof manifest, Progress>;

export function writeReport(ctx: Ctx, outcome: Outcome | undefined): void {
  const inputs = ctx.progress.inputs;
  ctx.output('duration-seconds', outputSeconds(ctx.elapsedMs()));
  if (!outcome) {
    ctx.output('status', 'failed');
    if (inputs) ctx.summary.headline(`${TITLES[inputs.provider]} failed`);
    ctx.summary.facts([
      ['Provider', inputs?.provider],
      [
        'Requested',
        ctx.progress.requested ?? (inputs ? 'nothing: the step failed before the snapshot was asked for' : undefined),
      ],
      ['Took', formatDuration(ctx.elapsedMs())],
    ]);
    return;
  }
  const pruned = outcome.pruned;
  ctx.output('snapshot-id', outcome.id);
  ctx.output('snapshot-arn', outcome.ref);
  ctx.output('status', outcome.status);
  ctx.output('created-at', outcome.createdAt?.toISOString() ?? '');
  ctx.output('size', outcome.sizeBytes ?? '');
  ctx.output('deleted', pruned?.deleted.join(',') ?? '');
  ctx.output('restore-command', outcome.restore);

  const summary = ctx.summary;
  summary.headline(`${inputs ? TITLES[inputs.provider] : 'snapshot'} ${outcome.id}`);
  summary.facts([
    ['Status', outcome.status],
    ['Snapshot', outcome.ref],
    ['Created', outcome.createdAt?.toISOString()],
    ['Size', outcome.sizeBytes === undefined ? undefined : `${outcome.sizeBytes} bytes`],
    ...outcome.facts,
    ['Took', formatDuration(ctx.elapsedMs())],
    ['API calls', outcome.apiCalls],
  ]);
  if (inputs?.provider === 'postgres' && inputs.uploadArtifact && !inputs.artifactKey) {
    summary.status('partial');
    summary.text(
      '⚠️ The artifact is not encrypted (artifact-unencrypted: true): anyone who can read this repository can download the database dump until it expires. Set artifact-passphrase from a secret instead.',
    );
  }
  summary.section('Restore it').code(outcome.restore, 'sh');

  if (pruned && inputs && inputs.provider !== 'postgres') {
    if (pruned.deleted.length || pruned.wouldDelete.length || pruned.kept.length || pruned.skipped.length) {
      const rows = [
        ...pruned.deleted.map((id) => [id, 'deleted']),
        ...pruned.wouldDelete.map((id) => [id, 'would be deleted (dry run)']),
        ...pruned.failed.map(({ id, reason }) => [id, `not deleted: ${reason}`]),
        ...pruned.skipped.map(({ id, reason }) => [id, `skipped: ${reason}`]),
        ...pruned.kept.map((id) => [id, 'kept']),
      ];
      const rules = [
        inputs.keepLast !== undefined ? `keep-last ${inputs.keepLast}` : '',
        inputs.maxAgeMs !== undefined ? `max-age ${formatDuration(inputs.maxAgeMs)}` : '',
      ].filter(Boolean);
      summary.section('Retention');
      summary.text(`${rules.join(', ')}; only snapshots this action made of this database`);
      summary.table(['snapshot', 'outcome'], rows);
    }
  }
}
