import { createOnce, failureKind, HttpError, isTransient, mayRetry, NetworkError, retryCall } from '../src';

/** A clock that never sleeps: it records the waits and moves time on. */
function virtualClock() {
  let now = 0;
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
    now += ms;
  };
  return { now: () => now, sleep, slept };
}

const http = (status: number, headers: Record<string, string> = {}) =>
  new HttpError('POST', 'https://api/x', status, '', new Headers(headers), 'create');
const net = (code: string) => new NetworkError(`POST x failed: ${code}`, code);

describe('the one retry rule', () => {
  it.each([
    [http(429), 'not-sent'],
    [net('ECONNREFUSED'), 'not-sent'],
    [net('ENOTFOUND'), 'not-sent'],
    [{ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }, 'not-sent'],
    [http(500), 'ambiguous'],
    [http(502), 'ambiguous'],
    [http(503), 'ambiguous'],
    [http(504), 'ambiguous'],
    [http(408), 'ambiguous'],
    [net('ECONNRESET'), 'ambiguous'],
    [net('ETIMEDOUT'), 'ambiguous'],
    [{ code: 'UND_ERR_SOCKET' }, 'ambiguous'],
    [{ $metadata: { httpStatusCode: 503 } }, 'ambiguous'],
    [{ response: { status: 502 } }, 'ambiguous'],
    [http(501), 'permanent'],
    [http(400), 'permanent'],
    [http(404), 'permanent'],
    [{ name: 'AbortError' }, 'permanent'],
    [new Error('bad input'), 'permanent'],
  ])('%o is %s', (error, kind) => {
    expect(failureKind(error)).toBe(kind);
    expect(isTransient(error)).toBe(kind !== 'permanent');
  });

  it('retries reads and idempotent calls on any transient failure, creates only when not sent', () => {
    expect(mayRetry('read', http(503))).toBe(true);
    expect(mayRetry('idempotent', net('ECONNRESET'))).toBe(true);
    expect(mayRetry('create', http(503))).toBe(false);
    expect(mayRetry('create', net('ECONNRESET'))).toBe(false);
    expect(mayRetry('create', http(429))).toBe(true);
    expect(mayRetry('create', net('ECONNREFUSED'))).toBe(true);
    expect(mayRetry('read', http(400))).toBe(false);
  });

  it('waits as long as Retry-After asks, with a little jitter, on an injected clock', async () => {
    const clock = virtualClock();
    let calls = 0;
    const value = await retryCall(
      'read',
      async () => {
        if (++calls < 3) throw http(429, { 'retry-after': '7' });
        return 'ok';
      },
      { clock, random: () => 0.5 },
    );
    expect(value).toBe('ok');
    expect(clock.slept).toEqual([7125, 7125]);
  });

  it('backs off with equal jitter between half and all of each step', async () => {
    const clock = virtualClock();
    await expect(
      retryCall('idempotent', async () => Promise.reject(http(503)), {
        clock,
        attempts: 4,
        baseMs: 100,
        random: () => 0,
      }),
    ).rejects.toThrow('answered 503');
    expect(clock.slept).toEqual([50, 100, 200]);
  });

  it('stops retrying when the signal aborts', async () => {
    const controller = new AbortController();
    const clock = { now: () => 0, sleep: async () => controller.abort(new Error('cancelled')) };
    await expect(retryCall('read', async () => Promise.reject(http(503)), { clock })).rejects.toThrow('answered 503');
    const signal = controller.signal;
    await expect(retryCall('read', async () => Promise.reject(http(503)), { clock, signal })).rejects.toThrow(
      'cancelled',
    );
  });
});

describe('createOnce', () => {
  it('after a lost answer reads the state and uses what was created, without sending again', async () => {
    const clock = virtualClock();
    const lines: string[] = [];
    let sent = 0;
    const result = await createOnce({
      what: 'jobs.run migrate',
      send: async () => {
        sent++;
        throw net('ECONNRESET');
      },
      reconcile: async () => 'execution-1',
      clock,
      log: (l) => lines.push(l),
    });
    expect(result).toBe('execution-1');
    expect(sent).toBe(1);
    expect(lines).toEqual([
      'jobs.run migrate: no clear answer (POST x failed: ECONNRESET); reading the state before deciding',
      'jobs.run migrate: it had gone through; using what it created',
    ]);
  });

  it('sends again only when the state shows nothing was created', async () => {
    let sent = 0;
    const result = await createOnce({
      what: 'backup',
      send: async () => {
        if (++sent === 1) throw http(503);
        return 'backup-2';
      },
      reconcile: async () => undefined,
      clock: virtualClock(),
    });
    expect([result, sent]).toEqual(['backup-2', 2]);
  });

  it('takes a 409 after an ambiguous attempt as that attempt having gone through', async () => {
    let sent = 0;
    let reads = 0;
    const result = await createOnce({
      what: 'services.create api',
      send: async () => {
        throw ++sent === 1 ? http(504) : http(409);
      },
      reconcile: async () => (++reads === 1 ? undefined : 'api'),
      clock: virtualClock(),
    });
    expect([result, sent, reads]).toEqual(['api', 2, 2]);
  });

  it('retries a not-sent failure with Retry-After, and never a permanent one', async () => {
    const clock = virtualClock();
    let sent = 0;
    const result = await createOnce({
      what: 'deploy',
      send: async () => {
        if (++sent === 1) throw http(429, { 'retry-after': '2' });
        return 'dep-1';
      },
      reconcile: async () => {
        throw new Error('not called');
      },
      clock,
      random: () => 0,
    });
    expect([result, clock.slept]).toEqual(['dep-1', [2000]]);
    await expect(
      createOnce({ what: 'x', send: async () => Promise.reject(http(400)), reconcile: async () => 'no', clock }),
    ).rejects.toThrow('answered 400');
  });

  it('gives up with the last error when every attempt was lost and nothing exists', async () => {
    let sent = 0;
    await expect(
      createOnce({
        what: 'x',
        send: async () => {
          sent++;
          throw net('ETIMEDOUT');
        },
        reconcile: async () => undefined,
        attempts: 2,
        clock: virtualClock(),
      }),
    ).rejects.toThrow('ETIMEDOUT');
    expect(sent).toBe(2);
  });
});
