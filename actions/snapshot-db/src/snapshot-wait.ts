import { RDS_FAILED_STATUSES, type RdsSnapshot } from '@deploy-actions/aws/rds';
import { type Clock, type Polled, UserError, formatDuration } from '@deploy-actions/toolkit';
import { WaitSchedule } from './wait-schedule';
import { waitFor } from './waiting';

/**
 * The wait for an RDS snapshot to become available: progress in the log, the next check aimed by
 * WaitSchedule, failure states ending the wait at once. The benchmark runs this very function on a
 * virtual clock against a simulated snapshot.
 */

export interface SnapshotWaitOptions {
  id: string;
  source: string;
  describe: () => Promise<RdsSnapshot | undefined>;
  deadline: number;
  pollIntervalMs: number;
  /** The step's whole timeout, for the message when it runs out. */
  timeoutMs?: number;
  clock?: Clock;
  log?: (line: string) => void;
}

export function waitForRdsSnapshot(options: SnapshotWaitOptions): Promise<Polled<RdsSnapshot>> {
  const { id, pollIntervalMs, clock } = options;
  const schedule = new WaitSchedule({ minMs: Math.min(2000, pollIntervalMs / 5), maxMs: pollIntervalMs, clock });
  return waitFor({
    what: `snapshot ${id}`,
    deadline: options.deadline,
    pollIntervalMs,
    clock,
    log: options.log,
    timeoutHint: `The snapshot goes on in RDS and will still complete; raise "timeout"${options.timeoutMs ? ` (now ${formatDuration(options.timeoutMs)} for the whole step)` : ''}: large or encrypted databases take hours. Or set wait: false.`,
    check: async () => {
      const s = await options.describe();
      if (!s) throw new UserError(`Snapshot ${id} disappeared while being created (deleted by someone?)`);
      if (s.status === 'available') return { done: true, value: s };
      if (RDS_FAILED_STATUSES.includes(s.status)) {
        throw new UserError(
          `Snapshot ${id} ended in status "${s.status}" instead of available: see the RDS events of ${options.source}`,
        );
      }
      return {
        done: false,
        status: s.status,
        detail: s.percent === undefined ? undefined : `${s.percent}%`,
        delayMs: schedule.next(s.percent),
      };
    },
  });
}
