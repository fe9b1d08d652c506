import * as core from '@actions/core';
import { dashboardUrl } from '@deploy-actions/render';
import { escapeHtml, factsTable, formatDuration, link, table, writeSummary } from '@deploy-actions/toolkit';
import type { Report } from './deploy';
import type { Inputs } from './inputs';

/**
 * What the deploy tells the rest of the workflow (outputs) and the person reading the run (the job
 * summary): which service, what was deployed, how long each status lasted, the health check, any
 * rollback, and a link to the deploy in the dashboard. Written after success and failure alike.
 */

export function setOutputs(report: Report): void {
  core.setOutput('deploy-id', report.deploy?.id ?? '');
  core.setOutput('status', report.status ?? '');
  core.setOutput('service-url', report.service?.serviceDetails?.url ?? '');
  const seconds = report.finishedAt ? Math.round((report.finishedAt - report.startedAt) / 100) / 10 : '';
  core.setOutput('duration-seconds', String(seconds));
  core.setOutput('rollback-deploy-id', report.rollback?.deploy?.id ?? '');
}

const ICON: Record<string, string> = {
  live: '✅',
  deactivated: '⏭️',
  build_failed: '❌',
  update_failed: '❌',
  pre_deploy_failed: '❌',
  canceled: '🛑',
};

export async function writeReport(inputs: Inputs, report: Report): Promise<void> {
  const deploy = report.deploy;
  const name = report.service ? `${report.service.name} (${report.serviceId})` : report.serviceId;
  const source = deploy?.image?.ref ?? deploy?.commit?.id ?? inputs.imageUrl ?? inputs.commit ?? 'latest';
  const status = report.status ?? 'not triggered';
  const s = core.summary.addHeading(headline(report), 2);
  s.addRaw(
    factsTable([
      ['Service', name],
      ['Service URL', report.service?.serviceDetails?.url],
      [deploy?.image || inputs.imageUrl ? 'Image' : 'Commit', source],
      ['Triggered by', report.via],
      ['Deploy', deploy?.id],
      ['Status', status],
      ['Duration', report.finishedAt ? formatDuration(report.finishedAt - report.startedAt) : undefined],
      ['Superseded by', report.supersededBy?.id],
      ['Canceled', report.canceled ? 'at the timeout, by this action' : undefined],
      ['Render API calls', report.apiCalls || undefined],
    ]),
  );
  if (deploy?.id)
    s.addRaw(`\n${link('Open the deploy in the Render dashboard', dashboardUrl(report.serviceId, deploy.id)).html}\n`);
  if (report.timeline.length) {
    s.addHeading('Status timeline', 3);
    s.addRaw(timeline(report.timeline, report.startedAt));
  }
  if (report.health) {
    const h = report.health;
    s.addHeading(`Health check: ${h.ok ? 'passed' : 'failed'}`, 3);
    s.addRaw(
      table(
        ['attempt', 'answer', 'time'],
        h.attempts.map((a, i) => [i + 1, `${a.result}${a.result === h.expected ? ' ✅' : ''}`, formatDuration(a.ms)]),
      ),
    );
    s.addRaw(`\n<p>GET ${h.url}, expecting ${h.expected}.</p>\n`);
  }
  if (report.rollback) {
    const r = report.rollback;
    s.addHeading('Rollback', 3);
    if (r.skipped) s.addRaw(`\n<p>Not rolled back: ${r.skipped}.</p>\n`);
    else {
      s.addRaw(
        factsTable([
          ['Rolled back to', r.to],
          ['Rollback deploy', r.deploy?.id],
          ['Status', r.deploy?.status],
        ]),
      );
      if (r.timeline.length) s.addRaw(timeline(r.timeline, r.timeline[0].at));
    }
  }
  if (report.failure) s.addRaw(`\n<p><strong>Failed:</strong> ${escapeHtml(report.failure)}</p>\n`);
  await writeSummary();
}

/** The outcome in a few words: what happened to the deploy, and what the action did about it. */
function headline(report: Report): string {
  const name = report.service?.name ?? report.serviceId;
  const status = report.status ?? 'not triggered';
  const rolledBack = report.rollback?.deploy?.status === 'live';
  const unhealthy = report.health && !report.health.ok;
  const what = [status, unhealthy && 'health check failed', rolledBack && 'rolled back'].filter(Boolean).join(', ');
  const icon = rolledBack ? '↩️' : report.failure ? '❌' : (ICON[status] ?? '🚀');
  return `${icon} Render deploy of ${name}: ${what}`;
}

function timeline(entries: Report['timeline'], origin: number): string {
  return table(
    ['status', 'reached after', 'time in status'],
    entries.map((e, i) => [
      `${ICON[e.status] ?? '⏳'} ${e.status}`,
      formatDuration(Math.max(0, e.at - origin)),
      // The last status is where the deploy stayed.
      i === entries.length - 1 ? '—' : formatDuration(e.ms),
    ]),
  );
}
