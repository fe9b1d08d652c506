import { type Clock, formatDuration, realClock, userAgent } from '@deploy-actions/toolkit';

/**
 * The one health probe, shared by deploy-cloudrun, trigger-render-hook and deploy-ecs: HTTP GETs against a
 * URL, each a single plain request with its own timeout and no client retry (a retried probe would hide the
 * very errors the gate is there to see), judged on status and latency. Two ways to judge, the union of the
 * two probes this replaces:
 * - `until-ok` (Render's check): try up to `attempts` times, `intervalMs` apart; healthy at the first good answer;
 * - `sample` (Cloud Run's gate): send all `attempts` probes and pass when the share that failed is at most
 *   `maxErrorRate`.
 * Redirects are not followed (a 302 to a login page is not healthy). The clock is injected, the signal stops
 * the waits and the request in flight, and a progress line is logged at least every `progressEveryMs`.
 */

export type StatusMatcher = (status: number) => boolean;

export interface ProbeOptions {
  url: string | URL;
  /** Which statuses count as healthy (see `parseExpectedStatus`). */
  expected: StatusMatcher;
  /** How the expectation reads in messages: `200`, `2xx`. */
  expectedText: string;
  mode: 'until-ok' | 'sample';
  /** Probes in all (`sample`) or at most (`until-ok`). */
  attempts: number;
  intervalMs: number;
  /** One probe's timeout. */
  timeoutMs: number;
  /** A slower answer counts as failed. */
  maxLatencyMs?: number;
  /** `sample` only: the highest share (0..1) of failed probes that still passes. */
  maxErrorRate?: number;
  headers?: Record<string, string>;
  /** What is probed, for log lines: `the new revision`, `service api`. */
  what?: string;
  clock?: Clock;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Progress at least this often during a long series (default 30 s). */
  progressEveryMs?: number;
}

/** A health gate's judged settings, as the actions parse them from the health inputs. */
export interface GateSettings {
  expected: StatusMatcher;
  expectedText: string;
  /** Probes sent in all. */
  probes: number;
  intervalMs: number;
  timeoutMs: number;
  /** Highest acceptable share of failed probes, 0..1. */
  maxErrorRate: number;
  maxLatencyMs?: number;
  headers?: Record<string, string>;
}

/** A gate: every probe is sent (`sample` mode) and the share that failed decides. */
export function probeGate(
  gate: GateSettings,
  options: Pick<ProbeOptions, 'url' | 'what' | 'clock' | 'signal' | 'log'>,
): Promise<ProbeReport> {
  return probe({
    ...options,
    expected: gate.expected,
    expectedText: gate.expectedText,
    mode: 'sample',
    attempts: gate.probes,
    intervalMs: gate.intervalMs,
    timeoutMs: gate.timeoutMs,
    maxLatencyMs: gate.maxLatencyMs,
    maxErrorRate: gate.maxErrorRate,
    headers: gate.headers,
  });
}

export interface ProbeAttempt {
  /** The HTTP status, or what went wrong before one arrived (`timeout`, `ECONNREFUSED`). */
  result: number | string;
  ms: number;
  ok: boolean;
}

export interface ProbeReport {
  url: string;
  passed: boolean;
  attempts: ProbeAttempt[];
  failures: number;
  errorRate: number;
  /** Outcome → count: `{ '200': 4, '503': 1, 'timeout': 1, '200 slow': 1 }`. */
  statuses: Record<string, number>;
  p50Ms: number;
  maxMs: number;
  /** Why it failed, in words; undefined when it passed. */
  reason?: string;
}

