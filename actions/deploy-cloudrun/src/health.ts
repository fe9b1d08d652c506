import { workflow as core } from '@deploy-actions/toolkit';
import { type Clock, formatDuration, realClock } from '@deploy-actions/toolkit';
import type { HealthGate } from './inputs';

/**
 * The health gate: a series of HTTP probes against a URL (the new revision's tag URL, the service URL, or
 * both), judged on status, latency and error rate. Each probe is one plain fetch with its own timeout and
 * no retry, because a retried probe would hide exactly the errors the gate is there to count.
 */

export interface ProbeReport {
  target: 'revision' | 'service';
  url: string;
  probes: number;
  failures: number;
  errorRate: number;
  statuses: Record<string, number>;
  p50Ms: number;
  maxMs: number;
  passed: boolean;
  /** Why it failed, in words. */
  reason?: string;
}

export async function probe(
  gate: HealthGate,
  target: 'revision' | 'service',
  baseUrl: string,
  clock: Clock = realClock,
): Promise<ProbeReport> {
  const url = new URL(gate.path, `${baseUrl.replace(/\/$/, '')}/`).toString();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  for (let i = 0; i < gate.probes; i++) {
    if (i > 0 && gate.intervalMs) await clock.sleep(gate.intervalMs);
    const started = performance.now();
    let outcome: string;
    let ok = false;
    try {
      const response = await fetch(url, {
        headers: { 'user-agent': 'deploy-actions health gate', ...gate.headers },
        redirect: 'manual',
        signal: AbortSignal.timeout(gate.timeoutMs),
      });
      await response.arrayBuffer();
      outcome = String(response.status);
      ok = gate.expected(response.status);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      outcome = (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.code ?? 'error');
    }
    const ms = performance.now() - started;
    latencies.push(ms);
    if (ok && gate.maxLatencyMs !== undefined && ms > gate.maxLatencyMs) {
      ok = false;
      outcome = `${outcome} slow`;
    }
    statuses[outcome] = (statuses[outcome] ?? 0) + 1;
    if (!ok) failures++;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const errorRate = failures / gate.probes;
  const passed = errorRate <= gate.maxErrorRate;
  const report: ProbeReport = {
    target,
    url,
    probes: gate.probes,
    failures,
    errorRate,
    statuses,
    p50Ms: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0,
    maxMs: sorted[sorted.length - 1] ?? 0,
    passed,
  };
  if (!passed) {
    const seen = Object.entries(statuses)
      .map(([s, n]) => `${n}× ${s}`)
      .join(', ');
    report.reason = `${failures} of ${gate.probes} probes of ${target === 'revision' ? 'the new revision' : 'the service'} failed (${seen}; expected ${gate.expectedText}${gate.maxLatencyMs !== undefined ? ` within ${formatDuration(gate.maxLatencyMs)}` : ''}), above the allowed error rate of ${Math.round(gate.maxErrorRate * 100)}%${statuses['401'] || statuses['403'] ? '; the service refused unauthenticated probes: set allow-unauthenticated, or send an Authorization header with health-headers' : ''}`;
  }
  core.info(
    `Health ${target} ${url}: ${passed ? 'passed' : 'FAILED'}, ${failures}/${gate.probes} failed, p50 ${formatDuration(report.p50Ms)}, max ${formatDuration(report.maxMs)} (${Object.entries(
      statuses,
    )
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')})`,
  );
  return report;
}
