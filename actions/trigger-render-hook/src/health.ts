import { type Clock, HttpClient, realClock } from '@deploy-actions/toolkit';

/**
 * The health check after a deploy goes live: GET the URL until it answers the expected status, up to
 * `attempts` times, `intervalMs` apart. Each attempt is one plain request (no client retries): the
 * point is to see what users would see, and the attempts are the retries.
 */

export interface HealthOptions {
  url: string;
  status: number;
  attempts: number;
  intervalMs: number;
  clock?: Clock;
  log: (line: string) => void;
}

export interface HealthAttempt {
  /** The HTTP status, or what went wrong before one arrived. */
  result: number | string;
  ms: number;
}

export interface HealthResult {
  url: string;
  ok: boolean;
  expected: number;
  attempts: HealthAttempt[];
}

const ANY_STATUS = Array.from({ length: 500 }, (_, i) => i + 100);

export async function checkHealth(options: HealthOptions): Promise<HealthResult> {
  const clock = options.clock ?? realClock;
  const http = new HttpClient({ clock, timeoutMs: 10_000 });
  const attempts: HealthAttempt[] = [];
  for (let n = 1; n <= options.attempts; n++) {
    const started = clock.now();
    let result: number | string;
    try {
      result = (await http.request(options.url, { retry: false, accept: ANY_STATUS })).status;
    } catch (error) {
      result = (error as Error).message.replace(/^GET \S+ failed: /, '');
    }
    attempts.push({ result, ms: clock.now() - started });
    const ok = result === options.status;
    options.log(
      `Health check ${n}/${options.attempts}: ${options.url} answered ${result}${ok ? '' : ` (expected ${options.status})`}`,
    );
    if (ok) return { url: options.url, ok, expected: options.status, attempts };
    if (n < options.attempts) await clock.sleep(options.intervalMs);
  }
  return { url: options.url, ok: false, expected: options.status, attempts };
}
