import { probeGate } from '@deploy-actions/health';
import type { HealthGate } from './inputs';
import { formatDuration, type Logger } from './toolkit';

/**
 * The health gate: the suite's shared probe (packages/health) in `sample` mode, as deploy-cloudrun's gate:
 * every probe is sent and the share that failed decides. Loaded with deploy.ts, after the inputs.
 */

export interface GateResult {
  where: 'test listener' | 'service';
  url: string;
  probes: number;
  failures: number;
  statuses: Record<string, number>;
  passed: boolean;
  reason?: string;
}

export async function probe(
  gate: HealthGate,
  where: GateResult['where'],
  url: string,
  log: Logger,
  signal?: AbortSignal,
): Promise<GateResult> {
  const report = await probeGate(gate, { url, what: `the ${where}`, signal, log: (line) => log.info(line) });
  const seen = Object.entries(report.statuses)
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
  log.info(
    `Health gate on the ${where} ${url}: ${report.passed ? 'passed' : 'FAILED'}, ${report.failures}/${report.attempts.length} failed (${seen})${gate.intervalMs ? `, every ${formatDuration(gate.intervalMs)}` : ''}`,
  );
  return {
    where,
    url,
    probes: report.attempts.length,
    failures: report.failures,
    statuses: report.statuses,
    passed: report.passed,
    reason: report.reason,
  };
}

export function gateUrl(base: string | undefined, path: string): string | undefined {
  if (!base) return undefined;
  if (!path) return base;
  return new URL(path, `${base.replace(/\/$/, '')}/`).toString();
}
