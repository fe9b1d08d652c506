import * as core from '@actions/core';
import { factsTable, formatDuration, table, writeSummary } from './toolkit';
import type { Report } from './deploy';
import { shortName } from './task-definition';

/** Outputs and the job summary, written whatever happened (a failure included). */

export function setOutputs(report: Report): void {
  const outputs: Record<string, string | number | undefined> = {
    'task-definition-arn': report.taskDefinitionArn,
    'previous-task-definition-arn': report.previousTaskDefinitionArn,
    'deployment-arn': report.deploymentArn,
    status: report.status ?? (report.failure ? 'FAILED' : undefined),
    'previous-desired-count': report.previousDesiredCount,
    url: report.url,
    'previous-rule': report.previousRule,
  };
  for (const [name, value] of Object.entries(outputs)) if (value !== undefined) core.setOutput(name, String(value));
}

export async function writeReport(report: Report): Promise<void> {
  const ok = !report.failure;
  const title = `${ok ? '✅' : '❌'} deploy-ecs: ${report.service} (${report.action}) ${ok ? 'succeeded' : 'failed'}`;
  core.summary.addHeading(title, 2);
  core.summary.addRaw(
    factsTable([
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
      ['Failure', report.failure],
    ]),
  );
  if (report.changes.length)
    core.summary.addRaw(`<p>Changed: ${report.changes.map((c) => c.replace(/</g, '&lt;')).join('; ')}</p>\n`);
  if (report.timeline.length)
    core.summary.addRaw(
      table(
        ['+time', 'what'],
        report.timeline.map((t) => [formatDuration(t.at - report.startedAt), t.what]),
      ),
    );
  if (report.gates.length)
    core.summary.addRaw(
      table(
        ['health gate', 'url', 'probes', 'failed', 'result'],
        report.gates.map((g) => [g.where, g.url, g.probes, g.failures, g.passed ? 'passed' : `failed: ${g.reason}`]),
      ),
    );
  if (report.events.length)
    core.summary.addRaw(
      table(
        ['service event'],
        report.events.slice(-10).map((e) => [e.message]),
      ),
    );
  if (report.consoleUrl)
    core.summary.addRaw(`<p><a href="${report.consoleUrl}">The service's deployments in the console</a></p>\n`);
  await writeSummary();
}
