import { describeProbe, probeGate, type ProbeReport as SharedReport } from '@deploy-actions/health';
import { type Clock, realClock, workflow as core } from '@deploy-actions/toolkit';
import type { HealthGate } from './inputs';

/**
 * The health gate: the suite's shared probe (packages/health) in `sample` mode against a URL (the new
 * revision's tag URL or the service URL): every probe is sent, one plain GET with its own timeout and no
 * retry, and the share that failed (status, latency) decides. What the summary reports per target: the
 * statuses, latency p50 / max and the error rate.
 */

export interface ProbeReport extends SharedReport {
  target: 'revision' | 'service';
  /** Probes sent. */
  probes: number;
}

export async function probe(
  gate: HealthGate,
  target: 'revision' | 'service',
  baseUrl: string,
  clock: Clock = realClock,
  signal?: AbortSignal,
): Promise<ProbeReport> {
  const url = new URL(gate.path, `${baseUrl.replace(/\/$/, '')}/`).toString();
  const report = await probeGate(gate, {
    url,
    what: target === 'revision' ? 'the new revision' : 'the service',
    clock,
    signal,
    log: (line) => core.info(line),
  });
  core.info(describeProbe(report, target));
  // A private service answers 401/403 to probes without credentials: on Cloud Run a public one is the other fix.
  const refused = !report.passed && (report.statuses['401'] || report.statuses['403']);
  const reason = refused ? `${report.reason}, or make the service public with allow-unauthenticated` : report.reason;
  return { ...report, reason, target, probes: report.attempts.length };
}
