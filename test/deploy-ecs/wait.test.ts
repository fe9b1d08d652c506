/**
 * The deployment follower on a virtual clock: an end is noticed within 2 s, never more than 30 calls in any
 * minute, for deployments of minutes or hours; throttling stretches the interval and it recovers; events
 * calls never hide an end; the timeout is the only cap.
 */
import { describe, expect, it } from '@jest/globals';
import { Budget, type DeploymentView, follow, type Sources } from '../../actions/deploy-ecs/src/wait';

class VirtualClock {
  t = 0;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.t += Math.max(0, ms);
  };
}

function deployment(
  clock: VirtualClock,
  endsAt: number,
  status = 'SUCCESSFUL',
  faults: (t: number) => Error | undefined = () => undefined,
) {
  const calls: number[] = [];
  const at = (): DeploymentView =>
    clock.t >= endsAt
      ? { status, stage: 'CLEAN_UP', running: 2, desired: 2, pending: 0 }
      : {
          status: 'IN_PROGRESS',
          stage: clock.t < endsAt / 2 ? 'SCALE_UP' : 'CLEAN_UP',
          running: 1,
          desired: 2,
          pending: 1,
        };
  const sources: Sources = {
    deployment: async () => {
      calls.push(clock.t);
      const fault = faults(clock.t);
      if (fault) throw fault;
      return at();
    },
    service: async () => {
      calls.push(clock.t);
      return { events: [{ at: clock.t, message: `event at ${clock.t}` }], ended: clock.t >= endsAt };
    },
  };
  return { sources, calls };
}

function maxPerMinute(calls: number[]): number {
  let max = 0;
  for (let i = 0; i < calls.length; i++) {
    let n = 0;
    for (let j = i; j < calls.length && calls[j] < calls[i] + 60_000; j++) n++;
    max = Math.max(max, n);
  }
  return max;
}

describe('follow', () => {
  for (const [label, endsAt] of [
    ['1 min', 60_000 + 700],
    ['10 min', 600_000 + 1300],
    ['2 h', 7_200_000 + 1900],
  ] as const) {
    it(`notices the end of a ${label} deployment within 2 s at ≤ 30 calls a minute`, async () => {
      const clock = new VirtualClock();
      const { sources, calls } = deployment(clock, endsAt);
      const result = await follow(sources, { timeoutMs: 6 * 3600_000, clock });
      expect(result.view.status).toBe('SUCCESSFUL');
      expect(result.seenAt - endsAt).toBeLessThanOrEqual(2000);
      expect(result.seenAt).toBeGreaterThanOrEqual(endsAt);
      expect(maxPerMinute(calls)).toBeLessThanOrEqual(30);
      expect(result.calls).toBe(calls.length);
    });
  }

  it('confirms an end seen in the events call with the deployment itself, still within 2 s', async () => {
    const clock = new VirtualClock();
    // Ends exactly when an events call (every 30 s) falls due.
    const { sources } = deployment(clock, 30_000, 'ROLLBACK_SUCCESSFUL');
    const result = await follow(sources, { timeoutMs: 3600_000, clock });
    expect(result.view.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(result.seenAt - 30_000).toBeLessThanOrEqual(2000);
  });

  it('backs off on throttling and 5xx, then returns to the 2 s cadence', async () => {
    const clock = new VirtualClock();
    const throttled = (t: number) =>
      t >= 10_000 && t < 40_000
        ? Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
        : undefined;
    const { sources, calls } = deployment(clock, 120_000, 'SUCCESSFUL', throttled);
    const lines: string[] = [];
    await follow(sources, { timeoutMs: 3600_000, clock, log: (l) => lines.push(l) });
    const during = calls.filter((t) => t >= 10_000 && t < 40_000).length;
    expect(during).toBeLessThan(10); // 2 s cadence would be 15
    const late = calls.filter((t) => t >= 90_000 && t < 120_000);
    expect(late.length).toBeGreaterThanOrEqual(14);
    expect(lines.some((l) => /ThrottlingException/.test(l))).toBe(true);
  });

  it('has no cap but the timeout, and names the last state when it passes', async () => {
    const clock = new VirtualClock();
    const { sources } = deployment(clock, Number.POSITIVE_INFINITY);
    await expect(follow(sources, { timeoutMs: 5 * 3600_000, clock })).rejects.toThrow(
      /Timed out after 5h.*IN_PROGRESS at SCALE_UP · running 1\/2/,
    );
    expect(clock.t).toBeGreaterThanOrEqual(5 * 3600_000);
  });

  it('stops promptly when the signal aborts', async () => {
    const clock = new VirtualClock();
    const { sources } = deployment(clock, Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    const stopping = follow(sources, { timeoutMs: 3600_000, clock, signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(stopping).rejects.toThrow('cancelled');
  });

  it('the budget never lets a 31st call into a minute', async () => {
    const clock = new VirtualClock();
    const budget = new Budget(clock as never, 30);
    const sent: number[] = [];
    for (let i = 0; i < 100; i++) {
      await budget.take();
      sent.push(clock.t);
    }
    expect(maxPerMinute(sent)).toBe(30);
  });
});
