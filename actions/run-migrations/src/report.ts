import type { DatabaseUrl } from '@deploy-actions/db';
import { formatDuration, link, outputSeconds, type ReportContext } from '@deploy-actions/toolkit';
import type { Mode } from './inputs';
import type { manifest } from './manifest';

/** The step's outputs and its job summary, written the same way whether the run succeeded or not. */

export type Status = 'applied' | 'up-to-date' | 'dry-run' | 'failed';

/** What the run has done so far: filled as it goes (the lifecycle's progress), read by the report whatever happened. */
export interface Report {
  mode?: Mode;
  database?: DatabaseUrl;
  status: Status;
  /** Undefined when the tool keeps no history we can read. */
  applied?: { name: string; durationMs?: number }[];
  pending?: string[];
  /** The tool whose history table gave `applied`, in command and image modes. */
  historyFrom?: string;
  lockKey?: string;
  lockWaitMs?: number;
  waitedFor?: string;
  error?: string;
  tail?: string[];
  /** Cloud Run execution logs. */
  logUrl?: string;
  execution?: string;
}

type Ctx = ReportContext<typeof manifest, Report>;

export function setOutputs(ctx: Ctx, report: Report): void {
  ctx.output('status', report.status);
  ctx.output('applied', report.applied ? String(report.applied.length) : '');
  ctx.output('applied-names', report.applied ? JSON.stringify(report.applied.map((a) => a.name)) : '');
  ctx.output('pending', report.pending ? String(report.pending.length) : '');
  ctx.output('duration-seconds', outputSeconds(ctx.elapsedMs()));
  ctx.output('lock-wait-seconds', report.lockWaitMs === undefined ? '' : outputSeconds(report.lockWaitMs));
}

const HEADLINE: Record<Status, string> = {
  applied: 'Migrations applied',
  'up-to-date': 'Database already up to date',
  'dry-run': 'Dry run: nothing applied',
  failed: 'Migrations failed',
};

export function writeReport(ctx: Ctx, report: Report): void {
  const db = report.database;
  const summary = ctx.summary;
  const count = report.applied ? ` (${report.applied.length})` : '';
  summary.headline(`${HEADLINE[report.status]}${count}`);
  summary.facts([
    ['Mode', report.mode],
    [
      'Database',
      db
        ? `${db.dialect === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} ${db.socket ? `socket ${db.host}` : `${db.host}:${db.port}`} / ${db.database}`
        : report.mode === 'cloudrun-job'
          ? 'reached by the Cloud Run job only (database-url-secret)'
          : undefined,
    ],
    ['Status', report.status],
    [
      'Applied',
      report.applied
        ? report.applied.length
        : report.status === 'failed'
          ? undefined
          : 'not known (the tool keeps no history we read)',
    ],
    ['Pending', report.pending?.length],
    ['History from', report.historyFrom],
    ['Lock', report.lockKey],
    ['Lock wait', report.lockWaitMs === undefined ? undefined : formatDuration(report.lockWaitMs)],
    ['Waited for', report.waitedFor],
    ['Cloud Run execution', report.execution],
    ['Duration', formatDuration(ctx.elapsedMs())],
  ]);
  if (report.logUrl) summary.table(['Logs'], [[link('Execution logs', report.logUrl)]]);
  if (report.applied?.length) {
    summary.section('Applied');
    summary.table(
      ['migration', 'duration'],
      report.applied.map((a) => [a.name, a.durationMs === undefined ? '' : formatDuration(a.durationMs)]),
    );
  }
  if (report.pending?.length) {
    summary.section(report.status === 'dry-run' ? 'Would apply' : 'Not applied');
    summary.table(
      ['migration'],
      report.pending.map((name) => [name]),
    );
  }
  if (report.status === 'failed' && report.tail?.length) {
    summary.section('Last lines of output');
    summary.code(report.tail.join('\n'), 'text');
  }
}
