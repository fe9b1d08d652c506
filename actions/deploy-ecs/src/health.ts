import * as core from '@actions/core';
import { type Clock, formatDuration, realClock } from './toolkit';
import type { HealthGate } from './inputs';

/**
 * The health gate: a series of plain HTTP probes against one URL, judged on status and error rate. Each
 * probe has its own timeout and no retry, because a retried probe would hide exactly the errors the gate
 * counts. Same rules and input names as deploy-cloudrun's gate.
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
  signal?: AbortSignal,
  clock: Clock = realClock,
): Promise<GateResult> {
  const statuses: Record<string, number> = {};
  let failures = 0;
  for (let i = 0; i < gate.probes; i++) {
    signal?.throwIfAborted();
    if (i > 0 && gate.intervalMs) await clock.sleep(gate.intervalMs);
    let outcome: string;
    let ok = false;
    try {
      const response = await fetch(url, {
        headers: { 'user-agent': 'deploy-actions deploy-ecs health gate' },
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
    statuses[outcome] = (statuses[outcome] ?? 0) + 1;
    if (!ok) failures++;
  }
  const passed = failures / gate.probes <= gate.maxErrorRate;
  const seen = Object.entries(statuses)
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
  const result: GateResult = { where, url, probes: gate.probes, failures, statuses, passed };
  if (!passed)
    result.reason = `${failures} of ${gate.probes} probes of the ${where} ${url} failed (${seen}; expected ${gate.expectedText}), above the allowed error rate of ${Math.round(gate.maxErrorRate * 100)}%`;
  core.info(
    `Health gate on the ${where} ${url}: ${passed ? 'passed' : 'FAILED'}, ${failures}/${gate.probes} failed (${seen})${gate.intervalMs ? `, every ${formatDuration(gate.intervalMs)}` : ''}`,
  );
  return result;
}

export function gateUrl(base: string | undefined, path: string): string | undefined {
  if (!base) return undefined;
  if (!path) return base;
  return new URL(path, `${base.replace(/\/$/, '')}/`).toString();
}