export async function probe(options: ProbeOptions): Promise<ProbeReport> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => {});
  const url = options.url.toString();
  const what = options.what ?? url;
  const every = options.progressEveryMs ?? 30_000;
  const attempts: ProbeAttempt[] = [];
  const statuses: Record<string, number> = {};
  const started = clock.now();
  let lastProgress = started;

  for (let n = 1; n <= options.attempts; n++) {
    if (n > 1 && options.intervalMs) await clock.sleep(options.intervalMs, options.signal);
    options.signal?.throwIfAborted();
    const attempt = await once(url, options, clock);
    attempts.push(attempt);
    // A good status that came too late.
    const slow = !attempt.ok && typeof attempt.result === 'number' && options.expected(attempt.result);
    const outcome = `${attempt.result}${slow ? ' slow' : ''}`;
    statuses[outcome] = (statuses[outcome] ?? 0) + 1;
    if (options.mode === 'until-ok') {
      log(
        `Health check ${n}/${options.attempts}: ${url} answered ${attempt.result}${attempt.ok ? '' : ` (expected ${options.expectedText}${slow ? ` within ${formatDuration(options.maxLatencyMs ?? 0)}` : ''})`}`,
      );
      if (attempt.ok) break;
    } else if (clock.now() - lastProgress >= every && n < options.attempts) {
      const failed = attempts.filter((a) => !a.ok).length;
      log(`Health ${what}: ${n}/${options.attempts} probes sent, ${failed} failed so far`);
      lastProgress = clock.now();
    }
  }
  return judge(url, what, attempts, statuses, options);
}

async function once(url: string, options: ProbeOptions, clock: Clock): Promise<ProbeAttempt> {
  const started = clock.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let result: number | string;
  let ok = false;
  try {
    const response = await fetch(url, {
      headers: { 'user-agent': `${userAgent()} health-probe`, ...options.headers },
      redirect: 'manual',
      signal,
    });
    await response.arrayBuffer();
    result = response.status;
    ok = options.expected(response.status);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const cause = (error as { cause?: { code?: string } }).cause;
    result = (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.code ?? 'error');
  }
  const ms = clock.now() - started;
  if (ok && options.maxLatencyMs !== undefined && ms > options.maxLatencyMs) ok = false;
  return { result, ms, ok };
}

function judge(
  url: string,
  what: string,
  attempts: ProbeAttempt[],
  statuses: Record<string, number>,
  options: ProbeOptions,
): ProbeReport {
  const failures = attempts.filter((a) => !a.ok).length;
  const errorRate = attempts.length ? failures / attempts.length : 1;
  const passed = options.mode === 'until-ok' ? attempts.at(-1)?.ok === true : errorRate <= (options.maxErrorRate ?? 0);
  const sorted = attempts.map((a) => a.ms).sort((a, b) => a - b);
  const report: ProbeReport = {
    url,
    passed,
    attempts,
    failures,
    errorRate,
    statuses,
    p50Ms: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0,
    maxMs: sorted.at(-1) ?? 0,
  };
  if (!passed) {
    const seen = Object.entries(statuses)
      .map(([s, n]) => `${n}× ${s}`)
      .join(', ');
    const within = options.maxLatencyMs !== undefined ? ` within ${formatDuration(options.maxLatencyMs)}` : '';
    const refused =
      statuses['401'] || statuses['403']
        ? '; the service refused the probes: send credentials with health-headers'
        : '';
    report.reason =
      options.mode === 'until-ok'
        ? `${url} answered ${attempts.at(-1)?.result} ${attempts.length} times (expected ${options.expectedText}${within})${refused}`
        : `${failures} of ${attempts.length} probes of ${what} failed (${seen}; expected ${options.expectedText}${within}), above the allowed error rate of ${Math.round((options.maxErrorRate ?? 0) * 100)}%${refused}`;
  }
  return report;
}

/** The one-line summary of a series, for the log: `Health <what> <url>: passed, 0/5 failed, p50 12ms, max 30ms (200×5)`. */
export function describeProbe(report: ProbeReport, what: string): string {
  const counts = Object.entries(report.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  return `Health ${what} ${report.url}: ${report.passed ? 'passed' : 'FAILED'}, ${report.failures}/${report.attempts.length} failed, p50 ${formatDuration(report.p50Ms)}, max ${formatDuration(report.maxMs)} (${counts})`;
}
