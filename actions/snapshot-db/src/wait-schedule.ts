import { type Clock, realClock } from '@deploy-actions/toolkit';

/**
 * When to look at a snapshot next. RDS reports PercentProgress, so once progress moves we estimate when
 * it will finish and halve the distance each time: few calls while hours remain, a check within seconds
 * of the end. Without progress (Cloud SQL, or RDS stuck at 0% as it often is at first) the gap grows with
 * the time already spent (a third of it, jittered), so a 30-second snapshot is noticed in seconds and a
 * two-hour one costs about one call per `maxMs`. Never shorter than `minMs` nor longer than `maxMs`; when
 * an estimate passes without completion, the gap backs off from `minMs` instead of hammering.
 */

export interface WaitScheduleOptions {
  minMs: number;
  maxMs: number;
  clock?: Clock;
  random?: () => number;
}

export class WaitSchedule {
  private readonly start: number;
  private first?: { at: number; percent: number };
  private overdue = 0;
  private seen?: { at: number; percent: number };
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly options: WaitScheduleOptions) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.start = this.clock.now();
  }

  /** The delay before the next check, given the progress just seen (0-100) if the API reports one. */
  next(percent?: number): number {
    const { minMs, maxMs } = this.options;
    const now = this.clock.now();
    const cap = Math.min(maxMs, Math.max(minMs, (now - this.start) / 3));
    const jittered = (ms: number) => ms * (0.75 + this.random() * 0.25);
    if (percent === undefined) return Math.max(minMs, jittered(cap));
    if (!this.first || percent < this.first.percent) this.first = { at: now, percent };
    const gained = percent - this.first.percent;
    if (gained <= 0) return Math.max(minMs, jittered(cap));
    if (this.seen?.percent !== percent) this.seen = { at: now, percent };
    // Progress reached `percent` at or before we first saw it, so the end is at or before this estimate.
    const rate = gained / (now - this.first.at);
    const remaining = this.seen.at + (100 - percent) / rate - now;
    const target = remaining / 2;
    if (target >= minMs) {
      this.overdue = 0;
      return Math.min(cap, target);
    }
    // Estimated to be done by now, or nearly: look again soon, backing off if the estimate was wrong.
    return Math.min(cap, minMs * 1.5 ** this.overdue++);
  }
}
