import { describeCondition } from '@deploy-actions/gcp';
import { escapeHtml, factsTable, formatDuration, link, table } from '@deploy-actions/toolkit';
import type { JobResult } from './deploy-job';
import type { JobInputs, ServiceInputs, TrafficInputs } from './inputs';
import type { RegionResult } from './rollout';
import type { Served } from './traffic';

/**
 * The job summary: per region, what served before and after, each rollout step with its probes (status,
 * latency, error rate), how long it took, and on failure the revision's conditions and what the rollback did.
 * Returned as HTML for the lifecycle's summary (which adds the shared header and redacts it).
 */

/** Collects headings and raw HTML in order. */
class Html {
  private readonly parts: string[] = [];
  addHeading(text: string, level: number): this {
    this.parts.push(`<h${level}>${escapeHtml(text)}</h${level}>\n`);
    return this;
  }
  addRaw(html: string): this {
    this.parts.push(html);
    return this;
  }
  toString(): string {
    return this.parts.join('');
  }
}

function split(traffic: Served[]): string {
  if (!traffic.length) return '<em>none (new service)</em>';
  return table(
    ['revision', 'percent', 'tag'],
    traffic.map((t) => [
      t.revision + (t.latest ? ' (latest)' : ''),
      `${t.percent}%`,
      t.tag ? (t.uri ? link(t.tag, t.uri) : t.tag) : '',
    ]),
  );
}

export function serviceSummary(
  inputs: ServiceInputs | TrafficInputs,
  results: RegionResult[],
  failed?: string,
): string {
  const s = new Html();
  const traffic = inputs.target === 'traffic';
  s.addHeading(`Cloud Run ${traffic ? 'traffic move' : 'deploy'}: ${inputs.service} ${failed ? '❌ failed' : '✅'}`, 3);
  s.addRaw(
    factsTable([
      ['Image', traffic ? undefined : inputs.image],
      [
        traffic ? 'Traffic' : 'Strategy',
        traffic
          ? inputs.assignments.map((a) => `${a.kind === 'tag' ? `tag ${a.name}` : a.name} ${a.percent}%`).join(', ')
          : inputs.strategy + (inputs.strategy === 'canary' ? ` (${inputs.canarySteps.join('% → ')}%)` : ''),
      ],
      ['Regions', inputs.regions.join(', ')],
      [
        'Health gate',
        inputs.health
          ? `${inputs.health.path} × ${inputs.health.probes} on ${inputs.health.target}, expect ${inputs.health.expectedText}, max error rate ${Math.round(inputs.health.maxErrorRate * 100)}%${inputs.health.maxLatencyMs !== undefined ? `, max latency ${formatDuration(inputs.health.maxLatencyMs)}` : ''}`
          : 'readiness only',
      ],
    ]),
  );
  if (failed) s.addRaw(`\n<p><strong>${escapeHtml(failed)}</strong></p>\n`);
  for (const r of results) {
    s.addHeading(`${r.region}${r.failure ? ' ❌' : ' ✅'}`, 4);
    s.addRaw(
      factsTable([
        ['Service URL', r.url],
        ['Status', r.status],
        [traffic ? 'Revision' : 'New revision', r.revision],
        ['Previous revision', r.previousRevision],
        ['Tag URL', r.tagUrl],
        ['Created', r.created ? 'yes' : undefined],
        [
          'Public access',
          r.publicAccess === 'granted'
            ? 'granted to allUsers'
            : r.publicAccess === 'already'
              ? 'already public'
              : undefined,
        ],
        ['Notes', r.notes.length ? r.notes.join('; ') : undefined],
        ['Ready after', r.readyMs !== undefined ? formatDuration(r.readyMs) : undefined],
        ['Total', formatDuration(r.totalMs)],
      ]),
    );
    s.addRaw(`\n<p><strong>Traffic before</strong></p>\n${split(r.trafficBefore)}`);
    s.addRaw(`\n<p><strong>Traffic after</strong></p>\n${split(r.trafficAfter)}`);
    if (r.steps.length) {
      const rows = r.steps.flatMap((step) =>
        step.probes.length
          ? step.probes.map((p) => [
              step.label,
              p.target,
              Object.entries(p.statuses)
                .map(([st, n]) => `${st}×${n}`)
                .join(' '),
              `${Math.round(p.errorRate * 100)}%`,
              `${formatDuration(p.p50Ms)} / ${formatDuration(p.maxMs)}`,
              p.passed ? '✅' : '❌',
              formatDuration(step.durationMs),
            ])
          : [[step.label, '—', 'not probed', '', '', step.passed ? '✅' : '❌', formatDuration(step.durationMs)]],
      );
      s.addRaw(`\n<p><strong>Rollout</strong></p>\n`);
      s.addRaw(table(['step', 'probed', 'statuses', 'error rate', 'latency p50 / max', 'gate', 'duration'], rows));
    }
    if (r.failure) {
      s.addRaw(`\n<p><strong>Failure:</strong> ${escapeHtml(r.failure.reason)}</p>\n`);
      if (r.failure.conditions.length)
        s.addRaw(
          table(
            ['condition', 'state', 'reason', 'message'],
            r.failure.conditions.map((c) => [
              c.type ?? '',
              c.state ?? '',
              [c.reason, c.revisionReason].filter(Boolean).join(' / '),
              c.message ?? describeCondition(c),
            ]),
          ),
        );
      if (r.failure.logUri) s.addRaw(`<p>${link('Revision logs', r.failure.logUri).html}</p>\n`);
      s.addRaw(`<p>Rollback: ${escapeHtml(r.failure.rollbackNote ?? 'not attempted')}</p>\n`);
    }
  }
  return s.toString();
}

export function jobSummary(inputs: JobInputs, results: JobResult[], failed?: string): string {
  const s = new Html();
  s.addHeading(`Cloud Run job: ${inputs.job} ${failed ? '❌ failed' : '✅'}`, 3);
  s.addRaw(
    factsTable([
      ['Image', inputs.image],
      ['Regions', inputs.regions.join(', ')],
    ]),
  );
  if (failed) s.addRaw(`\n<p><strong>${escapeHtml(failed)}</strong></p>\n`);
  s.addRaw(
    table(
      ['region', 'job', 'execution', 'tasks', 'result', 'duration'],
      results.map((r) => [
        r.region,
        r.created ? `${r.job} (created)` : `${r.job} (updated)`,
        r.execution ? (r.result?.logUri ? link(r.execution, r.result.logUri) : r.execution) : '—',
        r.result ? `${r.result.succeededCount}/${r.result.taskCount} succeeded, ${r.result.failedCount} failed` : '',
        r.result ? (r.result.succeeded ? '✅' : `❌ ${r.result.reason ?? ''}`) : r.execution ? 'started' : '',
        formatDuration(r.totalMs),
      ]),
    ),
  );
  return s.toString();
}
