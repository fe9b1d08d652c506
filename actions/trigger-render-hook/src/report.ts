import { dashboardUrl } from '@deploy-actions/render';
import { errorMessage, formatDuration, link, type Outcome, type ReportContext } from '@deploy-actions/toolkit';
import type { Report } from './deploy';
import type { Progress } from './index';
import type { manifest } from './manifest';

/**
 * What the deploy tells the rest of the workflow (outputs) and the person reading the run (the job
 * summary, under the suite's shared header): which service, what was deployed, how long each status
 * lasted, whether a newer deploy superseded it, the health check, any rollback, and a link to the deploy
 * in the dashboard. Written after success and failure alike; the SummaryBuilder redacts every piece
 * before escaping it, so a secret with `& < > "` cannot reach the summary in escaped form.
 */

const ICON: Record<string, string> = {
  live: '✅',
  deactivated: '⏭️',
  build_failed: '❌',
  update_failed: '❌',
  pre_deploy_failed: '❌',
  canceled: '🛑',
  queued: '⏸️',
};

export function writeReport(ctx: ReportContext<typeof manifest, Progress>, outcome: Outcome<void>): void {
  const { report, plan } = ctx.progress;
  const deploy = report.deploy;
  const failure = outcome.status === 'success' ? undefined : errorMessage(outcome.error);

  ctx.output('deploy-id', deploy?.id ?? '');
  ctx.output('status', report.status ?? '');
  ctx.output('superseded-by', report.superseded?.by.id ?? '');
  ctx.output('service-url', report.service?.serviceDetails?.url ?? '');
  const seconds = report.finishedAt ? Math.round((report.finishedAt - report.startedAt) / 100) / 10 : '';
  ctx.output('duration-seconds', String(seconds));
  ctx.output('rollback-deploy-id', report.rollback?.deploy?.id ?? '');

  const s = ctx.summary;
  s.headline(report.serviceId ? headline(report, failure) : 'nothing triggered');
  if (report.rollback?.deploy?.status === 'live') s.status('partial');
  if (!report.serviceId) return;
  const name = report.service ? `${report.service.name} (${report.serviceId})` : report.serviceId;
  const source = deploy?.image?.ref ?? deploy?.commit?.id ?? plan?.imageUrl ?? plan?.commit ?? 'latest';
  const superseded = report.superseded;
  s.facts([
    ['Service', name],
    ['Service URL', report.service?.serviceDetails?.url],
    [deploy?.image || plan?.imageUrl ? 'Image' : 'Commit', source],
    ['Triggered by', report.via],
    ['Deploy', deploy?.id],
    ['Status', report.status ?? 'not triggered'],
    ['Duration', report.finishedAt ? formatDuration(report.finishedAt - report.startedAt) : undefined],
    [
      'Followed',
      report.followed.length ? `${report.followed.join(', ')} (superseded ours while queued, same source)` : undefined,
    ],
    [
      'Superseded by',
      superseded &&
        `${superseded.by.id}${superseded.when === 'after-live' ? ', after ours had gone live (a success)' : ', before ours went live'}`,
    ],
    ['Canceled', report.canceled ? 'at the timeout, by this action' : undefined],
    ['Render API calls', report.apiCalls || undefined],
  ]);
  if (outcome.status === 'cancelled' && deploy?.id && !report.finishedAt)
    s.text(`The run was cancelled while waiting: ${deploy.id} was not canceled and goes on in Render.`);
  if (deploy?.id)
    s.raw(`\n${link('Open the deploy in the Render dashboard', dashboardUrl(report.serviceId, deploy.id)).html}\n`);
  if (report.timeline.length) s.section('Status timeline').table(...timeline(report.timeline, report.startedAt));
  if (report.health) {
    const h = report.health;
    s.section(`Health check: ${h.ok ? 'passed' : 'failed'}`).table(
      ['attempt', 'answer', 'time'],
      h.attempts.map((a, i) => [i + 1, `${a.result}${a.result === h.expected ? ' ✅' : ''}`, formatDuration(a.ms)]),
    );
    s.text(`GET ${h.url}, expecting ${h.expected}.`);
  }
  if (report.rollback) {
    const r = report.rollback;
    s.section('Rollback');
    if (r.skipped) s.text(`Not rolled back: ${r.skipped}.`);
    else {
      s.facts([
        ['Rolled back to', r.to],
        ['Rollback deploy', r.deploy?.id],
        ['Status', r.deploy?.status],
      ]);
      if (r.timeline.length) s.table(...timeline(r.timeline, r.timeline[0].at));
    }
  }
}

/** The outcome in a few words: what happened to the deploy, and what the action did about it. */
function headline(report: Report, failure: string | undefined): string {
  const name = report.service?.name ?? (report.serviceId || 'Render');
  const status = report.status ?? 'not triggered';
  const rolledBack = report.rollback?.deploy?.status === 'live';
  const unhealthy = report.health && !report.health.ok;
  const superseded = report.superseded?.when === 'after-live' && !failure && 'superseded after going live';
  const followed = report.followed.length > 0 && !failure && `followed ${report.followed.at(-1)}`;
  return [status, superseded, followed, unhealthy && 'health check failed', rolledBack && 'rolled back']
    .filter(Boolean)
    .join(', ')
    .replace(/^/, `${name}: `);
}

function timeline(entries: Report['timeline'], origin: number): [string[], string[][]] {
  return [
    ['status', 'reached after', 'time in status'],
    entries.map((e, i) => [
      `${ICON[e.status] ?? '⏳'} ${e.status}`,
      formatDuration(Math.max(0, e.at - origin)),
      // The last status is where the deploy stayed.
      i === entries.length - 1 ? '—' : formatDuration(e.ms),
    ]),
  ];
}
