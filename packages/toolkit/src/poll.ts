import * as core from './workflow';
import { type Clock, realClock } from './clock';
import { formatDuration } from './duration';
import { TimeoutError } from './errors';
import { backoffDelay } from './retry';

/**
 * Waiting for something remote to finish. Polls start fast and back off with jitter up to `maxMs`; any
 * change of status starts the schedule again from `initialMs`, because one transition usually means the
 * next is near. A check may ask for a specific delay (a server's Retry-After). Status changes are logged
 * as they happen, and a progress line appears at least every `progressEveryMs`; the wait ends with a
 * TimeoutError at the deadline.
 */

export type PollResult<T> =
  | { done: true; value: T }
  | { done: false; status: string; detail?: string; delayMs?: number };

export interface PollOptions<T> {
  /** What is awaited, for log lines: "deploy dep-123". */
  what: string;
  timeoutMs: number;
  check: () => Promise<PollResult<T>>;
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  progressEveryMs?: number;
  /** Called on each status change with the status and the time spent in the previous one. */
  onStatus?: (status: string, previous: string | undefined, sinceMs: number) => void;
  /** What to add to the timeout message, e.g. how to raise the timeout. */
  timeoutHint?: string;
  clock?: Clock;
  log?: (line: string) => void;
  /** Ends the wait at once (rejecting with its reason) when it aborts: pass the lifecycle's ctx.signal. */
  signal?: AbortSignal;
}

export interface Polled<T> {
  value: T;
  polls: number;
  elapsedMs: number;
}

export async function poll<T>(options: PollOptions<T>): Promise<Polled<T>> {
  const { what, timeoutMs, check, initialMs = 1000, maxMs = 10_000, factor = 1.5, clock = realClock } = options;
  const log = options.log ?? ((line: string) => core.info(line));
  const progressEveryMs = options.progressEveryMs ?? 30_000;
  const start = clock.now();
  const deadline = start + timeoutMs;
  let status: string | undefined;
  let statusSince = start;
  let lastProgress = start;
  let step = 0;
  let polls = 0;

  for (;;) {
    options.signal?.throwIfAborted();
    polls++;
    const result = await check();
    const now = clock.now();
    if (result.done) return { value: result.value, polls, elapsedMs: now - start };

    if (result.status !== status) {
      options.onStatus?.(result.status, status, now - statusSince);
      const detail = result.detail ? ` (${result.detail})` : '';
      log(`${what}: ${result.status}${detail} after ${formatDuration(now - start)}`);
      status = result.status;
      statusSince = now;
      lastProgress = now;
      step = 0;
    } else if (now - lastProgress >= progressEveryMs) {
      const detail = result.detail ? `, ${result.detail}` : '';
      log(
        `${what}: still ${result.status}${detail}; ${formatDuration(now - start)} elapsed, ${formatDuration(deadline - now)} left`,
      );
      lastProgress = now;
    }

    if (now >= deadline) {
      const hint = options.timeoutHint ? ` ${options.timeoutHint}` : '';
      throw new TimeoutError(
        `Timed out after ${formatDuration(timeoutMs)} waiting for ${what} (last status: ${status}).${hint}`,
      );
    }
    const delay = result.delayMs ?? backoffDelay(step++, initialMs, maxMs, factor);
    await clock.sleep(Math.min(delay, deadline - now), options.signal);
  }
}
