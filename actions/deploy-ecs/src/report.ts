import type { ReportContext } from '../../../packages/toolkit/src/lifecycle';
import type { Report } from './deploy';
import type { manifest } from './manifest';
import { formatDuration } from './toolkit';
import { shortName } from './task-definition';

/** Outputs and the job summary (under the shared header), written whatever happened, a failure included. */
export function writeReport(report: Report, ctx: ReportContext<typeof manifest, unknown>): void {
  ctx.output('task-definition-arn', report.taskDefinitionArn);
  ctx.output('previous-task-definition-arn', report.previousTaskDefinitionArn);
  ctx.output('deployment-arn', report.deploymentArn);
  ctx.output('status', report.status ?? (report.failure ? 'FAILED' : undefined));
  ctx.output('previous-desired-count', report.previousDesiredCount);
  ctx.output('url', report.url);
  ctx.output('previous-rule', report.previousRule);

  const s = ctx.summary;
  s.headline(`${report.service} (${report.action}) ${report.failure ? 'failed' : (report.status ?? 'done')}`);
  s.facts([
    ['Cluster', report.cluster],
    ['Region', report.region],
    ['Task definition', shortName(report.taskDefinitionArn)],
    ['Previous task definition', shortName(report.previousTaskDefinitionArn)],
    ['Service deployment', report.deploymentArn?.split('/').pop()],
    ['Status', report.status],
    ['Reason', report.statusReason],
    [
      'Desired count',
      report.desiredCount === undefined ? undefined : `${report.previousDesiredCount} → ${report.desiredCount}`,
    ],
    ['URL', report.url],
    ['Rolled back', report.rolledBack],
    ['Maintenance rule', report.maintenanceRule],
    ['Duration', formatDuration(Date.now() - report.startedAt)],
    ['API calls', report.calls()],
  ]);
  if (report.changes.length) s.section('Changed').list(report.changes);
  if (report.timeline.length)
    s.section('Timeline').table(
      ['+time', 'what'],
      report.timeline.map((t) => [formatDuration(t.at - report.startedAt), t.what]),
    );
  if (report.gates.length)
    s.section('Health gate').table(
      ['where', 'url', 'probes', 'failed', 'result'],
      report.gates.map((g) => [g.where, g.url, g.probes, g.failures, g.passed ? 'passed' : `failed: ${g.reason}`]),
    );
  if (report.events.length) s.section('Service events').list(report.events.slice(-10).map((e) => e.message));
  if (report.consoleUrl) s.text(`The service's deployments in the console: ${report.consoleUrl}`);
}
