import * as core from '@actions/core';
import type { DatabaseUrl } from '@deploy-actions/db';
import {
  codeBlock,
  escapeHtml,
  factsTable,
  formatDuration,
  link,
  redact,
  table,
  writeSummary,
} from '@deploy-actions/toolkit';
import type { Mode } from './inputs';

/** The step's outputs and its job summary, written the same way whether the run succeeded or not. */

export type Status = 'applied' | 'up-to-date' | 'dry-run' | 'failed';

export interface Report {
  mode: Mode;
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
  durationMs: number;
  error?: string;
  tail?: string[];
  /** Cloud Run execution logs. */
  logUrl?: string;
  execution?: string;
}

export function setOutputs(report: Report): void {
  core.setOutput('status', report.status);
  core.setOutput('applied', report.applied ? String(report.applied.length) : '');
  core.setOutput('applied-names', report.applied ? JSON.stringify(report.applied.map((a) => a.name)) : '');
  core.setOutput('pending', report.pending ? String(report.pending.length) : '');
  core.setOutput('duration-seconds', (report.durationMs / 1000).toFixed(1));
  core.setOutput('lock-wait-seconds', report.lockWaitMs === undefined ? '' : (report.lockWaitMs / 1000).toFixed(1));
}

const HEADLINE: Record<Status, string> = {
  applied: 'Migrations applied',
  'up-to-date': 'Database already up to date',
  'dry-run': 'Dry run: nothing applied',
  failed: 'Migrations failed',
};

export async function writeReport(report: Report): Promise<void> {
  const db = report.database;
  const count = report.applied ? ` (${report.applied.length})` : '';
  core.summary.addRaw(`## ${report.status === 'failed' ? '❌' : '✅'} ${HEADLINE[report.status]}${count}\n\n`);
  if (report.error) core.summary.addRaw(`> ${escapeHtml(redact(report.error))}\n\n`);
  core.summary.addRaw(
    factsTable([
      ['Mode', report.mode],
      [
        'Database',
        db
          ? `${db.dialect === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} ${db.host}:${db.port} / ${db.database}`
          : 'reached by the Cloud Run job only (database-url-secret)',
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
      ['Duration', formatDuration(report.durationMs)],
    ]),
  );
  if (report.logUrl) core.summary.addRaw(`\n${table(['Logs'], [[link('Execution logs', report.logUrl)]])}`);
  if (report.applied?.length) {
    core.summary.addRaw('\n### Applied\n\n');
    core.summary.addRaw(
      table(
        ['migration', 'duration'],
        report.applied.map((a) => [a.name, a.durationMs === undefined ? '' : formatDuration(a.durationMs)]),
      ),
    );
  }
  if (report.pending?.length) {
    core.summary.addRaw(`\n### ${report.status === 'dry-run' ? 'Would apply' : 'Not applied'}\n\n`);
    core.summary.addRaw(
      table(
        ['migration'],
        report.pending.map((name) => [name]),
      ),
    );
  }
  if (report.status === 'failed' && report.tail?.length) {
    core.summary.addRaw('\n### Last lines of output\n');
    core.summary.addRaw(codeBlock(redact(report.tail.join('\n')), 'text'));
  }
  await writeSummary();
}
