import type { Clock } from '../src/clock';
import { poll } from '../src/poll';
import { backoffDelay, retry, serverWaitMs } from '../src/retry';

/** A clock that advances only when slept on. */
function virtualClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('backoff and server waits', () => {
  it('keeps jittered delays between half and all of the step, capped', () => {
    expect(backoffDelay(0, 1000, 8000, 2, () => 0)).toBe(500);
    expect(backoffDelay(3, 1000, 8000, 2, () => 1)).toBe(8000);
    expect(backoffDelay(10, 1000, 8000, 2, () => 1)).toBe(8000);
  });

  it('reads Retry-After in seconds and as a date, and RateLimit-Reset when exhausted', () => {
    expect(serverWaitMs(new Headers({ 'retry-after': '7' }))).toBe(7000);
    expect(serverWaitMs(new Headers({ 'retry-after': new Date(61_000).toUTCString() }), 1000)).toBe(60_000);
    expect(serverWaitMs(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '12' }))).toBe(12_000);
    expect(serverWaitMs(new Headers({ 'ratelimit-remaining': '5', 'ratelimit-reset': '12' }))).toBeUndefined();
  });

  it('retries retryable errors, honouring the asked wait, and gives up at the budget', async () => {
    const clock = virtualClock();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('busy'), { retryable: true, retryAfterMs: 5000 });
        return 'ok';
      },
      { clock, onRetry: () => {} },
    );
    expect(result).toBe('ok');
    expect(clock.slept.every((ms) => ms >= 5000 && ms < 5250)).toBe(true);
    await expect(
      retry(async () => Promise.reject(Object.assign(new Error('down'), { retryable: true })), {
        attempts: 3,
        clock,
        onRetry: () => {},
      }),
    ).rejects.toThrow('down');
    await expect(retry(async () => Promise.reject(new Error('fatal')), { clock })).rejects.toThrow('fatal');
  });
});

describe('poll', () => {
  it('logs each status change, resets the backoff on change and returns the value', async () => {
    const clock = virtualClock();
    const lines: string[] = [];
    const statuses = ['queued', 'queued', 'queued', 'building', 'building', 'live'];
    let i = 0;
    const result = await poll({
      what: 'deploy dep-1',
      timeoutMs: 60_000,
      clock,
      log: (l) => lines.push(l),
      check: async () => {
        const status = statuses[i++];
        return status === 'live' ? { done: true, value: status } : { done: false, status };
      },
    });
    expect(result).toMatchObject({ value: 'live', polls: 6 });
    expect(lines.map((l) => l.split(' after')[0])).toEqual(['deploy dep-1: queued', 'deploy dep-1: building']);
    expect(clock.slept[3]).toBeLessThanOrEqual(1000);
  });

  it('shows progress during a long wait and times out with the last status', async () => {
    const clock = virtualClock();
    const lines: string[] = [];
    await expect(
      poll({
        what: 'snapshot s1',
        timeoutMs: 120_000,
        maxMs: 10_000,
        progressEveryMs: 30_000,
        clock,
        log: (l) => lines.push(l),
        timeoutHint: 'Raise "timeout".',
        check: async () => ({ done: false, status: 'creating', detail: '40%' }),
      }),
    ).rejects.toThrow('Timed out after 2m waiting for snapshot s1 (last status: creating). Raise "timeout".');
    expect(lines.filter((l) => l.includes('still creating')).length).toBeGreaterThanOrEqual(3);
    expect(clock.now()).toBe(120_000);
  });
});

describe('poll and the signal', () => {
  it('stops at once when the signal aborts, with its reason', async () => {
    const { poll } = await import('../src');
    const controller = new AbortController();
    let checks = 0;
    const clock = {
      now: () => 0,
      sleep: async (_ms: number, signal?: AbortSignal) => {
        controller.abort(new Error('cancelled by the runner'));
        signal?.throwIfAborted();
      },
    };
    await expect(
      poll({
        what: 'deploy',
        timeoutMs: 60_000,
        clock,
        signal: controller.signal,
        log: () => {},
        check: async () => {
          checks++;
          return { done: false, status: 'building' };
        },
      }),
    ).rejects.toThrow('cancelled by the runner');
    expect(checks).toBe(1);
  });
});
