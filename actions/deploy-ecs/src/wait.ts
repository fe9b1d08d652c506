import { type Clock, formatDuration, realClock, TimeoutError } from './toolkit';
import { isServerError, isThrottling } from '@deploy-actions/aws/ecs';

/**
 * Following one service deployment to its end. The budget is the issue's: an end noticed within 2 s, at no
 * more than 30 calls a minute. So there is exactly one call every 2 s (a sliding-window limiter makes sure),
 * and it is either DescribeServiceDeployments (status, stage, counts, hooks: the default) or, when the
 * stage changed or 30 s passed, DescribeServices instead, for the service events, which also reveals an end
 * (the deployment's rolloutState), so an events call never hides a finish; an end seen there is confirmed
 * with one DescribeServiceDeployments; in the final stages (BAKE_TIME, CLEAN_UP, a rollback) there are no events
 * calls, so an end there is seen by the deployment call itself, within 2 s. Throttling and 5xx stretch the interval (doubling, up to 30 s) and
 * it comes back as calls succeed. There is no cap on how long it follows: only the timeout input ends it.
 */

export const TERMINAL = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];
/** The lifecycle stages a deployment ends from. */
const FINAL_STAGES = ['BAKE_TIME', 'CLEAN_UP'];

export interface DeploymentView {
  status: string;
  statusReason?: string;
  stage?: string;
  running: number;
  desired: number;
  pending: number;
  failures?: number;
  threshold?: number;
  /** A PAUSE hook waiting for ContinueServiceDeployment. */
  hook?: { hookId: string; stage: string };
  rollbackReason?: string;
  alarms?: string[];
}

export interface ServiceView {
  events: { at: number; message: string }[];
  /** The deployment's rollout in DescribeServices has ended (COMPLETED / FAILED, or it is no longer listed). */
  ended: boolean;
}

export interface Sources {
  deployment(): Promise<DeploymentView>;
  service(): Promise<ServiceView>;
}

export interface FollowOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  clock?: Clock;
  log?: (line: string) => void;
  intervalMs?: number;
  perMinute?: number;
  eventsEveryMs?: number;
  /** Called when a PAUSE hook awaits action; following goes on when it returns. */
  onHook?: (view: DeploymentView) => Promise<void>;
  /** Timeline entries: stage and status changes. */
  onChange?: (view: DeploymentView, at: number) => void;
}

export interface Followed {
  view: DeploymentView;
  calls: number;
  /** When the end was seen (clock time). */
  seenAt: number;
  events: { at: number; message: string }[];
}

/** At most `perMinute` calls in any 60 s: waits until the oldest call of the window leaves it. */
export class Budget {
  private readonly sent: number[] = [];
  constructor(
    private readonly clock: Clock,
    private readonly perMinute: number,
  ) {}

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.sent.length && this.sent[0] <= now - 60_000) this.sent.shift();
      if (this.sent.length < this.perMinute) {
        this.sent.push(now);
        return;
      }
      signal?.throwIfAborted();
      await this.clock.sleep(this.sent[0] + 60_000 - now);
    }
  }
}

function describe(v: DeploymentView): string {
  const parts = [`${v.status}${v.stage ? ` at ${v.stage}` : ''}`, `running ${v.running}/${v.desired}`];
  if (v.pending) parts.push(`pending ${v.pending}`);
  if (v.failures) parts.push(`failed tasks ${v.failures}${v.threshold ? `/${v.threshold}` : ''}`);
  if (v.alarms?.length) parts.push(`alarms ${v.alarms.join(', ')}`);
  return parts.join(' · ');
}

export async function follow(sources: Sources, options: FollowOptions): Promise<Followed> {
  const clock = options.clock ?? realClock;
  const log = options.log ?? (() => {});
  const baseMs = options.intervalMs ?? 2000;
  const budget = new Budget(clock, options.perMinute ?? 30);
  const eventsEveryMs = options.eventsEveryMs ?? 30_000;
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  let interval = baseMs;
  let calls = 0;
  let last: DeploymentView | undefined;
  let lastKey = '';
  let lastEventsAt = -Infinity;
  let wantEvents = true;
  let lastLine = start;
  const seenEvents = new Set<string>();
  const events: Followed['events'] = [];

  const call = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    await budget.take(options.signal);
    calls++;
    try {
      const value = await fn();
      interval = Math.max(baseMs, interval / 2);
      return value;
    } catch (error) {
      if (!isThrottling(error) && !isServerError(error)) throw error;
      interval = Math.min(30_000, interval * 2);
      log(
        `ECS answered ${(error as Error).name} (${(error as Error).message}); next check in ${formatDuration(interval)}`,
      );
      return undefined;
    }
  };

  for (;;) {
    options.signal?.throwIfAborted();
    const now = clock.now();
    let view: DeploymentView | undefined;
    // In the stages an end comes from, no events call: an end seen there would need one more call to confirm,
    // which the budget could only grant 2 s later.
    const nearEnd =
      last !== undefined && (FINAL_STAGES.includes(last.stage ?? '') || last.status.startsWith('ROLLBACK'));
    if (!nearEnd && (wantEvents || now - lastEventsAt >= eventsEveryMs)) {
      const service = await call(() => sources.service());
      if (service) {
        lastEventsAt = clock.now();
        wantEvents = false;
        const fresh = service.events.filter((e) => !seenEvents.has(`${e.at} ${e.message}`)).reverse();
        for (const e of fresh) {
          seenEvents.add(`${e.at} ${e.message}`);
          events.push(e);
        }
        for (const e of fresh.slice(-3)) log(`  event: ${e.message}`);
        if (service.ended) view = await call(() => sources.deployment());
      }
    } else view = await call(() => sources.deployment());

    if (view) {
      const previous = last;
      last = view;
      const key = describe(view);
      if (key !== lastKey) {
        if (view.stage !== previous?.stage || view.status !== previous?.status) wantEvents = true;
        log(`${key} (${formatDuration(clock.now() - start)})`);
        options.onChange?.(view, clock.now());
        lastKey = key;
        lastLine = clock.now();
      } else if (clock.now() - lastLine >= 60_000) {
        log(`still ${key}; ${formatDuration(clock.now() - start)} elapsed`);
        lastLine = clock.now();
      }
      if (TERMINAL.includes(view.status)) return { view, calls, seenAt: clock.now(), events };
      if (view.hook && options.onHook) {
        await options.onHook(view);
        wantEvents = true;
        continue;
      }
    }
    const after = clock.now();
    if (after >= deadline)
      throw new TimeoutError(
        `Timed out after ${formatDuration(options.timeoutMs)} following the deployment (last: ${last ? describe(last) : 'no answer'}); raise timeout (it may be hours)`,
      );
    await clock.sleep(Math.min(Math.max(0, now + interval - after), deadline - after));
  }
}
