import { workflow as core } from '@deploy-actions/toolkit';
import { type Clock, type PollResult, type Polled, UserError, poll, realClock, redact } from '@deploy-actions/toolkit';

/**
 * toolkit `poll()` with the action's settings: the overall deadline shared by every wait of the run, a
 * progress line in the log at least every 30 s (sooner with a short poll-interval), and API errors during
 * a wait (throttling the client gave up on, a dropped connection) logged and ridden out, up to five in a
 * row: a snapshot that is hours into its work should not be abandoned over one failed status call.
 */

export interface WaitOptions<T> {
  what: string;
  deadline: number;
  pollIntervalMs: number;
  check: () => Promise<PollResult<T>>;
  timeoutHint: string;
  /** The benchmark runs the same wait on a virtual clock, silently. */
  clock?: Clock;
  log?: (line: string) => void;
}

export async function waitFor<T>(options: WaitOptions<T>): Promise<Polled<T>> {
  let failures = 0;
  let last = 'unknown';
  const minMs = Math.min(2000, options.pollIntervalMs / 5);
  const clock = options.clock ?? realClock;
  return poll({
    what: options.what,
    clock,
    log: options.log,
    timeoutMs: Math.max(0, options.deadline - clock.now()),
    initialMs: minMs,
    maxMs: options.pollIntervalMs,
    progressEveryMs: Math.min(30_000, options.pollIntervalMs * 2),
    timeoutHint: options.timeoutHint,
    check: async () => {
      try {
        const result = await options.check();
        failures = 0;
        if (!result.done) last = result.status;
        return result;
      } catch (error) {
        if (error instanceof UserError || ++failures >= 5) throw error;
        core.warning(redact(`Checking ${options.what} failed (${(error as Error).message}); trying again`));
        return { done: false, status: last, delayMs: minMs * 2 ** failures };
      }
    },
  });
}
